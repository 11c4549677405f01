//! Refresh tokens that rotate (and punish reuse), and the device authorization grant with its
//! polling discipline, in every dialect.

use std::time::Duration;

use crate::support::oauth::{
    app, client_post, code_flow, exchange, input_value, register, submit, verify_id_token, TestClient, DEVICE_GRANT,
};
use crate::support::{assert_error, http, json, start, start_with, str_of};
use registrar_mock_op::{Dialect, Fault, MockConfig, MockServer, DEMO_PASSWORD, DEMO_SUBJECT, DEMO_USERNAME};
use reqwest::StatusCode;
use serde_json::Value;

async fn refresh(server: &MockServer, client: &TestClient, token: &str, scope: Option<&str>) -> reqwest::Response {
    let mut fields = vec![("grant_type", "refresh_token"), ("refresh_token", token)];
    if let Some(scope) = scope {
        fields.push(("scope", scope));
    }
    client_post(&server.token_endpoint(), client, &fields).await
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_reused_one_kills_the_family() {
    for dialect in Dialect::PLAIN {
        let server = start(dialect).await;
        for auth in ["client_secret_basic", "none"] {
            let client = register(&server, app(auth)).await;
            let redirect = code_flow(&server, &client, &[]).await;
            let first = json(exchange(&server, &client, &redirect["code"]).await).await;
            let old = str_of(&first, "refresh_token").to_owned();

            let response = refresh(&server, &client, &old, None).await;
            assert_eq!(response.status(), StatusCode::OK, "{dialect} {auth}");
            let second = json(response).await;
            let new = str_of(&second, "refresh_token").to_owned();
            assert_ne!(new, old, "{dialect} {auth}: rotated");
            assert_ne!(second["access_token"], first["access_token"]);
            let claims = verify_id_token(&server, str_of(&second, "id_token"), &client.id)
                .await
                .expect("refreshed ID token verifies");
            assert_eq!(claims["sub"], DEMO_SUBJECT);
            assert!(claims.get("nonce").is_none(), "no nonce on refresh");

            let reuse = refresh(&server, &client, &old, None).await;
            assert_error(reuse, StatusCode::BAD_REQUEST, "invalid_grant").await;
            // Reuse means theft: the current token of the family dies too.
            let after = refresh(&server, &client, &new, None).await;
            assert_error(after, StatusCode::BAD_REQUEST, "invalid_grant").await;
        }
    }
}

#[tokio::test]
async fn a_refresh_may_narrow_the_scope_but_not_widen_it_nor_change_client() {
    let server = start(Dialect::Generic).await;
    let client = register(&server, app("client_secret_post")).await;
    let redirect = code_flow(&server, &client, &[("scope", "openid profile")]).await;
    let tokens = json(exchange(&server, &client, &redirect["code"]).await).await;
    let wider = refresh(&server, &client, str_of(&tokens, "refresh_token"), Some("openid email")).await;
    assert_error(wider, StatusCode::BAD_REQUEST, "invalid_scope").await;
    // The refused request did not use the token up.
    let narrower = json(refresh(&server, &client, str_of(&tokens, "refresh_token"), Some("openid")).await).await;
    assert_eq!(narrower["scope"], "openid");
    let other = register(&server, app("client_secret_basic")).await;
    let stolen = refresh(&server, &other, str_of(&narrower, "refresh_token"), None).await;
    assert_error(stolen, StatusCode::BAD_REQUEST, "invalid_grant").await;
    // A client not registered for refresh_token gets none.
    let mut no_refresh = app("client_secret_basic");
    no_refresh["grant_types"] = serde_json::json!(["authorization_code"]);
    let plain = register(&server, no_refresh).await;
    let redirect = code_flow(&server, &plain, &[]).await;
    let tokens = json(exchange(&server, &plain, &redirect["code"]).await).await;
    assert!(tokens.get("refresh_token").is_none());
}

/// A config whose device polling interval is zero, so no poll is ever too soon.
fn eager(dialect: Dialect) -> MockConfig {
    let mut config = MockConfig::new(dialect);
    config.timing.device_poll_interval = Duration::ZERO;
    config
}

async fn device_authorization(server: &MockServer, client: &TestClient) -> Value {
    let response = client_post(
        &server.device_authorization_endpoint(),
        client,
        &[("scope", "openid profile")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK, "{}", server.dialect());
    json(response).await
}

async fn poll(server: &MockServer, client: &TestClient, device_code: &str) -> reqwest::Response {
    client_post(
        &server.token_endpoint(),
        client,
        &[("grant_type", DEVICE_GRANT), ("device_code", device_code)],
    )
    .await
}

/// The user at the verification page: opens `verification_uri_complete`, logs in, answers.
async fn user_answers(server: &MockServer, start: &Value, decision: &str) -> String {
    let page = http()
        .get(str_of(start, "verification_uri_complete"))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    let user_code = input_value(&html, "user_code").expect("user_code field");
    assert_eq!(user_code, str_of(start, "user_code"), "prefilled");
    assert!(html.contains("id=\"user_code\"") && html.contains("id=\"login\""));
    let action = server.device_verification_uri();
    let consent = submit(
        &action,
        &[
            ("user_code", &user_code),
            ("username", DEMO_USERNAME),
            ("password", DEMO_PASSWORD),
        ],
    )
    .await;
    let html = consent.text().await.expect("consent");
    assert!(html.contains("id=\"approve\""), "consent page: {html}");
    let interaction = input_value(&html, "interaction").expect("interaction");
    let done = submit(&action, &[("interaction", &interaction), ("decision", decision)]).await;
    assert_eq!(done.status(), StatusCode::OK);
    done.text().await.expect("done page")
}

#[tokio::test]
async fn the_device_flow_works_in_every_dialect_for_confidential_and_public_clients() {
    for dialect in Dialect::PLAIN {
        let server = start_with(eager(dialect)).await;
        for auth in ["client_secret_basic", "none"] {
            let client = register(&server, app(auth)).await;
            let started = device_authorization(&server, &client).await;
            for key in [
                "device_code",
                "user_code",
                "verification_uri",
                "verification_uri_complete",
            ] {
                assert!(started[key].is_string(), "{dialect}: {key}");
            }
            assert_eq!(started["verification_uri"], server.device_verification_uri());
            assert_eq!(started["expires_in"], 600);
            assert_eq!(started["interval"], 0);
            let device_code = str_of(&started, "device_code").to_owned();
            let pending = poll(&server, &client, &device_code).await;
            assert_error(pending, StatusCode::BAD_REQUEST, "authorization_pending").await;
            let page = user_answers(&server, &started, "approve").await;
            assert!(page.contains("approved"), "{dialect}: {page}");
            let response = poll(&server, &client, &device_code).await;
            assert_eq!(response.status(), StatusCode::OK, "{dialect} {auth}");
            let tokens = json(response).await;
            assert_eq!(tokens["scope"], "openid profile");
            verify_id_token(&server, str_of(&tokens, "id_token"), &client.id)
                .await
                .expect("device ID token verifies");
            let again = poll(&server, &client, &device_code).await;
            assert_error(again, StatusCode::BAD_REQUEST, "invalid_grant").await;
        }
    }
}

#[tokio::test]
async fn polling_too_fast_slows_down_and_denial_and_expiry_are_reported() {
    let mut config = MockConfig::new(Dialect::Soffid);
    config.timing.device_poll_interval = Duration::from_secs(3600);
    let server = start_with(config).await;
    let client = register(&server, app("client_secret_basic")).await;
    let started = device_authorization(&server, &client).await;
    assert_eq!(started["interval"], 3600);
    let code = str_of(&started, "device_code").to_owned();
    assert_error(
        poll(&server, &client, &code).await,
        StatusCode::BAD_REQUEST,
        "authorization_pending",
    )
    .await;
    assert_error(
        poll(&server, &client, &code).await,
        StatusCode::BAD_REQUEST,
        "slow_down",
    )
    .await;
    let other = register(&server, app("client_secret_basic")).await;
    assert_error(
        poll(&server, &other, &code).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    )
    .await;

    let server = start_with(eager(Dialect::Generic)).await;
    let client = register(&server, app("none")).await;
    let started = device_authorization(&server, &client).await;
    let page = user_answers(&server, &started, "deny").await;
    assert!(page.contains("denied"));
    let denied = poll(&server, &client, str_of(&started, "device_code")).await;
    assert_error(denied, StatusCode::BAD_REQUEST, "access_denied").await;

    let mut config = eager(Dialect::Generic);
    config.timing.device_code = Duration::ZERO;
    let server = start_with(config).await;
    let client = register(&server, app("client_secret_basic")).await;
    let started = device_authorization(&server, &client).await;
    let expired = poll(&server, &client, str_of(&started, "device_code")).await;
    assert_error(expired, StatusCode::BAD_REQUEST, "expired_token").await;
    let page = submit(
        &server.device_verification_uri(),
        &[
            ("user_code", str_of(&started, "user_code")),
            ("username", DEMO_USERNAME),
            ("password", DEMO_PASSWORD),
        ],
    )
    .await;
    let html = page.text().await.expect("page");
    assert!(html.contains("id=\"error\""), "an expired code is refused on the page");
}

#[tokio::test]
async fn the_slow_poll_fault_answers_slow_down_however_slow_the_client() {
    let server = start_with(eager(Dialect::Indigo)).await;
    let client = register(&server, app("client_secret_basic")).await;
    let started = device_authorization(&server, &client).await;
    let code = str_of(&started, "device_code").to_owned();
    server.admin().inject(Fault::SlowDevicePoll { count: 2 });
    assert_error(
        poll(&server, &client, &code).await,
        StatusCode::BAD_REQUEST,
        "slow_down",
    )
    .await;
    assert_error(
        poll(&server, &client, &code).await,
        StatusCode::BAD_REQUEST,
        "slow_down",
    )
    .await;
    // Used up: back to the real answer.
    assert_error(
        poll(&server, &client, &code).await,
        StatusCode::BAD_REQUEST,
        "authorization_pending",
    )
    .await;
}

#[tokio::test]
async fn only_clients_registered_for_a_grant_may_use_it() {
    let server = start(Dialect::Generic).await;
    let mut metadata = app("client_secret_basic");
    metadata["grant_types"] = serde_json::json!(["authorization_code"]);
    let client = register(&server, metadata).await;
    let response = client_post(&server.device_authorization_endpoint(), &client, &[]).await;
    assert_error(response, StatusCode::BAD_REQUEST, "unauthorized_client").await;
    let public = register(&server, app("none")).await;
    let response = client_post(
        &server.token_endpoint(),
        &public,
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_error(response, StatusCode::BAD_REQUEST, "unauthorized_client").await;
    let wrong = TestClient {
        secret: Some("not-the-secret".into()),
        ..client
    };
    let response = client_post(
        &server.token_endpoint(),
        &wrong,
        &[("grant_type", "authorization_code"), ("code", "x")],
    )
    .await;
    assert_error(response, StatusCode::UNAUTHORIZED, "invalid_client").await;
}
