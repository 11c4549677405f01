//! `POST /register`: a checked request becomes a client with no secret. What the statement
//! says fills what the request left out: `software_id`, `client_name` (from
//! `software_client_name`) and the keys (`jwks_uri` from `software_jwks_endpoint`, or `jwks`
//! from `software_jwks`), as Open Banking ASPSPs do.

use axum::body::Body;
use axum::response::Response;
use http::{HeaderMap, StatusCode};
use serde_json::{json, Map, Value};

use super::request::{self, Checked};
use super::require_certificate;
use super::statement::Statement;
use crate::error::ApiError;
use crate::registration::SERVER_ONLY;
use crate::state::Shared;
use crate::store::{ClientRecord, Metadata};
use crate::tls::PeerCertificate;
use crate::{clock, respond, secret};

pub(super) async fn register(
    shared: &Shared,
    peer: Option<&PeerCertificate>,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    require_certificate(peer, "to register")?;
    let Checked { metadata, statement } = request::check(shared, headers, body).await?;
    let id = secret::uuid();
    let record = ClientRecord::new(&build(shared, &id, metadata, &statement, None), Some(secret::token(32)));
    let view = view(&record);
    if !shared.store.insert(id, record) {
        return Err(ApiError::server_error("client id collision, try again"));
    }
    Ok(respond::json_text(StatusCode::CREATED, view))
}

/// The stored metadata: server fields (kept from `previous` on update), then what was sent,
/// then what the statement supplies.
pub(super) fn build(
    shared: &Shared,
    id: &str,
    sent: Map<String, Value>,
    statement: &Statement,
    previous: Option<&Metadata>,
) -> Metadata {
    let mut meta = Map::new();
    meta.insert("client_id".into(), id.into());
    let issued_at = previous
        .and_then(|p| p.get("client_id_issued_at").cloned())
        .unwrap_or_else(|| clock::unix_seconds().into());
    meta.insert("client_id_issued_at".into(), issued_at);
    meta.insert(
        "registration_client_uri".into(),
        format!("{}/{id}", shared.urls.registration).into(),
    );
    for (key, value) in sent {
        // No secrets here: these clients authenticate with keys and certificates.
        if key != "client_id" && key != "client_secret" && !SERVER_ONLY.contains(&key.as_str()) {
            meta.insert(key, value);
        }
    }
    if !meta.contains_key("software_id") {
        meta.insert("software_id".into(), statement.software_id.clone().into());
    }
    if let (false, Some(name)) = (meta.contains_key("client_name"), &statement.client_name) {
        meta.insert("client_name".into(), name.clone().into());
    }
    if !meta.contains_key("jwks") && !meta.contains_key("jwks_uri") {
        if let Some(endpoint) = &statement.jwks_endpoint {
            meta.insert("jwks_uri".into(), endpoint.clone().into());
        } else if let Some(jwks) = &statement.jwks {
            meta.insert("jwks".into(), jwks.clone());
        }
    }
    meta
}

/// The record as JSON text, with its registration access token.
pub(super) fn view(record: &ClientRecord) -> String {
    match &record.rat {
        Some(rat) => record.json_with("registration_access_token", rat),
        None => record.json().to_owned(),
    }
}

/// A seed client, as a registration with a statement for `tls_client_auth` would make it.
pub(super) fn new_client(shared: &Shared, mut sent: Map<String, Value>) -> (String, ClientRecord) {
    let id = secret::uuid();
    let software_id = secret::alphanumeric(18);
    sent.insert("token_endpoint_auth_method".into(), "tls_client_auth".into());
    sent.insert(
        "tls_client_auth_subject_dn".into(),
        format!("CN={software_id},OU=seed,O=Registrar mock,C=GB").into(),
    );
    let statement = Statement {
        software_id,
        redirect_uris: Vec::new(),
        jwks: Some(json!({"keys": []})),
        jwks_endpoint: None,
        client_name: None,
    };
    let meta = build(shared, &id, sent, &statement, None);
    (id.clone(), ClientRecord::new(&meta, Some(secret::token(32))))
}
