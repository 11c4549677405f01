use registrar_core::Error;
use registrar_mock_op::Dialect;
use registrar_tests::{meta, Harness};
use serde_json::json;

fn liberty_client(id: &str) -> registrar_core::ClientMetadata {
    meta(json!({
        "client_id": id,
        "token_endpoint_auth_method": "client_secret_basic",
        "scope": "openid profile email general",
        "grant_types": ["authorization_code", "client_credentials", "refresh_token"],
        "response_types": ["code"],
        "redirect_uris": ["https://server.example.com:443/resource/redirect1"],
        "preauthorized_scope": "openid profile",
        "introspect_tokens": true,
        "trusted_uri_prefixes": ["https://server.example.com:9000/trusted/"],
        "functional_user_id": "svc",
        "functional_user_groupIds": ["g1", "g2"]
    }))
}

#[tokio::test]
async fn masked_secrets_etags_and_the_star_rules() {
    let h = Harness::start(Dialect::Liberty).await;
    let reg = h
        .registrar
        .register(h.p(), liberty_client("my-own-id"))
        .await
        .expect("register");
    assert_eq!(reg.registration.client_id, "my-own-id", "client-chosen id");
    assert!(reg.registration.etag.is_some());
    assert_eq!(
        reg.registration.client_name.as_deref(),
        Some("my-own-id"),
        "name defaults to the id"
    );
    let original = reg.client_secret.clone().expect("the real secret on register");
    assert_ne!(original.expose(), "*");

    let read = h.registrar.read(h.p(), "my-own-id").await.expect("read");
    assert!(!read.rotated_client_secret, "a masked secret is not a new secret");
    assert_eq!(
        h.registrar.client_secret(&h.profile.id, "my-own-id").unwrap().unwrap(),
        original
    );
    assert_eq!(
        read.registration.metadata_returned.get("functional_user_groupIds"),
        Some(&json!(["g1", "g2"]))
    );

    let mut desired = read.registration.metadata_returned.clone();
    desired.set("client_name", json!("updated client"));
    h.registrar
        .update(h.p(), "my-own-id", desired.clone())
        .await
        .expect("update with *");
    assert_eq!(
        h.mock.admin().get_client("my-own-id").unwrap()["client_secret"],
        original.expose(),
        "* kept it"
    );

    desired.set("client_secret", json!(""));
    let regenerated = h
        .registrar
        .update(h.p(), "my-own-id", desired)
        .await
        .expect("update with an empty secret");
    let new_secret = regenerated.new_client_secret.expect("a new secret comes back");
    assert_ne!(new_secret, original);
    assert_eq!(
        h.mock.admin().get_client("my-own-id").unwrap()["client_secret"],
        new_secret.expose()
    );
    assert_eq!(
        h.registrar.client_secret(&h.profile.id, "my-own-id").unwrap().unwrap(),
        new_secret
    );
}

#[tokio::test]
async fn a_change_on_the_provider_makes_if_match_fail_until_refreshed() {
    let h = Harness::start(Dialect::Liberty).await;
    let reg = h
        .registrar
        .register(h.p(), liberty_client("etag-client"))
        .await
        .unwrap()
        .registration;
    let mut patch = serde_json::Map::new();
    patch.insert("client_name".into(), json!("changed by an admin"));
    assert!(h.mock.admin().patch_client("etag-client", patch));
    let err = h
        .registrar
        .update(h.p(), "etag-client", reg.metadata_returned.clone())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Conflict), "{err:?}");
    let fresh = h.registrar.read(h.p(), "etag-client").await.unwrap().registration;
    assert_eq!(fresh.client_name.as_deref(), Some("changed by an admin"));
    h.registrar
        .update(h.p(), "etag-client", fresh.metadata_returned)
        .await
        .expect("after a refresh");
    h.registrar.delete(h.p(), "etag-client").await.expect("delete");
    assert!(h.mock.admin().get_client("etag-client").is_none());
}
