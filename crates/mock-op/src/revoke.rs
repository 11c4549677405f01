//! Token revocation (RFC 7009). 200 whether or not the token existed (§2.2: the client cannot
//! act on the difference); revoking a refresh token also kills the access tokens issued with
//! it (§2.1). Public clients may revoke their own tokens.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use http::header::CACHE_CONTROL;
use http::{HeaderMap, HeaderValue, StatusCode};

use crate::body;
use crate::client_auth::{self, field};
use crate::error::ApiError;
use crate::extract::Peer;
use crate::grants::Revocation;
use crate::state::Shared;

pub(crate) fn routes(shared: &Shared) -> Router<Arc<Shared>> {
    Router::new().route(shared.urls.path(&shared.urls.revocation), post(revoke))
}

async fn revoke(
    State(shared): State<Arc<Shared>>,
    peer: Peer,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let form = body::form(&headers, body, shared.max_body_bytes).await?;
    let client = client_auth::authenticate(&shared, &headers, &form, peer.certificate()).await?;
    let token = field(&form, "token").ok_or_else(|| ApiError::invalid_request("token is required"))?;
    // `token_type_hint` is only a hint (§2.1): both tables are searched anyway.
    match shared.grants.tokens.revoke(token, &client.id) {
        Revocation::Done => {
            let mut response = StatusCode::OK.into_response();
            response
                .headers_mut()
                .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(response)
        }
        Revocation::NotYours => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            "the token was issued to another client",
        )),
    }
}
