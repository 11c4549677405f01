//! TLS: certificates are checked by default, a profile's own CA is trusted when given,
//! and "accept invalid certificates" works only for loopback hosts.

use registrar_core::Error;
use registrar_mock_op::Dialect;
use registrar_tests::tls_proxy::TlsProxy;
use registrar_tests::{web_client, Harness};

#[tokio::test]
async fn a_private_ca_is_refused_by_default_and_trusted_when_given() {
    let mut h = Harness::start(Dialect::Generic).await;
    let upstream = h.mock.base_url().trim_start_matches("http://").to_string();
    let proxy = TlsProxy::start(upstream).await;
    h.profile.registration_endpoint = format!("{}/register", proxy.base_url);
    h.registrar.save_profile(&h.profile, &Default::default()).unwrap();

    let err = h.registrar.register(h.p(), web_client("tls")).await.unwrap_err();
    assert!(matches!(err, Error::Tls { .. }), "an unknown CA is refused: {err:?}");
    assert_eq!(h.mock.admin().client_count(), 0, "nothing reached the provider");

    h.profile.tls.ca_certificate_pem = Some(proxy.ca_pem.clone());
    h.registrar.save_profile(&h.profile, &Default::default()).unwrap();
    h.registrar
        .register(h.p(), web_client("tls"))
        .await
        .expect("trusted through the profile's CA");

    h.profile.tls.ca_certificate_pem = None;
    h.profile.tls.accept_invalid_certificates = true;
    h.registrar
        .save_profile(&h.profile, &Default::default())
        .expect("allowed for localhost");
    h.registrar
        .register(h.p(), web_client("tls"))
        .await
        .expect("unchecked, on loopback only");

    h.profile.registration_endpoint = "https://idp.example.org/register".into();
    let err = h.registrar.save_profile(&h.profile, &Default::default()).unwrap_err();
    assert!(
        matches!(&err, Error::Validation(f) if f[0].field == "tls.accept_invalid_certificates"),
        "{err:?}"
    );
}
