use registrar_core::Error;
use registrar_mock_op::Dialect;
use registrar_tests::{meta, Harness};
use serde_json::json;

fn wso2_client() -> registrar_core::ClientMetadata {
    meta(json!({
        "redirect_uris": ["server.example.com", "regexp=(https://server.example.com/callback|https://testapp:8000/callback)"],
        "client_name": "application_1",
        "ext_param_owner": "admin",
        "grant_types": ["password"]
    }))
}

#[tokio::test]
async fn registers_with_relaxed_redirects_and_deletes_with_derived_parameters() {
    let h = Harness::start(Dialect::Wso2).await;
    let reg = h.registrar.register(h.p(), wso2_client()).await.expect("register");
    let r = &reg.registration;
    assert_eq!(
        r.client_name.as_deref(),
        Some("admin_application_1"),
        "owner-prefixed name"
    );
    assert!(reg.registration_access_token.is_none() && r.registration_client_uri.is_none());
    assert!(reg.client_secret.is_some());
    assert!(r.client_secret_expires_at.is_some_and(|t| t > 0), "expiry tracked");

    let deleted = h.registrar.delete(h.p(), &r.client_id).await.expect("delete");
    assert!((200..300).contains(&deleted.status));
    assert!(h.mock.admin().get_client(&r.client_id).is_none());
    let history = h.registrar.history(&Default::default()).unwrap();
    let url = &history.iter().find(|e| e.operation == "delete").unwrap().url;
    assert!(
        url.contains("/identity/register/")
            && url.contains("userId=admin")
            && url.contains("applicationName=admin_application_1"),
        "{url}"
    );
}

#[tokio::test]
async fn wrong_delete_parameters_are_refused_and_delete_nothing() {
    let mut h = Harness::start(Dialect::Wso2).await;
    let id = h
        .registrar
        .register(h.p(), wso2_client())
        .await
        .unwrap()
        .registration
        .client_id;
    h.profile
        .extra_params
        .insert("applicationName".into(), "someone_elses_app".into());
    h.registrar.save_profile(&h.profile, &Default::default()).unwrap();
    let err = h.registrar.delete(h.p(), &id).await.unwrap_err();
    assert!(matches!(&err, Error::Provider { status: 400, .. }), "{err:?}");
    assert!(h.mock.admin().get_client(&id).is_some(), "still there");
}

#[tokio::test]
async fn read_and_update_are_not_offered_and_bad_redirects_name_the_field() {
    let h = Harness::start(Dialect::Wso2).await;
    let reg = h.registrar.register(h.p(), wso2_client()).await.unwrap().registration;
    let before = h.mock.admin().request_count();
    assert!(matches!(
        h.registrar.read(h.p(), &reg.client_id).await,
        Err(Error::Unsupported { .. })
    ));
    assert!(matches!(
        h.registrar
            .update(h.p(), &reg.client_id, reg.metadata_returned.clone())
            .await,
        Err(Error::Unsupported { .. })
    ));
    assert_eq!(h.mock.admin().request_count(), before);

    let bad = meta(
        json!({"redirect_uris": ["regexp=(https://ok.example/cb|not a url)"], "client_name": "x", "grant_types": ["password"]}),
    );
    let err = h.registrar.register(h.p(), bad).await.unwrap_err();
    assert!(
        matches!(&err, Error::Validation(f) if f[0].field == "redirect_uris[0]"),
        "{err:?}"
    );
}
