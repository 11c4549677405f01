use registrar_core::JournalState;
use registrar_core::{Error, RegistrationStatus};
use registrar_mock_op::{Dialect, Fault};
use registrar_tests::{web_client, Harness, Wire};

#[tokio::test]
async fn a_dropped_connection_after_commit_leaves_an_uncertain_register() {
    // Over plain HTTP and over TLS: the same faults must read the same.
    for wire in Wire::BOTH {
        let h = Harness::on(Dialect::Generic, wire, |_| {}).await;
        h.mock.admin().inject(Fault::DropAfterCommit { count: 1 });
        let err = h.registrar.register(h.p(), web_client("dropped")).await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::Network {
                    maybe_applied: true,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(h.mock.admin().client_count(), 1, "the provider did create it");
        let open = h.registrar.unresolved().unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].state, JournalState::Uncertain);
        assert!(
            open[0].detail.as_deref().unwrap().contains("dropped"),
            "the intent says what was sent"
        );
    }
}

#[tokio::test]
async fn unusable_2xx_bodies_are_invalid_responses_and_flagged() {
    // Over plain HTTP and over TLS: the same faults must read the same.
    for wire in Wire::BOTH {
        let h = Harness::on(Dialect::Generic, wire, |_| {}).await;
        for fault in [Fault::NonJsonBody { count: 1 }, Fault::TruncatedBody { count: 1 }] {
            h.mock.admin().inject(fault.clone());
            let err = h.registrar.register(h.p(), web_client("odd")).await.unwrap_err();
            assert!(
                matches!(
                    err,
                    Error::InvalidResponse(_)
                        | Error::Network {
                            maybe_applied: true,
                            ..
                        }
                ),
                "{fault:?}: {err:?}"
            );
            assert!(err.to_string().contains("may have"), "{err}");
        }
        assert_eq!(h.registrar.unresolved().unwrap().len(), 2);
    }
}

#[tokio::test]
async fn error_statuses_and_html_pages_are_provider_errors_that_change_nothing() {
    // Over plain HTTP and over TLS: the same faults must read the same.
    for wire in Wire::BOTH {
        let h = Harness::on(Dialect::Generic, wire, |_| {}).await;
        h.mock.admin().inject(Fault::Status { status: 400, count: 1 });
        let err = h.registrar.register(h.p(), web_client("a")).await.unwrap_err();
        assert!(matches!(err, Error::Provider { status: 400, .. }), "{err:?}");
        h.mock.admin().inject(Fault::HtmlBody { status: 502, count: 1 });
        let err = h.registrar.register(h.p(), web_client("b")).await.unwrap_err();
        let text = err.to_string();
        assert!(
            matches!(err, Error::Provider { status: 502, .. }) && !text.contains('<'),
            "{text}"
        );
        assert!(h.registrar.unresolved().unwrap().is_empty());
        assert_eq!(h.mock.admin().client_count(), 0);
    }
}

#[tokio::test]
async fn a_broken_read_flags_the_client_and_a_good_read_clears_it() {
    // Over plain HTTP and over TLS: the same faults must read the same.
    for wire in Wire::BOTH {
        let h = Harness::on(Dialect::Generic, wire, |_| {}).await;
        let id = h
            .registrar
            .register(h.p(), web_client("x"))
            .await
            .unwrap()
            .registration
            .client_id;
        h.mock.admin().inject(Fault::TruncatedBody { count: 1 });
        let err = h.registrar.read(h.p(), &id).await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::Network {
                    maybe_applied: true,
                    ..
                } | Error::InvalidResponse(_)
            ),
            "{err:?}"
        );
        let reg = h.registrar.registration(&h.profile.id, &id).unwrap();
        assert_eq!(reg.status, RegistrationStatus::PendingRecovery);
        h.registrar.read(h.p(), &id).await.expect("the next read works");
        let reg = h.registrar.registration(&h.profile.id, &id).unwrap();
        assert_eq!(reg.status, RegistrationStatus::Active);
    }
}

#[tokio::test]
async fn a_lost_rotated_token_is_flagged_for_recovery() {
    // Over plain HTTP and over TLS: the same faults must read the same.
    for wire in Wire::BOTH {
        let h = Harness::on(Dialect::Generic, wire, |c| c.rotate_rat_on_read = true).await;
        let id = h
            .registrar
            .register(h.p(), web_client("x"))
            .await
            .unwrap()
            .registration
            .client_id;
        h.mock.admin().inject(Fault::LoseRotatedToken { count: 1 });
        let err = h.registrar.read(h.p(), &id).await.unwrap_err();
        assert!(matches!(err, Error::Provider { status: 500, .. }), "{err:?}");
        let reg = h.registrar.registration(&h.profile.id, &id).unwrap();
        assert_eq!(
            reg.status,
            RegistrationStatus::PendingRecovery,
            "a 5xx may have rotated the token"
        );
    }
}

#[tokio::test]
async fn an_unreachable_provider_is_a_network_error_that_sent_nothing() {
    // Over plain HTTP and over TLS: the same faults must read the same.
    for wire in Wire::BOTH {
        let h = Harness::on(Dialect::Indigo, wire, |_| {}).await;
        let Harness {
            registrar,
            mock,
            profile,
            dir: _dir,
            ..
        } = h;
        // The mock's host and port, as `scheme://host:port/...` names them.
        let address = profile
            .registration_endpoint
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .expect("host:port")
            .to_string();
        mock.stop().await;
        let err = registrar.register(&profile.name, web_client("x")).await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::Network {
                    maybe_applied: false,
                    ..
                }
            ),
            "{err:?}"
        );
        // Said in words, from the error's kind: not "os error 111".
        let said = err.to_string();
        assert!(
            said.contains(&format!("nothing is listening at {address}")),
            "{wire:?}: {said}"
        );
        assert!(!said.contains("os error"), "{wire:?}: {said}");
        assert!(registrar.unresolved().unwrap().is_empty());
        let history = registrar.history(&Default::default()).unwrap();
        assert!(
            history[0].error.is_some() && history[0].status.is_none(),
            "a failed exchange is still history"
        );
    }
}

/// The window's online mark: the last request of each profile, answered or not.
#[tokio::test]
async fn a_profile_is_online_while_its_provider_answers_and_offline_once_it_stops() {
    let h = Harness::start(Dialect::Generic).await;
    assert!(h.registrar.profile_reach().unwrap().is_empty(), "nothing sent yet");
    let id = h
        .registrar
        .register(h.p(), web_client("reach"))
        .await
        .unwrap()
        .registration
        .client_id;
    let reach = h.registrar.profile_reach().unwrap();
    assert_eq!(reach.len(), 1);
    assert_eq!(reach[0].profile_id, h.profile.id);
    assert_eq!(reach[0].reach, registrar_core::Reach::Online);
    assert_eq!(reach[0].detail, "HTTP 201");

    let Harness {
        registrar,
        mock,
        profile,
        ..
    } = h;
    mock.stop().await;
    assert!(registrar.read(profile.id.as_str(), &id).await.is_err());
    let reach = registrar.profile_reach().unwrap();
    assert_eq!(reach[0].reach, registrar_core::Reach::Offline, "{reach:?}");
    assert!(reach[0].detail.contains("nothing is listening"), "{reach:?}");
}
