//! Certificates that can no longer work: a client's own certificate or the profile's
//! transport certificate past its `notAfter` is refused before anything is sent, in words
//! that name it, rather than presented (or silently swapped for another) and refused by the
//! provider. Against the mock's openbanking dialect over mutual TLS.

use crate::openbanking::{new_key, Bank};
use registrar_core::custody::{CertificateSubject, ExpiringKind};
use registrar_core::{Error, HistoryFilter, TryGrant};
use registrar_tests::custody::TestCa;

fn subject(cn: &str) -> CertificateSubject {
    CertificateSubject {
        common_name: cn.into(),
        organization: Some("Registrar Tests".into()),
        country: Some("GB".into()),
        ..Default::default()
    }
}

/// An expired certificate for a new key of the bank's profile, from a CA: the key's record.
fn expired_certificate(bank: &Bank, cn: &str) -> registrar_core::custody::KeyRecord {
    let r = bank.r();
    let key = r.generate_key(bank.p(), &new_key("p256", "ES256", cn)).expect("a key");
    let csr = r.certificate_request(bank.p(), &key.kid, &subject(cn)).expect("a CSR");
    let ca = TestCa::new("expired test CA");
    let pem = ca.sign_csr_between(&csr, (2020, 1, 1), (2021, 1, 1));
    let key = r
        .import_certificate(bank.p(), &format!("{pem}{}", ca.pem()), Some(&key.kid))
        .expect("an expired certificate is kept, to be seen");
    assert!(
        r.expiring_custody(Some(bank.p()), 0)
            .unwrap()
            .iter()
            .any(|x| x.kind == ExpiringKind::Certificate && x.name == key.kid),
        "it is in the expiring view"
    );
    key
}

#[tokio::test]
async fn a_clients_expired_certificate_is_refused_not_swapped_for_the_profiles() {
    let bank = Bank::open("p256", "ES256").await;
    let r = bank.r();
    let p = bank.p();
    let key = expired_certificate(&bank, "client-expired");
    let certificate = key.certificate.clone().unwrap();
    let mut metadata = bank.certificate_client();
    for (k, v) in certificate.registration_fields("tls_client_auth") {
        metadata.set(k, v);
    }
    let registered = r.register(p, metadata).await.unwrap_or_else(|e| panic!("{e}"));
    let id = registered.registration.client_id.clone();
    r.bind_key(p, &key.kid, Some(&id)).unwrap();

    let e = r
        .try_target(p, &id, Some(TryGrant::ClientCredentials))
        .await
        .expect_err("an expired certificate cannot authenticate");
    let text = e.to_string();
    assert!(
        text.contains("CN=client-expired") && text.contains("expired") && text.contains("nothing was sent"),
        "{text}"
    );
    let token_calls = r
        .history(&HistoryFilter {
            client_id: Some(id.clone()),
            ..Default::default()
        })
        .unwrap()
        .iter()
        .filter(|x| x.url == bank.h.mock.token_endpoint())
        .count();
    assert_eq!(token_calls, 0);
}

#[tokio::test]
async fn an_expired_transport_certificate_is_refused_before_anything_is_sent() {
    let bank = Bank::open("p256", "ES256").await;
    let r = bank.r();
    let p = bank.p();
    let key = expired_certificate(&bank, "transport-expired");
    bank.use_certificate(Some(&key.kid));
    let client_key = r.generate_key(p, &new_key("p256", "ES256", "client")).unwrap();
    let before = bank.requests();
    let e = r
        .register(p, bank.key_client(&client_key))
        .await
        .expect_err("an expired transport certificate");
    let text = e.to_string();
    assert!(
        text.contains("CN=transport-expired") && text.contains("expired") && text.contains("nothing was sent"),
        "{text}"
    );
    assert!(
        !matches!(e, Error::Auth { .. } | Error::Provider { .. }),
        "refused locally: {e:?}"
    );
    assert_eq!(bank.requests(), before, "nothing reached the bank");

    // With a valid one again, the same registration goes through.
    bank.use_certificate(Some(&bank.transport.kid));
    r.register(p, bank.key_client(&client_key))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}
