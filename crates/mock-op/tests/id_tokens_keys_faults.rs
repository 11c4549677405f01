//! ID tokens against the published JWK Set: verification, key rotation with and without a
//! rollover (through the admin handle and `/_admin`), and the faults that spoil a token so a
//! relying party's checks can be seen failing.

use crate::support::oauth::{app, code_flow, exchange, register, verify_id_token, TestClient};
use crate::support::{http, json, start, str_of};
use registrar_mock_op::{Dialect, Fault, MockServer};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn id_token(server: &MockServer, client: &TestClient) -> String {
    let redirect = code_flow(server, client, &[]).await;
    let tokens = json(exchange(server, client, &redirect["code"]).await).await;
    str_of(&tokens, "id_token").to_owned()
}

fn kid(token: &str) -> String {
    jsonwebtoken::decode_header(token).expect("header").kid.expect("kid")
}

#[tokio::test]
async fn rotation_with_a_rollover_keeps_old_tokens_valid() {
    let server = start(Dialect::Generic).await;
    let client = register(&server, app("client_secret_basic")).await;
    let admin = server.admin();
    let old = id_token(&server, &client).await;
    assert_eq!(kid(&old), admin.signing_kid());
    let header = jsonwebtoken::decode_header(&old).expect("header");
    assert_eq!(header.alg, jsonwebtoken::Algorithm::ES256);

    let new_kid = admin.rotate_signing_key(true);
    assert_ne!(new_kid, kid(&old));
    let jwks = json(http().get(server.jwks_uri()).send().await.expect("jwks")).await;
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .filter_map(|k| k["kid"].as_str())
        .collect();
    assert_eq!(
        kids,
        [new_kid.as_str(), kid(&old).as_str()],
        "new key first, old still published"
    );
    verify_id_token(&server, &old, &client.id)
        .await
        .expect("old token still verifies");
    let new = id_token(&server, &client).await;
    assert_eq!(kid(&new), new_kid, "new tokens use the new key");
    verify_id_token(&server, &new, &client.id)
        .await
        .expect("new token verifies");
}

#[tokio::test]
async fn rotation_without_a_rollover_breaks_old_tokens_over_http_admin() {
    let server = start(Dialect::Wso2).await;
    let client = register(&server, app("client_secret_basic")).await;
    let old = id_token(&server, &client).await;
    let admin_url = format!("{}/_admin/signing_key", server.base_url());
    let before = json(http().get(&admin_url).send().await.expect("get")).await;
    assert_eq!(before["kid"], kid(&old).as_str());
    let response = http()
        .post(&admin_url)
        .json(&json!({"keep_previous": false}))
        .send()
        .await
        .expect("rotate");
    assert_eq!(response.status(), StatusCode::OK);
    let after = json(response).await;
    let new_kid = str_of(&after, "kid").to_owned();
    assert_eq!(after["jwks"]["keys"].as_array().map(Vec::len), Some(1));
    let error = verify_id_token(&server, &old, &client.id)
        .await
        .expect_err("old key withdrawn");
    assert!(error.contains("no key"), "{error}");
    let new = id_token(&server, &client).await;
    assert_eq!(kid(&new), new_kid);
    verify_id_token(&server, &new, &client.id)
        .await
        .expect("new token verifies");
    // The default is a rollover.
    let rolled = json(http().post(&admin_url).json(&json!({})).send().await.expect("rotate")).await;
    assert_eq!(rolled["jwks"]["keys"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn each_id_token_fault_fails_its_check_once() {
    let server = start(Dialect::SimpleIdServer).await;
    let client = register(&server, app("client_secret_post")).await;
    for (fault, expected) in [
        (Fault::IdTokenWrongIssuer { count: 1 }, "InvalidIssuer"),
        (Fault::IdTokenBadSignature { count: 1 }, "InvalidSignature"),
        (Fault::IdTokenExpired { count: 1 }, "ExpiredSignature"),
    ] {
        server.admin().inject(fault.clone());
        let spoiled = id_token(&server, &client).await;
        let error = verify_id_token(&server, &spoiled, &client.id)
            .await
            .expect_err("spoiled");
        assert_eq!(error, expected, "{fault:?}");
        let fine = id_token(&server, &client).await;
        verify_id_token(&server, &fine, &client.id)
            .await
            .unwrap_or_else(|e| panic!("after {fault:?} the next token is fine: {e}"));
    }
}

#[tokio::test]
async fn id_token_faults_are_injectable_over_http_admin() {
    let server = start(Dialect::Liberty).await;
    let client = register(&server, app("client_secret_basic")).await;
    let faults = format!("{}/_admin/faults", server.base_url());
    for (body, expected) in [
        (json!({"kind": "id_token_wrong_issuer"}), "InvalidIssuer"),
        (json!({"kind": "id_token_bad_signature"}), "InvalidSignature"),
        (json!({"kind": "id_token_expired", "count": 1}), "ExpiredSignature"),
    ] {
        let response = http().post(&faults).json(&body).send().await.expect("inject");
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        let spoiled = id_token(&server, &client).await;
        assert_eq!(
            verify_id_token(&server, &spoiled, &client.id)
                .await
                .expect_err("spoiled"),
            expected
        );
    }
    let response = http()
        .post(&faults)
        .json(&json!({"kind": "slow_device_poll", "count": 3}))
        .send()
        .await
        .expect("inject");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    // Clearing drops the queued slow polls as well.
    assert_eq!(
        http().delete(&faults).send().await.expect("clear").status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn discovery_advertises_the_authorization_server() {
    for dialect in Dialect::PLAIN {
        let server = start(dialect).await;
        let document: Value = json(
            http()
                .get(format!("{}/.well-known/openid-configuration", server.issuer()))
                .send()
                .await
                .expect("discovery"),
        )
        .await;
        assert_eq!(document["authorization_endpoint"], server.authorization_endpoint());
        assert_eq!(
            document["device_authorization_endpoint"],
            server.device_authorization_endpoint()
        );
        assert_eq!(document["introspection_endpoint"], server.introspection_endpoint());
        assert_eq!(document["revocation_endpoint"], server.revocation_endpoint());
        assert_eq!(document["userinfo_endpoint"], server.userinfo_endpoint());
        assert_eq!(document["jwks_uri"], server.jwks_uri());
        assert_eq!(document["response_types_supported"], json!(["code"]));
        assert_eq!(document["code_challenge_methods_supported"], json!(["S256"]));
        assert_eq!(document["id_token_signing_alg_values_supported"], json!(["ES256"]));
        assert_eq!(document["authorization_response_iss_parameter_supported"], true);
        assert_eq!(
            document["token_endpoint_auth_methods_supported"],
            json!(["client_secret_basic", "client_secret_post", "none"])
        );
        let grants = document["grant_types_supported"].as_array().expect("grants");
        for grant in [
            "authorization_code",
            "refresh_token",
            "client_credentials",
            "urn:ietf:params:oauth:grant-type:device_code",
        ] {
            assert!(grants.iter().any(|g| g == grant), "{dialect}: {grant}");
        }
        assert!(
            document["registration_endpoint"].is_string(),
            "{dialect}: registration kept"
        );
    }
}
