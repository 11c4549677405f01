//! Keys: generated or imported into the keychain, listed, published as a JWK Set, bound to
//! a client, retired after an overlap, exported only on request, deleted.

use super::certificates::CertificateRecord;
use crate::error::{Error, Result};
use crate::ops::Registrar;
use crate::profile::Profile;
use crate::secret::Secret;
use crate::secrets::{Labels, SecretKey};
use crate::store::custody::KeyRow;
use crate::ProfileId;
use registrar_keys::{Alg, KeyKind, PrivateKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A key in a profile's custody: the public half and what is known about it. The private
/// half is in the keychain only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct KeyRecord {
    /// The profile holding it.
    pub profile_id: ProfileId,
    /// Its id: the RFC 7638 thumbprint of the public key (or the id an imported JWK carried).
    pub kid: String,
    /// `p256`, `rsa` or `ed25519`.
    pub kind: String,
    /// The algorithm it signs with (`ES256`, `PS256`, `RS256`, `EdDSA`).
    pub alg: String,
    /// The public key as a JWK (with `x5c` once it has a certificate).
    pub public_jwk: Value,
    /// The client it belongs to; `None` for the profile's own key.
    pub client_id: Option<String>,
    /// What the user calls it.
    pub label: Option<String>,
    /// When it came into custody (seconds since the epoch).
    pub created_at: i64,
    /// When it stops being published and used; `None` while it has no end.
    pub retire_at: Option<i64>,
    /// Its certificate, when it has one.
    pub certificate: Option<CertificateRecord>,
}

impl KeyRecord {
    /// Whether it is still published and used at `now`.
    pub fn is_active(&self, now: i64) -> bool {
        self.retire_at.is_none_or(|t| t > now)
    }

    /// The algorithm, parsed.
    pub fn algorithm(&self) -> Result<Alg> {
        Ok(self.alg.parse()?)
    }

    fn from_row(profile_id: &ProfileId, row: KeyRow) -> Result<Self> {
        let certificate = row
            .certificate_pem
            .as_deref()
            .map(CertificateRecord::from_pem)
            .transpose()?;
        Ok(Self {
            profile_id: profile_id.clone(),
            public_jwk: serde_json::from_str(&row.public_jwk).map_err(|e| Error::Storage(e.to_string()))?,
            kid: row.kid,
            kind: row.kind,
            alg: row.alg,
            client_id: row.client_id,
            label: row.label,
            created_at: row.created_at,
            retire_at: row.retire_at,
            certificate,
        })
    }
}

/// What a new key is for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct NewKey {
    /// `p256` (the default), `rsa` or `ed25519`; ignored on import (the key says).
    pub kind: Option<String>,
    /// The algorithm; the kind's default (ES256, PS256, EdDSA) when `None`.
    pub alg: Option<String>,
    /// RSA modulus size (default 2048, at least 2048).
    pub rsa_bits: Option<u32>,
    /// The client it belongs to; `None` for the profile's own.
    pub client_id: Option<String>,
    /// What the user calls it.
    pub label: Option<String>,
}

fn kind_name(kind: KeyKind) -> &'static str {
    match kind {
        KeyKind::P256 => "p256",
        KeyKind::Rsa => "rsa",
        KeyKind::Ed25519 => "ed25519",
    }
}

/// A key a profile setting names but custody no longer holds, said as the setting's problem
/// (the profile must change) rather than a missing record.
pub(crate) fn missing_as_setting(e: Error, setting: &str, kid: &str, purpose: &str) -> Error {
    match e {
        Error::NotFound { .. } => Error::config(
            setting,
            format!("names key {kid}, which is no longer in custody; choose another key to {purpose}, or none"),
        ),
        other => other,
    }
}

/// Seconds since the epoch: the store's clock, so retirement times and the rows they are
/// compared with agree.
pub(crate) use crate::store::now;

impl Registrar {
    /// Generates a key in `profile`'s custody: the private half goes to the keychain first,
    /// then the public half is recorded. Nothing is kept if the keychain refuses.
    pub fn generate_key(&self, profile: &str, new: &NewKey) -> Result<KeyRecord> {
        let profile = self.store.profile(profile)?;
        let kind: KeyKind = new.kind.as_deref().unwrap_or("p256").parse()?;
        let key = PrivateKey::generate(kind, new.rsa_bits.unwrap_or(2048) as usize)?;
        self.keep_key(&profile, key, new)
    }

    /// Imports a private key (PEM in PKCS#8, SEC1 or PKCS#1, or a private JWK) into
    /// `profile`'s custody. Importing a key already held changes nothing and returns it.
    pub fn import_key(&self, profile: &str, material: &Secret, new: &NewKey) -> Result<KeyRecord> {
        let profile = self.store.profile(profile)?;
        let text = material.expose().trim();
        let key = if text.starts_with('{') {
            let jwk: Value = serde_json::from_str(text)
                .map_err(|e| Error::field("key", format!("neither PEM nor a JWK: the JSON does not parse ({e})")))?;
            PrivateKey::from_jwk(&jwk)?
        } else {
            PrivateKey::from_pem(text)?
        };
        self.keep_key(&profile, key, new)
    }

    fn keep_key(&self, profile: &Profile, key: PrivateKey, new: &NewKey) -> Result<KeyRecord> {
        let alg = match new.alg.as_deref() {
            Some(a) => a.parse()?,
            None => key.kind().default_alg(),
        };
        key.kind().check(alg)?;
        if let Some(client) = &new.client_id {
            // A key for a client the profile does not know would never be used.
            self.store.registration(&profile.id, client)?;
        }
        let public = key.public_jwk(alg);
        let kid = public.kid().to_string();
        if let Some(existing) = self.store.key(&profile.id, &kid)? {
            return KeyRecord::from_row(&profile.id, existing);
        }
        // One keychain entry even for RSA (its primes): one read per signature.
        let stored = key.to_storage();
        let labels = Labels::profile(&profile.name);
        self.secrets.set(
            &SecretKey::private_key(&profile.id, &kid),
            &Secret::new(stored.as_str()),
            &labels,
        )?;
        let row = KeyRow {
            kid: kid.clone(),
            kind: kind_name(key.kind()).into(),
            alg: alg.as_str().into(),
            public_jwk: public.to_value().to_string(),
            client_id: new.client_id.clone(),
            label: new.label.clone().filter(|l| !l.trim().is_empty()),
            certificate_pem: None,
            created_at: now(),
            retire_at: None,
        };
        self.store.insert_key(&profile.id, &row)?;
        self.key(&profile.id, &kid)
    }

    /// One key of a profile.
    pub fn key(&self, profile: &str, kid: &str) -> Result<KeyRecord> {
        let profile = self.store.profile(profile)?;
        let row = self
            .store
            .key(&profile.id, kid)?
            .ok_or_else(|| Error::not_found(format!("key {kid:?} in profile \"{}\"", profile.name)))?;
        KeyRecord::from_row(&profile.id, row)
    }

    /// A profile's keys, oldest first; only a client's when `client_id` is given.
    pub fn keys(&self, profile: &str, client_id: Option<&str>) -> Result<Vec<KeyRecord>> {
        let profile = self.store.profile(profile)?;
        self.store
            .keys(&profile.id, client_id)?
            .into_iter()
            .map(|row| KeyRecord::from_row(&profile.id, row))
            .collect()
    }

    /// The public JWK Set of a client's active keys (or the profile's own, with `None`), as
    /// a registration's `jwks` or a served `jwks_uri` carries it.
    pub fn public_jwks(&self, profile: &str, client_id: Option<&str>) -> Result<Value> {
        let t = now();
        let keys: Vec<Value> = self
            .keys(profile, None)?
            .into_iter()
            .filter(|k| k.is_active(t) && k.client_id.as_deref() == client_id)
            .map(|k| k.public_jwk)
            .collect();
        Ok(serde_json::json!({ "keys": keys }))
    }

    /// The private key, PKCS#8 PEM, for the user who asked for it explicitly.
    pub fn export_private_key(&self, profile: &str, kid: &str) -> Result<Secret> {
        let record = self.key(profile, kid)?;
        let key = self.private_key(&record.profile_id, kid)?;
        Ok(Secret::new(key.to_pkcs8_pem().as_str()))
    }

    /// The private key, for signing and TLS.
    pub(crate) fn private_key(&self, profile_id: &ProfileId, kid: &str) -> Result<PrivateKey> {
        Ok(PrivateKey::from_storage(
            self.stored_private_key(profile_id, kid)?.expose(),
        )?)
    }

    /// The private half of `kid` as PKCS#8 DER, for rustls, which checks it as it reads it
    /// ([`PrivateKey::pkcs8_der_from_storage`]).
    pub(crate) fn private_key_pkcs8(&self, profile_id: &ProfileId, kid: &str) -> Result<zeroize::Zeroizing<Vec<u8>>> {
        Ok(PrivateKey::pkcs8_der_from_storage(
            self.stored_private_key(profile_id, kid)?.expose(),
        )?)
    }

    /// The private half of `kid` as the keychain keeps it, not yet parsed (see
    /// [`PrivateKey::from_storage`]): for a caller that parses it on another thread.
    pub(crate) fn stored_private_key(&self, profile_id: &ProfileId, kid: &str) -> Result<crate::Secret> {
        self.secrets
            .get_one(&SecretKey::private_key(profile_id, kid))?
            .ok_or_else(|| {
                Error::not_found(format!(
                    "the private half of key {kid:?} in the keychain (it was removed outside Registrar; import the key again)"
                ))
            })
    }

    /// Sets when a key stops being published and used (`None`: never). Rotation sets the
    /// old key's end after the overlap the user chose.
    pub fn retire_key(&self, profile: &str, kid: &str, at: Option<i64>) -> Result<KeyRecord> {
        let record = self.key(profile, kid)?;
        self.store.set_key_retire_at(&record.profile_id, kid, at)?;
        self.key(profile, kid)
    }

    /// Binds a key to a client (or back to the profile, with `None`).
    pub fn bind_key(&self, profile: &str, kid: &str, client_id: Option<&str>) -> Result<KeyRecord> {
        let record = self.key(profile, kid)?;
        if let Some(client) = client_id {
            self.store.registration(&record.profile_id, client)?;
        }
        self.store.set_key_client(&record.profile_id, kid, client_id)?;
        self.key(profile, kid)
    }

    /// Deletes a key: the keychain entry first, so a failure leaves the key usable.
    pub fn delete_key(&self, profile: &str, kid: &str) -> Result<()> {
        let record = self.key(profile, kid)?;
        self.secrets.delete(&SecretKey::private_key(&record.profile_id, kid))?;
        self.store.delete_key(&record.profile_id, kid)?;
        Ok(())
    }
}
