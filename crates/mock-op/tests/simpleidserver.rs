//! The simpleidserver dialect: SimpleIdServer as its document shows it.

use crate::support::{assert_error, http, json, start, str_of};
use registrar_mock_op::{Dialect, MockServer};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// `POST /token` exactly as the document shows it.
async fn registration_token(server: &MockServer) -> String {
    let response = http()
        .post(server.token_endpoint())
        .form(&[
            ("client_id", "registerClient"),
            ("grant_type", "client_credentials"),
            ("client_secret", "password"),
            ("scope", "register"),
        ])
        .send()
        .await
        .expect("token");
    assert_eq!(response.status(), StatusCode::OK);
    let body = json(response).await;
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], "register");
    assert!(body["expires_in"].as_u64().is_some_and(|s| s <= 300), "short-lived");
    str_of(&body, "access_token").to_owned()
}

fn document_body() -> Value {
    json!({"grant_types": ["client_credentials"], "scope": "openid profile", "redirect_uris": ["https://tmp.com"]})
}

const VENDOR_DEFAULTS: &[(&str, &str)] = &[
    ("token_endpoint_auth_method", r#""client_secret_post""#),
    ("response_types", r#"["code"]"#),
    ("contacts", "[]"),
    ("token_expiration_time_seconds", "1800"),
    ("refresh_token_expiration_time_seconds", "1800"),
    ("jwks", r#"{"keys":[]}"#),
    ("token_signed_response_alg", r#""RS256""#),
    ("token_encrypted_response_alg", r#""RSA1_5""#),
    ("token_encrypted_response_enc", r#""A128CBC-HS256""#),
    ("post_logout_redirect_uris", "[]"),
    ("preferred_token_profile", r#""Bearer""#),
    ("subject_type", r#""public""#),
    ("id_token_signed_response_alg", r#""RS256""#),
    ("backchannel_user_code_parameter", "false"),
    ("frontchannel_logout_session_required", "false"),
    ("backchannel_logout_session_required", "false"),
    ("tls_client_certificate_bound_access_token", "false"),
    ("application_type", r#""web""#),
    ("require_auth_time", "false"),
    ("authorization_signed_response_alg", r#""RS256""#),
    ("authorization_data_types", "[]"),
    ("is_consent_disabled", "false"),
    ("default_acr_values", "[]"),
];

#[tokio::test]
async fn token_then_register_then_manage_as_documented() {
    let server = start(Dialect::SimpleIdServer).await;
    let client = http();
    let token = registration_token(&server).await;

    let response = client
        .post(server.registration_endpoint())
        .bearer_auth(&token)
        .json(&document_body())
        .send()
        .await
        .expect("register");
    assert_eq!(response.status(), StatusCode::CREATED);
    let created = json(response).await;
    let id = str_of(&created, "client_id");
    for field in ["client_id", "client_secret", "registration_access_token"] {
        assert!(
            uuid::Uuid::parse_str(str_of(&created, field)).is_ok(),
            "{field} is a UUID"
        );
    }
    assert_eq!(
        created["registration_client_uri"],
        format!("{}/{id}", server.base_url())
    );
    assert_eq!(created["scope"], "profile openid", "scope values come back reordered");
    assert_eq!(created["grant_types"], json!(["client_credentials"]));
    for (field, value) in VENDOR_DEFAULTS {
        let expected: Value = serde_json::from_str(value).expect("literal");
        assert_eq!(created[*field], expected, "vendor default {field}");
    }
    let created_at = str_of(&created, "create_datetime");
    assert!(created_at.ends_with('Z') && created_at.len() == "2023-06-12T19:24:24.0727511Z".len());
    assert!(created.get("client_secret_expires_at").is_none(), "not in the document");

    let uri = str_of(&created, "registration_client_uri");
    let rat = str_of(&created, "registration_access_token");
    let read = client.get(uri).bearer_auth(rat).send().await.expect("read");
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(json(read).await, created);

    // The read result sent back (minus server-only fields) is a valid update, and changes
    // update_datetime but not create_datetime.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let mut body = created.as_object().cloned().expect("object");
    for field in [
        "registration_access_token",
        "registration_client_uri",
        "client_id_issued_at",
    ] {
        body.remove(field);
    }
    body.insert("redirect_uris".into(), json!(["https://tmp.com/changed"]));
    let update = client
        .put(uri)
        .bearer_auth(rat)
        .json(&body)
        .send()
        .await
        .expect("update");
    assert_eq!(update.status(), StatusCode::OK);
    let updated = json(update).await;
    assert_eq!(updated["redirect_uris"], json!(["https://tmp.com/changed"]));
    assert_eq!(updated["create_datetime"], created["create_datetime"]);
    assert_ne!(updated["update_datetime"], created["update_datetime"]);
    assert_eq!(updated["scope"], "profile openid", "stable when sent back");

    let delete = client.delete(uri).bearer_auth(rat).send().await.expect("delete");
    assert_eq!(delete.status(), StatusCode::NO_CONTENT);
    assert_error(
        client.get(uri).bearer_auth(rat).send().await.expect("gone"),
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn basic_auth_at_the_token_endpoint_and_scope_checks() {
    let server = start(Dialect::SimpleIdServer).await;
    let client = http();
    let response = client
        .post(server.token_endpoint())
        .basic_auth("registerClient", Some("password"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("token");
    let body = json(response).await;
    assert_eq!(body["scope"], "register", "the registration scope by default");
    let register_token = str_of(&body, "access_token").to_owned();

    // A token for an ordinary client lacks the register scope: 403 insufficient_scope.
    let ordinary = json(
        client
            .post(server.registration_endpoint())
            .bearer_auth(&register_token)
            .json(&document_body())
            .send()
            .await
            .expect("register"),
    )
    .await;
    let response = client
        .post(server.token_endpoint())
        .form(&[
            ("client_id", str_of(&ordinary, "client_id")),
            ("client_secret", str_of(&ordinary, "client_secret")),
            ("grant_type", "client_credentials"),
        ])
        .send()
        .await
        .expect("ordinary token");
    let ordinary_token = json(response).await;
    assert_eq!(ordinary_token["scope"], "profile openid");
    let refused = client
        .post(server.registration_endpoint())
        .bearer_auth(str_of(&ordinary_token, "access_token"))
        .json(&document_body())
        .send()
        .await
        .expect("insufficient");
    assert_eq!(
        refused.headers()["www-authenticate"],
        r#"Bearer error="insufficient_scope""#
    );
    assert_error(refused, StatusCode::FORBIDDEN, "insufficient_scope").await;
}

#[tokio::test]
async fn refuses_bad_input_with_the_right_errors() {
    let server = start(Dialect::SimpleIdServer).await;
    let client = http();
    let endpoint = server.registration_endpoint();
    let token = registration_token(&server).await;
    let raw = |body: &'static str, content_type: &'static str| {
        client
            .post(&endpoint)
            .bearer_auth(&token)
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
    assert_error(anonymous, StatusCode::UNAUTHORIZED, "invalid_token").await;
    let forged = client
        .post(&endpoint)
        .bearer_auth("forged")
        .json(&document_body())
        .send()
        .await
        .expect("forged");
    assert_error(forged, StatusCode::UNAUTHORIZED, "invalid_token").await;
    let wrong_secret = client
        .post(server.token_endpoint())
        .form(&[
            ("client_id", "registerClient"),
            ("client_secret", "guess"),
            ("grant_type", "client_credentials"),
            ("scope", "register"),
        ])
        .send()
        .await
        .expect("wrong secret");
    assert_error(wrong_secret, StatusCode::UNAUTHORIZED, "invalid_client").await;
    let wrong_scope = client
        .post(server.token_endpoint())
        .form(&[
            ("client_id", "registerClient"),
            ("client_secret", "password"),
            ("grant_type", "client_credentials"),
            ("scope", "admin"),
        ])
        .send()
        .await
        .expect("wrong scope");
    assert_error(wrong_scope, StatusCode::BAD_REQUEST, "invalid_scope").await;
    let wrong_grant = client
        .post(server.token_endpoint())
        .form(&[
            ("client_id", "registerClient"),
            ("client_secret", "password"),
            ("grant_type", "password"),
        ])
        .send()
        .await
        .expect("wrong grant");
    assert_error(wrong_grant, StatusCode::BAD_REQUEST, "unsupported_grant_type").await;

    assert_error(
        raw("{}", "application/xml").await.expect("type"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "invalid_request",
    )
    .await;
    let bad_redirect = r#"{"redirect_uris":["tmp.com"]}"#;
    assert_error(
        raw(bad_redirect, "application/json").await.expect("redirect"),
        StatusCode::BAD_REQUEST,
        "invalid_redirect_uri",
    )
    .await;
    let bad_scope = r#"{"grant_types":["client_credentials"],"scope":["openid"]}"#;
    assert_error(
        raw(bad_scope, "application/json").await.expect("scope type"),
        StatusCode::BAD_REQUEST,
        "invalid_client_metadata",
    )
    .await;
    assert_eq!(server.admin().client_count(), 0);

    let unknown = client
        .get(format!("{}/{}", server.base_url(), uuid::Uuid::nil()))
        .bearer_auth(uuid::Uuid::nil().to_string())
        .send()
        .await
        .expect("unknown");
    assert_error(unknown, StatusCode::UNAUTHORIZED, "invalid_token").await;
}
