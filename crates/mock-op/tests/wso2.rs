//! The wso2 dialect: as WSO2 Identity Server 5.3.0's document shows it.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::support::{assert_error, http, json, start, str_of};
use registrar_mock_op::{Dialect, MockServer};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn register(server: &MockServer, body: &Value) -> reqwest::RequestBuilder {
    http()
        .post(server.registration_endpoint())
        .basic_auth("admin", Some("admin"))
        .json(body)
}

fn delete_uri(server: &MockServer, id: &str, query: &str) -> String {
    format!("{}/identity/register/{id}?{query}", server.base_url())
}

#[tokio::test]
async fn register_and_delete_as_documented() {
    let server = start(Dialect::Wso2).await;
    let client = http();
    assert_eq!(
        server.registration_endpoint(),
        format!("{}/identity/connect/register", server.base_url())
    );
    let response = register(
        &server,
        &json!({
            "redirect_uris": ["server.example.com"],
            "client_name": "application_1",
            "ext_param_owner": "application_owner",
            "grant_types": ["password"]
        }),
    )
    .send()
    .await
    .expect("register");
    assert_eq!(response.status(), StatusCode::CREATED);
    let created = json(response).await;
    let mut keys: Vec<&str> = created
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "client_id",
            "client_name",
            "client_secret",
            "client_secret_expires_at",
            "redirect_uris"
        ],
        "no registration access token, no registration_client_uri"
    );
    assert_eq!(created["client_name"], "application_owner_application_1");
    assert_eq!(created["redirect_uris"], json!(["server.example.com"]));
    let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_secs();
    let expires = created["client_secret_expires_at"].as_u64().expect("timestamp");
    assert!(expires > now + 300 * 24 * 3600, "a real future expiry");
    let id = str_of(&created, "client_id");

    // Deletion needs userId and the returned application name; wrong ones delete nothing.
    let wrong = client
        .delete(delete_uri(&server, id, "userId=admin&applicationName=application_1"))
        .basic_auth("admin", Some("admin"))
        .send()
        .await
        .expect("wrong name");
    assert_error(wrong, StatusCode::BAD_REQUEST, "invalid_request").await;
    let stranger = client
        .delete(delete_uri(
            &server,
            id,
            "userId=mallory&applicationName=application_owner_application_1",
        ))
        .basic_auth("admin", Some("admin"))
        .send()
        .await
        .expect("wrong user");
    assert_error(stranger, StatusCode::BAD_REQUEST, "invalid_request").await;
    let missing = client
        .delete(delete_uri(&server, id, "userId=admin"))
        .basic_auth("admin", Some("admin"))
        .send()
        .await
        .expect("missing");
    assert_error(missing, StatusCode::BAD_REQUEST, "invalid_request").await;
    assert!(server.admin().get_client(id).is_some(), "still registered");

    let deleted = client
        .delete(delete_uri(
            &server,
            id,
            "userId=admin&applicationName=application_owner_application_1",
        ))
        .basic_auth("admin", Some("admin"))
        .send()
        .await
        .expect("delete");
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(server.admin().client_count(), 0);
    let again = client
        .delete(delete_uri(
            &server,
            id,
            "userId=admin&applicationName=application_owner_application_1",
        ))
        .basic_auth("admin", Some("admin"))
        .send()
        .await
        .expect("again");
    assert_error(again, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn owner_defaults_to_the_admin_and_regexp_redirects_are_accepted() {
    let server = start(Dialect::Wso2).await;
    let created = json(
        register(
            &server,
            &json!({
                "redirect_uris": ["regexp=(https://server.example.com/callback|https://testapp:8000/callback)"],
                "client_name": "application_2",
                "grant_types": ["authorization_code"]
            }),
        )
        .send()
        .await
        .expect("register"),
    )
    .await;
    assert_eq!(
        created["client_name"], "admin_application_2",
        "the document's delete example"
    );
    let id = str_of(&created, "client_id");
    let stored = server.admin().get_client(id).expect("stored");
    assert_eq!(stored["ext_param_owner"], "admin");
    assert_eq!(stored["grant_types"], json!(["authorization_code"]));

    let deleted = http()
        .delete(delete_uri(
            &server,
            id,
            "userId=admin&applicationName=admin_application_2",
        ))
        .basic_auth("admin", Some("admin"))
        .send()
        .await
        .expect("delete");
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn no_read_and_no_update() {
    let server = start(Dialect::Wso2).await;
    let created = json(
        register(
            &server,
            &json!({"redirect_uris": ["server.example.com"], "client_name": "app", "grant_types": ["password"]}),
        )
        .send()
        .await
        .expect("register"),
    )
    .await;
    let uri = format!(
        "{}/identity/register/{}",
        server.base_url(),
        str_of(&created, "client_id")
    );
    let client = http();
    let get = client
        .get(&uri)
        .basic_auth("admin", Some("admin"))
        .send()
        .await
        .expect("get");
    assert_error(get, StatusCode::METHOD_NOT_ALLOWED, "invalid_request").await;
    let put = client
        .put(&uri)
        .basic_auth("admin", Some("admin"))
        .json(&created)
        .send()
        .await
        .expect("put");
    assert_error(put, StatusCode::METHOD_NOT_ALLOWED, "invalid_request").await;
}

#[tokio::test]
async fn refuses_bad_input_with_the_right_errors() {
    let server = start(Dialect::Wso2).await;
    let client = http();
    let endpoint = server.registration_endpoint();
    let body = json!({"redirect_uris": ["server.example.com"], "client_name": "app", "grant_types": ["password"]});

    let anonymous = client.post(&endpoint).json(&body).send().await.expect("anonymous");
    assert_eq!(
        anonymous.headers()["www-authenticate"],
        r#"Basic realm="WSO2 Identity Server""#
    );
    assert_error(anonymous, StatusCode::UNAUTHORIZED, "invalid_client").await;
    let wrong = client
        .post(&endpoint)
        .basic_auth("admin", Some("nimda"))
        .json(&body)
        .send()
        .await
        .expect("wrong");
    assert_error(wrong, StatusCode::UNAUTHORIZED, "invalid_client").await;

    for uris in [
        json!(["not a host"]),
        json!(["regexp=(https://ok.example/cb|bad uri)"]),
        json!(["https://a.example/cb#frag"]),
    ] {
        let response = register(&server, &json!({"redirect_uris": uris, "client_name": "app"}))
            .send()
            .await
            .expect("redirect");
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let error = json(response).await;
        assert_eq!(
            error,
            json!({"error": "invalid_redirect_uri", "error_description": "One or more redirect_uri values are invalid"})
        );
    }
    let nameless = register(
        &server,
        &json!({"redirect_uris": ["server.example.com"], "grant_types": ["password"]}),
    )
    .send()
    .await
    .expect("nameless");
    assert_error(nameless, StatusCode::BAD_REQUEST, "invalid_client_metadata").await;
    assert_eq!(server.admin().client_count(), 0);

    let unknown = client
        .delete(delete_uri(&server, "nope", "userId=admin&applicationName=admin_app"))
        .basic_auth("admin", Some("admin"))
        .send()
        .await
        .expect("unknown");
    assert_error(unknown, StatusCode::NOT_FOUND, "not_found").await;
    let unauthenticated = client
        .delete(delete_uri(&server, "nope", "userId=admin&applicationName=admin_app"))
        .send()
        .await
        .expect("no auth");
    assert_error(unauthenticated, StatusCode::UNAUTHORIZED, "invalid_client").await;
}
