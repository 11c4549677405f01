//! An Open Banking UK ASPSP, after the Dynamic Client Registration specification v3.3:
//!
//! - everything over mutual TLS: registration, management and the token endpoint answer 401
//!   `invalid_client` to a connection that presented no client certificate;
//! - registration (`POST /register`) is a JWT (`application/jwt`) signed by the software's key,
//!   carrying a software statement (SSA) signed by a directory the provider trusts
//!   ([`crate::MockConfig::trusted_directory_jwks`], [`crate::AdminHandle::trust_directory`]);
//! - clients hold keys and certificates, never secrets: `private_key_jwt`, `tls_client_auth`
//!   (subject DN) or `self_signed_tls_client_auth` (the certificate's key in their JWK Set);
//! - RFC 7592 management at `/register/{ClientId}` with the registration access token (or an
//!   access token the client got by `client_credentials`, as the specification's
//!   `TPPOAuth2Security` has it); updates are signed JWTs too;
//! - access tokens issued over mutual TLS are bound to the certificate (RFC 8705 §3).

mod discovery;
mod errors;
mod manage;
mod register;
mod request;
mod statement;
mod token_auth;

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use http::HeaderMap;
use serde_json::{Map, Value};

pub(crate) use discovery::advertise;
pub(crate) use token_auth::authenticate_client;

use super::DialectTable;
use crate::body::BodyRules;
use crate::error::ApiError;
use crate::extract::{ClientId, Peer};
use crate::state::Shared;
use crate::tls::PeerCertificate;

/// The token endpoint authentication methods Open Banking allows.
pub(crate) const AUTH_METHODS: [&str; 3] = ["private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth"];
/// The JWS algorithms Open Banking allows (requests, statements, client assertions).
pub(crate) const ALGORITHMS: &[jsonwebtoken::Algorithm] =
    &[jsonwebtoken::Algorithm::PS256, jsonwebtoken::Algorithm::ES256];

pub(super) static TABLE: DialectTable = DialectTable {
    routes,
    new_client: register::new_client,
    // Registration bodies are JWTs, read by this module; the rules only cover admin bodies.
    body: BodyRules::METADATA_ERRORS,
};

fn routes(shared: &Shared) -> Router<Arc<Shared>> {
    let registration = shared.urls.path(&shared.urls.registration).to_owned();
    let management = get(
        |State(shared): State<Arc<Shared>>, peer: Peer, ClientId(id): ClientId, headers: HeaderMap| async move {
            manage::read(&shared, peer.certificate(), &id, &headers)
        },
    )
    .put(
        |State(shared): State<Arc<Shared>>,
         peer: Peer,
         ClientId(id): ClientId,
         headers: HeaderMap,
         body: Body| async move { manage::update(&shared, peer.certificate(), &id, &headers, body).await },
    )
    .delete(
        |State(shared): State<Arc<Shared>>, peer: Peer, ClientId(id): ClientId, headers: HeaderMap| async move {
            manage::delete(&shared, peer.certificate(), &id, &headers)
        },
    );
    Router::new()
        .route(
            &registration,
            post(
                |State(shared): State<Arc<Shared>>, peer: Peer, headers: HeaderMap, body: Body| async move {
                    register::register(&shared, peer.certificate(), &headers, body).await
                },
            ),
        )
        .route(&format!("{registration}/{{client_id}}"), management)
}

/// Mutual TLS is the transport of every Open Banking call: without a client certificate the
/// answer says so, rather than failing the handshake.
pub(crate) fn require_certificate<'p>(
    peer: Option<&'p PeerCertificate>,
    what: &str,
) -> Result<&'p PeerCertificate, ApiError> {
    peer.ok_or_else(|| {
        ApiError::invalid_client_because(format!(
            "a client certificate (mutual TLS) is required {what}; connect with the software's transport certificate"
        ))
    })
}

/// A string claim or field.
fn text<'m>(map: &'m Map<String, Value>, name: &str) -> Option<&'m str> {
    map.get(name).and_then(Value::as_str)
}
