//! The admin API over HTTP (`/_admin/...`), for curl users and other processes. No
//! authentication: the mock is meant for loopback. Not counted, and never faulted.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::error::ApiError;
use crate::extract::ClientId;
use crate::state::Shared;
use crate::{body, AdminHandle, Fault, ResourceFault};

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_admin/clients", get(list))
        .route("/_admin/clients/{client_id}", get(show).patch(patch).delete(remove))
        .route("/_admin/faults", post(inject).delete(clear))
        .route("/_admin/rotation", post(rotation))
        .route(
            "/_admin/resource_faults",
            get(resource_faults)
                .post(set_resource_faults)
                .delete(clear_resource_faults),
        )
        .route("/_admin/signing_key", get(signing_key).post(rotate_signing_key))
        .route("/_admin/stats", get(stats))
        .route(
            "/_admin/directory_jwks",
            get(directory_jwks).post(trust_directory).delete(distrust_directory),
        )
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
}

fn admin(shared: &Arc<Shared>) -> AdminHandle {
    AdminHandle::new(Arc::clone(shared))
}

fn unknown() -> ApiError {
    ApiError::not_found("no client with this id")
}

async fn list(State(shared): State<Arc<Shared>>) -> Json<Vec<Value>> {
    Json(admin(&shared).list_clients())
}

async fn show(State(shared): State<Arc<Shared>>, ClientId(id): ClientId) -> Result<Json<Value>, ApiError> {
    admin(&shared).get_client(&id).map(Json).ok_or_else(unknown)
}

async fn patch(
    State(shared): State<Arc<Shared>>,
    ClientId(id): ClientId,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    let fields: Map<String, Value> = parse(&shared, &headers, body).await?;
    let handle = admin(&shared);
    if !handle.patch_client(&id, fields) {
        return Err(unknown());
    }
    handle.get_client(&id).map(Json).ok_or_else(unknown)
}

async fn remove(State(shared): State<Arc<Shared>>, ClientId(id): ClientId) -> Result<StatusCode, ApiError> {
    if admin(&shared).remove_client(&id) {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(unknown())
    }
}

async fn inject(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Result<StatusCode, ApiError> {
    let fault: Fault = parse(&shared, &headers, body).await?;
    admin(&shared).inject(fault);
    Ok(StatusCode::NO_CONTENT)
}

async fn clear(State(shared): State<Arc<Shared>>) -> StatusCode {
    admin(&shared).clear_faults();
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct RotationSwitches {
    #[serde(default)]
    rat_on_read: bool,
    #[serde(default)]
    rat_on_update: bool,
    #[serde(default)]
    secret_on_read: bool,
}

async fn rotation(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Result<StatusCode, ApiError> {
    let switches: RotationSwitches = parse(&shared, &headers, body).await?;
    admin(&shared).set_rotation(switches.rat_on_read, switches.rat_on_update, switches.secret_on_read);
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct ResourceFaultSwitches {
    faults: Vec<ResourceFault>,
}

fn resource_fault_state(handle: &AdminHandle) -> Json<Value> {
    Json(json!({ "faults": handle.resource_faults() }))
}

/// The resource faults switched on: `{"faults": ["no-pkce", ...]}`.
async fn resource_faults(State(shared): State<Arc<Shared>>) -> Json<Value> {
    resource_fault_state(&admin(&shared))
}

/// Switches exactly the listed resource faults on; answers as a GET would afterwards.
async fn set_resource_faults(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    let switches: ResourceFaultSwitches = parse(&shared, &headers, body).await?;
    let handle = admin(&shared);
    handle.set_resource_faults(&switches.faults);
    Ok(resource_fault_state(&handle))
}

async fn clear_resource_faults(State(shared): State<Arc<Shared>>) -> StatusCode {
    admin(&shared).set_resource_faults(&[]);
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct KeyRotation {
    /// Keep publishing the old keys (a rollover) or withdraw them at once.
    #[serde(default = "keep_by_default")]
    keep_previous: bool,
}

fn keep_by_default() -> bool {
    true
}

/// The current signing key's kid and the published JWK Set.
async fn signing_key(State(shared): State<Arc<Shared>>) -> Json<Value> {
    let handle = admin(&shared);
    Json(json!({"kid": handle.signing_kid(), "jwks": handle.jwks()}))
}

/// Rotates the signing key; answers as a GET would afterwards.
async fn rotate_signing_key(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    let rotation: KeyRotation = parse(&shared, &headers, body).await?;
    let handle = admin(&shared);
    let kid = handle.rotate_signing_key(rotation.keep_previous);
    Ok(Json(json!({"kid": kid, "jwks": handle.jwks()})))
}

/// The trusted directory's JWK Set, or 404 when none is trusted.
async fn directory_jwks(State(shared): State<Arc<Shared>>) -> Result<Json<Value>, ApiError> {
    admin(&shared)
        .trusted_directory()
        .map(Json)
        .ok_or_else(|| ApiError::not_found("no directory is trusted"))
}

/// Trusts a directory: the body is its JWK Set (`{"keys": [...]}`, each key with a `kid`).
async fn trust_directory(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Body,
) -> Result<StatusCode, ApiError> {
    let jwks: Value = parse(&shared, &headers, body).await?;
    let usable = jwks
        .get("keys")
        .and_then(Value::as_array)
        .is_some_and(|keys| keys.iter().all(|key| key.get("kid").is_some_and(Value::is_string)));
    if !usable {
        return Err(ApiError::invalid_request(
            "the body must be a JWK Set: {\"keys\": [...]}, every key with a kid",
        ));
    }
    admin(&shared).trust_directory(jwks);
    Ok(StatusCode::NO_CONTENT)
}

async fn distrust_directory(State(shared): State<Arc<Shared>>) -> StatusCode {
    admin(&shared).distrust_directory();
    StatusCode::NO_CONTENT
}

async fn stats(State(shared): State<Arc<Shared>>) -> Response {
    let handle = admin(&shared);
    Json(json!({
        "dialect": shared.dialect,
        "client_count": handle.client_count(),
        "request_count": handle.request_count(),
    }))
    .into_response()
}

/// A JSON body into `T`, with the same size cap and JSON errors as the provider API.
async fn parse<T: serde::de::DeserializeOwned>(
    shared: &Shared,
    headers: &HeaderMap,
    body: Body,
) -> Result<T, ApiError> {
    let bytes = body::read_capped(headers, body, shared.max_body_bytes).await?;
    serde_json::from_slice(&bytes).map_err(|e| ApiError::invalid_request(format!("invalid JSON: {e}")))
}
