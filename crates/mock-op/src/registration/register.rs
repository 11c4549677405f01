//! RFC 7591 §3: registering a client.

use axum::body::Body;
use axum::response::Response;
use http::HeaderMap;
use serde_json::{Map, Value};

use super::record::{append_sent, uses_secret};
use super::Flavor;
use crate::error::ApiError;
use crate::state::Shared;
use crate::store::ClientRecord;
use crate::{body, clock, respond, validate};

/// Parses, validates and stores a registration; answers with the full record and its token.
/// The caller has authenticated the request.
pub(crate) async fn register(
    shared: &Shared,
    flavor: &Flavor,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let sent = body::json_object(headers, body, shared.max_body_bytes, shared.body_rules).await?;
    validate::client_metadata(&sent, &shared.rules)?;
    let (id, record) = new_client(shared, flavor, sent);
    let view = with_token(&record);
    if !shared.store.insert(id, record) {
        return Err(ApiError::server_error("client id collision, try again"));
    }
    Ok(respond::json_text(flavor.created, view))
}

/// A new client from validated metadata, not yet stored.
pub(crate) fn new_client(shared: &Shared, flavor: &Flavor, sent: Map<String, Value>) -> (String, ClientRecord) {
    let id = (flavor.new_client_id)(shared);
    let mut meta = Map::new();
    meta.insert("client_id".into(), id.clone().into());
    if uses_secret(&sent) {
        meta.insert("client_secret".into(), (flavor.new_secret)().into());
        if flavor.secret_expires_at {
            meta.insert("client_secret_expires_at".into(), 0.into());
        }
    }
    if flavor.issued_at {
        meta.insert("client_id_issued_at".into(), clock::unix_seconds().into());
    }
    meta.insert(
        "registration_client_uri".into(),
        (flavor.client_uri)(shared, &id).into(),
    );
    append_sent(&mut meta, sent);
    (flavor.finish)(&mut meta, None);
    let rat = (flavor.new_rat)(shared, &id);
    (id, ClientRecord::new(&meta, Some(rat)))
}

/// The stored metadata plus the current registration access token, as JSON text.
pub(super) fn with_token(record: &ClientRecord) -> String {
    match &record.rat {
        Some(rat) => record.json_with("registration_access_token", rat),
        None => record.json().to_owned(),
    }
}
