//! Liberty management with the admin's Basic credentials: read (and HEAD), update with
//! Liberty's `client_secret` convention, delete; `If-Match` is honoured where sent.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::response::Response;
use http::{HeaderMap, StatusCode};
use serde_json::{Map, Value};

use super::register::{fill, new_secret};
use super::{authorize, if_match_allows, masked, with_etag};
use crate::error::ApiError;
use crate::extract::ClientId;
use crate::registration::{require_client_id, uses_secret};
use crate::state::Shared;
use crate::{body, respond, validate};

fn unknown() -> ApiError {
    ApiError::not_found("no client with this id")
}

/// GET, and HEAD through axum (same headers, body dropped).
pub(super) async fn read(
    State(shared): State<Arc<Shared>>,
    ClientId(id): ClientId,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    authorize(&shared, &headers)?;
    let found = if shared.rotation.policy().secret_on_read {
        // A rotated secret is shown unmasked, or the client could never learn it.
        shared.store.update(&id, |record| {
            if record.secret().is_none() {
                return (masked(record), record.etag());
            }
            let mut meta = record.metadata();
            meta.insert("client_secret".into(), new_secret().into());
            record.set_metadata(&meta);
            record.touch();
            (meta, record.etag())
        })
    } else {
        shared.store.read(&id, |record| (masked(record), record.etag()))
    };
    let (view, etag) = found.ok_or_else(unknown)?;
    Ok(with_etag(StatusCode::OK, &view, &etag))
}

/// PUT: full metadata with `client_id`. `client_secret` `"*"` (or absent) keeps the secret,
/// `""` makes a new one (shown in this response only), anything else sets it.
pub(super) async fn update(
    State(shared): State<Arc<Shared>>,
    ClientId(id): ClientId,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    authorize(&shared, &headers)?;
    precondition(&shared, &id, &headers)?;
    let sent = body::json_object(&headers, body, shared.max_body_bytes, shared.body_rules).await?;
    require_client_id(&sent, &id)?;
    validate::client_metadata(&sent, &shared.rules)?;
    let (view, etag) = shared
        .store
        .update(&id, |record| {
            // Checked again: the client may have changed while the body was read.
            if !if_match_allows(&headers, &record.etag()) {
                return Err(ApiError::precondition_failed());
            }
            let (secret, reveal) = match sent.get("client_secret").and_then(Value::as_str) {
                None | Some("*") => (record.secret().unwrap_or_else(new_secret), false),
                Some("") => (new_secret(), true),
                Some(chosen) => (chosen.to_owned(), false),
            };
            let with_secret = uses_secret(&sent);
            let meta = replaced(&record.metadata(), sent, &id, with_secret.then_some(secret));
            record.set_metadata(&meta);
            record.touch();
            let view = if reveal { meta } else { masked(record) };
            Ok((view, record.etag()))
        })
        .ok_or_else(unknown)??;
    Ok(with_etag(StatusCode::OK, &view, &etag))
}

pub(super) async fn delete(
    State(shared): State<Arc<Shared>>,
    ClientId(id): ClientId,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    authorize(&shared, &headers)?;
    let removed = shared.store.remove_if(&id, |record| {
        if if_match_allows(&headers, &record.etag()) {
            Ok(())
        } else {
            Err(ApiError::precondition_failed())
        }
    });
    match removed {
        None => Err(unknown()),
        Some(Err(refusal)) => Err(refusal),
        Some(Ok(_)) => Ok(respond::no_content()),
    }
}

/// Unknown client and a stale `If-Match` are reported before the body is read.
fn precondition(shared: &Shared, id: &str, headers: &HeaderMap) -> Result<(), ApiError> {
    match shared.store.read(id, |record| if_match_allows(headers, &record.etag())) {
        None => Err(unknown()),
        Some(false) => Err(ApiError::precondition_failed()),
        Some(true) => Ok(()),
    }
}

/// The server-assigned fields carried over, everything else from the body and the defaults.
fn replaced(
    previous: &Map<String, Value>,
    sent: Map<String, Value>,
    id: &str,
    secret: Option<String>,
) -> Map<String, Value> {
    let mut meta = Map::new();
    for kept in [
        "client_id_issued_at",
        "registration_client_uri",
        "client_secret_expires_at",
    ] {
        if let Some(value) = previous.get(kept) {
            meta.insert(kept.into(), value.clone());
        }
    }
    fill(&mut meta, sent, id, secret);
    meta
}
