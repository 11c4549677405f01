//! Faults the provider or the machine causes: timeouts, answers that never finish, a
//! process that died mid-call, two writers on one database, hostile HTTP answers.

use registrar_core::JournalState;
use registrar_core::{Error, RegistrationStatus};
use registrar_mock_op::{Dialect, Fault};
use registrar_tests::raw_server::RawServer;
use registrar_tests::{web_client, Harness};

async fn with_short_timeout(h: &mut Harness) {
    h.profile.timeouts.request_secs = 1;
    h.registrar.save_profile(&h.profile, &Default::default()).unwrap();
}

#[tokio::test]
async fn a_slow_provider_times_out_and_the_register_is_recoverable() {
    let mut h = Harness::start(Dialect::Generic).await;
    with_short_timeout(&mut h).await;
    h.profile.settings.list_endpoint = Some(format!("{}/_admin/clients", h.mock.base_url()));
    h.registrar.save_profile(&h.profile, &Default::default()).unwrap();

    // The answer's headers come, its body never does: the client exists on the provider.
    h.mock.admin().inject(Fault::StallBody { count: 1 });
    let err = h.registrar.register(h.p(), web_client("stalled")).await.unwrap_err();
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
    assert_eq!(h.mock.admin().client_count(), 1);

    let items = h.registrar.recover(h.p()).await.unwrap();
    assert_eq!(items.len(), 1);
    let candidate = items[0]
        .candidate
        .as_ref()
        .expect("the provider's client matches the intent");
    assert_eq!(candidate.client_name(), Some("stalled"));
    assert!(items[0].action.contains("import"), "{}", items[0].action);

    // Latency past the timeout on a read flags the client, and a later read clears it.
    let id = h
        .registrar
        .register(h.p(), web_client("slow read"))
        .await
        .unwrap()
        .registration
        .client_id;
    h.mock.admin().inject(Fault::Latency { millis: 2_500 });
    let err = h.registrar.read(h.p(), &id).await.unwrap_err();
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
    assert_eq!(
        h.registrar.registration(h.p(), &id).unwrap().status,
        RegistrationStatus::PendingRecovery
    );
    h.mock.admin().clear_faults();
    h.registrar.read(h.p(), &id).await.unwrap();
    assert_eq!(
        h.registrar.registration(h.p(), &id).unwrap().status,
        RegistrationStatus::Active
    );
}

#[tokio::test]
async fn an_operation_a_dead_process_left_open_is_flagged_then_recovered() {
    let h = Harness::start(Dialect::Generic).await;
    let id = h
        .registrar
        .register(h.p(), web_client("crashy"))
        .await
        .unwrap()
        .registration
        .client_id;
    {
        // What a `kill -9` between "journal the intent" and "store the answer" leaves.
        let conn = rusqlite::Connection::open(h.database_path()).unwrap();
        conn.execute(
            "INSERT INTO journal (profile_id, client_id, operation, state, started_at, pid) VALUES (?1, ?2, 'read', 'open', 0, 4000000)",
            rusqlite::params![h.profile.id, id],
        )
        .unwrap();
        // And one from a process that is still running (this one) must be left alone.
        conn.execute(
            "INSERT INTO journal (profile_id, client_id, operation, state, started_at, pid) VALUES (?1, ?2, 'read', 'open', strftime('%s','now'), ?3)",
            rusqlite::params![h.profile.id, id, std::process::id()],
        )
        .unwrap();
    }
    assert_eq!(h.registrar.reconcile().unwrap(), 1);
    assert_eq!(
        h.registrar.registration(h.p(), &id).unwrap().status,
        RegistrationStatus::PendingRecovery
    );
    let items = h.registrar.recover(h.p()).await.unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(items[0].resolved, "a read recovers it: {items:?}");
    assert_eq!(
        h.registrar.registration(h.p(), &id).unwrap().status,
        RegistrationStatus::Active
    );
    let open: Vec<_> = h.registrar.unresolved().unwrap();
    assert!(
        open.iter().all(|e| e.state == JournalState::Open),
        "only the live process's entry remains"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_writers_on_one_database_lose_nothing() {
    let h = Harness::start(Dialect::Indigo).await;
    // A second Registrar on the same file: what the app and the CLI at once look like.
    let other = std::sync::Arc::new(registrar_core::Registrar::with_parts(
        registrar_core::Store::open(&h.database_path()).unwrap(),
        h.memory.clone().unwrap(),
        std::sync::Arc::new(registrar_core::http::ReqwestFactory::new()),
    ));
    let name = h.profile.name.clone();
    let second = {
        let other = other.clone();
        let name = name.clone();
        tokio::spawn(async move {
            for i in 0..40 {
                other.register(&name, web_client(&format!("b{i}"))).await.unwrap();
            }
        })
    };
    for i in 0..40 {
        h.registrar.register(&name, web_client(&format!("a{i}"))).await.unwrap();
    }
    second.await.unwrap();
    let page = h.registrar.search(&Default::default()).unwrap();
    assert_eq!(page.total, 80);
    assert_eq!(h.mock.admin().client_count(), 80);
    let conn = rusqlite::Connection::open(h.database_path()).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
}

#[tokio::test]
async fn redirects_are_not_followed_with_credentials() {
    let elsewhere = RawServer::start(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}".to_vec()).await;
    let redirect = format!(
        "HTTP/1.1 307 Temporary Redirect\r\nlocation: {}/steal\r\ncontent-length: 0\r\n\r\n",
        elsewhere.url
    );
    let server = RawServer::start(redirect.into_bytes()).await;
    let mut h = Harness::start(Dialect::Generic).await;
    h.profile.registration_endpoint = format!("{}/register", server.url);
    h.profile.registration_auth = registrar_core::RegistrationAuth::InitialAccessToken;
    let secrets = registrar_core::ProfileSecrets {
        initial_access_token: Some("do-not-leak-this-token".into()),
        ..Default::default()
    };
    h.registrar.save_profile(&h.profile, &secrets).unwrap();
    let err = h.registrar.register(h.p(), web_client("x")).await.unwrap_err();
    assert!(
        err.to_string().contains("redirect") && err.to_string().contains("not followed"),
        "{err}"
    );
    assert_eq!(server.hits(), 1);
    assert_eq!(elsewhere.hits(), 0, "the credentials never reached the other host");
}

#[tokio::test]
async fn oversized_and_hostile_answers_are_refused_with_a_reason() {
    let huge = format!(
        "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{{\"client_id\":\"{}\"}}",
        2 * 1024 * 1024 + 16,
        "x".repeat(2 * 1024 * 1024)
    );
    let deep = {
        let body = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        format!(
            "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
    };
    let wrong_types = {
        let body = r#"{"client_id": 42, "client_name": ["not", "a", "string"]}"#;
        format!(
            "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
    };
    for (answer, expect) in [(huge, "larger than"), (deep, "nested"), (wrong_types, "no client_id")] {
        let server = RawServer::start(answer.into_bytes()).await;
        let mut h = Harness::start(Dialect::Generic).await;
        h.profile.registration_endpoint = format!("{}/register", server.url);
        h.registrar.save_profile(&h.profile, &Default::default()).unwrap();
        let err = h.registrar.register(h.p(), web_client("x")).await.unwrap_err();
        assert!(err.to_string().contains(expect), "{expect}: {err}");
        assert_eq!(
            h.registrar.unresolved().unwrap().len(),
            1,
            "a 2xx that cannot be read is flagged: {expect}"
        );
    }
}

#[tokio::test]
async fn client_ids_cannot_steer_a_templated_url() {
    let h = Harness::start(Dialect::Wso2).await;
    // Import a client whose id tries to climb out of the delete path and add parameters.
    let hostile = "../../_admin/clients?x=1#";
    let out = h
        .registrar
        .import(
            h.p(),
            registrar_core::ImportRequest {
                client_id: hostile.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(out.registration.client_id, hostile);
    let err = h.registrar.delete(h.p(), hostile).await.unwrap_err();
    assert!(matches!(err, Error::Provider { status: 404, .. }), "{err:?}");
    let history = h.registrar.history(&Default::default()).unwrap();
    let url = &history[0].url;
    assert!(
        url.contains("/identity/register/..%2F..%2F_admin%2Fclients%3Fx%3D1%23?"),
        "{url}"
    );
}

#[tokio::test]
async fn a_provider_that_echoes_the_token_it_refuses_does_not_leak_it() {
    let token = "echoed-initial-access-token-0123456789";
    let body =
        format!(r#"{{"error":"invalid_token","error_description":"the token in 'Bearer {token}' is not valid"}}"#);
    let answer = format!(
        "HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    let server = RawServer::start(answer.into_bytes()).await;
    let mut h = Harness::start(Dialect::Generic).await;
    h.profile.registration_endpoint = format!("{}/register", server.url);
    h.profile.registration_auth = registrar_core::RegistrationAuth::InitialAccessToken;
    let secrets = registrar_core::ProfileSecrets {
        initial_access_token: Some(token.into()),
        ..Default::default()
    };
    h.registrar.save_profile(&h.profile, &secrets).unwrap();
    let err = h.registrar.register(h.p(), web_client("x")).await.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, Error::Auth { status: 401, .. }), "{err:?}");
    assert!(!text.contains(token) && text.contains("***"), "{text}");
    let history = serde_json::to_string(&h.registrar.history(&Default::default()).unwrap()).unwrap();
    assert!(!history.contains(token), "{history}");
}

#[tokio::test]
async fn an_interrupted_delete_that_reached_the_provider_is_recognised() {
    let h = Harness::start(Dialect::Generic).await;
    let id = h
        .registrar
        .register(h.p(), web_client("to delete"))
        .await
        .unwrap()
        .registration
        .client_id;
    h.mock.admin().inject(Fault::DropAfterCommit { count: 1 });
    let err = h.registrar.delete(h.p(), &id).await.unwrap_err();
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
    assert!(h.mock.admin().get_client(&id).is_none(), "the provider did delete it");
    assert_eq!(
        h.registrar.registration(h.p(), &id).unwrap().status,
        RegistrationStatus::PendingRecovery
    );
    let items = h.registrar.recover(h.p()).await.unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(
        items[0].resolved && items[0].finding.contains("had reached the provider"),
        "{items:?}"
    );
    assert_eq!(
        h.registrar.registration(h.p(), &id).unwrap().status,
        RegistrationStatus::Deleted
    );
    assert!(h
        .registrar
        .registration_access_token(&h.profile.id, &id)
        .unwrap()
        .is_none());
}

/// A `kill -9` after a new client's credentials reached the keychain but before its database
/// insert: the registration's journal entry is open, the database has no client, the
/// keychain has its token. `recover` finds the token, checks it with a read, and adopts it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_a_crash_left_in_the_keychain_is_adopted() {
    let h = Harness::start(Dialect::Generic).await;
    let sent = web_client("cut short after the keychain");
    let id = h
        .registrar
        .register(h.p(), sent.clone())
        .await
        .unwrap()
        .registration
        .client_id;
    {
        let conn = rusqlite::Connection::open(h.database_path()).unwrap();
        conn.execute(
            "DELETE FROM registrations WHERE profile_id = ?1 AND client_id = ?2",
            rusqlite::params![h.profile.id, id],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO journal (profile_id, client_id, operation, state, detail, started_at, pid) VALUES (?1, NULL, 'register', 'open', ?2, 0, 4000000)",
            rusqlite::params![h.profile.id, serde_json::to_string(&sent).unwrap()],
        )
        .unwrap();
    }
    assert!(h.registrar.registration(h.p(), &id).is_err(), "the database lost it");
    let items = h.registrar.recover(h.p()).await.unwrap();
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(items[0].resolved, "{items:?}");
    assert!(items[0].finding.contains(&id), "{}", items[0].finding);
    let adopted = h.registrar.registration(h.p(), &id).expect("the client is known again");
    assert_eq!(adopted.status, RegistrationStatus::Active);
    h.registrar.read(h.p(), &id).await.expect("its kept token works");
    assert!(h.registrar.unresolved().unwrap().is_empty());
}
