//! Rotating the key of a client that authenticates with its certificate
//! (`self_signed_tls_client_auth`), against the mock's openbanking dialect: the client's
//! own certificate (not the profile's transport certificate) is presented and binds its
//! tokens; a rotation gives the new key a certificate like the old one, so the update
//! carries both keys with `x5c`, the new certificate authenticates during the overlap and
//! after the old key is gone.

use crate::openbanking::{new_key, Bank};
use registrar_core::custody::{kids, CertificateSubject, NewKey};
use registrar_tests::meta;
use serde_json::json;

/// How long old and new keys are both published in a rotation: long enough for a busy
/// machine to send the update within it.
const OVERLAP_SECS: i64 = 5;

#[tokio::test]
async fn a_self_signed_certificate_client_rotates_into_a_new_certificate() {
    let bank = Bank::open("p256", "ES256").await;
    let r = bank.r();
    let p = bank.p();
    let admin = bank.h.mock.admin();

    let key = r.generate_key(p, &new_key("p256", "ES256", "client mtls")).unwrap();
    let subject = CertificateSubject {
        common_name: "client, self-signed".into(),
        organization: Some("Registrar Tests".into()),
        organizational_unit: Some("0015800001041RHAAY".into()),
        country: Some("GB".into()),
        dns_names: vec![],
    };
    let key = r.self_signed_certificate(p, &key.kid, &subject, 90).unwrap();
    let old_certificate = key.certificate.clone().unwrap();
    let registered = r
        .register(
            p,
            meta(json!({
                "token_endpoint_auth_method": "self_signed_tls_client_auth",
                "grant_types": ["client_credentials"],
                "response_types": [],
                "scope": "openid accounts",
                "tls_client_certificate_bound_access_tokens": true,
                "jwks": { "keys": [key.public_jwk.clone()] },
            })),
        )
        .await
        .unwrap_or_else(|e| panic!("registration: {e}"));
    let id = registered.registration.client_id.clone();
    r.bind_key(p, &key.kid, Some(&id)).unwrap();

    // The client's own certificate authenticates and binds the token, not the transport's.
    let bound = bank.try_and_introspect(&id).await;
    assert_eq!(bound, old_certificate.x5t_s256);
    assert_ne!(bound, bank.transport.certificate.as_ref().unwrap().x5t_s256);

    let rotated = r
        .rotate_client_key(p, &id, &NewKey::default(), OVERLAP_SECS)
        .await
        .unwrap_or_else(|e| panic!("rotate: {e}"));
    let new = rotated.keys[0].clone();
    let new_certificate = new
        .certificate
        .clone()
        .unwrap_or_else(|| panic!("the new key of a certificate client gets one: {:?}", rotated.notes));
    assert!(new_certificate.self_signed);
    assert_eq!(
        new_certificate.subject_dn, old_certificate.subject_dn,
        "the same subject"
    );
    assert!(
        (new_certificate.not_after - new_certificate.not_before)
            .abs_diff(old_certificate.not_after - old_certificate.not_before)
            < 86_400,
        "the same validity"
    );
    let held = admin.get_client(&id).unwrap()["jwks"].clone();
    let mut both = vec![key.kid.clone(), new.kid.clone()];
    both.sort();
    let mut on_provider = kids(&held);
    on_provider.sort();
    assert_eq!(on_provider, both);
    assert!(
        held["keys"].as_array().unwrap().iter().all(|k| k["x5c"].is_array()),
        "each key carries its certificate: {held}"
    );
    assert_eq!(
        bank.try_and_introspect(&id).await,
        new_certificate.x5t_s256,
        "the new one now"
    );

    tokio::time::sleep(std::time::Duration::from_millis(OVERLAP_SECS as u64 * 1000 + 100)).await;
    r.finish_key_rotation(p, &id)
        .await
        .unwrap_or_else(|e| panic!("finish: {e}"));
    assert_eq!(kids(&admin.get_client(&id).unwrap()["jwks"]), vec![new.kid.clone()]);
    assert_eq!(bank.try_and_introspect(&id).await, new_certificate.x5t_s256);
    assert_eq!(r.delete(p, &id).await.unwrap().status, 204);
}
