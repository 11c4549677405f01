//! Signed registration requests (Open Banking UK DCR) whose signature the provider could not
//! verify: the signing key is in neither the request's `jwks` nor the statement's
//! `software_jwks`, and nothing names a URL where the provider could find it. Refused before
//! anything is sent; with the key in the request's `jwks`, the same registration goes.

use crate::openbanking::{new_key, Bank};
use registrar_core::Error;
use serde_json::json;

#[tokio::test]
async fn a_request_signed_by_a_key_the_provider_cannot_find_is_not_sent() {
    let bank = Bank::open("p256", "ES256").await;
    let r = bank.r();
    let p = bank.p();
    // A signing key made after the statement: its software_jwks does not hold it.
    let late = r
        .generate_key(p, &new_key("p256", "ES256", "late signing key"))
        .unwrap();
    let mut profile = r.profile(p).unwrap();
    profile.signing.request_signing_key = Some(late.kid.clone());
    r.save_profile(&profile, &Default::default()).unwrap();
    let client_key = r.generate_key(p, &new_key("p256", "ES256", "client")).unwrap();

    let before = bank.requests();
    let e = r
        .register(p, bank.key_client(&client_key))
        .await
        .expect_err("the provider could not verify the request");
    let text = e.to_string();
    assert!(
        matches!(e, Error::Validation(_) | Error::Config { .. }),
        "refused locally: {e:?}"
    );
    assert!(text.contains(&late.kid) && text.contains("nothing was sent"), "{text}");
    assert_eq!(bank.requests(), before, "nothing reached the bank");

    // The request's own jwks may carry it (Open Banking: a key rotated into the client).
    let mut metadata = bank.key_client(&client_key);
    metadata.set(
        "jwks",
        json!({ "keys": [client_key.public_jwk.clone(), late.public_jwk.clone()] }),
    );
    let registered = r
        .register(p, metadata)
        .await
        .unwrap_or_else(|e| panic!("with the key in jwks: {e}"));
    assert_eq!(registered.status, 201);
}
