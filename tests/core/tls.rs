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

/// Review item 1: over HTTPS, a provider that reads the whole registration and then
/// closes the TLS session cleanly (or cuts its answer short) may have created the client.
/// The error must say so and the journal entry stay open for recovery, whatever words
/// ("mtls", "tls", "certificate") the URL or the error text holds.
#[tokio::test]
async fn after_the_request_was_written_a_tls_close_or_a_short_body_may_have_applied_it() {
    let cut_short =
        b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"client_id\":\"c"
            .to_vec();
    for answer in [Vec::new(), cut_short] {
        let server = registrar_tests::tls_proxy::TlsFaultServer::start(answer.clone()).await;
        let local = registrar_tests::local::Local::new();
        let mut p = registrar_core::Profile::new(
            "mtls",
            registrar_core::ProviderKind::Generic,
            format!("{}/mtls/tls-certificate-handshake/register", server.base_url),
        );
        p.tls.ca_certificate_pem = Some(server.ca_pem.clone());
        let p = local.registrar.save_profile(&p, &Default::default()).unwrap();
        let err = local
            .registrar
            .register(&p.id, web_client("tls fault"))
            .await
            .unwrap_err();
        let what = if answer.is_empty() { "clean close" } else { "short body" };
        assert!(
            matches!(
                err,
                Error::Network {
                    maybe_applied: true,
                    ..
                }
            ),
            "{what}: the request was sent, so it may have been applied: {err:?}"
        );
        assert_eq!(server.requests.load(std::sync::atomic::Ordering::SeqCst), 1, "{what}");
        let pending = local.registrar.unresolved().unwrap();
        assert_eq!(pending.len(), 1, "{what}: the registration is pending recovery");
    }
}

/// A certificate refused during the handshake: nothing was sent, and the journal says so.
#[tokio::test]
async fn a_refused_certificate_is_a_tls_error_and_nothing_is_pending() {
    let server = registrar_tests::tls_proxy::TlsFaultServer::start(Vec::new()).await;
    let local = registrar_tests::local::Local::new();
    let p = local.profile(
        "untrusted",
        registrar_core::ProviderKind::Generic,
        None,
        &format!("{}/register", server.base_url),
        None,
    );
    let err = local
        .registrar
        .register(&p.id, web_client("untrusted"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Tls { .. }), "{err:?}");
    assert_eq!(server.requests.load(std::sync::atomic::Ordering::SeqCst), 0);
    assert!(local.registrar.unresolved().unwrap().is_empty());
}

/// Review items 8 and 9: discovery skips certificate checks only on loopback, and never
/// reads a document in clear text from another machine; nothing is sent either way.
#[tokio::test]
async fn discovery_refuses_unchecked_tls_and_plain_http_past_loopback() {
    let local = registrar_tests::local::Local::new();
    let unchecked = registrar_core::profile::TlsOptions {
        accept_invalid_certificates: true,
        ..Default::default()
    };
    let err = local
        .registrar
        .discover("https://idp.example.org", &unchecked)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Validation(f) if f[0].field == "issuer"),
        "{err:?}"
    );
    let err = local
        .registrar
        .discover("http://idp.example.org", &Default::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("must use https"), "{err}");
    assert!(
        local.registrar.history(&Default::default()).unwrap().is_empty(),
        "nothing was sent"
    );
}
