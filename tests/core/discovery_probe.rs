use registrar_core::profile::UpdateSecret;
use registrar_core::{ProbeOptions, ProviderKind, RegistrationAuthFinding, SecretInAnswer};
use registrar_mock_op::Dialect;
use registrar_tests::{Harness, Keychain};

#[tokio::test]
async fn discovery_finds_each_dialects_endpoints_and_proposes_a_profile() {
    for dialect in Dialect::PLAIN {
        let h = Harness::start(dialect).await;
        let d = h
            .registrar
            .discover(&h.mock.issuer(), &Default::default())
            .await
            .unwrap_or_else(|e| panic!("{dialect}: {e}"));
        assert_eq!(
            d.registration_endpoint.as_deref(),
            Some(h.mock.registration_endpoint().as_str()),
            "{dialect}"
        );
        assert_eq!(
            d.token_endpoint.as_deref(),
            Some(h.mock.token_endpoint().as_str()),
            "{dialect}"
        );
        assert!(
            d.grant_types_supported.iter().any(|g| g == "client_credentials"),
            "{dialect}"
        );
        let expected = match dialect {
            Dialect::OpenBanking => unreachable!("openbanking is tested on its own (mutual TLS, signed requests)"),
            Dialect::Wso2 => ProviderKind::Wso2,
            Dialect::Liberty => ProviderKind::Liberty,
            _ => ProviderKind::Generic,
        };
        assert_eq!(d.suggested_kind, expected, "{dialect}");
        let proposed = d.propose_profile("proposed").unwrap();
        assert_eq!(proposed.registration_endpoint, h.mock.registration_endpoint());
    }
}

#[tokio::test]
async fn a_read_only_probe_sends_nothing_that_creates_a_client() {
    for dialect in Dialect::PLAIN {
        let h = Harness::start(dialect).await;
        let steps = std::sync::Mutex::new(Vec::new());
        let report = h
            .registrar
            .probe(h.p(), ProbeOptions::default(), &|s| {
                steps.lock().unwrap().push(s.name.clone())
            })
            .await
            .unwrap();
        assert_eq!(h.mock.admin().client_count(), 0, "{dialect}");
        assert_eq!(report.findings.discovery_found, Some(true), "{dialect}");
        // Read-only, an open provider's 400 for an empty list cannot say "open": only a
        // valid body sent without credentials can (the writing probe does that).
        let expected_auth = match dialect {
            Dialect::Generic | Dialect::Indigo => RegistrationAuthFinding::Unknown,
            Dialect::Wso2 | Dialect::Liberty => RegistrationAuthFinding::Basic,
            Dialect::Soffid | Dialect::SimpleIdServer => RegistrationAuthFinding::Bearer,
            Dialect::OpenBanking => unreachable!("only the plain dialects"),
        };
        assert_eq!(
            report.findings.registration_auth, expected_auth,
            "{dialect}: {:?}",
            report.steps
        );
        assert_eq!(report.cleaned_up, None);
        assert_eq!(
            *steps.lock().unwrap(),
            report.steps.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
            "progress saw every step"
        );
    }
}

#[tokio::test]
async fn a_writing_probe_reports_what_each_dialect_does_and_cleans_up() {
    for dialect in Dialect::PLAIN {
        let h = Harness::start(dialect).await;
        let report = h
            .registrar
            .probe(h.p(), ProbeOptions { allow_writes: true }, &|_| {})
            .await
            .unwrap();
        let f = &report.findings;
        let ctx = format!("{dialect}: {:#?}", report.steps);
        let expected_auth = match dialect {
            Dialect::Generic | Dialect::Indigo => RegistrationAuthFinding::None,
            Dialect::Wso2 | Dialect::Liberty => RegistrationAuthFinding::Basic,
            Dialect::Soffid | Dialect::SimpleIdServer => RegistrationAuthFinding::Bearer,
            Dialect::OpenBanking => unreachable!("only the plain dialects"),
        };
        assert_eq!(f.registration_auth, expected_auth, "{ctx}");
        assert_eq!(f.registration_auth_disagreement, None, "{ctx}");
        match dialect {
            Dialect::OpenBanking => unreachable!("openbanking is tested on its own (mutual TLS, signed requests)"),
            Dialect::Soffid => {
                assert_eq!(f.register_status, Some(200), "{ctx}");
                assert_eq!(
                    (f.offers_read, f.offers_update, f.offers_delete),
                    (Some(true), Some(false), Some(false)),
                    "{ctx}"
                );
                assert_eq!(report.cleaned_up, Some(false), "{ctx}");
                assert!(
                    report
                        .cleanup_note
                        .as_deref()
                        .unwrap()
                        .contains("still on the provider"),
                    "{ctx}"
                );
            }
            Dialect::Wso2 => {
                assert_eq!(
                    (f.offers_read, f.offers_update, f.offers_delete),
                    (Some(false), Some(false), Some(true)),
                    "{ctx}"
                );
                assert!(
                    f.fields_rewritten.contains(&"client_name".to_string()),
                    "owner prefix: {ctx}"
                );
                assert_eq!(f.delete_deletes, None, "cannot be confirmed without a read: {ctx}");
                assert_eq!(report.cleaned_up, Some(true), "{ctx}");
            }
            Dialect::Liberty => {
                assert_eq!(f.secret_on_read, Some(SecretInAnswer::Masked), "{ctx}");
                assert_eq!(report.suggested_settings.update_secret, UpdateSecret::SendMask);
                assert_eq!(f.delete_deletes, Some(true), "{ctx}");
            }
            Dialect::SimpleIdServer => {
                assert!(f.fields_added.len() > 10, "vendor defaults: {ctx}");
                assert!(
                    !f.fields_rewritten.contains(&"scope".to_string()),
                    "reordering is not a rewrite: {ctx}"
                );
                assert_eq!(f.delete_deletes, Some(true), "{ctx}");
            }
            Dialect::Generic | Dialect::Indigo => {
                assert_eq!(f.register_status, Some(201), "{ctx}");
                assert_eq!(
                    (f.offers_read, f.offers_update, f.offers_delete),
                    (Some(true), Some(true), Some(true)),
                    "{ctx}"
                );
                assert_eq!(f.delete_deletes, Some(true), "{ctx}");
                assert_eq!(f.rotates_token_on_read, Some(false), "{ctx}");
            }
        }
        if dialect != Dialect::Soffid {
            assert_eq!(h.mock.admin().client_count(), 0, "{ctx}");
            assert_eq!(report.cleaned_up, Some(true), "{ctx}");
        }
        if dialect == Dialect::Generic {
            assert_eq!(f.update_needs_full_metadata, Some(true), "RFC 7592 replaces: {ctx}");
        }
    }
}

#[tokio::test]
async fn the_probe_sees_rotation_switched_on_and_off() {
    for rotate in [false, true] {
        let h = Harness::with(Dialect::Generic, Keychain::Memory, |c| {
            c.rotate_rat_on_read = rotate;
            c.rotate_rat_on_update = rotate;
        })
        .await;
        let report = h
            .registrar
            .probe(h.p(), ProbeOptions { allow_writes: true }, &|_| {})
            .await
            .unwrap();
        let ctx = format!("{:#?}", report.steps);
        assert_eq!(report.findings.rotates_token_on_read, Some(rotate), "{ctx}");
        assert_eq!(report.findings.rotates_token_on_update, Some(rotate), "{ctx}");
        assert_eq!(report.cleaned_up, Some(true), "{ctx}");
    }
}
