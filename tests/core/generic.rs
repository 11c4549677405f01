use registrar_core::{Error, RegistrationStatus};
use registrar_mock_op::Dialect;
use registrar_tests::{meta, web_client, Harness, Keychain};
use serde_json::json;

#[tokio::test]
async fn full_lifecycle_keeps_vendor_fields_and_cleans_up() {
    let h = Harness::start(Dialect::Generic).await;
    let mut m = web_client("<b>Generic</b> app");
    m.set("x_vendor_flag", json!(true));
    m.set("x_nested", json!({"tier": "gold", "limits": [1, 2]}));
    let reg = h.registrar.register(h.p(), m).await.expect("register");
    let id = reg.registration.client_id.clone();
    assert!(reg.client_secret.is_some() && reg.registration_access_token.is_some());
    assert_eq!(
        reg.registration.metadata_returned.get("x_nested"),
        Some(&json!({"tier": "gold", "limits": [1, 2]}))
    );
    assert!(
        reg.registration.metadata_returned.get("client_secret").is_none(),
        "secrets are not stored"
    );
    assert_eq!(reg.registration.client_name.as_deref(), Some("<b>Generic</b> app"));

    let read = h.registrar.read(h.p(), &id).await.expect("read");
    assert_eq!(read.registration.metadata_returned, read.previous, "nothing changed");

    // Update from the last known state: the strict mock refuses any forbidden field, so
    // this also proves they are dropped, and that vendor fields go back untouched.
    let mut desired = read.registration.metadata_returned.clone();
    desired.set("client_name", json!("Renamed"));
    desired.set("redirect_uris", json!(["https://app.example.org/new"]));
    let updated = h.registrar.update(h.p(), &id, desired).await.expect("update");
    assert_eq!(updated.registration.client_name.as_deref(), Some("Renamed"));
    let on_mock = h.mock.admin().get_client(&id).expect("still on the mock");
    assert_eq!(on_mock["client_name"], "Renamed");
    assert_eq!(on_mock["x_vendor_flag"], true);
    assert_eq!(on_mock["x_nested"]["tier"], "gold");

    let filter = registrar_core::HistoryFilter {
        client_id: Some(id.clone()),
        ..Default::default()
    };
    let ops: Vec<String> = h
        .registrar
        .history(&filter)
        .unwrap()
        .into_iter()
        .map(|e| e.operation)
        .collect();
    assert_eq!(
        ops,
        vec!["update", "read", "register"],
        "a client's history starts with its registration"
    );

    let deleted = h.registrar.delete(h.p(), &id).await.expect("delete");
    assert_eq!(deleted.status, 204);
    assert!(h.mock.admin().get_client(&id).is_none());
    let local = h.registrar.registration(&h.profile.id, &id).expect("kept locally");
    assert_eq!(local.status, RegistrationStatus::Deleted);
    assert!(h
        .registrar
        .registration_access_token(&h.profile.id, &id)
        .unwrap()
        .is_none());
    assert!(h.registrar.unresolved().unwrap().is_empty());
}

#[tokio::test]
async fn rotated_tokens_and_secrets_are_stored_on_read_and_update() {
    let h = Harness::with(Dialect::Generic, Keychain::Memory, |c| {
        c.rotate_rat_on_read = true;
        c.rotate_rat_on_update = true;
        c.rotate_secret_on_read = true;
    })
    .await;
    let id = h
        .registrar
        .register(h.p(), web_client("rotating"))
        .await
        .unwrap()
        .registration
        .client_id;
    for round in 0..3 {
        let read = h
            .registrar
            .read(h.p(), &id)
            .await
            .unwrap_or_else(|e| panic!("read {round}: {e}"));
        assert!(read.rotated_registration_access_token && read.rotated_client_secret);
        let stored = h
            .registrar
            .registration_access_token(&h.profile.id, &id)
            .unwrap()
            .unwrap();
        assert_eq!(
            Some(stored.expose().to_string()),
            h.mock.admin().registration_access_token(&id)
        );
        let secret = h.registrar.client_secret(&h.profile.id, &id).unwrap().unwrap();
        assert_eq!(
            h.mock.admin().get_client(&id).unwrap()["client_secret"],
            secret.expose()
        );
    }
    let mut desired = h.registrar.registration(&h.profile.id, &id).unwrap().metadata_returned;
    desired.set("client_name", json!("after rotation"));
    let updated = h
        .registrar
        .update(h.p(), &id, desired)
        .await
        .expect("update sends the current secret");
    assert!(updated.rotated_registration_access_token);
    h.registrar
        .read(h.p(), &id)
        .await
        .expect("the token stored after the update works");
}

#[tokio::test]
async fn initial_access_token_is_used_and_a_wrong_one_is_an_auth_error() {
    let h = Harness::with(Dialect::Generic, Keychain::Memory, |c| c.require_initial_token = true).await;
    h.registrar
        .register(h.p(), web_client("with iat"))
        .await
        .expect("registers with the IAT");
    let secrets = registrar_core::ProfileSecrets {
        initial_access_token: Some("not-the-token".into()),
        ..Default::default()
    };
    h.registrar.save_profile(&h.profile, &secrets).unwrap();
    let err = h.registrar.register(h.p(), web_client("bad iat")).await.unwrap_err();
    assert!(matches!(err, Error::Auth { status: 401, .. }), "{err:?}");
}

#[tokio::test]
async fn invalid_metadata_is_refused_before_sending() {
    let h = Harness::start(Dialect::Generic).await;
    let before = h.mock.admin().request_count();
    let bad = meta(
        json!({"redirect_uris": ["https://a.example/cb#frag"], "grant_types": ["implicit"], "response_types": ["code"]}),
    );
    let err = h.registrar.register(h.p(), bad).await.unwrap_err();
    let Error::Validation(fields) = &err else {
        panic!("{err:?}")
    };
    let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert!(
        names.contains(&"redirect_uris[0]") && names.contains(&"grant_types"),
        "{names:?}"
    );
    assert_eq!(h.mock.admin().request_count(), before, "nothing was sent");
}

#[tokio::test]
async fn provider_refusals_become_typed_errors_with_the_field() {
    let h = Harness::start(Dialect::Generic).await;
    let id = h
        .registrar
        .register(h.p(), web_client("x"))
        .await
        .unwrap()
        .registration
        .client_id;
    // A forbidden change the local rules cannot see: another client's id.
    let mut desired = h.registrar.registration(&h.profile.id, &id).unwrap().metadata_returned;
    desired.set("client_id", json!("someone-else"));
    let err = h.registrar.update(h.p(), &id, desired).await.unwrap_err();
    assert!(
        matches!(&err, Error::Validation(f) if f[0].field == "client_id"),
        "{err:?}"
    );

    // The admin deletes the client behind Registrar's back: the token no longer works.
    h.mock.admin().remove_client(&id);
    let err = h.registrar.read(h.p(), &id).await.unwrap_err();
    assert!(matches!(&err, Error::Auth { status: 401, .. }), "{err:?}");
    assert!(err.to_string().contains("rotated or revoked"), "{err}");
}
