//! `GET`, `PUT` and `DELETE /register/{ClientId}` (RFC 7592, Open Banking DCR v3.3): over
//! mutual TLS, with the client's registration access token, or an access token the client
//! got for itself by `client_credentials` (the specification's `TPPOAuth2Security`). An update
//! is a signed JWT checked exactly as a registration is, and replaces the metadata.

use axum::body::Body;
use axum::response::Response;
use http::{HeaderMap, StatusCode};

use super::register::{build, view};
use super::request::{self, Checked};
use super::require_certificate;
use crate::error::ApiError;
use crate::state::Shared;
use crate::store::ClientRecord;
use crate::tls::PeerCertificate;
use crate::{auth, respond, secret};

/// RFC 7592 §2.1: the same answer for an unknown client and a wrong token.
fn refused() -> ApiError {
    ApiError::invalid_token("the access token is not valid for this client")
}

/// The bearer token, after the certificate: both are needed.
fn presented<'h>(peer: Option<&PeerCertificate>, headers: &'h HeaderMap) -> Result<&'h str, ApiError> {
    require_certificate(peer, "to manage a client")?;
    auth::token(headers, &["Bearer"]).ok_or_else(|| {
        ApiError::invalid_token(
            "a registration access token (or the client's own access token) is required: Authorization: Bearer",
        )
    })
}

/// Whether `token` opens client `id`: its registration access token, or a live access token
/// issued to it by `client_credentials`.
fn opens(shared: &Shared, record: &ClientRecord, id: &str, token: &str) -> bool {
    record.rat_matches(token)
        || shared
            .grants
            .tokens
            .access(token)
            .is_some_and(|found| found.authorization.client_id == id && found.authorization.sub.is_none())
}

pub(super) fn read(
    shared: &Shared,
    peer: Option<&PeerCertificate>,
    id: &str,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let token = presented(peer, headers)?;
    let rotate = shared.rotation.policy().rat_on_read;
    let shown = shared
        .store
        .update(id, |record| {
            if !opens(shared, record, id, token) {
                return Err(refused());
            }
            if shared.faults.take_lose_rotated_token() {
                return Err(lose_rotated_token(record));
            }
            if rotate {
                record.set_rat(secret::token(32));
                record.touch();
            }
            Ok(view(record))
        })
        .unwrap_or_else(|| Err(refused()))?;
    Ok(respond::json_text(StatusCode::OK, shown))
}

pub(super) async fn update(
    shared: &Shared,
    peer: Option<&PeerCertificate>,
    id: &str,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let token = presented(peer, headers)?;
    // Authenticate before reading the body, so a bad token is a 401 whatever the body holds.
    if shared.store.read(id, |record| opens(shared, record, id, token)) != Some(true) {
        return Err(refused());
    }
    let Checked { metadata, statement } = request::check(shared, headers, body).await?;
    if metadata.get("client_id").is_some_and(|sent| sent.as_str() != Some(id)) {
        return Err(ApiError::invalid_request(
            "client_id in the request does not match the client being updated",
        ));
    }
    let rotate = shared.rotation.policy().rat_on_update;
    let shown = shared
        .store
        .update(id, |record| {
            // Checked again: the token may have rotated while the body was read.
            if !opens(shared, record, id, token) {
                return Err(refused());
            }
            if shared.faults.take_lose_rotated_token() {
                return Err(lose_rotated_token(record));
            }
            let previous = record.metadata();
            record.set_metadata(&build(shared, id, metadata, &statement, Some(&previous)));
            if rotate {
                record.set_rat(secret::token(32));
            }
            record.touch();
            Ok(view(record))
        })
        .unwrap_or_else(|| Err(refused()))?;
    Ok(respond::json_text(StatusCode::OK, shown))
}

pub(super) fn delete(
    shared: &Shared,
    peer: Option<&PeerCertificate>,
    id: &str,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let token = presented(peer, headers)?;
    let removed = shared.store.remove_if(id, |record| {
        if opens(shared, record, id, token) {
            Ok(())
        } else {
            Err(())
        }
    });
    match removed {
        Some(Ok(_)) => Ok(respond::no_content()),
        _ => Err(refused()),
    }
}

/// The `LoseRotatedToken` fault: the token rotates, and the answer carrying it is lost.
fn lose_rotated_token(record: &mut ClientRecord) -> ApiError {
    record.set_rat(secret::token(32));
    record.touch();
    ApiError::server_error("injected fault: the registration access token was rotated and the response lost")
}
