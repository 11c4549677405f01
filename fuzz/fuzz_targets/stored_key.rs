//! A private key as the keychain gives it back (`PrivateKey::from_storage`: PEM, or an RSA
//! key's exponent and primes): whatever another program or a damaged entry left there must
//! be refused or read, never panic (the RSA arithmetic does not check its inputs); a key it
//! reads is stored again as the same key, and signing with it succeeds or fails with an
//! error (a "prime" that is not one passes every check short of a signature, which ring
//! verifies before it lets one out).
#![no_main]

use libfuzzer_sys::fuzz_target;
use registrar_keys::{jws, PrivateKey, RSA_PRIMES};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // Both forms: as given, and as the primes form's body.
    for candidate in [text.to_string(), format!("{RSA_PRIMES}{text}")] {
        let Ok(key) = PrivateKey::from_storage(&candidate) else { continue };
        let alg = key.kind().default_alg();
        let _ = jws::sign(&key, alg, Some("k"), None, &serde_json::json!({"a": 1}));
        let again = PrivateKey::from_storage(&key.to_storage()).expect("a stored key reads back");
        assert_eq!(again.thumbprint(), key.thumbprint());
    }
});
