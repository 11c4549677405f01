//! A relying party and a browser in a few functions: register a client in any dialect, drive
//! the demo login and consent pages over plain HTTP, call the token endpoint with the
//! client's authentication, and verify ID tokens against the published JWK Set.

use std::collections::HashMap;

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use registrar_mock_op::{Dialect, MockServer, DEMO_PASSWORD, DEMO_USERNAME};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

use super::{http, json, str_of};

/// A loopback redirect URI (RFC 8252 §7.3); nothing listens there, the tests read `Location`.
pub const LOOPBACK_REDIRECT: &str = "http://127.0.0.1:8765/callback";
pub const WEB_REDIRECT: &str = "https://app.example.com/cb";
pub const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// RFC 7636 Appendix B's verifier and its S256 challenge.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// A client as its developer knows it.
#[derive(Clone, Debug)]
pub struct TestClient {
    pub id: String,
    pub secret: Option<String>,
    /// The registered token endpoint auth method.
    pub auth: String,
}

/// Metadata of a client that may use every grant; `auth` is its token endpoint auth method.
pub fn app(auth: &str) -> Value {
    json!({
        "client_name": "Try me",
        "redirect_uris": [LOOPBACK_REDIRECT, WEB_REDIRECT],
        "grant_types": ["authorization_code", "refresh_token", DEVICE_GRANT],
        "response_types": ["code"],
        "token_endpoint_auth_method": auth,
        "scope": "openid profile email",
    })
}

/// Registers `metadata` the way the dialect's document says, and reads the secret back
/// through the admin handle (some dialects never show it again).
pub async fn register(server: &MockServer, metadata: Value) -> TestClient {
    let client = http();
    let creds = server.credentials();
    let mut request = client.post(server.registration_endpoint()).json(&metadata);
    match server.dialect() {
        Dialect::Generic | Dialect::Indigo => {}
        Dialect::Soffid => {
            request = request.bearer_auth(creds.initial_access_token.as_deref().expect("soffid token"));
        }
        Dialect::Wso2 | Dialect::Liberty => {
            request = request.basic_auth(
                creds.admin_username.as_deref().expect("admin"),
                creds.admin_password.as_deref(),
            );
        }
        Dialect::SimpleIdServer => {
            let token = client
                .post(server.token_endpoint())
                .form(&[
                    ("grant_type", "client_credentials"),
                    ("client_id", creds.registrar_client_id.as_deref().expect("registrar")),
                    (
                        "client_secret",
                        creds.registrar_client_secret.as_deref().expect("secret"),
                    ),
                    ("scope", creds.registration_scope.as_deref().expect("scope")),
                ])
                .send()
                .await
                .expect("registration token");
            let token = json(token).await;
            request = request.bearer_auth(str_of(&token, "access_token"));
        }
        Dialect::OpenBanking => panic!("openbanking registers signed JWTs over mutual TLS: see tests/openbanking.rs"),
    }
    let response = request.send().await.expect("registration");
    assert!(
        response.status().is_success(),
        "{}: registration {}",
        server.dialect(),
        response.status()
    );
    let body = json(response).await;
    let id = str_of(&body, "client_id").to_owned();
    let stored = server.admin().get_client(&id).expect("stored client");
    TestClient {
        secret: stored["client_secret"].as_str().map(str::to_owned),
        auth: metadata["token_endpoint_auth_method"]
            .as_str()
            .unwrap_or("client_secret_basic")
            .to_owned(),
        id,
    }
}

/// A browser that lets the test see every redirect.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .expect("browser")
}

/// The authorization request parameters of a PKCE code flow, plus `extra` (which replace).
pub fn auth_params(client: &TestClient, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut params: Vec<(String, String)> = [
        ("response_type", "code"),
        ("client_id", client.id.as_str()),
        ("redirect_uri", LOOPBACK_REDIRECT),
        ("scope", "openid profile email"),
        ("state", "st-123"),
        ("nonce", "n-456"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    for (key, value) in extra {
        params.retain(|(k, _)| k != key);
        if !value.is_empty() {
            params.push(((*key).to_owned(), (*value).to_owned()));
        }
    }
    params
}

/// GET of the authorization endpoint.
pub async fn authorize(server: &MockServer, params: &[(String, String)]) -> Response {
    browser()
        .get(server.authorization_endpoint())
        .query(params)
        .send()
        .await
        .expect("authorization request")
}

/// The value of a hidden (or any) input named `name` in a page.
pub fn input_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}

/// Posts a form to `action` like a browser submitting it.
pub async fn submit(action: &str, fields: &[(&str, &str)]) -> Response {
    browser().post(action).form(fields).send().await.expect("form post")
}

/// From the login page: log in as the demo user (login button), then answer the consent page
/// (approve or deny button). The final redirect.
pub async fn log_in_and_decide(server: &MockServer, login_page: Response, decision: &str) -> Response {
    assert_eq!(login_page.status(), StatusCode::OK, "login page");
    let html = login_page.text().await.expect("login page body");
    for id in ["id=\"username\"", "id=\"password\"", "id=\"login\""] {
        assert!(html.contains(id), "login page has {id}");
    }
    let interaction = input_value(&html, "interaction").expect("interaction field");
    let action = server.authorization_endpoint();
    let consent = submit(
        &action,
        &[
            ("interaction", &interaction),
            ("username", DEMO_USERNAME),
            ("password", DEMO_PASSWORD),
        ],
    )
    .await;
    assert_eq!(consent.status(), StatusCode::OK, "consent page");
    let html = consent.text().await.expect("consent body");
    assert!(
        html.contains("id=\"approve\"") && html.contains("id=\"deny\""),
        "consent page buttons"
    );
    let interaction = input_value(&html, "interaction").expect("interaction on consent");
    submit(&action, &[("interaction", &interaction), ("decision", decision)]).await
}

/// The query parameters of a redirect's `Location`, checking it goes to `redirect_uri`.
pub fn redirect_params(response: &Response, redirect_uri: &str) -> HashMap<String, String> {
    assert!(
        response.status().is_redirection(),
        "a redirect, got {}",
        response.status()
    );
    let location = response.headers()["location"].to_str().expect("ascii location");
    let url = url::Url::parse(location).expect("absolute location");
    let base = format!("{}{}", url.origin().ascii_serialization(), url.path());
    assert_eq!(base, redirect_uri, "redirected to the client");
    url.query_pairs().into_owned().collect()
}

/// The whole front channel: authorization request, login, approval. The code's redirect.
pub async fn code_flow(server: &MockServer, client: &TestClient, extra: &[(&str, &str)]) -> HashMap<String, String> {
    let params = auth_params(client, extra);
    let redirect_uri = params
        .iter()
        .find(|(k, _)| k == "redirect_uri")
        .map(|(_, v)| v.clone())
        .expect("redirect_uri");
    let page = authorize(server, &params).await;
    let done = log_in_and_decide(server, page, "approve").await;
    redirect_params(&done, &redirect_uri)
}

/// A token endpoint (or introspection, revocation, device) request with the client's own
/// authentication, as registered: Basic, the secret in the form, or (public) `client_id` alone.
pub async fn client_post(url: &str, client: &TestClient, fields: &[(&str, &str)]) -> Response {
    let mut form: Vec<(&str, &str)> = fields.to_vec();
    let mut request = http().post(url);
    let secret = client.secret.as_deref().unwrap_or_default();
    match client.auth.as_str() {
        "none" => form.push(("client_id", &client.id)),
        "client_secret_post" => form.extend([("client_id", client.id.as_str()), ("client_secret", secret)]),
        _ => request = request.basic_auth(&client.id, Some(secret)),
    }
    request.form(&form).send().await.expect("client request")
}

/// Exchanges a code with the RFC 7636 verifier.
pub async fn exchange(server: &MockServer, client: &TestClient, code: &str) -> Response {
    client_post(
        &server.token_endpoint(),
        client,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", LOOPBACK_REDIRECT),
            ("code_verifier", VERIFIER),
        ],
    )
    .await
}

/// Verifies an ID token as a relying party would: key by `kid` from the published JWK Set,
/// ES256 signature, `iss`, `aud`, `exp`. Its claims, or why it failed.
pub async fn verify_id_token(server: &MockServer, id_token: &str, client_id: &str) -> Result<Value, String> {
    let jwks: JwkSet = serde_json::from_value(json(http().get(server.jwks_uri()).send().await.expect("jwks")).await)
        .map_err(|e| format!("JWK Set: {e}"))?;
    let header = jsonwebtoken::decode_header(id_token).map_err(|e| format!("header: {e}"))?;
    let kid = header.kid.ok_or("no kid")?;
    let jwk = jwks.find(&kid).ok_or_else(|| format!("no key {kid} in the JWK Set"))?;
    let key = DecodingKey::from_jwk(jwk).map_err(|e| format!("key: {e}"))?;
    let mut validation = Validation::new(Algorithm::ES256);
    validation.set_issuer(&[server.issuer()]);
    validation.set_audience(&[client_id]);
    validation.leeway = 0;
    jsonwebtoken::decode::<Value>(id_token, &key, &validation)
        .map(|data| data.claims)
        .map_err(|e| format!("{:?}", e.kind()))
}
