//! Plain RFC 7591 + RFC 7592, the reference the other dialects bend. Registration takes an
//! optional initial access token (required when configured so).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use http::{HeaderMap, StatusCode};

use crate::error::ApiError;
use crate::extract::ClientId;
use crate::registration::{self, Flavor};
use crate::state::Shared;
use crate::{auth, secret};

pub(super) static FLAVOR: Flavor = Flavor {
    created: StatusCode::CREATED,
    new_client_id: |_| secret::token(16),
    new_secret: || secret::token(32),
    new_rat: |_, _| secret::token(32),
    client_uri: |shared, id| format!("{}/{id}", shared.urls.registration),
    finish: Flavor::no_defaults,
    secret_expires_at: true,
    issued_at: true,
    rat_schemes: &["Bearer"],
    read_reveals: true,
};

pub(super) fn routes(shared: &Shared) -> Router<Arc<Shared>> {
    let path = shared.urls.path(&shared.urls.registration);
    Router::new().route(path, post(register)).route(
        &format!("{path}/{{client_id}}"),
        axum::routing::get(read).put(update).delete(delete),
    )
}

async fn register(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    check_initial_token(&shared, &headers)?;
    registration::register(&shared, &FLAVOR, &headers, body).await
}

/// RFC 7591 §3: an initial access token is checked when sent, and required when configured.
fn check_initial_token(shared: &Shared, headers: &HeaderMap) -> Result<(), ApiError> {
    if !shared.require_initial_token && !auth::present(headers) {
        return Ok(());
    }
    let expected = shared.credentials.initial_access_token.as_deref();
    match (auth::token(headers, &["Bearer"]), expected) {
        (Some(presented), Some(expected)) if secret::same(presented, expected) => Ok(()),
        (None, _) => Err(ApiError::invalid_token("an initial access token is required")),
        _ => Err(ApiError::invalid_token("the initial access token is not valid")),
    }
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
