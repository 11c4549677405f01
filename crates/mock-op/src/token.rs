//! The token endpoint (RFC 6749 §4.4): `client_credentials` for clients registered here, and
//! for SimpleIdServer's built-in registering client, whose token unlocks registration.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use http::header::{CACHE_CONTROL, CONTENT_TYPE, PRAGMA};
use http::{HeaderMap, HeaderValue, StatusCode};
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::state::Shared;
use crate::{auth, body, secret, Dialect};

const REALM: &str = r#"Basic realm="token""#;
/// SimpleIdServer's registration tokens are meant to be used at once.
const REGISTRATION_TOKEN_TTL: Duration = Duration::from_secs(300);
const ACCESS_TOKEN_TTL: Duration = Duration::from_secs(3600);

pub(crate) fn routes(shared: &Shared) -> Router<Arc<Shared>> {
    Router::new().route(shared.urls.path(&shared.urls.token), post(token))
}

/// Who authenticated, and what it may ask for.
struct Grantee {
    can_use_client_credentials: bool,
    /// `None`: any scope.
    allowed_scope: Option<String>,
    ttl: Duration,
}

async fn token(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let form = body::form(&headers, body, shared.max_body_bytes).await?;
    let field = |name: &str| form.iter().find(|(key, _)| key == name).map(|(_, v)| v.as_str());
    let basic = auth::basic(&headers);
    let challenge = basic.is_some().then_some(REALM);
    let (client_id, client_secret) = match &basic {
        Some(basic) => (basic.user.as_str(), basic.password.as_str()),
        None => (
            field("client_id").unwrap_or_default(),
            field("client_secret").unwrap_or_default(),
        ),
    };
    let grantee = authenticate(&shared, client_id, client_secret).ok_or(ApiError::invalid_client(challenge))?;
    let grant_type = field("grant_type").ok_or_else(|| ApiError::invalid_request("grant_type is required"))?;
    if grant_type != "client_credentials" {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "this mock only grants client_credentials",
        ));
    }
    if !grantee.can_use_client_credentials {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            "the client is not registered for the client_credentials grant",
        ));
    }
    let scope = granted_scope(field("scope").unwrap_or_default(), grantee.allowed_scope.as_deref())?;
    let access_token = secret::token(32);
    if shared.dialect == Dialect::SimpleIdServer {
        shared.access_tokens.remember(&access_token, &scope, grantee.ttl);
    }
    let body = json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": grantee.ttl.as_secs(),
        "scope": scope,
    });
    let mut response = (StatusCode::OK, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(PRAGMA, HeaderValue::from_static("no-cache"));
    Ok(response)
}

fn authenticate(shared: &Shared, client_id: &str, client_secret: &str) -> Option<Grantee> {
    if client_id.is_empty() {
        return None;
    }
    let creds = &shared.credentials;
    if let (Some(id), Some(expected)) = (&creds.registrar_client_id, &creds.registrar_client_secret) {
        if client_id == id {
            return matches_secret(client_secret, expected).then(|| Grantee {
                can_use_client_credentials: true,
                allowed_scope: Some(creds.registration_scope.clone().unwrap_or_else(|| "register".into())),
                ttl: REGISTRATION_TOKEN_TTL,
            });
        }
    }
    shared
        .store
        .read(client_id, |record| {
            let secret_ok = record
                .secret()
                .is_some_and(|expected| matches_secret(client_secret, &expected));
            if !secret_ok {
                return None;
            }
            let meta = record.metadata();
            Some(Grantee {
                can_use_client_credentials: meta
                    .get("grant_types")
                    .and_then(Value::as_array)
                    .is_some_and(|grants| grants.iter().any(|g| g == "client_credentials")),
                allowed_scope: meta
                    .get("scope")
                    .and_then(Value::as_str)
                    .filter(|s| *s != "ALL_SCOPES")
                    .map(str::to_owned),
                ttl: ACCESS_TOKEN_TTL,
            })
        })
        .flatten()
}

/// RFC 6749 §2.3.1 wants Basic credentials form-encoded, and many clients skip that; both
/// spellings are accepted.
fn matches_secret(presented: &str, expected: &str) -> bool {
    if secret::same(presented, expected) {
        return true;
    }
    let decoded: String = url::form_urlencoded::parse(format!("s={presented}").as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default();
    decoded != presented && secret::same(&decoded, expected)
}

/// The requested scopes if all are allowed; everything allowed if none is requested.
fn granted_scope(requested: &str, allowed: Option<&str>) -> Result<String, ApiError> {
    let requested: Vec<&str> = requested.split_whitespace().collect();
    match allowed {
        None => Ok(requested.join(" ")),
        Some(allowed) if requested.is_empty() => Ok(allowed.to_owned()),
        Some(allowed) => {
            let allowed: Vec<&str> = allowed.split_whitespace().collect();
            if requested.iter().all(|s| allowed.contains(s)) {
                Ok(requested.join(" "))
            } else {
                Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_scope",
                    "the requested scope exceeds the client's registered scope",
                ))
            }
        }
    }
}
