//! INDIGO IAM (MITREid Connect). Open registration, UUID client ids, a registration access
//! token that is a JWT, and RFC 7592 management with it; delete answers 204 with no body.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use http::{HeaderMap, StatusCode};
use serde_json::json;

use crate::error::ApiError;
use crate::extract::ClientId;
use crate::registration::{self, Flavor};
use crate::state::Shared;
use crate::{clock, secret};

pub(super) static FLAVOR: Flavor = Flavor {
    created: StatusCode::CREATED,
    new_client_id: |_| secret::uuid(),
    new_secret: || secret::token(64),
    new_rat: jwt_shaped_token,
    client_uri: |shared, id| format!("{}/{id}", shared.urls.registration),
    finish: Flavor::no_defaults,
    secret_expires_at: true,
    issued_at: true,
    rat_schemes: &["Bearer"],
    read_reveals: true,
};

pub(super) fn routes(shared: &Shared) -> Router<Arc<Shared>> {
    let path = shared.urls.path(&shared.urls.registration);
    Router::new()
        .route(path, post(register))
        .route(&format!("{path}/{{client_id}}"), get(read).put(update).delete(delete))
}

/// A token with MITREid's header and claims. The signature is random bytes: nothing verifies
/// it, but clients must treat the token as opaque anyway.
fn jwt_shaped_token(shared: &Shared, client_id: &str) -> String {
    let header = json!({"kid": "rsa1", "alg": "RS256"});
    let claims = json!({
        "aud": client_id,
        "iss": format!("{}/", shared.urls.issuer),
        "iat": clock::unix_seconds(),
        "jti": secret::uuid(),
    });
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        secret::token(128)
    )
}

async fn register(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    registration::register(&shared, &FLAVOR, &headers, body).await
}

async fn read(
    State(shared): State<Arc<Shared>>,
    ClientId(id): ClientId,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    registration::read(&shared, &FLAVOR, &id, &headers)
}

async fn update(
    State(shared): State<Arc<Shared>>,
    ClientId(id): ClientId,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    registration::update(&shared, &FLAVOR, &id, &headers, body).await
}

async fn delete(
    State(shared): State<Arc<Shared>>,
    ClientId(id): ClientId,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    registration::delete(&shared, &FLAVOR, &id, &headers)
}
