//! The soffid dialect: as Soffid IAM's document shows it.

use crate::support::{assert_error, http, json, start, start_with, str_of};
use registrar_mock_op::{Dialect, MockConfig, MockServer};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The document's request body.
fn document_body() -> Value {
    json!({
        "application_type": "web",
        "redirect_uris": ["https://client.example.org/callback", "https://client.example.org/callback2"],
        "client_name": "My Example 7",
        "logo_uri": "https://client.example.org/logo.png",
        "subject_type": "pairwise",
        "token_endpoint_auth_method": "client_secret_basic",
        "jwks_uri": "https://client.example.org/my_public_keys.jwks",
        "userinfo_encrypted_response_alg": "RSA1_5",
        "userinfo_encrypted_response_enc": "A128CBC-HS256",
        "contacts": ["ve7jtb@example.org", "mary@example.org"],
        "request_uris": ["https://client.example.org/rf.txt#qpXaRLh_n93TTR9F252ValdatUQvQiJi5BDub2BeznA"]
    })
}

fn iat(server: &MockServer) -> String {
    server
        .credentials()
        .initial_access_token
        .clone()
        .expect("soffid has an IAT")
}

#[tokio::test]
async fn register_and_read_exactly_as_documented() {
    let server = start(Dialect::Soffid).await;
    let client = http();
    assert_eq!(
        server.registration_endpoint(),
        format!("{}/register", server.base_url())
    );

    // The document's request: `Beared` scheme, JSON labelled as a form.
    let response = client
        .post(server.registration_endpoint())
        .header("authorization", format!("Beared {}", iat(&server)))
        .header("accept", "application/json")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(document_body().to_string())
        .send()
        .await
        .expect("register");
    assert_eq!(response.status(), StatusCode::OK, "Soffid answers 200, not 201");
    let created = json(response).await;
    assert_eq!(created["client_id"], "DR_1");
    assert_eq!(
        created["registration_client_uri"],
        format!("{}/register?client_id=DR_1", server.base_url())
    );
    assert_eq!(created["client_secret_expires_at"], 0);
    assert_eq!(str_of(&created, "client_secret").len(), 48);
    let rat = str_of(&created, "registration_access_token");
    let (number, random) = rat.split_once('.').expect("dotted token like the document's");
    assert!(!number.is_empty() && !random.is_empty());
    assert_eq!(created["client_name"], "My Example 7");
    assert_eq!(created["subject_type"], "pairwise");
    assert!(created.get("client_id_issued_at").is_none(), "not in Soffid's document");

    // The document's read: `Authorization: token <RAT>` on the query-string URI.
    let uri = str_of(&created, "registration_client_uri");
    let read = client
        .get(uri)
        .header("authorization", format!("token {rat}"))
        .header("content-type", "application/json")
        .send()
        .await
        .expect("read");
    assert_eq!(read.status(), StatusCode::OK);
    let read = json(read).await;
    assert_eq!(read["client_id"], "DR_1");
    assert_eq!(read["client_name"], "My Example 7");
    assert_eq!(read["redirect_uris"], created["redirect_uris"]);
    assert!(read.get("client_secret").is_none(), "reads carry no secret");
    assert!(read.get("registration_access_token").is_none());
    // The standard scheme works too.
    let bearer = client.get(uri).bearer_auth(rat).send().await.expect("bearer read");
    assert_eq!(bearer.status(), StatusCode::OK);

    // Ids are sequential; standard `Bearer` and `application/json` are accepted.
    let second = client
        .post(server.registration_endpoint())
        .bearer_auth(iat(&server))
        .json(&json!({"redirect_uris": ["https://other.example.org/cb"]}))
        .send()
        .await
        .expect("second");
    assert_eq!(json(second).await["client_id"], "DR_2");
}

#[tokio::test]
async fn only_register_and_read_are_offered() {
    let server = start(Dialect::Soffid).await;
    let client = http();
    let uri = format!("{}?client_id=DR_1", server.registration_endpoint());
    let put = client
        .put(&uri)
        .json(&json!({"client_id": "DR_1"}))
        .send()
        .await
        .expect("put");
    assert_error(put, StatusCode::METHOD_NOT_ALLOWED, "invalid_request").await;
    let delete = client.delete(&uri).send().await.expect("delete");
    assert_error(delete, StatusCode::METHOD_NOT_ALLOWED, "invalid_request").await;
}

#[tokio::test]
async fn a_rotated_token_is_shown_on_read() {
    let mut config = MockConfig::new(Dialect::Soffid);
    config.rotate_rat_on_read = true;
    let server = start_with(config).await;
    let client = http();
    let created = json(
        client
            .post(server.registration_endpoint())
            .bearer_auth(iat(&server))
            .json(&json!({"redirect_uris": ["https://a.example/cb"]}))
            .send()
            .await
            .expect("register"),
    )
    .await;
    let uri = str_of(&created, "registration_client_uri");
    let old = str_of(&created, "registration_access_token");
    let read = json(
        client
            .get(uri)
            .header("authorization", format!("token {old}"))
            .send()
            .await
            .expect("read"),
    )
    .await;
    let new = str_of(&read, "registration_access_token");
    assert_ne!(new, old);
    assert!(read.get("client_secret").is_none());
    let stale = client
        .get(uri)
        .header("authorization", format!("token {old}"))
        .send()
        .await
        .expect("stale");
    assert_error(stale, StatusCode::UNAUTHORIZED, "invalid_token").await;
}

#[tokio::test]
async fn refuses_bad_input_with_the_right_errors() {
    let server = start(Dialect::Soffid).await;
    let client = http();
    let endpoint = server.registration_endpoint();
    let token = iat(&server);
    let raw = |body: &'static str, content_type: &'static str| {
        client
            .post(&endpoint)
            .bearer_auth(&token)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let good = r#"{"redirect_uris":["https://app.example.com/cb"]}"#;

    let no_token = client
        .post(&endpoint)
        .json(&document_body())
        .send()
        .await
        .expect("no token");
    assert_error(no_token, StatusCode::UNAUTHORIZED, "invalid_token").await;
    let bad_token = client
        .post(&endpoint)
        .bearer_auth("nope")
        .json(&document_body())
        .send()
        .await
        .expect("bad");
    assert_error(bad_token, StatusCode::UNAUTHORIZED, "invalid_token").await;
    let fragment = r#"{"redirect_uris":["https://app.example.com/cb#x"]}"#;
    assert_error(
        raw(fragment, "application/json").await.expect("redirect"),
        StatusCode::BAD_REQUEST,
        "invalid_redirect_uri",
    )
    .await;
    let name = r#"{"redirect_uris":["https://app.example.com/cb"],"client_name":["x"]}"#;
    assert_error(
        raw(name, "application/json").await.expect("types"),
        StatusCode::BAD_REQUEST,
        "invalid_client_metadata",
    )
    .await;
    assert_eq!(server.admin().client_count(), 0);

    let created = json(raw(good, "application/json").await.expect("good")).await;
    let rat = str_of(&created, "registration_access_token");
    let unknown = client
        .get(format!("{endpoint}?client_id=DR_99"))
        .header("authorization", format!("token {rat}"))
        .send()
        .await
        .expect("unknown");
    assert_error(unknown, StatusCode::UNAUTHORIZED, "invalid_token").await;
    let wrong = client
        .get(format!("{endpoint}?client_id=DR_1"))
        .header("authorization", "token wrong")
        .send()
        .await
        .expect("wrong");
    assert_error(wrong, StatusCode::UNAUTHORIZED, "invalid_token").await;
    let no_id = client
        .get(&endpoint)
        .header("authorization", format!("token {rat}"))
        .send()
        .await
        .expect("no id");
    assert_error(no_id, StatusCode::BAD_REQUEST, "invalid_request").await;
}
