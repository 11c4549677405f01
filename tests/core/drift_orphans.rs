use registrar_core::Query;
use registrar_core::{drift::ChangeKind, ImportRequest, Secret};
use registrar_mock_op::Dialect;
use registrar_tests::{web_client, Harness, Keychain};
use serde_json::json;

#[tokio::test]
async fn an_admin_change_is_reported_field_by_field_and_only_once() {
    let h = Harness::start(Dialect::Generic).await;
    let id = h
        .registrar
        .register(h.p(), web_client("drifty"))
        .await
        .unwrap()
        .registration
        .client_id;
    let first = h.registrar.read(h.p(), &id).await.unwrap();
    assert!(
        first.drift.is_empty(),
        "no drift where there is none: {:?}",
        first.drift
    );

    let mut patch = serde_json::Map::new();
    patch.insert("client_name".into(), json!("changed in the console"));
    patch.insert("contacts".into(), serde_json::Value::Null);
    patch.insert("x_console_flag".into(), json!(true));
    assert!(h.mock.admin().patch_client(&id, patch));
    let read = h.registrar.read(h.p(), &id).await.unwrap();
    let changes: Vec<(&str, ChangeKind)> = read.drift.changes.iter().map(|c| (c.field.as_str(), c.kind)).collect();
    assert_eq!(
        changes,
        vec![
            ("client_name", ChangeKind::Changed),
            ("contacts", ChangeKind::Removed),
            ("x_console_flag", ChangeKind::Added)
        ]
    );
    let page = h
        .registrar
        .search(&Query {
            profile_id: Some(h.profile.id.clone()),
            ..Default::default()
        })
        .unwrap();
    assert!(page.items[0].has_drift, "the list marks it");
    let again = h.registrar.read(h.p(), &id).await.unwrap();
    assert!(again.drift.is_empty());
}

#[tokio::test]
async fn reordered_scope_and_vendor_defaults_are_not_drift() {
    let h = Harness::start(Dialect::SimpleIdServer).await;
    let reg = h
        .registrar
        .register(
            h.p(),
            registrar_tests::meta(
                json!({"grant_types": ["client_credentials"], "scope": "openid profile", "response_types": []}),
            ),
        )
        .await
        .unwrap();
    assert!(
        reg.provider_changes.of(ChangeKind::Added).count() > 10,
        "defaults shown once, as the provider's"
    );
    assert!(!reg.provider_changes.changes.iter().any(|c| c.field == "scope"));
    let read = h.registrar.read(h.p(), &reg.registration.client_id).await.unwrap();
    assert!(read.drift.is_empty(), "{:?}", read.drift);
}

#[tokio::test]
async fn orphans_both_ways_with_adopt_and_forget() {
    let mut h = Harness::with(Dialect::Generic, Keychain::Memory, |c| c.seed_clients = 2).await;
    let kept = h
        .registrar
        .register(h.p(), web_client("kept"))
        .await
        .unwrap()
        .registration
        .client_id;
    let gone = h
        .registrar
        .register(h.p(), web_client("gone"))
        .await
        .unwrap()
        .registration
        .client_id;
    h.mock.admin().remove_client(&gone);

    // Without a provider listing: reads find the local orphan.
    let report = h.registrar.orphans(h.p(), None).await.unwrap();
    assert!(!report.provider_listed);
    assert_eq!(
        report
            .local_only
            .iter()
            .map(|o| o.registration.client_id.as_str())
            .collect::<Vec<_>>(),
        vec![gone.as_str()]
    );

    // With the mock's admin view as the listing: the seeded clients are provider orphans.
    h.profile.settings.list_endpoint = Some(format!("{}/_admin/clients", h.mock.base_url()));
    h.registrar.save_profile(&h.profile, &Default::default()).unwrap();
    let report = h.registrar.orphans(h.p(), None).await.unwrap();
    assert!(report.provider_listed);
    let mut unknown: Vec<String> = report
        .on_provider_only
        .iter()
        .map(|c| c.client_id().unwrap().to_string())
        .collect();
    unknown.sort();
    let mut seeded: Vec<String> = h
        .mock
        .admin()
        .list_clients()
        .iter()
        .map(|c| c["client_id"].as_str().unwrap().to_string())
        .filter(|id| *id != kept)
        .collect();
    seeded.sort();
    assert_eq!(unknown, seeded);
    assert!(
        report.on_provider_only.iter().all(|c| c.get("client_secret").is_none()),
        "listed secrets are not carried"
    );

    let adopt = &unknown[0];
    let token = h.mock.admin().registration_access_token(adopt).unwrap();
    h.registrar
        .import(
            h.p(),
            ImportRequest {
                client_id: adopt.clone(),
                registration_client_uri: Some(format!("{}/register/{adopt}", h.mock.base_url())),
                registration_access_token: Some(Secret::new(token)),
                ..Default::default()
            },
        )
        .await
        .expect("adopted after a read");
    h.registrar.forget(h.p(), &gone).unwrap();
    let report = h.registrar.orphans(h.p(), None).await.unwrap();
    assert_eq!(report.on_provider_only.len(), 1);
    assert!(report.local_only.is_empty());
}

/// Review item 12: a client list that leads to forgetting clients is trusted only from the
/// provider itself, asked with the profile's credentials (a loopback admin view excepted).
#[tokio::test]
async fn the_client_list_is_asked_with_credentials_and_never_trusted_unauthenticated() {
    use registrar_tests::local::Local;
    use registrar_tests::recording_server::{Answer, RecordingServer};
    let server = RecordingServer::start(|_, _| Answer::json(200, serde_json::json!([]))).await;
    let local = Local::new();
    let mut p = local.profile(
        "listed",
        registrar_core::ProviderKind::Generic,
        None,
        &format!("{}/register", server.url),
        Some("list-token"),
    );
    p.settings.list_endpoint = Some(format!("{}/clients", server.url));
    let p = local.registrar.save_profile(&p, &Default::default()).unwrap();
    let report = local.registrar.orphans(&p.id, None).await.unwrap();
    assert!(report.provider_listed);
    assert_eq!(server.requests()[0].header("authorization"), Some("Bearer list-token"));

    let mut open = local.profile(
        "open",
        registrar_core::ProviderKind::Generic,
        None,
        "https://idp.example.org/register",
        None,
    );
    open.settings.list_endpoint = Some("https://idp.example.org/clients".into());
    let open = local.registrar.save_profile(&open, &Default::default()).unwrap();
    let err = local.registrar.orphans(&open.id, None).await.unwrap_err();
    assert!(err.to_string().contains("without credentials"), "{err}");
}

/// Drift you can act on: the provider's changes since Registrar last sent the client are
/// listed, one is accepted (nothing sent), another restored through a previewed update.
#[tokio::test]
async fn drift_is_accepted_or_restored_field_by_field() {
    let h = Harness::start(Dialect::Generic).await;
    let id = h
        .registrar
        .register(h.p(), web_client("ours"))
        .await
        .unwrap()
        .registration
        .client_id;
    assert_eq!(
        h.registrar.drift_since_sent(h.p(), &id).unwrap().map(|d| d.is_empty()),
        Some(true)
    );

    let mut patch = serde_json::Map::new();
    patch.insert("client_name".into(), json!("renamed in the console"));
    patch.insert("x_console_flag".into(), json!(true));
    assert!(h.mock.admin().patch_client(&id, patch));
    h.registrar.read(h.p(), &id).await.unwrap();
    let fields = |d: &registrar_core::drift::Drift| d.changes.iter().map(|c| c.field.clone()).collect::<Vec<_>>();
    let drift = h.registrar.drift_since_sent(h.p(), &id).unwrap().unwrap();
    assert_eq!(fields(&drift), vec!["client_name", "x_console_flag"]);

    // Accept the provider's flag: nothing is sent, only the name is left.
    let before = h.mock.admin().request_count();
    let left = h
        .registrar
        .accept_provider_values(h.p(), &id, &["x_console_flag".to_string()])
        .unwrap();
    assert_eq!(fields(&left), vec!["client_name"]);
    assert_eq!(h.mock.admin().request_count(), before, "accepting sends nothing");

    // Restore our name: the preview says exactly that, and the update sends it back.
    let preview = h
        .registrar
        .restore_sent_values(h.p(), &id, &["client_name".to_string()])
        .unwrap();
    assert_eq!(fields(&preview.changes), vec!["client_name"], "{:?}", preview.changes);
    assert_eq!(preview.changes.changes[0].after, Some(json!("ours")));
    assert!(preview.check.errors.is_empty(), "{:?}", preview.check);
    assert_eq!(h.mock.admin().request_count(), before, "a preview sends nothing");
    h.registrar.update(h.p(), &id, preview.desired).await.unwrap();
    assert_eq!(h.mock.admin().get_client(&id).unwrap()["client_name"], "ours");
    assert_eq!(
        h.mock.admin().get_client(&id).unwrap()["x_console_flag"],
        true,
        "the accepted value stays"
    );
    let after = h.registrar.drift_since_sent(h.p(), &id).unwrap().unwrap();
    assert!(after.is_empty(), "{after:?}");
}
