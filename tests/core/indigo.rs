use registrar_core::Error;
use registrar_mock_op::Dialect;
use registrar_tests::{web_client, Harness};
use serde_json::json;

#[tokio::test]
async fn open_registration_with_a_jwt_token_and_204_delete() {
    let h = Harness::start(Dialect::Indigo).await;
    let reg = h
        .registrar
        .register(h.p(), web_client("indigo"))
        .await
        .expect("open registration");
    let id = reg.registration.client_id.clone();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let rat = reg.registration_access_token.expect("a token");
    assert_eq!(rat.expose().split('.').count(), 3, "JWT-shaped");
    assert!(reg
        .registration
        .registration_client_uri
        .as_deref()
        .unwrap()
        .ends_with(&format!("/register/{id}")));
    assert!(reg.registration.client_id_issued_at.is_some());

    let mut desired = h
        .registrar
        .read(h.p(), &id)
        .await
        .unwrap()
        .registration
        .metadata_returned;
    desired.set("contacts", json!(["new@example.org"]));
    let up = h.registrar.update(h.p(), &id, desired).await.expect("update");
    assert_eq!(
        up.registration.metadata_returned.get("contacts"),
        Some(&json!(["new@example.org"]))
    );
    let del = h.registrar.delete(h.p(), &id).await.expect("delete with an empty 204");
    assert_eq!(del.status, 204);
    assert!(
        h.mock.admin().registration_access_token(&id).is_none(),
        "the token died with the client on the provider"
    );
    let err = h.registrar.read(h.p(), &id).await.unwrap_err();
    assert!(
        matches!(err, Error::NotFound { .. }),
        "a deleted client is not asked for again: {err:?}"
    );
}
