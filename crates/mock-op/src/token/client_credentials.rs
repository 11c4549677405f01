//! RFC 6749 §4.4: a token for the client itself. Unlike the user grants, asking for more
//! scope than registered is an error rather than quietly narrowed, as before.

use std::time::Duration;

use axum::response::Response;
use http::StatusCode;

use super::issue;
use crate::client_auth::{field, Client};
use crate::error::ApiError;
use crate::grants::Authorization;
use crate::state::Shared;
use crate::Dialect;

/// SimpleIdServer's registration tokens are meant to be used at once.
const REGISTRATION_TOKEN_TTL: Duration = Duration::from_secs(300);

pub(super) fn exchange(shared: &Shared, client: &Client, form: &[(String, String)]) -> Result<Response, ApiError> {
    let scope = granted_scope(
        field(form, "scope").unwrap_or_default(),
        client.allowed_scope.as_deref(),
    )?;
    let resource = crate::resource::requested(form).map_err(super::invalid_target)?;
    let ttl = if client.registrar {
        REGISTRATION_TOKEN_TTL
    } else {
        shared.timing.access_token
    };
    let authorization = Authorization {
        client_id: client.id.clone(),
        scope: scope.clone(),
        resource,
        sub: None,
        auth_time: None,
        nonce: None,
        acr: None,
        cnf: client.bound_to.clone(),
    };
    let access_token = shared.grants.tokens.issue_access(&authorization, ttl.as_secs(), None);
    if shared.dialect == Dialect::SimpleIdServer {
        shared.access_tokens.remember(&access_token, &scope, ttl);
    }
    Ok(issue::respond(&issue::Issued {
        access_token,
        expires_in: ttl.as_secs(),
        scope,
        refresh_token: None,
        id_token: None,
    }))
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
