use registrar_core::Error;
use registrar_mock_op::Dialect;
use registrar_tests::{web_client, Harness};

#[tokio::test]
async fn registers_with_its_ids_and_reads_with_the_query_string_uri() {
    let h = Harness::start(Dialect::Soffid).await;
    let reg = h
        .registrar
        .register(h.p(), web_client("soffid app"))
        .await
        .expect("register");
    let r = &reg.registration;
    assert!(r.client_id.starts_with("DR_"), "{}", r.client_id);
    let uri = r.registration_client_uri.as_deref().unwrap();
    assert!(uri.ends_with(&format!("/register?client_id={}", r.client_id)), "{uri}");
    let secret = reg.client_secret.clone().expect("a secret on register");

    let read = h
        .registrar
        .read(h.p(), &r.client_id)
        .await
        .expect("read through the verbatim URI");
    assert_eq!(read.registration.client_id, r.client_id);
    assert!(!read.rotated_client_secret, "a read without a secret is not a rotation");
    let kept = h.registrar.client_secret(&h.profile.id, &r.client_id).unwrap().unwrap();
    assert_eq!(kept, secret, "the secret from register is kept");
}

#[tokio::test]
async fn the_documented_token_scheme_works_too() {
    let mut h = Harness::start(Dialect::Soffid).await;
    h.profile.settings.management_scheme = "token".into();
    h.profile.settings.registration_scheme = "Beared".into();
    h.registrar.save_profile(&h.profile, &Default::default()).unwrap();
    let id = h
        .registrar
        .register(h.p(), web_client("doc scheme"))
        .await
        .unwrap()
        .registration
        .client_id;
    h.registrar.read(h.p(), &id).await.expect("Authorization: token <RAT>");
    let history = h.registrar.history(&Default::default()).unwrap();
    let read = history.iter().find(|e| e.operation == "read").unwrap();
    assert!(
        read.request_headers
            .iter()
            .any(|(k, v)| k == "Authorization" && v == "token ***"),
        "{:?}",
        read.request_headers
    );
}

#[tokio::test]
async fn update_and_delete_are_refused_without_a_request() {
    let h = Harness::start(Dialect::Soffid).await;
    let reg = h.registrar.register(h.p(), web_client("x")).await.unwrap().registration;
    let before = h.mock.admin().request_count();
    let err = h
        .registrar
        .update(h.p(), &reg.client_id, reg.metadata_returned.clone())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Unsupported { operation, .. } if operation == "update"),
        "{err:?}"
    );
    assert!(err.to_string().contains("Soffid"), "{err}");
    let err = h.registrar.delete(h.p(), &reg.client_id).await.unwrap_err();
    assert!(matches!(&err, Error::Unsupported { .. }), "{err:?}");
    assert_eq!(h.mock.admin().request_count(), before);
}
