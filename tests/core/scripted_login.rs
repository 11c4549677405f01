//! The scripted user of `tests/support/browser.rs` against real login pages: it must get
//! through node-oidc-provider's dev interactions and the mock's demo pages the way a
//! person would, or every interactive-grant test built on it proves nothing.

use registrar_tests::browser::{Browser, Decision};
use registrar_tests::real_provider::RealProvider;
use serde_json::{json, Value};

const REDIRECT: &str = "http://127.0.0.1:9/callback";
/// RFC 7636 appendix B: a verifier and its S256 challenge.
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

async fn register_public_client(registration_endpoint: &str) -> String {
    let answer: Value = reqwest::Client::new()
        .post(registration_endpoint)
        .json(&json!({
            "redirect_uris": [REDIRECT],
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "none",
            "client_name": "scripted login",
        }))
        .send()
        .await
        .expect("the provider answers")
        .json()
        .await
        .expect("a JSON registration");
    answer["client_id"].as_str().expect("a client id").to_string()
}

fn authorization_url(endpoint: &str, client_id: &str, state: &str) -> String {
    let mut url = reqwest::Url::parse(endpoint).unwrap();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", REDIRECT)
        .append_pair("scope", "openid")
        .append_pair("state", state)
        .append_pair("nonce", "n-0S6_WzA2Mj")
        .append_pair("code_challenge", CHALLENGE)
        .append_pair("code_challenge_method", "S256");
    url.into()
}

fn query(url: &str) -> std::collections::BTreeMap<String, String> {
    reqwest::Url::parse(url).unwrap().query_pairs().into_owned().collect()
}

#[tokio::test]
async fn the_scripted_user_logs_in_through_node_oidc_providers_dev_interactions() {
    let op = RealProvider::node_oidc(json!({}));
    let client_id = register_public_client(&op.registration_endpoint).await;
    let url = authorization_url(&format!("{}/auth", op.issuer), &client_id, "s-node");
    let redirect = Browser::default()
        .authorize(&url, REDIRECT)
        .await
        .expect("the login goes through");
    let answer = query(&redirect);
    assert_eq!(answer.get("state").map(String::as_str), Some("s-node"), "{redirect}");
    assert!(
        answer.get("code").is_some_and(|c| !c.is_empty()),
        "a code comes back: {redirect}"
    );
}

#[tokio::test]
async fn the_scripted_user_approves_and_denies_on_the_mocks_demo_pages() {
    let mock =
        registrar_mock_op::MockServer::start(registrar_mock_op::MockConfig::new(registrar_mock_op::Dialect::Generic))
            .await
            .expect("the mock starts");
    let client_id = register_public_client(&mock.registration_endpoint()).await;
    let url = authorization_url(&mock.authorization_endpoint(), &client_id, "s-mock");
    let approved = Browser::new(Decision::Approve)
        .authorize(&url, REDIRECT)
        .await
        .expect("approved");
    assert!(query(&approved).contains_key("code"), "{approved}");
    let denied = Browser::new(Decision::Deny)
        .authorize(&url, REDIRECT)
        .await
        .expect("denied");
    assert_eq!(
        query(&denied).get("error").map(String::as_str),
        Some("access_denied"),
        "{denied}"
    );
    mock.stop().await;
}
