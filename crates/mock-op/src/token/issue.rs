//! The successful token response (RFC 6749 §5.1), and the tokens a user grant buys: an access
//! token, a refresh token if the client may refresh, an ID token if `openid` was granted.

use axum::response::{IntoResponse, Response};
use http::header::{CACHE_CONTROL, CONTENT_TYPE, PRAGMA};
use http::{HeaderValue, StatusCode};
use serde_json::{json, Value};

use crate::client_auth::Client;
use crate::grants::Authorization;
use crate::id_token;
use crate::state::Shared;

pub(super) struct Issued {
    pub(super) access_token: String,
    pub(super) expires_in: u64,
    pub(super) scope: String,
    pub(super) refresh_token: Option<String>,
    pub(super) id_token: Option<String>,
}

/// New tokens of `family` for what the user authorized.
pub(super) fn for_user(shared: &Shared, client: &Client, authorization: &Authorization, family: u64) -> Issued {
    // Bound to the certificate of this request (RFC 8705 §3), not of the one that got the code.
    let bound;
    let authorization = match &client.bound_to {
        Some(thumbprint) => {
            bound = Authorization {
                cnf: Some(thumbprint.clone()),
                ..authorization.clone()
            };
            &bound
        }
        None => authorization,
    };
    let ttl = shared.timing.access_token.as_secs();
    let tokens = &shared.grants.tokens;
    let access_token = tokens.issue_access(authorization, ttl, Some(family));
    let refresh_token = client
        .may_use("refresh_token")
        .then(|| tokens.issue_refresh(authorization, shared.timing.refresh_token.as_secs(), family));
    let id_token = authorization
        .scope
        .split_whitespace()
        .any(|s| s == "openid")
        .then(|| id_token::issue(shared, authorization, &access_token));
    Issued {
        access_token,
        expires_in: ttl,
        scope: authorization.scope.clone(),
        refresh_token,
        id_token,
    }
}

pub(super) fn respond(issued: &Issued) -> Response {
    let mut body = json!({
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "expires_in": issued.expires_in,
        "scope": issued.scope,
    });
    if let Value::Object(map) = &mut body {
        if let Some(refresh) = &issued.refresh_token {
            map.insert("refresh_token".into(), refresh.clone().into());
        }
        if let Some(id_token) = &issued.id_token {
            map.insert("id_token".into(), id_token.clone().into());
        }
    }
    let mut response = (StatusCode::OK, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(PRAGMA, HeaderValue::from_static("no-cache"));
    response
}
