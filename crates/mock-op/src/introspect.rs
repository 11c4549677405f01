//! Token introspection (RFC 7662): a confidential client asks whether a token is live. Unknown,
//! revoked, expired and rotated-away tokens are all just `{"active": false}` (§2.2), so the
//! answer reveals nothing about tokens that do not work.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use http::{HeaderMap, StatusCode};
use serde_json::{Map, Value};

use crate::client_auth::{self, field};
use crate::error::ApiError;
use crate::extract::Peer;
use crate::state::Shared;
use crate::{body, demo_user, respond};

pub(crate) fn routes(shared: &Shared) -> Router<Arc<Shared>> {
    Router::new().route(shared.urls.path(&shared.urls.introspection), post(introspect))
}

async fn introspect(
    State(shared): State<Arc<Shared>>,
    peer: Peer,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let form = body::form(&headers, body, shared.max_body_bytes).await?;
    let client = client_auth::authenticate(&shared, &headers, &form, peer.certificate()).await?;
    // §4: the endpoint must be protected; a public client proves nothing about itself.
    if client.public {
        return Err(ApiError::invalid_client(None));
    }
    let token = field(&form, "token").ok_or_else(|| ApiError::invalid_request("token is required"))?;
    let mut answer = Map::new();
    let Some(found) = shared.grants.tokens.find(token) else {
        answer.insert("active".into(), false.into());
        return Ok(respond::json(StatusCode::OK, &answer));
    };
    let authorization = &found.authorization;
    answer.insert("active".into(), true.into());
    answer.insert("scope".into(), authorization.scope.clone().into());
    answer.insert("client_id".into(), authorization.client_id.clone().into());
    let token_type = if found.refresh { "refresh_token" } else { "Bearer" };
    answer.insert("token_type".into(), token_type.into());
    answer.insert("exp".into(), found.expires_at.into());
    answer.insert("iat".into(), found.issued_at.into());
    answer.insert("iss".into(), shared.urls.issuer.clone().into());
    // The audience: the resources the token is for (RFC 8707), else the client.
    let audience: Value = match authorization.resource.as_slice() {
        [] => authorization.client_id.clone().into(),
        [one] => one.clone().into(),
        many => many.to_vec().into(),
    };
    answer.insert("aud".into(), audience);
    if let Some(thumbprint) = &authorization.cnf {
        answer.insert("cnf".into(), serde_json::json!({ "x5t#S256": thumbprint }));
    }
    if let Some(sub) = &authorization.sub {
        answer.insert("sub".into(), Value::from(sub.clone()));
        answer.insert("username".into(), demo_user::USERNAME.into());
    }
    Ok(respond::json(StatusCode::OK, &answer))
}
