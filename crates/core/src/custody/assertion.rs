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
    /// The `aud` of every assertion; `None`: the URL each request goes to.
    audience: Option<String>,
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
            audience: None,
        }
    }

    /// Names `audience` (the provider's issuer) as every assertion's `aud`, whatever
    /// endpoint it goes to. FAPI (1 Advanced §5.2.2, 2.0) and Open Banking servers must
    /// accept the issuer everywhere, while many accept only the token endpoint or the issuer:
    /// an introspection or revocation call with its own URL as `aud` would be refused there.
    pub fn with_audience(mut self, audience: Option<String>) -> Self {
        self.audience = audience.filter(|a| !a.is_empty());
        self
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
            "aud": self.audience.as_deref().unwrap_or(audience),
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

#[cfg(test)]
mod tests {
    use super::*;
    use registrar_keys::KeyKind;

    fn claims(signer: &StoredKeySigner, url: &str) -> serde_json::Value {
        let jwt = signer.assertion("client-1", url).unwrap();
        jws::peek(jwt.expose()).unwrap().claims
    }

    #[test]
    fn the_audience_is_the_url_called_unless_one_is_named() {
        let key = PrivateKey::generate(KeyKind::P256, 2048).unwrap();
        let signer = StoredKeySigner::new(key, Alg::ES256, "k1");
        let at = claims(&signer, "https://op.example/introspect");
        assert_eq!(at["aud"], "https://op.example/introspect");
        assert_eq!(
            (at["iss"].as_str(), at["sub"].as_str()),
            (Some("client-1"), Some("client-1"))
        );
        assert_eq!(at["exp"].as_i64().unwrap() - at["iat"].as_i64().unwrap(), LIFETIME_SECS);

        let key = PrivateKey::generate(KeyKind::P256, 2048).unwrap();
        let signer = StoredKeySigner::new(key, Alg::ES256, "k1").with_audience(Some("https://op.example".into()));
        assert_eq!(
            claims(&signer, "https://op.example/introspect")["aud"],
            "https://op.example"
        );
        assert_eq!(claims(&signer, "https://op.example/token")["aud"], "https://op.example");
    }
}
