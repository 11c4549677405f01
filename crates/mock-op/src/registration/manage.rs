//! RFC 7592: reading, updating and deleting a client at its `registration_client_uri`,
//! authenticated by its registration access token. Token checks and changes happen inside one
//! store critical section, so a token rotated by a concurrent call is never accepted.

use axum::body::Body;
use axum::response::Response;
use http::{HeaderMap, StatusCode};
use serde_json::{Map, Value};

use super::record::{append_sent, uses_secret, SERVER_ONLY};
use super::register::with_token;
use super::Flavor;
use crate::error::ApiError;
use crate::state::Shared;
use crate::store::ClientRecord;
use crate::{auth, body, respond, secret, validate};

/// RFC 7592 §2.1: the same answer for an unknown client and a wrong token.
fn refused() -> ApiError {
    ApiError::invalid_token("the registration access token is not valid for this client")
}

fn presented<'h>(headers: &'h HeaderMap, flavor: &Flavor) -> Result<&'h str, ApiError> {
    auth::token(headers, flavor.rat_schemes)
        .ok_or_else(|| ApiError::invalid_token("a registration access token is required (Authorization: Bearer)"))
}

/// RFC 7592 §2.1 read.
pub(crate) fn read(shared: &Shared, flavor: &Flavor, id: &str, headers: &HeaderMap) -> Result<Response, ApiError> {
    let token = presented(headers, flavor)?;
    let policy = shared.rotation.policy();
    let view = shared
        .store
        .update(id, |record| {
            if !record.rat_matches(token) {
                return Err(refused());
            }
            if shared.faults.take_lose_rotated_token() {
                return Err(lose_rotated_token(shared, flavor, id, record));
            }
            if policy.rat_on_read {
                record.set_rat((flavor.new_rat)(shared, id));
            }
            let new_secret = policy.secret_on_read && flavor.read_reveals && record.secret().is_some();
            if new_secret {
                record.edit_metadata(|meta| {
                    meta.insert("client_secret".into(), (flavor.new_secret)().into());
                });
            }
            if policy.rat_on_read || new_secret {
                record.touch();
            }
            Ok(read_view(record, flavor, policy.rat_on_read))
        })
        .unwrap_or_else(|| Err(refused()))?;
    Ok(respond::json_text(StatusCode::OK, view))
}

/// RFC 7592 §2.2 update: the body replaces the metadata entirely.
pub(crate) async fn update(
    shared: &Shared,
    flavor: &Flavor,
    id: &str,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let token = presented(headers, flavor)?;
    // Authenticate before reading the body, so a bad token is a 401 whatever the body holds.
    if shared.store.read(id, |record| record.rat_matches(token)) != Some(true) {
        return Err(refused());
    }
    let sent = body::json_object(headers, body, shared.max_body_bytes, shared.body_rules).await?;
    check_update_body(&sent, id)?;
    validate::client_metadata(&sent, &shared.rules)?;
    let policy = shared.rotation.policy();
    let view = shared
        .store
        .update(id, |record| {
            // Checked again: the token may have rotated while the body was read.
            if !record.rat_matches(token) {
                return Err(refused());
            }
            if let Some(sent_secret) = sent.get("client_secret").and_then(Value::as_str) {
                if !record
                    .secret()
                    .is_some_and(|current| secret::same(sent_secret, &current))
                {
                    return Err(ApiError::invalid_request(
                        "client_secret does not match the current secret (RFC 7592 §2.2)",
                    ));
                }
            }
            if shared.faults.take_lose_rotated_token() {
                return Err(lose_rotated_token(shared, flavor, id, record));
            }
            let previous = record.metadata();
            record.set_metadata(&replaced(shared, flavor, id, &previous, sent));
            if policy.rat_on_update {
                record.set_rat((flavor.new_rat)(shared, id));
            }
            record.touch();
            Ok(with_token(record))
        })
        .unwrap_or_else(|| Err(refused()))?;
    Ok(respond::json_text(StatusCode::OK, view))
}

/// RFC 7592 §2.3 delete.
pub(crate) fn delete(shared: &Shared, flavor: &Flavor, id: &str, headers: &HeaderMap) -> Result<Response, ApiError> {
    let token = presented(headers, flavor)?;
    let removed = shared
        .store
        .remove_if(id, |record| if record.rat_matches(token) { Ok(()) } else { Err(()) });
    match removed {
        Some(Ok(_)) => Ok(respond::no_content()),
        _ => Err(refused()),
    }
}

/// RFC 7592 §2.2: the full metadata with the client's own `client_id`, and none of the
/// fields only the server sets.
fn check_update_body(sent: &Map<String, Value>, id: &str) -> Result<(), ApiError> {
    if let Some(field) = SERVER_ONLY.iter().find(|field| sent.contains_key(**field)) {
        return Err(ApiError::invalid_request(format!(
            "{field} must not be sent in an update (RFC 7592 §2.2)"
        )));
    }
    require_client_id(sent, id)
}

/// An update names the client it updates, in its body.
pub(crate) fn require_client_id(sent: &Map<String, Value>, id: &str) -> Result<(), ApiError> {
    match sent.get("client_id") {
        Some(Value::String(sent_id)) if sent_id == id => Ok(()),
        Some(_) => Err(ApiError::invalid_request(
            "client_id in the body does not match the client being updated",
        )),
        None => Err(ApiError::invalid_request(
            "an update must carry the full metadata, including client_id",
        )),
    }
}

/// The new metadata: server-assigned fields carried over, everything else from the body.
fn replaced(
    shared: &Shared,
    flavor: &Flavor,
    id: &str,
    previous: &Map<String, Value>,
    sent: Map<String, Value>,
) -> Map<String, Value> {
    let mut meta = Map::new();
    meta.insert("client_id".into(), id.into());
    if uses_secret(&sent) {
        let secret = previous
            .get("client_secret")
            .cloned()
            .unwrap_or_else(|| (flavor.new_secret)().into());
        meta.insert("client_secret".into(), secret);
        if flavor.secret_expires_at {
            let expires = previous.get("client_secret_expires_at").cloned();
            meta.insert("client_secret_expires_at".into(), expires.unwrap_or_else(|| 0.into()));
        }
    }
    for kept in ["client_id_issued_at", "registration_client_uri"] {
        if let Some(value) = previous.get(kept) {
            meta.insert(kept.into(), value.clone());
        }
    }
    if !meta.contains_key("registration_client_uri") {
        meta.insert("registration_client_uri".into(), (flavor.client_uri)(shared, id).into());
    }
    append_sent(&mut meta, sent);
    (flavor.finish)(&mut meta, Some(previous));
    meta
}

/// A read's view (JSON text): the full record, or for Soffid the record without its secrets
/// (a rotated token must still be shown, or it would be lost).
fn read_view(record: &ClientRecord, flavor: &Flavor, rotated: bool) -> String {
    if flavor.read_reveals {
        return with_token(record);
    }
    let mut view = record.metadata();
    view.shift_remove("client_secret");
    if rotated {
        if let Some(rat) = &record.rat {
            view.insert("registration_access_token".into(), rat.as_ref().into());
        }
    }
    Value::Object(view).to_string()
}

/// The `LoseRotatedToken` fault: the token rotates, and the answer carrying it is lost.
fn lose_rotated_token(shared: &Shared, flavor: &Flavor, id: &str, record: &mut ClientRecord) -> ApiError {
    record.set_rat((flavor.new_rat)(shared, id));
    record.touch();
    ApiError::server_error("injected fault: the registration access token was rotated and the response lost")
}
