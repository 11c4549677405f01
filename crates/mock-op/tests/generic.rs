//! The generic dialect: strict RFC 7591 + RFC 7592.

use crate::support::{assert_error, http, json, start, start_with, str_of};
use registrar_mock_op::{Dialect, MockConfig, MockServer};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn register(server: &MockServer, body: Value) -> Value {
    let response = http()
        .post(server.registration_endpoint())
        .json(&body)
        .send()
        .await
        .expect("register");
    assert_eq!(response.status(), StatusCode::CREATED);
    json(response).await
}

#[tokio::test]
async fn full_lifecycle_follows_rfc_7591_and_7592() {
    let server = start(Dialect::Generic).await;
    let client = http();

    let discovery = json(
        client
            .get(format!("{}/.well-known/openid-configuration", server.base_url()))
            .send()
            .await
            .expect("discovery"),
    )
    .await;
    assert_eq!(discovery["registration_endpoint"], server.registration_endpoint());
    assert_eq!(discovery["issuer"], server.issuer());

    let response = client
        .post(server.registration_endpoint())
        .json(&json!({
            "client_name": "Lifecycle",
            "redirect_uris": ["https://app.example.com/cb"],
            "grant_types": ["authorization_code", "client_credentials"],
            "x_vendor": {"nested": [1, 2, {"deep": null}]},
            "logo_uri": "https://app.example.com/logo.png"
        }))
        .send()
        .await
        .expect("register");
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(response.headers()["pragma"], "no-cache");
    let created = json(response).await;
    let id = str_of(&created, "client_id").to_owned();
    let rat = str_of(&created, "registration_access_token").to_owned();
    let secret = str_of(&created, "client_secret").to_owned();
    assert_eq!(created["client_secret_expires_at"], 0);
    assert!(created["client_id_issued_at"]
        .as_u64()
        .is_some_and(|t| t > 1_600_000_000));
    assert_eq!(
        created["registration_client_uri"],
        format!("{}/register/{id}", server.base_url())
    );
    assert_eq!(created["x_vendor"], json!({"nested": [1, 2, {"deep": null}]}));
    assert_eq!(created["client_name"], "Lifecycle");
    let uri = str_of(&created, "registration_client_uri").to_owned();

    let read = client.get(&uri).bearer_auth(&rat).send().await.expect("read");
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(read.headers()["cache-control"], "no-store");
    assert_eq!(json(read).await, created, "a read returns the registration");

    // The client can use its credentials at the token endpoint.
    let token = client
        .post(server.token_endpoint())
        .basic_auth(&id, Some(&secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("token");
    assert_eq!(token.status(), StatusCode::OK);
    let token = json(token).await;
    assert_eq!(token["token_type"], "Bearer");
    assert!(token["access_token"].as_str().is_some_and(|t| t.len() >= 32));

    // PUT replaces everything: logo_uri is omitted and so removed (RFC 7592 §2.2).
    let update = client
        .put(&uri)
        .bearer_auth(&rat)
        .json(&json!({
            "client_id": id,
            "client_secret": secret,
            "client_name": "Renamed",
            "redirect_uris": ["https://app.example.com/cb2"],
            "grant_types": ["authorization_code", "client_credentials"],
            "x_vendor": "kept"
        }))
        .send()
        .await
        .expect("update");
    assert_eq!(update.status(), StatusCode::OK);
    let updated = json(update).await;
    assert_eq!(updated["client_name"], "Renamed");
    assert_eq!(updated["redirect_uris"], json!(["https://app.example.com/cb2"]));
    assert_eq!(updated["x_vendor"], "kept");
    assert!(updated.get("logo_uri").is_none(), "omitted fields are removed");
    assert_eq!(updated["client_secret"], secret.as_str());
    assert_eq!(updated["client_id_issued_at"], created["client_id_issued_at"]);
    assert_eq!(updated["registration_access_token"], rat.as_str());

    let delete = client.delete(&uri).bearer_auth(&rat).send().await.expect("delete");
    assert_eq!(delete.status(), StatusCode::NO_CONTENT);
    assert!(delete.bytes().await.expect("empty body").is_empty());
    assert_eq!(server.admin().client_count(), 0);

    let gone = client
        .get(&uri)
        .bearer_auth(&rat)
        .send()
        .await
        .expect("read after delete");
    assert_error(gone, StatusCode::UNAUTHORIZED, "invalid_token").await;
    server.stop().await;
}

#[tokio::test]
async fn public_clients_get_no_secret() {
    let server = start(Dialect::Generic).await;
    let created = register(
        &server,
        json!({"redirect_uris": ["com.example.app:/cb"], "application_type": "native", "token_endpoint_auth_method": "none"}),
    )
    .await;
    assert!(created.get("client_secret").is_none());
    assert!(created.get("client_secret_expires_at").is_none());
}

#[tokio::test]
async fn initial_access_token_is_optional_unless_required() {
    let mut config = MockConfig::new(Dialect::Generic);
    config.credentials.initial_access_token = Some("iat-123".into());
    let server = start_with(config).await;
    let client = http();
    let body = json!({"redirect_uris": ["https://app.example.com/cb"]});
    let post = || client.post(server.registration_endpoint()).json(&body);

    assert_eq!(post().send().await.expect("absent").status(), StatusCode::CREATED);
    let valid = post().bearer_auth("iat-123").send().await.expect("valid");
    assert_eq!(valid.status(), StatusCode::CREATED);
    let invalid = post().bearer_auth("nope").send().await.expect("invalid");
    assert_eq!(invalid.headers()["www-authenticate"], r#"Bearer error="invalid_token""#);
    assert_error(invalid, StatusCode::UNAUTHORIZED, "invalid_token").await;

    let mut config = MockConfig::new(Dialect::Generic);
    config.require_initial_token = true;
    let strict = start_with(config).await;
    let iat = strict
        .credentials()
        .initial_access_token
        .clone()
        .expect("generated IAT");
    let post = || client.post(strict.registration_endpoint()).json(&body);
    assert_error(
        post().send().await.expect("absent"),
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    assert_eq!(
        post().bearer_auth(iat).send().await.expect("valid").status(),
        StatusCode::CREATED
    );
    assert_eq!(strict.admin().client_count(), 1);
}

#[tokio::test]
async fn update_enforces_rfc_7592_rules() {
    let server = start(Dialect::Generic).await;
    let client = http();
    let created = register(
        &server,
        json!({"redirect_uris": ["https://app.example.com/cb"], "client_name": "Before"}),
    )
    .await;
    let id = str_of(&created, "client_id");
    let uri = str_of(&created, "registration_client_uri");
    let rat = str_of(&created, "registration_access_token");
    let put = |body: Value| client.put(uri).bearer_auth(rat).json(&body).send();
    let base = json!({"client_id": id, "redirect_uris": ["https://app.example.com/cb"]});

    let missing_id = json!({"redirect_uris": ["https://app.example.com/cb"]});
    assert_error(
        put(missing_id).await.expect("no id"),
        StatusCode::BAD_REQUEST,
        "invalid_request",
    )
    .await;
    let other_id = json!({"client_id": "someone-else", "redirect_uris": ["https://app.example.com/cb"]});
    assert_error(
        put(other_id).await.expect("other id"),
        StatusCode::BAD_REQUEST,
        "invalid_request",
    )
    .await;
    for (field, value) in [
        ("registration_access_token", json!(rat)),
        ("registration_client_uri", json!(uri)),
        ("client_secret_expires_at", json!(0)),
        ("client_id_issued_at", json!(1)),
    ] {
        let mut body = base.clone();
        body[field] = value;
        assert_error(
            put(body).await.expect("forbidden"),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        )
        .await;
    }
    let mut wrong_secret = base.clone();
    wrong_secret["client_secret"] = json!("not-the-secret");
    assert_error(
        put(wrong_secret).await.expect("secret"),
        StatusCode::BAD_REQUEST,
        "invalid_request",
    )
    .await;
    let bad_meta = json!({"client_id": id, "redirect_uris": ["https://app.example.com/cb#frag"]});
    assert_error(
        put(bad_meta).await.expect("meta"),
        StatusCode::BAD_REQUEST,
        "invalid_redirect_uri",
    )
    .await;

    let stored = server.admin().get_client(id).expect("still there");
    assert_eq!(stored["client_name"], "Before", "refused updates change nothing");
    assert_eq!(put(base).await.expect("good").status(), StatusCode::OK);
    assert!(server.admin().get_client(id).expect("there")["client_name"].is_null());
}

#[tokio::test]
async fn refuses_bad_input_with_the_right_errors() {
    let server = start(Dialect::Generic).await;
    let client = http();
    let endpoint = server.registration_endpoint();

    let cases = [
        (
            json!({"redirect_uris": ["https://app.example.com/cb#frag"]}),
            "invalid_redirect_uri",
        ),
        (json!({"redirect_uris": ["not a uri"]}), "invalid_redirect_uri"),
        (
            json!({"redirect_uris": "https://app.example.com/cb"}),
            "invalid_redirect_uri",
        ),
        (json!({"client_name": "no redirect uris"}), "invalid_redirect_uri"),
        (
            json!({"redirect_uris": ["http://app.example.com/cb"], "grant_types": ["implicit"], "response_types": ["id_token"]}),
            "invalid_redirect_uri",
        ),
        (
            json!({"redirect_uris": ["http://app.example.com/cb"], "application_type": "native"}),
            "invalid_redirect_uri",
        ),
        (
            json!({"redirect_uris": ["https://a.example/cb"], "client_name": 42}),
            "invalid_client_metadata",
        ),
        (
            json!({"redirect_uris": ["https://a.example/cb"], "contacts": "a@b.example"}),
            "invalid_client_metadata",
        ),
        (
            json!({"redirect_uris": ["https://a.example/cb"], "contacts": [1]}),
            "invalid_client_metadata",
        ),
        (
            json!({"redirect_uris": ["https://a.example/cb"], "response_types": ["token"]}),
            "invalid_client_metadata",
        ),
        (
            json!({"redirect_uris": ["https://a.example/cb"], "jwks": {"keys": []}, "jwks_uri": "https://a.example/jwks"}),
            "invalid_client_metadata",
        ),
        (
            json!({"redirect_uris": ["https://a.example/cb"], "application_type": "tv"}),
            "invalid_client_metadata",
        ),
    ];
    for (body, code) in cases {
        let response = client.post(&endpoint).json(&body).send().await.expect("send");
        assert_error(response, StatusCode::BAD_REQUEST, code).await;
    }
    assert_eq!(server.admin().client_count(), 0, "nothing bad was stored");

    // Management: missing, wrong and unknown tokens/clients are all 401 invalid_token.
    let created = register(&server, json!({"redirect_uris": ["https://app.example.com/cb"]})).await;
    let uri = str_of(&created, "registration_client_uri");
    let rat = str_of(&created, "registration_access_token");
    assert_error(
        client.get(uri).send().await.expect("no token"),
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    assert_error(
        client.get(uri).bearer_auth("wrong").send().await.expect("bad token"),
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    let unknown = format!("{endpoint}/no-such-client");
    assert_error(
        client.get(&unknown).bearer_auth(rat).send().await.expect("unknown"),
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    assert_error(
        client
            .delete(uri)
            .bearer_auth("wrong")
            .send()
            .await
            .expect("bad delete"),
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    assert_eq!(server.admin().client_count(), 1, "a refused delete deletes nothing");
    // A bad token is reported before the body is even looked at.
    let put = client
        .put(uri)
        .bearer_auth("wrong")
        .body("garbage")
        .send()
        .await
        .expect("put");
    assert_error(put, StatusCode::UNAUTHORIZED, "invalid_token").await;
}

#[tokio::test]
async fn token_endpoint_checks_client_and_grant() {
    let server = start(Dialect::Generic).await;
    let client = http();
    let created = register(
        &server,
        json!({"redirect_uris": ["https://a.example/cb"], "grant_types": ["authorization_code", "client_credentials"], "scope": "read write"}),
    )
    .await;
    let id = str_of(&created, "client_id");
    let secret = str_of(&created, "client_secret");
    let token = |form: Vec<(&'static str, String)>| client.post(server.token_endpoint()).form(&form).send();
    let creds = |s: &str| vec![("client_id", id.to_owned()), ("client_secret", s.to_owned())];

    let mut ok = creds(secret);
    ok.push(("grant_type", "client_credentials".into()));
    ok.push(("scope", "read".into()));
    let response = token(ok).await.expect("post auth");
    assert_eq!(response.status(), StatusCode::OK);
    let body = json(response).await;
    assert_eq!(body["scope"], "read");
    assert_eq!(body["expires_in"], 3600);

    let mut wrong = creds("wrong");
    wrong.push(("grant_type", "client_credentials".into()));
    assert_error(
        token(wrong).await.expect("wrong"),
        StatusCode::UNAUTHORIZED,
        "invalid_client",
    )
    .await;
    let mut password = creds(secret);
    password.push(("grant_type", "password".into()));
    assert_error(
        token(password).await.expect("grant"),
        StatusCode::BAD_REQUEST,
        "unsupported_grant_type",
    )
    .await;
    let mut too_wide = creds(secret);
    too_wide.push(("grant_type", "client_credentials".into()));
    too_wide.push(("scope", "admin".into()));
    assert_error(
        token(too_wide).await.expect("scope"),
        StatusCode::BAD_REQUEST,
        "invalid_scope",
    )
    .await;

    let code_only = register(&server, json!({"redirect_uris": ["https://a.example/cb"]})).await;
    let response = client
        .post(server.token_endpoint())
        .basic_auth(
            str_of(&code_only, "client_id"),
            Some(str_of(&code_only, "client_secret")),
        )
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("unauthorized client");
    assert_error(response, StatusCode::BAD_REQUEST, "unauthorized_client").await;
}

#[tokio::test]
async fn rotation_replaces_tokens_and_secrets() {
    let mut config = MockConfig::new(Dialect::Generic);
    config.rotate_rat_on_read = true;
    config.rotate_rat_on_update = true;
    config.rotate_secret_on_read = true;
    let server = start_with(config).await;
    let client = http();
    let created = register(&server, json!({"redirect_uris": ["https://app.example.com/cb"]})).await;
    let id = str_of(&created, "client_id");
    let uri = str_of(&created, "registration_client_uri");
    let first = str_of(&created, "registration_access_token");

    let read = json(client.get(uri).bearer_auth(first).send().await.expect("read")).await;
    let second = str_of(&read, "registration_access_token");
    assert_ne!(first, second, "a read rotates the token");
    assert_ne!(read["client_secret"], created["client_secret"], "and the secret");
    assert_eq!(server.admin().registration_access_token(id).as_deref(), Some(second));
    let stale = client.get(uri).bearer_auth(first).send().await.expect("stale");
    assert_error(stale, StatusCode::UNAUTHORIZED, "invalid_token").await;

    let update = client
        .put(uri)
        .bearer_auth(second)
        .json(&json!({"client_id": id, "redirect_uris": ["https://app.example.com/cb"]}))
        .send()
        .await
        .expect("update");
    let updated = json(update).await;
    let third = str_of(&updated, "registration_access_token");
    assert_ne!(third, second, "an update rotates the token");
    let stale = client
        .delete(uri)
        .bearer_auth(second)
        .send()
        .await
        .expect("stale delete");
    assert_error(stale, StatusCode::UNAUTHORIZED, "invalid_token").await;

    server.admin().set_rotation(false, false, false);
    let read = json(client.get(uri).bearer_auth(third).send().await.expect("read")).await;
    assert_eq!(
        read["registration_access_token"], third,
        "rotation switched off at run time"
    );
}
