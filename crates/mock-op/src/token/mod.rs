//! The token endpoint (RFC 6749 §3.2): `authorization_code` (with PKCE), `refresh_token`
//! (rotating), the device code grant (RFC 8628) and `client_credentials`, for clients
//! registered here, and for SimpleIdServer's built-in registering client, whose token
//! unlocks registration. Each grant takes RFC 8707 `resource` indicators.

mod authorization_code;
mod client_credentials;
mod device_code;
mod issue;
mod refresh;

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use http::{HeaderMap, StatusCode};

use crate::body;
use crate::client_auth::{self, field};
use crate::error::ApiError;
use crate::extract::Peer;
use crate::state::Shared;

pub(crate) const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

pub(crate) fn routes(shared: &Shared) -> Router<Arc<Shared>> {
    Router::new().route(shared.urls.path(&shared.urls.token), post(token))
}

async fn token(
    State(shared): State<Arc<Shared>>,
    peer: Peer,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let form = body::form(&headers, body, shared.max_body_bytes).await?;
    let client = client_auth::authenticate(&shared, &headers, &form, peer.certificate()).await?;
    let grant_type = field(&form, "grant_type").ok_or_else(|| ApiError::invalid_request("grant_type is required"))?;
    let supported = matches!(
        grant_type,
        "authorization_code" | "refresh_token" | "client_credentials" | DEVICE_CODE_GRANT
    );
    if !supported {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "this provider grants authorization_code, refresh_token, client_credentials and device_code",
        ));
    }
    if !client.may_use(grant_type) || (client.public && grant_type == "client_credentials") {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            format!("the client is not registered for the {grant_type} grant"),
        ));
    }
    match grant_type {
        "authorization_code" => authorization_code::exchange(&shared, &client, &form),
        "refresh_token" => refresh::exchange(&shared, &client, &form),
        DEVICE_CODE_GRANT => device_code::exchange(&shared, &client, &form),
        _ => client_credentials::exchange(&shared, &client, &form),
    }
}

/// RFC 8707 §2: a `resource` that is malformed or was not authorized.
fn invalid_target(description: String) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_target", description)
}

/// The resources the tokens of a user grant are for: those the token request names (RFC 8707
/// §2.2), within what the authorization named.
fn audience(granted: &[String], form: &[(String, String)]) -> Result<Vec<String>, ApiError> {
    let requested = crate::resource::requested(form).map_err(invalid_target)?;
    crate::resource::narrow(granted, requested).map_err(invalid_target)
}

/// RFC 6749 §5.2 `invalid_grant`.
fn invalid_grant(description: impl Into<std::borrow::Cow<'static, str>>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_grant", description)
}
