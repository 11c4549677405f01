//! RFC 8628 §3.1/§3.2: a client (public ones too) asks for a device code and a user code.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::response::Response;
use http::{HeaderMap, StatusCode};
use serde_json::{json, Map, Value};

use crate::client_auth::{self, field, narrow_scope};
use crate::error::ApiError;
use crate::extract::Peer;
use crate::state::Shared;
use crate::token::DEVICE_CODE_GRANT;
use crate::{body, respond};

pub(super) async fn start(
    State(shared): State<Arc<Shared>>,
    peer: Peer,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let form = body::form(&headers, body, shared.max_body_bytes).await?;
    let client = client_auth::authenticate(&shared, &headers, &form, peer.certificate()).await?;
    if !client.may_use(DEVICE_CODE_GRANT) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            "the client is not registered for the device_code grant",
        ));
    }
    let scope = narrow_scope(field(&form, "scope"), client.allowed_scope.as_deref());
    let resource = crate::resource::requested(&form)
        .map_err(|why| ApiError::new(StatusCode::BAD_REQUEST, "invalid_target", why))?;
    let ttl = shared.timing.device_code.as_secs();
    let interval = shared.timing.device_poll_interval.as_secs();
    let (device_code, user_code) = shared.grants.devices.start(&client.id, &scope, resource, ttl, interval);
    let verification_uri = &shared.urls.device_verification;
    let complete = format!(
        "{verification_uri}?{}",
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("user_code", &user_code)
            .finish()
    );
    let body = json!({
        "device_code": device_code,
        "user_code": user_code,
        "verification_uri": verification_uri,
        "verification_uri_complete": complete,
        "expires_in": ttl,
        "interval": interval,
    });
    let map: Map<String, Value> = match body {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    Ok(respond::json(StatusCode::OK, &map))
}
