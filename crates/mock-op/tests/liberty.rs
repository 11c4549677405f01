//! The liberty dialect: IBM WebSphere Liberty's OpenID Connect Provider as its document shows it.

use crate::support::{assert_error, http, json, start, str_of};
use registrar_mock_op::{Dialect, MockServer};
use reqwest::{RequestBuilder, Response, StatusCode};
use serde_json::{json, Value};

const ADMIN: (&str, &str) = ("clientAdmin", "clientAdminPassword");

fn as_admin(request: RequestBuilder) -> RequestBuilder {
    request.basic_auth(ADMIN.0, Some(ADMIN.1))
}

fn etag(response: &Response) -> String {
    response.headers()["etag"].to_str().expect("ascii").to_owned()
}

/// The document's registration payload.
fn document_body() -> Value {
    json!({
        "token_endpoint_auth_method": "client_secret_basic",
        "scope": "openid profile email general",
        "grant_types": ["authorization_code", "client_credentials", "implicit", "refresh_token", "urn:ietf:params:oauth:grant-type:jwt-bearer"],
        "response_types": ["code", "token", "id_token token"],
        "application_type": "web",
        "subject_type": "public",
        "post_logout_redirect_uris": ["https://server.example.com:9000/logout/", "https://server.example.com:9001/exit/"],
        "preauthorized_scope": "openid profile email general",
        "introspect_tokens": true,
        "trusted_uri_prefixes": ["https://server.example.com:9000/trusted/"],
        "redirect_uris": ["https://server.example.com:443/resource/redirect1", "https://server.example.com:9000/resource/redirect2"]
    })
}

/// The document's update payload for client `id`.
fn update_body(id: &str, secret: &str) -> Value {
    json!({
        "token_endpoint_auth_method": "client_secret_basic",
        "scope": "openid profile",
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
        "application_type": "native",
        "subject_type": "public",
        "post_logout_redirect_uris": ["https://server.example.com:9000/logout/"],
        "preauthorized_scope": "openid",
        "introspect_tokens": false,
        "trusted_uri_prefixes": ["https://server.example.com:9003/trusted/"],
        "client_id": id,
        "client_secret": secret,
        "client_name": "updated client",
        "redirect_uris": ["https://server.example.com:443/resource/redirect1"]
    })
}

fn stored_secret(server: &MockServer, id: &str) -> String {
    str_of(&server.admin().get_client(id).expect("stored"), "client_secret").to_owned()
}

#[tokio::test]
async fn full_lifecycle_as_documented() {
    let server = start(Dialect::Liberty).await;
    let client = http();
    let issuer = format!("{}/oidc/endpoint/OP", server.base_url());
    assert_eq!(server.issuer(), issuer);
    assert_eq!(server.registration_endpoint(), format!("{issuer}/registration"));
    for discovery in [
        format!("{issuer}/.well-known/openid-configuration"),
        format!("{}/.well-known/openid-configuration", server.base_url()),
    ] {
        let doc = json(client.get(discovery).send().await.expect("discovery")).await;
        assert_eq!(doc["issuer"], issuer);
        assert_eq!(doc["registration_endpoint"], server.registration_endpoint());
    }

    let response = as_admin(client.post(server.registration_endpoint()))
        .json(&document_body())
        .send()
        .await
        .expect("register");
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()["cache-control"], "private");
    let registered_etag = etag(&response);
    assert!(registered_etag.starts_with('"') && registered_etag.ends_with('"'));
    let created = json(response).await;
    let id = str_of(&created, "client_id").to_owned();
    assert_eq!(id.len(), 32, "generated ids look like Liberty's");
    let secret = str_of(&created, "client_secret").to_owned();
    assert_ne!(secret, "*", "registration returns the real secret");
    assert_eq!(created["client_name"], id.as_str(), "client_name defaults to client_id");
    assert_eq!(created["client_secret_expires_at"], 0);
    assert!(created["client_id_issued_at"].is_u64());
    assert_eq!(created["introspect_tokens"], true);
    assert_eq!(created["preauthorized_scope"], "openid profile email general");
    assert_eq!(
        created["trusted_uri_prefixes"],
        json!(["https://server.example.com:9000/trusted/"])
    );
    let uri = format!("{}/{id}", server.registration_endpoint());
    assert_eq!(created["registration_client_uri"], uri.as_str());
    assert!(created.get("registration_access_token").is_none());
    let doubled = format!("{}/registration/{id}", server.registration_endpoint());

    // Reads at both paths mask the secret and carry the same ETag.
    for path in [&uri, &doubled] {
        let read = as_admin(client.get(path)).send().await.expect("read");
        assert_eq!(read.status(), StatusCode::OK);
        assert_eq!(etag(&read), registered_etag);
        let body = json(read).await;
        assert_eq!(body["client_secret"], "*");
        assert_eq!(body["client_id"], id.as_str());
    }
    let head = as_admin(client.head(&doubled)).send().await.expect("head");
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(etag(&head), registered_etag);
    assert!(head.bytes().await.expect("no body").is_empty());

    // Update with "*": the secret is kept; the ETag changes.
    let update = as_admin(client.put(&doubled))
        .json(&update_body(&id, "*"))
        .send()
        .await
        .expect("update");
    assert_eq!(update.status(), StatusCode::OK);
    let updated_etag = etag(&update);
    assert_ne!(updated_etag, registered_etag);
    let updated = json(update).await;
    assert_eq!(updated["client_secret"], "*");
    assert_eq!(updated["client_name"], "updated client");
    assert_eq!(updated["application_type"], "native");
    assert_eq!(updated["client_id_issued_at"], created["client_id_issued_at"]);
    assert_eq!(updated["registration_client_uri"], uri.as_str());
    assert_eq!(stored_secret(&server, &id), secret);
    let read = as_admin(client.get(&uri)).send().await.expect("read");
    assert_eq!(etag(&read), updated_etag);

    // "" makes a new secret, shown once; another value sets it.
    let regenerate = as_admin(client.put(&uri))
        .json(&update_body(&id, ""))
        .send()
        .await
        .expect("regenerate");
    let regenerated = json(regenerate).await;
    let new_secret = str_of(&regenerated, "client_secret").to_owned();
    assert!(new_secret != "*" && new_secret != secret && !new_secret.is_empty());
    assert_eq!(stored_secret(&server, &id), new_secret);
    let set = as_admin(client.put(&uri))
        .json(&update_body(&id, "chosen-secret"))
        .send()
        .await
        .expect("set");
    assert_eq!(json(set).await["client_secret"], "*");
    assert_eq!(stored_secret(&server, &id), "chosen-secret");

    // If-Match: a stale tag is refused and changes nothing; the current one passes.
    let stale = as_admin(client.put(&uri))
        .header("if-match", &registered_etag)
        .json(&update_body(&id, "another"))
        .send()
        .await
        .expect("stale put");
    assert_error(stale, StatusCode::PRECONDITION_FAILED, "precondition_failed").await;
    assert_eq!(stored_secret(&server, &id), "chosen-secret");
    let current = etag(&as_admin(client.head(&uri)).send().await.expect("head"));
    let stale_delete = as_admin(client.delete(&uri))
        .header("if-match", &registered_etag)
        .send()
        .await
        .expect("stale delete");
    assert_error(stale_delete, StatusCode::PRECONDITION_FAILED, "precondition_failed").await;
    let delete = as_admin(client.delete(&doubled))
        .header("if-match", &current)
        .send()
        .await
        .expect("delete");
    assert_eq!(delete.status(), StatusCode::NO_CONTENT);
    assert!(delete.bytes().await.expect("body").is_empty());
    let gone = as_admin(client.get(&uri)).send().await.expect("gone");
    assert_error(gone, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn clients_may_choose_their_id_and_secret() {
    let server = start(Dialect::Liberty).await;
    let client = http();
    let body = json!({
        "client_id": "my-app",
        "client_secret": "my-secret",
        "grant_types": ["client_credentials"],
        "functional_user_id": "svc",
        "functional_user_groupIds": ["g1", "g2"]
    });
    let response = as_admin(client.post(server.registration_endpoint()))
        .json(&body)
        .send()
        .await
        .expect("register");
    assert_eq!(response.status(), StatusCode::CREATED);
    let created = json(response).await;
    assert_eq!(created["client_id"], "my-app");
    assert_eq!(created["client_secret"], "my-secret");
    assert_eq!(created["client_name"], "my-app");
    assert_eq!(created["response_types"], json!(["code"]));
    assert_eq!(created["token_endpoint_auth_method"], "client_secret_basic");
    assert_eq!(created["functional_user_groupIds"], json!(["g1", "g2"]));

    let conflict = as_admin(client.post(server.registration_endpoint()))
        .json(&body)
        .send()
        .await
        .expect("conflict");
    assert_error(conflict, StatusCode::BAD_REQUEST, "invalid_client_metadata").await;
    assert_eq!(server.admin().client_count(), 1);

    // The chosen credentials work at the token endpoint.
    let token = client
        .post(server.token_endpoint())
        .basic_auth("my-app", Some("my-secret"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("token");
    assert_eq!(token.status(), StatusCode::OK);
}

#[tokio::test]
async fn refuses_bad_input_with_the_right_errors() {
    let server = start(Dialect::Liberty).await;
    let client = http();
    let endpoint = server.registration_endpoint();
    let raw = |body: &'static str, content_type: &'static str| {
        as_admin(client.post(&endpoint))
            .header("content-type", content_type)
            .body(body)
            .send()
    };

    let anonymous = client
        .post(&endpoint)
        .json(&document_body())
        .send()
        .await
        .expect("anonymous");
    assert_eq!(anonymous.headers()["www-authenticate"], r#"Basic realm="Liberty OP""#);
    assert_error(anonymous, StatusCode::UNAUTHORIZED, "invalid_client").await;
    let wrong = client
        .post(&endpoint)
        .basic_auth(ADMIN.0, Some("guess"))
        .json(&document_body())
        .send()
        .await
        .expect("wrong");
    assert_error(wrong, StatusCode::UNAUTHORIZED, "invalid_client").await;
    let no_role = client
        .post(&endpoint)
        .basic_auth("user1", Some("user1Password"))
        .json(&document_body())
        .send()
        .await
        .expect("no role");
    assert_error(no_role, StatusCode::FORBIDDEN, "access_denied").await;
    let bad_redirect = r#"{"redirect_uris":["https://a.example/cb#x"]}"#;
    assert_error(
        raw(bad_redirect, "application/json").await.expect("redirect"),
        StatusCode::BAD_REQUEST,
        "invalid_redirect_uri",
    )
    .await;
    let bad_flag = r#"{"introspect_tokens":"yes"}"#;
    assert_error(
        raw(bad_flag, "application/json").await.expect("flag"),
        StatusCode::BAD_REQUEST,
        "invalid_client_metadata",
    )
    .await;
    let bad_id = r#"{"client_id":"a/b"}"#;
    assert_error(
        raw(bad_id, "application/json").await.expect("id"),
        StatusCode::BAD_REQUEST,
        "invalid_client_metadata",
    )
    .await;
    assert_eq!(server.admin().client_count(), 0);

    let created = json(raw(r#"{"client_id":"kept"}"#, "application/json").await.expect("good")).await;
    let uri = str_of(&created, "registration_client_uri");
    let unknown = format!("{endpoint}/nobody");
    assert_error(
        as_admin(client.get(&unknown)).send().await.expect("unknown"),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        as_admin(client.delete(&unknown)).send().await.expect("unknown delete"),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let mismatch = as_admin(client.put(uri))
        .json(&json!({"client_id": "other"}))
        .send()
        .await
        .expect("mismatch");
    assert_error(mismatch, StatusCode::BAD_REQUEST, "invalid_request").await;
    let read_no_role = client
        .get(uri)
        .basic_auth("user1", Some("user1Password"))
        .send()
        .await
        .expect("no role read");
    assert_error(read_no_role, StatusCode::FORBIDDEN, "access_denied").await;
    let delete_anonymous = client.delete(uri).send().await.expect("anonymous delete");
    assert_error(delete_anonymous, StatusCode::UNAUTHORIZED, "invalid_client").await;
    assert_eq!(server.admin().client_count(), 1);
}
