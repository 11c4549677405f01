//! Client authentication at the token (and introspection, revocation, device) endpoints of an
//! Open Banking provider: always over mutual TLS, and by the method the client registered:
//!
//! - `private_key_jwt`: a client assertion signed (PS256 or ES256) with one of its keys;
//! - `tls_client_auth` (RFC 8705 §2.1): the certificate's subject DN is the registered
//!   `tls_client_auth_subject_dn`;
//! - `self_signed_tls_client_auth` (RFC 8705 §2.2): the certificate's public key is one of the
//!   client's registered keys (`jwks` or `jwks_uri`).
//!
//! Secrets are never accepted: these clients have none.

use http::HeaderMap;
use serde_json::Value;

use super::{require_certificate, text, ALGORITHMS};
use crate::client_auth::{describe, field, Client};
use crate::error::ApiError;
use crate::state::Shared;
use crate::tls::PeerCertificate;
use crate::{auth, certificate, client_assertion, jose};

pub(crate) async fn authenticate_client(
    shared: &Shared,
    headers: &HeaderMap,
    form: &[(String, String)],
    peer: Option<&PeerCertificate>,
) -> Result<Client, ApiError> {
    let peer = require_certificate(peer, "at this endpoint")?;
    if auth::present(headers) || field(form, "client_secret").is_some() {
        return Err(ApiError::invalid_client_because(
            "clients of this provider have no secret: authenticate with private_key_jwt, tls_client_auth or self_signed_tls_client_auth",
        ));
    }
    let asserted = client_assertion::present(form);
    let id = if asserted {
        client_assertion::verify(shared, form, ALGORITHMS).await?
    } else {
        field(form, "client_id")
            .filter(|id| !id.is_empty())
            .ok_or_else(|| ApiError::invalid_client_because("client_id (or a client_assertion) is required"))?
            .to_owned()
    };
    let (client, meta) = shared
        .store
        .read(&id, |record| (describe(&id, record), record.metadata()))
        .ok_or_else(|| ApiError::invalid_client_because(format!("no client {id}")))?;
    let method = text(&meta, "token_endpoint_auth_method").unwrap_or("private_key_jwt");
    match (method, asserted) {
        ("private_key_jwt", true) => Ok(client),
        ("private_key_jwt", false) => Err(ApiError::invalid_client_because(
            "the client is registered for private_key_jwt: send client_assertion and client_assertion_type",
        )),
        (method, true) => Err(ApiError::invalid_client_because(format!(
            "the client is registered for {method}, not private_key_jwt: authenticate with its certificate alone"
        ))),
        ("tls_client_auth", false) => {
            let registered = text(&meta, "tls_client_auth_subject_dn").unwrap_or_default();
            if certificate::subject_matches(peer.der(), registered) {
                Ok(client)
            } else {
                let presented = certificate::subject_dn(peer.der()).unwrap_or_else(|| "(unreadable)".to_owned());
                Err(ApiError::invalid_client_because(format!(
                    "tls_client_auth: the certificate's subject DN {presented} is not the registered tls_client_auth_subject_dn {registered}"
                )))
            }
        }
        ("self_signed_tls_client_auth", false) => {
            let keys = jose::client_keys(&meta)
                .await
                .map_err(|why| ApiError::invalid_client_because(format!("self_signed_tls_client_auth: {why}")))?;
            let matches = keys
                .get("keys")
                .and_then(Value::as_array)
                .is_some_and(|keys| keys.iter().any(|key| certificate::key_matches_jwk(peer.der(), key)));
            if matches {
                Ok(client)
            } else {
                Err(ApiError::invalid_client_because(
                    "self_signed_tls_client_auth: the certificate's public key is none of the client's registered keys (jwks / jwks_uri)",
                ))
            }
        }
        (method, false) => Err(ApiError::invalid_client_because(format!(
            "the client's token_endpoint_auth_method {method} is not one this provider accepts"
        ))),
    }
}
