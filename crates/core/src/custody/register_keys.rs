//! Registering a client with keys in custody: their public halves go in the metadata
//! (`jwks`, with `x5c` for a certified key), a certificate's subject fills
//! `tls_client_auth_subject_dn`, and once the provider has issued the client id the keys
//! are bound to the new client (its private_key_jwt and mutual TLS use them from then on).

use super::keys::KeyRecord;
use crate::error::{Error, Result};
use crate::metadata::{ClientMetadata, TLS_SUBJECT_FIELDS};
use crate::ops::{RegisterOutcome, Registrar};
use serde_json::{json, Value};

impl Registrar {
    /// Registers a client carrying the keys `kids` of the profile's custody, and binds them
    /// to it. A `jwks_uri` in the metadata is kept (the keys must be published there); else
    /// the keys go inline in `jwks`. For `tls_client_auth`, the first certified key's
    /// subject fills `tls_client_auth_subject_dn` unless a subject field is set.
    pub async fn register_with_keys(
        &self,
        profile: &str,
        metadata: ClientMetadata,
        kids: &[String],
    ) -> Result<RegisterOutcome> {
        let profile = self.store.profile(profile)?;
        let keys: Vec<KeyRecord> = kids
            .iter()
            .map(|kid| self.key(&profile.id, kid))
            .collect::<Result<_>>()?;
        if let Some(bound) = keys.iter().find(|k| k.client_id.is_some()) {
            return Err(Error::field(
                "keys",
                format!(
                    "key {} already belongs to client {}; generate a new key for a new client",
                    bound.kid,
                    bound.client_id.as_deref().unwrap_or_default()
                ),
            ));
        }
        let metadata = with_keys(metadata, &keys);
        let outcome = self.register_with(&profile, metadata).await?;
        let client_id = outcome.registration.client_id.clone();
        for key in &keys {
            // The client exists now; a key left unbound would still be in custody and
            // could be bound by hand, so a failure here is reported, not hidden.
            self.bind_key(&profile.id, &key.kid, Some(&client_id))?;
        }
        Ok(outcome)
    }
}

/// The metadata with the keys' public halves and a certificate's subject filled in.
pub(crate) fn with_keys(mut metadata: ClientMetadata, keys: &[KeyRecord]) -> ClientMetadata {
    if keys.is_empty() {
        return metadata;
    }
    if metadata.get("jwks_uri").is_none() {
        let jwks: Vec<Value> = keys.iter().map(|k| k.public_jwk.clone()).collect();
        metadata.set("jwks", json!({ "keys": jwks }));
    }
    if metadata.str("token_endpoint_auth_method") == Some("tls_client_auth")
        && !TLS_SUBJECT_FIELDS.iter().any(|f| metadata.get(f).is_some())
    {
        if let Some(cert) = keys.iter().find_map(|k| k.certificate.as_ref()) {
            for (field, value) in cert.registration_fields("tls_client_auth") {
                metadata.set(field, value);
            }
        }
    }
    metadata
}
