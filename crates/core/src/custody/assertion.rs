//! `private_key_jwt` (RFC 7523 §2.2, OpenID Connect Core §9): a fresh assertion signed with
//! a key in custody for every request.

use crate::error::Result;
use crate::oauth::ClientAssertionSigner;
use crate::secret::Secret;
use registrar_keys::{jws, Alg, PrivateKey};
use serde_json::json;
use std::fmt;

/// How long an assertion is valid: long enough for a slow provider, short enough that a
/// copy is worth little (FAPI asks for no more than 60 seconds between iat and exp).
const LIFETIME_SECS: i64 = 60;

/// Signs client assertions with one key.
pub struct StoredKeySigner {
    key: PrivateKey,
    alg: Alg,
    kid: String,
}

impl fmt::Debug for StoredKeySigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StoredKeySigner({} {})", self.alg, self.kid)
    }
}

impl StoredKeySigner {
    /// A signer with `key` as `alg`, naming `kid` in the header.
    pub fn new(key: PrivateKey, alg: Alg, kid: impl Into<String>) -> Self {
        Self {
            key,
            alg,
            kid: kid.into(),
        }
    }

    /// The key id it signs with.
    pub fn kid(&self) -> &str {
        &self.kid
    }
}

impl ClientAssertionSigner for StoredKeySigner {
    fn assertion(&self, client_id: &str, audience: &str) -> Result<Secret> {
        let iat = super::keys::now();
        let claims = json!({
            "iss": client_id,
            "sub": client_id,
            "aud": audience,
            "jti": uuid::Uuid::new_v4().to_string(),
            "iat": iat,
            "exp": iat + LIFETIME_SECS,
        });
        Ok(Secret::new(jws::sign(
            &self.key,
            self.alg,
            Some(&self.kid),
            None,
            &claims,
        )?))
    }
}
