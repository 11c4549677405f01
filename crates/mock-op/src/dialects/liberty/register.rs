//! Liberty registration: the client may pick its `client_id` and `client_secret`; everything
//! else it leaves out gets the documented defaults.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::response::Response;
use http::{HeaderMap, StatusCode};
use serde_json::{json, Map, Value};

use super::{authorize, with_etag};
use crate::error::ApiError;
use crate::registration::{uses_secret, SERVER_ONLY};
use crate::state::Shared;
use crate::store::ClientRecord;
use crate::{body, clock, secret, validate};

pub(super) async fn register(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    authorize(&shared, &headers)?;
    let sent = body::json_object(&headers, body, shared.max_body_bytes, shared.body_rules).await?;
    validate::client_metadata(&sent, &shared.rules)?;
    check_chosen_id(&sent)?;
    let (id, record) = new_client(&shared, sent);
    // The one response that shows the real secret.
    let view = record.metadata();
    let etag = record.etag();
    if !shared.store.insert(id.clone(), record) {
        return Err(ApiError::invalid_client_metadata(format!(
            "client_id {id} is already registered"
        )));
    }
    Ok(with_etag(StatusCode::CREATED, &view, &etag))
}

/// A chosen client id becomes a path segment of `registration_client_uri`.
fn check_chosen_id(sent: &Map<String, Value>) -> Result<(), ApiError> {
    let Some(id) = sent.get("client_id").and_then(Value::as_str) else {
        return Ok(());
    };
    let valid = id.len() <= 256
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'));
    if valid {
        Ok(())
    } else {
        Err(ApiError::invalid_client_metadata(
            "client_id may only use letters, digits, '-', '_', '.' and '~' (at most 256)",
        ))
    }
}

/// A new client from validated metadata, not yet stored.
pub(in crate::dialects) fn new_client(shared: &Shared, sent: Map<String, Value>) -> (String, ClientRecord) {
    let id = match sent.get("client_id").and_then(Value::as_str) {
        Some(chosen) if !chosen.is_empty() => chosen.to_owned(),
        _ => secret::uuid_simple(),
    };
    let secret = match sent.get("client_secret").and_then(Value::as_str) {
        Some(chosen) if !chosen.is_empty() && chosen != "*" => chosen.to_owned(),
        _ => new_secret(),
    };
    let mut meta = Map::new();
    meta.insert("client_id_issued_at".into(), clock::unix_seconds().into());
    meta.insert(
        "registration_client_uri".into(),
        format!("{}/{id}", shared.urls.registration).into(),
    );
    meta.insert("client_secret_expires_at".into(), 0.into());
    let with_secret = uses_secret(&sent);
    fill(&mut meta, sent, &id, with_secret.then_some(secret));
    (id, ClientRecord::new(&meta, None))
}

pub(super) fn new_secret() -> String {
    secret::alphanumeric(60)
}

/// Appends what the client sent (output-only fields are ignored, as Liberty documents them),
/// the id and secret, then the defaults for whatever is still missing.
pub(super) fn fill(meta: &mut Map<String, Value>, sent: Map<String, Value>, id: &str, secret: Option<String>) {
    for (key, value) in sent {
        if key != "client_id" && key != "client_secret" && !SERVER_ONLY.contains(&key.as_str()) {
            meta.insert(key, value);
        }
    }
    meta.insert("client_id".into(), id.into());
    if let Some(secret) = secret {
        meta.insert("client_secret".into(), secret.into());
    }
    let defaults = json!({
        "client_name": id,
        "application_type": "web",
        "response_types": ["code"],
        "grant_types": ["authorization_code"],
        "token_endpoint_auth_method": "client_secret_basic",
    });
    if let Value::Object(defaults) = defaults {
        for (key, value) in defaults {
            if !meta.contains_key(&key) {
                meta.insert(key, value);
            }
        }
    }
}
