use registrar_core::{parse_import_file, Cancel};
use registrar_mock_op::Dialect;
use registrar_tests::{web_client, Harness, Keychain};
use std::sync::atomic::{AtomicUsize, Ordering};

#[tokio::test]
async fn bulk_refresh_with_rotation_leaves_every_token_working() {
    let h = Harness::with(Dialect::Generic, Keychain::Memory, |c| {
        c.rotate_rat_on_read = true;
        c.rotate_secret_on_read = true;
    })
    .await;
    for i in 0..300 {
        h.registrar
            .register(h.p(), web_client(&format!("bulk {i}")))
            .await
            .unwrap();
    }
    let targets = h.registrar.refresh_targets(Some(h.p())).unwrap();
    assert_eq!(targets.len(), 300);
    // The same client twice in one run must not race with itself.
    let mut doubled = targets.clone();
    doubled.extend(targets.iter().take(20).cloned());
    let calls = AtomicUsize::new(0);
    let report = h
        .registrar
        .refresh_many(
            &doubled,
            16,
            &|p| {
                calls.fetch_add(1, Ordering::SeqCst);
                assert!(p.done <= p.total);
            },
            &Cancel::new(),
        )
        .await
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 320);
    assert_eq!(
        report.failed(),
        0,
        "{:?}",
        report.items.iter().find(|i| i.error.is_some())
    );
    assert!(report.items.iter().all(|i| i.rotated_token));
    for (profile_id, client_id) in &targets {
        let stored = h
            .registrar
            .registration_access_token(profile_id, client_id)
            .unwrap()
            .unwrap();
        assert_eq!(
            Some(stored.expose().to_string()),
            h.mock.admin().registration_access_token(client_id)
        );
    }
    let again = h
        .registrar
        .refresh_many(&targets, 16, &|_| {}, &Cancel::new())
        .await
        .unwrap();
    assert_eq!(again.failed(), 0);
}

#[tokio::test]
async fn a_cancelled_bulk_refresh_skips_what_had_not_started() {
    let h = Harness::start(Dialect::Indigo).await;
    for i in 0..20 {
        h.registrar.register(h.p(), web_client(&format!("c{i}"))).await.unwrap();
    }
    let targets = h.registrar.refresh_targets(None).unwrap();
    let cancel = Cancel::new();
    let report = h
        .registrar
        .refresh_many(
            &targets,
            1,
            &|p| {
                if p.done == 5 {
                    cancel.cancel();
                }
            },
            &cancel,
        )
        .await
        .unwrap();
    assert_eq!(report.items.len(), 5);
    assert_eq!(report.skipped, 15);
}

#[tokio::test]
async fn bulk_import_checks_each_client_with_a_read() {
    let h = Harness::with(Dialect::Generic, Keychain::Memory, |c| c.seed_clients = 4).await;
    let admin = h.mock.admin();
    let mut entries: Vec<serde_json::Value> = admin
        .list_clients()
        .iter()
        .map(|c| {
            let id = c["client_id"].as_str().unwrap();
            serde_json::json!({
                "client_id": id,
                "registration_client_uri": format!("{}/register/{id}", h.mock.base_url()),
                "registration_access_token": admin.registration_access_token(id).unwrap(),
            })
        })
        .collect();
    entries[0]["registration_access_token"] = "wrong-token".into();
    let bad_id = entries[0]["client_id"].as_str().unwrap().to_string();
    let requests = parse_import_file(&serde_json::to_string(&entries).unwrap()).unwrap();
    let results = h.registrar.import_many(h.p(), requests).await.unwrap();
    assert_eq!(results.len(), 4);
    for r in &results {
        assert_eq!(r.error.is_some(), r.client_id == bad_id, "{r:?}");
    }
    assert!(
        h.registrar.registration(h.p(), &bad_id).is_err(),
        "a client that could not be read is not adopted"
    );
    assert!(parse_import_file("{}").is_err());
    assert!(parse_import_file("[{\"registration_access_token\":\"x\"}]")
        .unwrap_err()
        .to_string()
        .contains("client_id"));
}
