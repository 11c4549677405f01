//! The authorization code grant with PKCE through the demo login page, driven by plain HTTP as
//! a browser would, in every dialect: the happy path for confidential and public clients, and
//! each refusal a client must be able to show.

use crate::support::oauth::{
    app, auth_params, authorize, browser, client_post, code_flow, exchange, input_value, log_in_and_decide,
    redirect_params, register, submit, verify_id_token, TestClient, LOOPBACK_REDIRECT, VERIFIER, WEB_REDIRECT,
};
use crate::support::{assert_error, json, start, start_with, str_of};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use registrar_mock_op::{Dialect, MockConfig, MockServer, DEMO_SUBJECT};
use reqwest::StatusCode;
use sha2::{Digest, Sha256};

async fn confidential(server: &MockServer) -> TestClient {
    register(server, app("client_secret_basic")).await
}

#[tokio::test]
async fn code_flow_with_pkce_works_for_every_client_kind_in_every_dialect() {
    for dialect in Dialect::PLAIN {
        let server = start(dialect).await;
        for auth in ["client_secret_basic", "client_secret_post", "none"] {
            let client = register(&server, app(auth)).await;
            let redirect = code_flow(&server, &client, &[]).await;
            assert_eq!(redirect["state"], "st-123", "{dialect} {auth}: state echoed");
            assert_eq!(redirect["iss"], server.issuer(), "{dialect} {auth}: RFC 9207 iss");
            let response = exchange(&server, &client, &redirect["code"]).await;
            assert_eq!(response.status(), StatusCode::OK, "{dialect} {auth}");
            assert_eq!(response.headers()["cache-control"], "no-store");
            let tokens = json(response).await;
            assert_eq!(tokens["token_type"], "Bearer");
            assert_eq!(tokens["scope"], "openid profile email", "{dialect} {auth}");
            assert!(tokens["refresh_token"].is_string(), "{dialect} {auth}: refresh token");
            let claims = verify_id_token(&server, str_of(&tokens, "id_token"), &client.id)
                .await
                .unwrap_or_else(|e| panic!("{dialect} {auth}: ID token does not verify: {e}"));
            assert_eq!(claims["sub"], DEMO_SUBJECT);
            assert_eq!(claims["nonce"], "n-456");
            assert_eq!(claims["azp"], client.id.as_str());
            assert!(claims["auth_time"]
                .as_u64()
                .is_some_and(|t| t <= claims["iat"].as_u64().unwrap_or(0)));
            let digest = Sha256::digest(str_of(&tokens, "access_token").as_bytes());
            assert_eq!(
                claims["at_hash"],
                URL_SAFE_NO_PAD.encode(&digest[..16]),
                "{dialect} {auth}"
            );
        }
    }
}

#[tokio::test]
async fn pkce_is_required_of_public_clients_and_plain_is_refused() {
    let server = start(Dialect::Generic).await;
    let public = register(&server, app("none")).await;
    let confidential = confidential(&server).await;
    for (client, extra, why) in [
        (
            &public,
            vec![("code_challenge", ""), ("code_challenge_method", "")],
            "public without PKCE",
        ),
        (&confidential, vec![("code_challenge_method", "plain")], "plain"),
        (
            &confidential,
            vec![("code_challenge_method", "")],
            "no method means plain",
        ),
        (&confidential, vec![("code_challenge", "short")], "malformed challenge"),
    ] {
        let response = authorize(&server, &auth_params(client, &extra)).await;
        let redirect = redirect_params(&response, LOOPBACK_REDIRECT);
        assert_eq!(redirect["error"], "invalid_request", "{why}");
        assert_eq!(redirect["state"], "st-123", "{why}");
        assert_eq!(redirect["iss"], server.issuer(), "{why}");
        assert!(redirect.contains_key("error_description"), "{why}");
    }
    // A confidential client may skip PKCE, and then must not send a verifier.
    let plain = code_flow(
        &server,
        &confidential,
        &[("code_challenge", ""), ("code_challenge_method", "")],
    )
    .await;
    let downgrade = exchange(&server, &confidential, &plain["code"]).await;
    assert_error(downgrade, StatusCode::BAD_REQUEST, "invalid_grant").await;

    for (verifier, why) in [
        ("wrong-verifier-wrong-verifier-wrong-verifier-x", "wrong verifier"),
        ("", "missing verifier"),
    ] {
        let redirect = code_flow(&server, &public, &[]).await;
        let mut fields = vec![
            ("grant_type", "authorization_code"),
            ("code", redirect["code"].as_str()),
            ("redirect_uri", LOOPBACK_REDIRECT),
        ];
        if !verifier.is_empty() {
            fields.push(("code_verifier", verifier));
        }
        let response = client_post(&server.token_endpoint(), &public, &fields).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{why}");
        assert_error(response, StatusCode::BAD_REQUEST, "invalid_grant").await;
        // The failed attempt used the code up.
        let retry = exchange(&server, &public, &redirect["code"]).await;
        assert_error(retry, StatusCode::BAD_REQUEST, "invalid_grant").await;
    }
}

#[tokio::test]
async fn a_code_works_once_and_its_reuse_revokes_what_it_bought() {
    let server = start(Dialect::Indigo).await;
    let client = confidential(&server).await;
    let redirect = code_flow(&server, &client, &[]).await;
    let first = json(exchange(&server, &client, &redirect["code"]).await).await;
    let access = str_of(&first, "access_token");
    let userinfo = |token: String| {
        let url = server.userinfo_endpoint();
        async move {
            crate::support::http()
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .expect("userinfo")
        }
    };
    assert_eq!(userinfo(access.to_owned()).await.status(), StatusCode::OK);
    let again = exchange(&server, &client, &redirect["code"]).await;
    assert_error(again, StatusCode::BAD_REQUEST, "invalid_grant").await;
    assert_eq!(
        userinfo(access.to_owned()).await.status(),
        StatusCode::UNAUTHORIZED,
        "revoked on reuse"
    );
    let refresh = client_post(
        &server.token_endpoint(),
        &client,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", str_of(&first, "refresh_token")),
        ],
    )
    .await;
    assert_error(refresh, StatusCode::BAD_REQUEST, "invalid_grant").await;

    // Another client cannot use a code, and the code is spent by trying.
    let other = confidential(&server).await;
    let redirect = code_flow(&server, &client, &[]).await;
    let stolen = exchange(&server, &other, &redirect["code"]).await;
    assert_error(stolen, StatusCode::BAD_REQUEST, "invalid_grant").await;
}

#[tokio::test]
async fn redirect_uris_must_be_registered_except_the_loopback_port() {
    let server = start(Dialect::Liberty).await;
    let client = confidential(&server).await;
    for (uri, why) in [
        ("https://evil.example/cb", "unregistered"),
        ("https://app.example.com/cb/extra", "not exact"),
        ("http://localhost:8765/callback", "localhost is not the loopback IP"),
        ("http://127.0.0.1:9999/other", "loopback, other path"),
    ] {
        let response = authorize(&server, &auth_params(&client, &[("redirect_uri", uri)])).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{why}");
        assert!(response.headers().get("location").is_none(), "{why}: never redirected");
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/html"));
    }
    let unknown = authorize(
        &server,
        &auth_params(
            &TestClient {
                id: "nobody".into(),
                secret: None,
                auth: "none".into(),
            },
            &[],
        ),
    )
    .await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert!(unknown.text().await.unwrap_or_default().contains("nobody"));

    // RFC 8252 §7.3: any port on the registered loopback redirect.
    let moved = "http://127.0.0.1:50123/callback";
    let redirect = code_flow(&server, &client, &[("redirect_uri", moved)]).await;
    let secret = client.secret.clone().unwrap_or_default();
    let response = crate::support::http()
        .post(server.token_endpoint())
        .basic_auth(&client.id, Some(&secret))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", redirect["code"].as_str()),
            ("redirect_uri", LOOPBACK_REDIRECT),
            ("code_verifier", VERIFIER),
        ])
        .send()
        .await
        .expect("token");
    assert_error(response, StatusCode::BAD_REQUEST, "invalid_grant").await;

    let web = code_flow(&server, &client, &[("redirect_uri", WEB_REDIRECT)]).await;
    assert_eq!(web["state"], "st-123");
}

#[tokio::test]
async fn denying_redirects_access_denied_and_errors_go_to_the_client() {
    let server = start(Dialect::Wso2).await;
    let client = confidential(&server).await;
    let page = authorize(&server, &auth_params(&client, &[])).await;
    let denied = log_in_and_decide(&server, page, "deny").await;
    assert_eq!(denied.status(), StatusCode::SEE_OTHER);
    let redirect = redirect_params(&denied, LOOPBACK_REDIRECT);
    assert_eq!(redirect["error"], "access_denied");
    assert_eq!(redirect["state"], "st-123");
    assert_eq!(redirect["iss"], server.issuer());
    assert!(!redirect.contains_key("code"));

    for (extra, error) in [
        (vec![("response_type", "token")], "unsupported_response_type"),
        (vec![("response_type", "")], "invalid_request"),
        (vec![("prompt", "none")], "login_required"),
        (vec![("prompt", "none login")], "invalid_request"),
    ] {
        let response = authorize(&server, &auth_params(&client, &extra)).await;
        assert_eq!(
            redirect_params(&response, LOOPBACK_REDIRECT)["error"],
            error,
            "{extra:?}"
        );
    }
    // Cancelling on the login page needs no password.
    let page = authorize(&server, &auth_params(&client, &[])).await;
    let html = page.text().await.expect("login page");
    let interaction = input_value(&html, "interaction").expect("interaction");
    let cancelled = submit(
        &server.authorization_endpoint(),
        &[("interaction", &interaction), ("decision", "deny")],
    )
    .await;
    assert_eq!(redirect_params(&cancelled, LOOPBACK_REDIRECT)["error"], "access_denied");

    let machine = register(
        &server,
        serde_json::json!({"client_name": "m2m", "redirect_uris": [LOOPBACK_REDIRECT], "grant_types": ["client_credentials"]}),
    )
    .await;
    let response = authorize(&server, &auth_params(&machine, &[])).await;
    assert_eq!(
        redirect_params(&response, LOOPBACK_REDIRECT)["error"],
        "unauthorized_client"
    );
}

#[tokio::test]
async fn the_login_page_takes_hints_refuses_wrong_passwords_and_posts_work() {
    let server = start(Dialect::SimpleIdServer).await;
    let client = confidential(&server).await;
    let page = authorize(
        &server,
        &auth_params(
            &client,
            &[
                ("login_hint", "demo"),
                ("prompt", "login consent"),
                ("acr_values", "urn:mock:pwd"),
            ],
        ),
    )
    .await;
    let html = page.text().await.expect("page");
    assert_eq!(
        input_value(&html, "username").as_deref(),
        Some("demo"),
        "login_hint prefills"
    );
    let interaction = input_value(&html, "interaction").expect("interaction");
    let wrong = submit(
        &server.authorization_endpoint(),
        &[
            ("interaction", &interaction),
            ("username", "demo"),
            ("password", "nope"),
        ],
    )
    .await;
    assert_eq!(wrong.status(), StatusCode::OK);
    let html = wrong.text().await.expect("page again");
    assert!(
        html.contains("id=\"error\"") && html.contains("id=\"login\""),
        "login again with an error"
    );
    // One post with credentials and decision, as a plain HTTP client may send.
    let done = submit(
        &server.authorization_endpoint(),
        &[
            ("interaction", &interaction),
            ("username", "demo"),
            ("password", "demo"),
            ("decision", "approve"),
        ],
    )
    .await;
    let redirect = redirect_params(&done, LOOPBACK_REDIRECT);
    let tokens = json(exchange(&server, &client, &redirect["code"]).await).await;
    let claims = verify_id_token(&server, str_of(&tokens, "id_token"), &client.id)
        .await
        .expect("valid");
    assert_eq!(claims["acr"], "urn:mock:pwd");
    // The interaction is over: its form cannot be replayed.
    let replay = submit(
        &server.authorization_endpoint(),
        &[("interaction", &interaction), ("decision", "approve")],
    )
    .await;
    assert_eq!(replay.status(), StatusCode::BAD_REQUEST);

    // The authorization request itself may be a POST (OIDC Core §3.1.2.1).
    let params = auth_params(&client, &[]);
    let page = browser()
        .post(server.authorization_endpoint())
        .form(&params)
        .send()
        .await
        .expect("post");
    let done = log_in_and_decide(&server, page, "approve").await;
    assert!(redirect_params(&done, LOOPBACK_REDIRECT).contains_key("code"));
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let mut config = MockConfig::new(Dialect::Soffid);
    config.timing.authorization_code = std::time::Duration::ZERO;
    let server = start_with(config).await;
    let client = confidential(&server).await;
    let redirect = code_flow(&server, &client, &[]).await;
    let response = exchange(&server, &client, &redirect["code"]).await;
    assert_error(response, StatusCode::BAD_REQUEST, "invalid_grant").await;
}
