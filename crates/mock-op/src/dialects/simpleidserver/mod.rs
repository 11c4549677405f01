//! SimpleIdServer. Registration needs a bearer token obtained first from its token endpoint by
//! `client_credentials` with `scope=register`; clients, secrets and registration access
//! tokens are UUIDs; `registration_client_uri` is `<base>/<client_id>`; responses carry dozens
//! of vendor defaults and the scope values reordered.

mod defaults;

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use http::{HeaderMap, StatusCode};

use crate::error::ApiError;
use crate::extract::ClientId;
use crate::registration::{self, Flavor};
use crate::state::Shared;
use crate::{auth, secret};

pub(in crate::dialects) static FLAVOR: Flavor = Flavor {
    created: StatusCode::CREATED,
    new_client_id: |_| secret::uuid(),
    new_secret: secret::uuid,
    new_rat: |_, _| secret::uuid(),
    client_uri: |shared, id| format!("{}/{id}", shared.urls.base),
    finish: defaults::apply,
    secret_expires_at: false,
    issued_at: true,
    rat_schemes: &["Bearer"],
    read_reveals: true,
};

pub(super) fn routes(shared: &Shared) -> Router<Arc<Shared>> {
    let path = shared.urls.path(&shared.urls.registration);
    Router::new()
        .route(path, post(register))
        // Static routes (the token endpoint, discovery) win over this one in axum's router.
        .route("/{client_id}", get(read).put(update).delete(delete))
}

async fn register(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let token = auth::token(&headers, &["Bearer"])
        .ok_or_else(|| ApiError::invalid_token("a bearer access token with the register scope is required"))?;
    let scope = shared
        .access_tokens
        .scope_of(token)
        .ok_or_else(|| ApiError::invalid_token("the access token is unknown or expired"))?;
    let needed = shared.credentials.registration_scope.as_deref().unwrap_or("register");
    if !scope.split_whitespace().any(|s| s == needed) {
        return Err(ApiError::insufficient_scope(format!(
            "the access token lacks the `{needed}` scope"
        )));
    }
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
