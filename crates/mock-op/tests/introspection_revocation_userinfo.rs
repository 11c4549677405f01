//! Introspection (RFC 7662), revocation (RFC 7009) and userinfo with the tokens a code flow
//! bought, in every dialect.

use std::time::Duration;

use crate::support::oauth::{app, client_post, code_flow, exchange, register, TestClient};
use crate::support::{assert_error, http, json, start, start_with, str_of};
use registrar_mock_op::{Dialect, MockConfig, MockServer, DEMO_SUBJECT};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn tokens(server: &MockServer, client: &TestClient, scope: &str) -> Value {
    let redirect = code_flow(server, client, &[("scope", scope)]).await;
    json(exchange(server, client, &redirect["code"]).await).await
}

async fn introspect(server: &MockServer, client: &TestClient, token: &str) -> Value {
    let response = client_post(&server.introspection_endpoint(), client, &[("token", token)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    json(response).await
}

async fn revoke(server: &MockServer, client: &TestClient, token: &str) -> reqwest::Response {
    client_post(
        &server.revocation_endpoint(),
        client,
        &[("token", token), ("token_type_hint", "access_token")],
    )
    .await
}

async fn userinfo(server: &MockServer, token: &str) -> reqwest::Response {
    http()
        .get(server.userinfo_endpoint())
        .bearer_auth(token)
        .send()
        .await
        .expect("userinfo")
}

#[tokio::test]
async fn introspection_says_what_is_live_in_every_dialect() {
    for dialect in Dialect::PLAIN {
        let server = start(dialect).await;
        let client = register(&server, app("client_secret_basic")).await;
        let issued = tokens(&server, &client, "openid profile").await;
        let access = introspect(&server, &client, str_of(&issued, "access_token")).await;
        assert_eq!(access["active"], true, "{dialect}");
        assert_eq!(access["sub"], DEMO_SUBJECT);
        assert_eq!(access["client_id"], client.id.as_str());
        assert_eq!(access["scope"], "openid profile");
        assert_eq!(access["token_type"], "Bearer");
        assert_eq!(access["iss"], server.issuer());
        assert!(access["exp"].as_u64() > access["iat"].as_u64());
        let refresh = introspect(&server, &client, str_of(&issued, "refresh_token")).await;
        assert_eq!(refresh["active"], true, "{dialect}");
        assert_eq!(refresh["token_type"], "refresh_token");
        assert_eq!(
            introspect(&server, &client, "no-such-token").await,
            json!({"active": false})
        );
        // Public clients cannot authenticate, so they cannot introspect.
        let public = register(&server, app("none")).await;
        let response = client_post(&server.introspection_endpoint(), &public, &[("token", "x")]).await;
        assert_error(response, StatusCode::UNAUTHORIZED, "invalid_client").await;
        let anonymous = http()
            .post(server.introspection_endpoint())
            .form(&[("token", "x")])
            .send()
            .await
            .expect("anon");
        assert_error(anonymous, StatusCode::UNAUTHORIZED, "invalid_client").await;
    }
}

#[tokio::test]
async fn expired_tokens_are_inactive() {
    let mut config = MockConfig::new(Dialect::Generic);
    config.timing.access_token = Duration::ZERO;
    let server = start_with(config).await;
    let client = register(&server, app("client_secret_basic")).await;
    let issued = tokens(&server, &client, "openid").await;
    assert_eq!(issued["expires_in"], 0);
    assert_eq!(
        introspect(&server, &client, str_of(&issued, "access_token")).await["active"],
        false
    );
    assert_eq!(
        userinfo(&server, str_of(&issued, "access_token")).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // The refresh token still lives, and buys another (equally short-lived) access token.
    assert_eq!(
        introspect(&server, &client, str_of(&issued, "refresh_token")).await["active"],
        true
    );
}

#[tokio::test]
async fn revocation_kills_tokens_and_a_refresh_token_takes_its_access_tokens() {
    for dialect in Dialect::PLAIN {
        let server = start(dialect).await;
        for auth in ["client_secret_post", "none"] {
            let client = register(&server, app(auth)).await;
            let issued = tokens(&server, &client, "openid").await;
            let access = str_of(&issued, "access_token");
            assert_eq!(
                userinfo(&server, access).await.status(),
                StatusCode::OK,
                "{dialect} {auth}"
            );
            let response = revoke(&server, &client, access).await;
            assert_eq!(response.status(), StatusCode::OK, "{dialect} {auth}");
            assert_eq!(
                userinfo(&server, access).await.status(),
                StatusCode::UNAUTHORIZED,
                "{dialect} {auth}"
            );
            // Unknown tokens: 200 all the same.
            assert_eq!(revoke(&server, &client, "never-issued").await.status(), StatusCode::OK);

            let issued = tokens(&server, &client, "openid").await;
            let refresh = str_of(&issued, "refresh_token");
            assert_eq!(revoke(&server, &client, refresh).await.status(), StatusCode::OK);
            assert_eq!(
                userinfo(&server, str_of(&issued, "access_token")).await.status(),
                StatusCode::UNAUTHORIZED,
                "{dialect} {auth}: the refresh token's access token died with it"
            );
            let again = client_post(
                &server.token_endpoint(),
                &client,
                &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
            )
            .await;
            assert_error(again, StatusCode::BAD_REQUEST, "invalid_grant").await;
        }
    }
}

#[tokio::test]
async fn a_client_cannot_revoke_another_clients_token() {
    let server = start(Dialect::Generic).await;
    let owner = register(&server, app("client_secret_basic")).await;
    let other = register(&server, app("client_secret_basic")).await;
    let issued = tokens(&server, &owner, "openid").await;
    let response = revoke(&server, &other, str_of(&issued, "access_token")).await;
    assert_error(response, StatusCode::BAD_REQUEST, "unauthorized_client").await;
    assert_eq!(
        userinfo(&server, str_of(&issued, "access_token")).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn userinfo_releases_claims_by_scope() {
    let server = start(Dialect::Liberty).await;
    let client = register(&server, app("client_secret_basic")).await;
    let only_openid = tokens(&server, &client, "openid").await;
    let claims = json(userinfo(&server, str_of(&only_openid, "access_token")).await).await;
    assert_eq!(claims, json!({"sub": DEMO_SUBJECT}));
    let everything = tokens(&server, &client, "openid profile email").await;
    let response = http()
        .post(server.userinfo_endpoint())
        .bearer_auth(str_of(&everything, "access_token"))
        .send()
        .await
        .expect("POST userinfo");
    let claims = json(response).await;
    assert_eq!(claims["sub"], DEMO_SUBJECT);
    assert_eq!(claims["preferred_username"], "demo");
    assert_eq!(claims["email"], "demo@example.com");
    assert_eq!(claims["email_verified"], true);

    let none = http().get(server.userinfo_endpoint()).send().await.expect("no token");
    assert!(none.headers().contains_key("www-authenticate"));
    assert_error(none, StatusCode::UNAUTHORIZED, "invalid_token").await;
    let without_openid = tokens(&server, &client, "profile").await;
    assert_error(
        userinfo(&server, str_of(&without_openid, "access_token")).await,
        StatusCode::FORBIDDEN,
        "insufficient_scope",
    )
    .await;
}

#[tokio::test]
async fn client_credentials_tokens_are_introspectable_but_have_no_user() {
    let server = start(Dialect::Generic).await;
    let mut metadata = app("client_secret_basic");
    metadata["grant_types"] = json!(["client_credentials"]);
    metadata["scope"] = json!("openid api");
    metadata.as_object_mut().expect("object").remove("response_types");
    let client = register(&server, metadata).await;
    let response = client_post(
        &server.token_endpoint(),
        &client,
        &[("grant_type", "client_credentials"), ("scope", "api")],
    )
    .await;
    let issued = json(response).await;
    assert!(issued.get("id_token").is_none() && issued.get("refresh_token").is_none());
    let answer = introspect(&server, &client, str_of(&issued, "access_token")).await;
    assert_eq!(answer["active"], true);
    assert_eq!(answer["scope"], "api");
    assert!(answer.get("sub").is_none());
    assert_eq!(
        userinfo(&server, str_of(&issued, "access_token")).await.status(),
        StatusCode::FORBIDDEN
    );
}
