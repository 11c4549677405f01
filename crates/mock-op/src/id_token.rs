//! ID tokens (OIDC Core §2, §3.1.3.6): signed with the current key from [`crate::signing_keys`],
//! and spoiled on demand by the injected faults (wrong issuer, bad signature, already
//! expired) so a relying party's checks can be seen failing.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::clock;
use crate::faults::IdTokenFault;
use crate::grants::Authorization;
use crate::signing_keys::corrupt_signature;
use crate::state::Shared;

/// The issuer a spoiled token claims.
const WRONG_ISSUER: &str = "https://wrong-issuer.invalid";

pub(crate) fn issue(shared: &Shared, authorization: &Authorization, access_token: &str) -> String {
    let fault = shared.faults.take_id_token_fault();
    let now = clock::unix_seconds();
    let (iat, exp) = match fault {
        Some(IdTokenFault::Expired) => (now.saturating_sub(7200), now.saturating_sub(3600)),
        _ => (now, now.saturating_add(shared.timing.id_token.as_secs())),
    };
    let issuer = match fault {
        Some(IdTokenFault::WrongIssuer) => WRONG_ISSUER,
        _ => shared.urls.issuer.as_str(),
    };
    let mut claims = json!({
        "iss": issuer,
        "sub": authorization.sub.as_deref().unwrap_or_default(),
        "aud": authorization.client_id,
        "azp": authorization.client_id,
        "exp": exp,
        "iat": iat,
        "at_hash": half_hash(access_token),
    });
    if let Value::Object(map) = &mut claims {
        if let Some(auth_time) = authorization.auth_time {
            map.insert("auth_time".into(), auth_time.min(iat).into());
        }
        if let Some(nonce) = &authorization.nonce {
            map.insert("nonce".into(), nonce.clone().into());
        }
        if let Some(acr) = &authorization.acr {
            map.insert("acr".into(), acr.clone().into());
        }
    }
    let jws = shared.signing_keys.sign(&claims);
    match fault {
        Some(IdTokenFault::BadSignature) => corrupt_signature(&jws),
        _ => jws,
    }
}

/// OIDC Core §3.1.3.6 `at_hash` (and §3.3.2.11 `c_hash`, which the code flow never needs):
/// the left half of the SHA-256 of the token, base64url.
fn half_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..digest.len() / 2])
}

#[cfg(test)]
mod tests {
    use super::half_hash;

    #[test]
    fn at_hash_is_the_left_half_of_sha256() {
        // SHA-256("abc") begins ba7816bf8f01cfea414140de5dae2223.
        assert_eq!(half_hash("abc"), "ungWv48Bz-pBQUDeXa4iIw");
    }
}
