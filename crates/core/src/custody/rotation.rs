//! Rotating a client's keys with overlap: a new key is added and published beside the old
//! ones, the client is updated (through the journalled update) when it carries its keys
//! inline, and the old keys retire after the overlap the user chose; finishing the rotation
//! drops them from the client.

use super::keys::{now, KeyRecord, NewKey};
use crate::error::Result;
use crate::metadata::ClientMetadata;
use crate::ops::{Registrar, SyncOutcome};
use serde::Serialize;
use serde_json::Value;

/// What a rotation step did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct RotationOutcome {
    /// The key added (rotate) or the keys retired (finish).
    pub keys: Vec<KeyRecord>,
    /// The update sent to the provider, when the client carries its keys inline (`jwks`).
    pub update: Option<SyncOutcome>,
    /// What the user should know ("the client publishes its keys at jwks_uri …").
    pub notes: Vec<String>,
}

impl Registrar {
    /// Adds a new key for `client_id` and retires its other active keys `overlap_secs` after
    /// the new key exists. A client registered with `jwks` is updated to carry old and new
    /// keys; one with `jwks_uri` needs no update (its served set now holds the new key).
    pub async fn rotate_client_key(
        &self,
        profile: &str,
        client_id: &str,
        new: &NewKey,
        overlap_secs: i64,
    ) -> Result<RotationOutcome> {
        let t = now();
        let old: Vec<KeyRecord> = self
            .keys(profile, Some(client_id))?
            .into_iter()
            .filter(|k| k.is_active(t))
            .collect();
        let mut request = new.clone();
        request.client_id = Some(client_id.to_string());
        if request.kind.is_none() {
            request.kind = old.last().map(|k| k.kind.clone());
        }
        if request.alg.is_none() {
            request.alg = old.last().map(|k| k.alg.clone());
        }
        let mut added = self.generate_key(profile, &request)?;
        let mut notes = Vec::new();
        // A client that authenticates with its certificate needs one for the new key too:
        // made like the old one when that was self-signed; a CA's is the user's to get.
        if let Some(previous) = old.iter().rev().find_map(|k| k.certificate.as_ref()) {
            if previous.self_signed {
                let days = ((previous.not_after - previous.not_before - 3600) / 86_400).clamp(1, i64::from(u32::MAX));
                added = self.self_signed_certificate(
                    profile,
                    &added.kid,
                    &super::CertificateSubject::like(previous),
                    u32::try_from(days).unwrap_or(1),
                )?;
                let subject = added
                    .certificate
                    .as_ref()
                    .map(|c| c.subject_dn.clone())
                    .unwrap_or_default();
                notes.push(format!(
                    "key {} has a self-signed certificate like the old one's ({subject}); the client's jwks carries it",
                    added.kid
                ));
            } else {
                notes.push(format!(
                    "key {} has no certificate yet: have the CA sign its CSR and import the answer before the old keys retire, or the client cannot authenticate by certificate ({} until then)",
                    added.kid, previous.subject_dn
                ));
            }
        }
        // The overlap counts from now, when the new key exists: generating it (an RSA key on a
        // busy machine takes seconds) must not eat into the time both keys are published.
        let from = now();
        for key in &old {
            self.retire_key(profile, &key.kid, Some(from + overlap_secs.max(0)))?;
        }
        let (update, published) = self.publish_client_keys(profile, client_id).await?;
        notes.extend(published);
        Ok(RotationOutcome {
            keys: vec![added],
            update,
            notes,
        })
    }

    /// Ends the overlap: keys whose retirement time has passed leave the client's `jwks`
    /// (an update) and custody — except a key the profile itself still uses, which stays.
    pub async fn finish_key_rotation(&self, profile: &str, client_id: &str) -> Result<RotationOutcome> {
        let t = now();
        let retired: Vec<KeyRecord> = self
            .keys(profile, Some(client_id))?
            .into_iter()
            .filter(|k| !k.is_active(t))
            .collect();
        let (update, mut notes) = self.publish_client_keys(profile, client_id).await?;
        let settings = self.store.profile(profile)?;
        for key in &retired {
            // A key the profile itself still uses (to sign registrations, or for mutual
            // TLS) stays in custody: deleting it would leave the profile pointing at
            // nothing. The user moves the profile to another key first.
            let uses = [
                (settings.signing.request_signing_key.as_deref() == Some(key.kid.as_str()))
                    .then_some("signs the profile's registrations"),
                (settings.tls.client_certificate.as_deref() == Some(key.kid.as_str()))
                    .then_some("is the profile's mutual TLS certificate"),
            ];
            let uses: Vec<&str> = uses.into_iter().flatten().collect();
            if uses.is_empty() {
                self.delete_key(profile, &key.kid)?;
            } else {
                // Back to the profile's own keys, without an end: the profile's use of it
                // is not the client's to end.
                self.bind_key(profile, &key.kid, None)?;
                self.retire_key(profile, &key.kid, None)?;
                notes.push(format!(
                    "key {} left the client but stays in custody as the profile's own: it {}; point the profile at another key, then delete it",
                    key.kid,
                    uses.join(" and ")
                ));
            }
        }
        if retired.is_empty() {
            notes.push("no key of the client has reached its retirement time".into());
        }
        Ok(RotationOutcome {
            keys: retired,
            update,
            notes,
        })
    }

    /// Sends the client's active public keys to the provider when it carries them inline.
    async fn publish_client_keys(&self, profile: &str, client_id: &str) -> Result<(Option<SyncOutcome>, Vec<String>)> {
        let registration = self.registration(profile, client_id)?;
        let current = registration.metadata_returned.clone();
        if let Some(uri) = current.str("jwks_uri") {
            return Ok((
                None,
                vec![format!(
                    "the client names its keys by jwks_uri ({uri}); nothing was sent: the set published there must now hold the new key (`registrar keys serve` publishes it for local tests)"
                )],
            ));
        }
        let jwks = self.public_jwks(profile, Some(client_id))?;
        if current.get("jwks") == Some(&jwks) {
            return Ok((None, vec!["the client already carries exactly its active keys".into()]));
        }
        let mut desired: ClientMetadata = current;
        desired.set("jwks", jwks.clone());
        let count = jwks["keys"].as_array().map_or(0, Vec::len);
        let outcome = self.update(profile, client_id, desired).await?;
        Ok((
            Some(outcome),
            vec![format!("the client now carries {count} key(s) in jwks")],
        ))
    }
}

/// The `kid`s of a JWK Set, for messages and tests.
pub fn kids(jwks: &Value) -> Vec<String> {
    jwks["keys"]
        .as_array()
        .map(|keys| {
            keys.iter()
                .filter_map(|k| k["kid"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
