//! The random values of an authorization request: PKCE (RFC 7636, S256 only), `state`
//! (RFC 6749 §10.12) and `nonce` (OpenID Connect Core §3.1.2.1), all from oauth2's CSPRNG
//! and URL-safe (base64url without padding).

use crate::secret::Secret;
use oauth2::{CsrfToken, PkceCodeChallenge};

/// A PKCE pair: the verifier stays with Registrar until the code exchange, the challenge
/// goes in the authorization URL.
#[derive(Debug, Clone)]
pub struct Pkce {
    /// The `code_verifier` (43 characters from 32 random bytes).
    pub verifier: Secret,
    /// The `code_challenge`: BASE64URL(SHA-256(verifier)).
    pub challenge: String,
}

impl Pkce {
    /// The only `code_challenge_method` Registrar uses.
    pub const METHOD: &'static str = "S256";

    /// A new random pair.
    pub fn new_s256() -> Self {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        Self {
            verifier: Secret::new(verifier.secret().as_str()),
            challenge: challenge.as_str().to_string(),
        }
    }
}

/// A new `state`: 32 random bytes, base64url.
pub fn new_state() -> String {
    CsrfToken::new_random_len(32).secret().clone()
}

/// A new `nonce`: 32 random bytes, base64url.
pub fn new_nonce() -> String {
    CsrfToken::new_random_len(32).secret().clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn url_safe(s: &str) -> bool {
        s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    }

    #[test]
    fn values_are_fresh_url_safe_and_the_challenge_is_the_verifiers_hash() {
        let (a, b) = (new_state(), new_state());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(url_safe(&a) && url_safe(&new_nonce()));
        let pkce = Pkce::new_s256();
        assert!(url_safe(pkce.verifier.expose()) && pkce.verifier.expose().len() >= 43);
        let expected = oauth2::PkceCodeChallenge::from_code_verifier_sha256(&oauth2::PkceCodeVerifier::new(
            pkce.verifier.expose().to_string(),
        ));
        assert_eq!(pkce.challenge, expected.as_str());
        let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&pkce.challenge)
            .unwrap();
        assert_eq!(decoded.len(), 32, "a SHA-256 digest");
        assert_ne!(Pkce::new_s256().challenge, pkce.challenge);
    }
}
