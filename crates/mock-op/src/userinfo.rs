//! The UserInfo endpoint (OIDC Core §5.3): the demo user's claims for a live access token that
//! was granted `openid`, released by its scopes (§5.4).

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use http::{HeaderMap, StatusCode};

use crate::error::ApiError;
use crate::extract::Peer;
use crate::state::Shared;
use crate::tls::PeerCertificate;
use crate::{auth, demo_user, respond};

pub(crate) fn routes(shared: &Shared) -> Router<Arc<Shared>> {
    Router::new().route(shared.urls.path(&shared.urls.userinfo), get(userinfo).post(userinfo))
}

async fn userinfo(State(shared): State<Arc<Shared>>, peer: Peer, headers: HeaderMap) -> Result<Response, ApiError> {
    let token = auth::token(&headers, &["Bearer"])
        .ok_or_else(|| ApiError::invalid_token("a bearer access token is required"))?;
    let found = shared
        .grants
        .tokens
        .access(token)
        .ok_or_else(|| ApiError::invalid_token("the access token is unknown, expired or revoked"))?;
    let authorization = found.authorization;
    // RFC 8705 §3: a bound token works only over a connection with the same certificate.
    if let Some(bound) = &authorization.cnf {
        if peer.certificate().map(PeerCertificate::thumbprint).as_ref() != Some(bound) {
            return Err(ApiError::invalid_token(
                "the access token is bound to a client certificate that this request did not present",
            ));
        }
    }
    if authorization.sub.is_none() || !authorization.scope.split_whitespace().any(|s| s == "openid") {
        return Err(ApiError::insufficient_scope(
            "the access token was not granted the openid scope for a user",
        ));
    }
    Ok(respond::json(StatusCode::OK, &demo_user::claims(&authorization.scope)))
}
