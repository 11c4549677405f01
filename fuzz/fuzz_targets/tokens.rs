//! Any token endpoint answer: explaining its tokens (decoding, times, the ID token's checks
//! against a JWK Set) must never panic, and what is shown must never hold a token itself.
//! Input: a token; or a JWK Set on the first line, then the token.
#![no_main]

use libfuzzer_sys::fuzz_target;
use registrar_core::tokens::{explain_token_response, Expectations, TokenSet};
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (jwks, token) = match text.split_once('\n') {
        Some((first, rest)) if first.starts_with('{') => (serde_json::from_str::<Value>(first).ok(), rest),
        _ => (Some(default_jwks()), text),
    };
    let algs = ["RS256".to_owned(), "ES256".to_owned(), "EdDSA".to_owned()];
    let expected = Expectations {
        nonce: Some("n-0S6_WzA2Mj"),
        code: Some("a-code"),
        signing_algs_supported: Some(&algs),
        max_age: Some(3600),
        client_secret: Some("a client secret"),
        ..Expectations::new("https://op.example", "s6BhdRkqt3")
    };
    let tokens = TokenSet {
        access_token: Some(token),
        id_token: Some(token),
        refresh_token: Some(token),
    };
    let explained = explain_token_response(tokens, expected, jwks.as_ref(), 1_800_000_000);
    let shown = serde_json::to_string(&explained).expect("an explanation serialises");
    if token.len() >= 16 {
        assert!(!shown.contains(token), "a token is in the explanation");
    }
});

/// Keys of each kind verified: RFC 7515 A.2 (RSA) and A.3 (P-256), RFC 8037 (Ed25519).
fn default_jwks() -> Value {
    json!({"keys": [
        {"kty": "RSA", "kid": "rsa", "e": "AQAB", "n": "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"},
        {"kty": "EC", "kid": "ec", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},
        {"kty": "OKP", "kid": "ed", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
    ]})
}
