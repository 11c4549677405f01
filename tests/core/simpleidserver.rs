use registrar_core::{Error, ProfileSecrets};
use registrar_mock_op::Dialect;
use registrar_tests::{meta, Harness};
use serde_json::json;

fn sid_client() -> registrar_core::ClientMetadata {
    meta(
        json!({"grant_types": ["client_credentials"], "scope": "openid profile", "redirect_uris": ["https://tmp.com"], "response_types": []}),
    )
}

#[tokio::test]
async fn gets_its_token_first_and_round_trips_vendor_fields() {
    let h = Harness::start(Dialect::SimpleIdServer).await;
    let reg = h
        .registrar
        .register(h.p(), sid_client())
        .await
        .expect("register after the token step");
    let id = reg.registration.client_id.clone();
    let history = h.registrar.history(&Default::default()).unwrap();
    let ops: Vec<&str> = history.iter().rev().map(|e| e.operation.as_str()).collect();
    assert_eq!(ops, vec!["token", "register"]);
    let token_call = history.iter().find(|e| e.operation == "token").unwrap();
    let body = token_call.request_body.as_deref().unwrap();
    assert!(
        body.contains("grant_type=client_credentials") && body.contains("scope=register"),
        "{body}"
    );
    assert!(
        body.contains("client_secret=***")
            || token_call
                .request_headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("authorization")),
        "{body}"
    );

    let returned = &reg.registration.metadata_returned;
    assert_eq!(
        returned.str("scope"),
        Some("profile openid"),
        "the provider reorders scope"
    );
    assert_eq!(returned.str("token_endpoint_auth_method"), Some("client_secret_post"));
    assert!(returned.get("update_datetime").is_some() && returned.get("is_consent_disabled").is_some());
    assert!(reg
        .registration
        .registration_client_uri
        .as_deref()
        .unwrap()
        .ends_with(&format!("/{id}")));

    // A second registration reuses the cached registration token.
    h.registrar.register(h.p(), sid_client()).await.unwrap();
    let tokens = h
        .registrar
        .history(&Default::default())
        .unwrap()
        .iter()
        .filter(|e| e.operation == "token")
        .count();
    assert_eq!(tokens, 1);

    let mut desired = h
        .registrar
        .read(h.p(), &id)
        .await
        .unwrap()
        .registration
        .metadata_returned;
    desired.set("client_name", json!("sid renamed"));
    h.registrar
        .update(h.p(), &id, desired)
        .await
        .expect("update with every vendor field sent back");
    assert_eq!(h.mock.admin().get_client(&id).unwrap()["client_name"], "sid renamed");
    h.registrar.delete(h.p(), &id).await.expect("delete");
    assert!(h.mock.admin().get_client(&id).is_none());
}

#[tokio::test]
async fn a_wrong_registering_secret_is_an_auth_error_before_registration() {
    let h = Harness::start(Dialect::SimpleIdServer).await;
    let secrets = ProfileSecrets {
        client_credentials_secret: Some("wrong".into()),
        ..Default::default()
    };
    h.registrar.save_profile(&h.profile, &secrets).unwrap();
    let err = h.registrar.register(h.p(), sid_client()).await.unwrap_err();
    assert!(matches!(err, Error::Auth { status: 401, .. }), "{err:?}");
    assert_eq!(h.mock.admin().client_count(), 0);
}
