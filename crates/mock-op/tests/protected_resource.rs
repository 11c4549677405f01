//! The protected resource beside the authorization server, over real HTTP: the MCP endpoint's
//! 401 challenge, its RFC 9728 metadata, the discovery chain walked to a token issued for it
//! (code flow with PKCE and an RFC 8707 `resource`), MCP calls with that token, the scope and
//! audience rules, and each resource fault switch (by configuration, by the admin API and on
//! the command line).

use std::collections::HashMap;

use crate::support::oauth::{app, client_post, code_flow, register, TestClient, LOOPBACK_REDIRECT, VERIFIER};
use crate::support::{assert_error, http, json, start, start_with, str_of};
use registrar_mock_op::{Dialect, MockConfig, MockServer, ResourceFault};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

const SCOPE: &str = "mcp:tools";

/// A client that may ask for the MCP scope (and the usual ones).
fn mcp_app() -> Value {
    let mut metadata = app("client_secret_basic");
    metadata["scope"] = json!("openid profile mcp:tools");
    metadata
}

fn www_authenticate(response: &Response) -> String {
    response
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("a WWW-Authenticate header on {}", response.status()))
        .to_owned()
}

/// The auth-params of a Bearer challenge (quoted values, as the mock writes them).
fn challenge_params(header: &str) -> HashMap<String, String> {
    let rest = header.strip_prefix("Bearer ").expect("a Bearer challenge");
    let mut params = HashMap::new();
    for part in rest.split("\", ") {
        let (name, value) = part.split_once("=\"").expect("name=\"value\"");
        params.insert(name.trim().to_owned(), value.trim_end_matches('"').to_owned());
    }
    params
}

async fn mcp_post(server: &MockServer, token: Option<&str>, body: &Value) -> Response {
    let mut request = http()
        .post(server.mcp_endpoint())
        .header("accept", "application/json, text/event-stream")
        .json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("MCP request")
}

fn initialize(version: &str) -> Value {
    json!({
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "test", "version": "0"}},
    })
}

/// The code flow with PKCE for `scope` and `resource` (none when empty), and the token
/// response, the token request naming the same resource.
async fn token_for(server: &MockServer, client: &TestClient, scope: &str, resource: &str) -> Response {
    let redirect = code_flow(server, client, &[("scope", scope), ("resource", resource)]).await;
    let code = redirect
        .get("code")
        .unwrap_or_else(|| panic!("a code, got {redirect:?}"));
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", LOOPBACK_REDIRECT),
        ("code_verifier", VERIFIER),
    ];
    if !resource.is_empty() {
        form.push(("resource", resource));
    }
    client_post(&server.token_endpoint(), client, &form).await
}

async fn access_token(server: &MockServer, client: &TestClient, scope: &str, resource: &str) -> String {
    let response = token_for(server, client, scope, resource).await;
    assert_eq!(response.status(), StatusCode::OK, "token response");
    str_of(&json(response).await, "access_token").to_owned()
}

#[tokio::test]
async fn without_a_token_the_endpoint_challenges_with_its_metadata_and_scope() {
    for dialect in Dialect::ALL {
        let server = start(dialect).await;
        let expected = format!(
            "Bearer resource_metadata=\"{}/.well-known/oauth-protected-resource/mcp\", scope=\"mcp:tools\"",
            server.base_url()
        );
        assert_eq!(
            server.resource_metadata_url(),
            format!("{}/.well-known/oauth-protected-resource/mcp", server.base_url())
        );
        assert_eq!(server.mcp_endpoint(), format!("{}/mcp", server.base_url()));
        for method in [reqwest::Method::GET, reqwest::Method::POST] {
            let response = http()
                .request(method.clone(), server.mcp_endpoint())
                .send()
                .await
                .expect("unauthenticated request");
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{dialect} {method}");
            // RFC 6750 §3.1: no error code when the request carried no credentials.
            assert_eq!(www_authenticate(&response), expected, "{dialect} {method}");
            let body = json(response).await;
            assert!(
                body.get("error").is_none() && body["error_description"].is_string(),
                "{body}"
            );
        }
        for header in ["Bearer not-a-token-of-ours", "Basic dXNlcjpwYXNz"] {
            let response = http()
                .post(server.mcp_endpoint())
                .header("authorization", header)
                .json(&initialize("2025-06-18"))
                .send()
                .await
                .expect("bad token");
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{dialect} {header}");
            let params = challenge_params(&www_authenticate(&response));
            assert_eq!(params["error"], "invalid_token", "{dialect} {header}");
            assert_eq!(params["scope"], SCOPE);
            assert_eq!(params["resource_metadata"], server.resource_metadata_url());
            assert_error(response, StatusCode::UNAUTHORIZED, "invalid_token").await;
        }
    }
}

#[tokio::test]
async fn metadata_names_the_resource_and_the_issuer_whose_discovery_leads_on() {
    let client = http();
    for dialect in Dialect::ALL {
        let server = start(dialect).await;
        let root = format!("{}/.well-known/oauth-protected-resource", server.base_url());
        for url in [server.resource_metadata_url(), root] {
            let response = client.get(&url).send().await.expect("resource metadata");
            assert_eq!(response.status(), StatusCode::OK, "{dialect} {url}");
            let metadata = json(response).await;
            assert_eq!(metadata["resource"], server.mcp_endpoint(), "{dialect}");
            assert_eq!(metadata["authorization_servers"], json!([server.issuer()]), "{dialect}");
            assert_eq!(metadata["scopes_supported"], json!([SCOPE]));
            assert_eq!(metadata["bearer_methods_supported"], json!(["header"]));
            assert!(metadata["resource_name"].is_string());
        }
        // RFC 8414 §3.1: the issuer's path goes after the well-known segment (liberty has one).
        let issuer = url::Url::parse(&server.issuer()).expect("issuer URL");
        let discovery_url = format!(
            "{}/.well-known/oauth-authorization-server{}",
            server.base_url(),
            issuer.path().trim_end_matches('/')
        );
        let discovery = json(client.get(&discovery_url).send().await.expect("AS metadata")).await;
        assert_eq!(discovery["issuer"], server.issuer(), "{dialect}");
        assert_eq!(
            discovery["code_challenge_methods_supported"],
            json!(["S256"]),
            "{dialect}"
        );
        assert_eq!(
            discovery["registration_endpoint"],
            server.registration_endpoint(),
            "{dialect}"
        );
        assert_eq!(discovery["client_id_metadata_document_supported"], false, "{dialect}");
        let scopes = discovery["scopes_supported"].as_array().expect("scopes");
        assert!(scopes.contains(&json!(SCOPE)), "{dialect}: {scopes:?}");
    }
}

#[tokio::test]
async fn the_chain_leads_to_a_token_that_the_mcp_endpoint_takes_in_every_dialect() {
    for dialect in Dialect::PLAIN {
        let server = start(dialect).await;
        // Walk the chain as an MCP client would: challenge → metadata → issuer → discovery.
        let challenge = http().post(server.mcp_endpoint()).send().await.expect("first call");
        let metadata_url = challenge_params(&www_authenticate(&challenge))["resource_metadata"].clone();
        let metadata = json(http().get(&metadata_url).send().await.expect("metadata")).await;
        let resource = str_of(&metadata, "resource").to_owned();
        assert_eq!(resource, server.mcp_endpoint());

        let client = register(&server, mcp_app()).await;
        let response = token_for(&server, &client, "openid mcp:tools", &resource).await;
        assert_eq!(response.status(), StatusCode::OK, "{dialect}: token");
        let tokens = json(response).await;
        assert_eq!(tokens["scope"], "openid mcp:tools", "{dialect}");
        let token = str_of(&tokens, "access_token");

        let response = mcp_post(&server, Some(token), &initialize("2025-03-26")).await;
        assert_eq!(response.status(), StatusCode::OK, "{dialect}: initialize");
        let result = &json(response).await["result"];
        assert_eq!(
            result["protocolVersion"], "2025-03-26",
            "{dialect}: a known version echoed"
        );
        assert_eq!(result["capabilities"], json!({"tools": {}}));
        assert_eq!(result["serverInfo"]["name"], "registrar-mock-mcp");
        assert_eq!(result["serverInfo"]["version"], env!("CARGO_PKG_VERSION"));

        // Introspection shows the audience the token was issued for.
        let introspection = client_post(&server.introspection_endpoint(), &client, &[("token", token)]).await;
        let introspection = json(introspection).await;
        assert_eq!(introspection["active"], true, "{dialect}");
        assert_eq!(introspection["aud"], resource, "{dialect}");
    }
}

#[tokio::test]
async fn mcp_messages_are_answered_as_json_rpc() {
    let server = start(Dialect::Generic).await;
    let client = register(&server, mcp_app()).await;
    let bearer = access_token(&server, &client, SCOPE, &server.mcp_endpoint()).await;
    let token = Some(bearer.as_str());

    let unknown_version = json(mcp_post(&server, token, &initialize("1999-01-01")).await).await;
    assert_eq!(unknown_version["result"]["protocolVersion"], "2025-06-18");

    let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    let response = mcp_post(&server, token, &initialized).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert!(response.text().await.expect("body").is_empty());

    let list = json(
        mcp_post(
            &server,
            token,
            &json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}),
        )
        .await,
    )
    .await;
    assert_eq!(list["id"], 2);
    let tools = list["result"]["tools"].as_array().expect("tools");
    assert_eq!(tools.len(), 1);
    assert_eq!(tools[0]["name"], "echo");
    assert_eq!(tools[0]["inputSchema"]["type"], "object");

    let call = json!({"jsonrpc": "2.0", "id": "c", "method": "tools/call",
        "params": {"name": "echo", "arguments": {"text": "hello"}}});
    let called = json(mcp_post(&server, token, &call).await).await;
    assert_eq!(called["id"], "c");
    assert_eq!(called["result"]["content"], json!([{"type": "text", "text": "hello"}]));
    assert_eq!(called["result"]["isError"], false);

    let other_tool = json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "rm"}});
    assert_eq!(
        json(mcp_post(&server, token, &other_tool).await).await["error"]["code"],
        -32602
    );

    let response = mcp_post(
        &server,
        token,
        &json!({"jsonrpc": "2.0", "id": 4, "method": "resources/list"}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = json(response).await;
    assert_eq!(body["id"], 4);
    assert_eq!(body["error"]["code"], -32601, "unknown method");

    let malformed = http()
        .post(server.mcp_endpoint())
        .bearer_auth(&bearer)
        .header("content-type", "application/json")
        .body("{\"jsonrpc\": \"2.0\", ")
        .send()
        .await
        .expect("malformed");
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    let body = json(malformed).await;
    assert_eq!(body["error"]["code"], -32700);
    assert_eq!(body["id"], Value::Null);

    let not_json_rpc = mcp_post(&server, token, &json!({"id": 5, "method": "ping"})).await;
    assert_eq!(not_json_rpc.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json(not_json_rpc).await["error"]["code"], -32600);

    let get = http()
        .get(server.mcp_endpoint())
        .bearer_auth(&bearer)
        .send()
        .await
        .expect("GET");
    assert_eq!(get.status(), StatusCode::METHOD_NOT_ALLOWED, "no SSE stream");
    assert_eq!(get.headers()["allow"], "POST");

    let bad_version = http()
        .post(server.mcp_endpoint())
        .bearer_auth(&bearer)
        .header("mcp-protocol-version", "1999-01-01")
        .json(&json!({"jsonrpc": "2.0", "id": 6, "method": "ping"}))
        .send()
        .await
        .expect("bad version header");
    assert_eq!(bad_version.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_token_without_the_scope_is_refused_with_insufficient_scope() {
    let server = start(Dialect::Generic).await;
    let client = register(&server, mcp_app()).await;
    let token = access_token(&server, &client, "openid profile", &server.mcp_endpoint()).await;
    let response = mcp_post(&server, Some(&token), &initialize("2025-06-18")).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let params = challenge_params(&www_authenticate(&response));
    assert_eq!(params["error"], "insufficient_scope");
    assert_eq!(params["scope"], SCOPE);
    assert_eq!(params["resource_metadata"], server.resource_metadata_url());
    assert_error(response, StatusCode::FORBIDDEN, "insufficient_scope").await;

    // A client registered without the scope never gets it: the grant is narrowed.
    let narrow = register(&server, app("client_secret_basic")).await;
    let response = token_for(&server, &narrow, "openid mcp:tools", &server.mcp_endpoint()).await;
    assert_eq!(json(response).await["scope"], "openid");
}

#[tokio::test]
async fn a_token_for_another_resource_or_for_none_is_an_invalid_token() {
    let server = start(Dialect::Generic).await;
    let client = register(&server, mcp_app()).await;
    for resource in ["https://other.example/mcp", ""] {
        let token = access_token(&server, &client, SCOPE, resource).await;
        let response = mcp_post(&server, Some(&token), &initialize("2025-06-18")).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "resource `{resource}`");
        let params = challenge_params(&www_authenticate(&response));
        assert_eq!(params["error"], "invalid_token", "resource `{resource}`");
        assert_eq!(params["resource_metadata"], server.resource_metadata_url());
        assert_error(response, StatusCode::UNAUTHORIZED, "invalid_token").await;
    }
    // A trailing slash is forgiven.
    let token = access_token(&server, &client, SCOPE, &format!("{}/", server.mcp_endpoint())).await;
    let response = mcp_post(&server, Some(&token), &initialize("2025-06-18")).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn resource_indicators_are_checked_at_authorization_and_token_endpoints() {
    let server = start(Dialect::Generic).await;
    let client = register(&server, mcp_app()).await;
    let mcp = server.mcp_endpoint();

    // A malformed resource goes back to the client as invalid_target.
    let response = crate::support::oauth::authorize(
        &server,
        &crate::support::oauth::auth_params(&client, &[("resource", "/mcp")]),
    )
    .await;
    let redirect = crate::support::oauth::redirect_params(&response, LOOPBACK_REDIRECT);
    assert_eq!(redirect["error"], "invalid_target");

    // The token request may narrow the authorized resources, never add one.
    let mut params = crate::support::oauth::auth_params(&client, &[("scope", SCOPE)]);
    params.push(("resource".into(), mcp.clone()));
    params.push(("resource".into(), "https://other.example/api".into()));
    let page = crate::support::oauth::authorize(&server, &params).await;
    let done = crate::support::oauth::log_in_and_decide(&server, page, "approve").await;
    let code = crate::support::oauth::redirect_params(&done, LOOPBACK_REDIRECT)["code"].clone();
    let base = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", LOOPBACK_REDIRECT),
        ("code_verifier", VERIFIER),
    ];
    let mut wider = base.to_vec();
    wider.push(("resource", "https://third.example/"));
    assert_error(
        client_post(&server.token_endpoint(), &client, &wider).await,
        StatusCode::BAD_REQUEST,
        "invalid_target",
    )
    .await;

    // Several audiences, ours among them: the token works here.
    let page = crate::support::oauth::authorize(&server, &params).await;
    let done = crate::support::oauth::log_in_and_decide(&server, page, "approve").await;
    let code = crate::support::oauth::redirect_params(&done, LOOPBACK_REDIRECT)["code"].clone();
    let both = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", LOOPBACK_REDIRECT),
        ("code_verifier", VERIFIER),
    ];
    let tokens = json(client_post(&server.token_endpoint(), &client, &both).await).await;
    assert_eq!(
        mcp_post(
            &server,
            Some(str_of(&tokens, "access_token")),
            &initialize("2025-06-18")
        )
        .await
        .status(),
        StatusCode::OK
    );

    let redirect = code_flow(&server, &client, &[("scope", SCOPE), ("resource", &mcp)]).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", redirect["code"].as_str()),
        ("redirect_uri", LOOPBACK_REDIRECT),
        ("code_verifier", VERIFIER),
    ];
    // No resource in the token request: the authorized ones.
    let tokens = json(client_post(&server.token_endpoint(), &client, &form).await).await;
    let token = str_of(&tokens, "access_token").to_owned();
    assert_eq!(
        mcp_post(&server, Some(&token), &initialize("2025-06-18"))
            .await
            .status(),
        StatusCode::OK
    );
    // A refresh keeps the audience, and may not change it.
    let refresh = str_of(&tokens, "refresh_token").to_owned();
    let elsewhere = client_post(
        &server.token_endpoint(),
        &client,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &refresh),
            ("resource", "https://other.example/api"),
        ],
    )
    .await;
    assert_error(elsewhere, StatusCode::BAD_REQUEST, "invalid_target").await;
    let refreshed = client_post(
        &server.token_endpoint(),
        &client,
        &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
    )
    .await;
    let refreshed = json(refreshed).await;
    let token = str_of(&refreshed, "access_token");
    assert_eq!(
        mcp_post(&server, Some(token), &initialize("2025-06-18")).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_machine_client_gets_a_token_for_the_resource_by_client_credentials() {
    let server = start(Dialect::Generic).await;
    let mut metadata = mcp_app();
    metadata["grant_types"] = json!(["client_credentials"]);
    metadata["redirect_uris"] = json!([]);
    metadata["response_types"] = json!([]);
    let client = register(&server, metadata).await;
    let mcp = server.mcp_endpoint();
    let response = client_post(
        &server.token_endpoint(),
        &client,
        &[
            ("grant_type", "client_credentials"),
            ("scope", SCOPE),
            ("resource", &mcp),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let token = str_of(&json(response).await, "access_token").to_owned();
    assert_eq!(
        mcp_post(&server, Some(&token), &initialize("2025-06-18"))
            .await
            .status(),
        StatusCode::OK
    );
}

/// Each switch, as configured from the start.
#[tokio::test]
async fn each_resource_fault_breaks_its_link_of_the_chain() {
    let client = http();
    for dialect in [Dialect::Generic, Dialect::Liberty] {
        for fault in ResourceFault::ALL {
            let mut config = MockConfig::new(dialect);
            config.resource_faults = vec![fault];
            let server = start_with(config).await;
            check_fault(&server, &client, Some(fault)).await;
        }
    }
}

async fn check_fault(server: &MockServer, client: &reqwest::Client, fault: Option<ResourceFault>) {
    let dialect = server.dialect();
    let what = format!("{dialect} {fault:?}");
    let metadata = client
        .get(server.resource_metadata_url())
        .send()
        .await
        .expect("metadata");
    let root = client
        .get(format!("{}/.well-known/oauth-protected-resource", server.base_url()))
        .send()
        .await
        .expect("root metadata");
    let challenge = client.post(server.mcp_endpoint()).send().await.expect("challenge");
    let params = challenge_params(&www_authenticate(&challenge));
    let discovery = json(
        client
            .get(format!("{}/.well-known/openid-configuration", server.base_url()))
            .send()
            .await
            .expect("discovery"),
    )
    .await;
    let mut registration = client.post(server.registration_endpoint()).json(&mcp_app());
    if let (Some(user), password) = (
        &server.credentials().admin_username,
        &server.credentials().admin_password,
    ) {
        registration = registration.basic_auth(user, password.as_deref());
    }
    let registration = registration.send().await.expect("registration");

    let no_metadata = fault == Some(ResourceFault::NoMetadata);
    if no_metadata {
        assert_eq!(metadata.status(), StatusCode::NOT_FOUND, "{what}");
        assert_eq!(root.status(), StatusCode::NOT_FOUND, "{what}");
        assert!(!params.contains_key("resource_metadata"), "{what}: {params:?}");
        assert_eq!(params["scope"], SCOPE, "{what}");
    } else {
        assert_eq!(metadata.status(), StatusCode::OK, "{what}");
        assert_eq!(params["resource_metadata"], server.resource_metadata_url(), "{what}");
        let resource = json(metadata).await["resource"].clone();
        if fault == Some(ResourceFault::WrongResource) {
            assert_eq!(resource, "https://mcp.example.com/mcp", "{what}");
        } else {
            assert_eq!(resource, server.mcp_endpoint(), "{what}");
        }
    }
    let no_registration = fault == Some(ResourceFault::NoRegistration);
    assert_eq!(
        discovery.get("registration_endpoint").is_none(),
        no_registration,
        "{what}"
    );
    if no_registration {
        assert_error(registration, StatusCode::NOT_FOUND, "not_found").await;
    } else {
        assert!(registration.status().is_success(), "{what}: {}", registration.status());
    }
    let no_pkce = fault == Some(ResourceFault::NoPkce);
    assert_eq!(
        discovery.get("code_challenge_methods_supported").is_none(),
        no_pkce,
        "{what}"
    );
}

#[tokio::test]
async fn resource_faults_switch_through_the_admin_api_and_the_handle() {
    let server = start(Dialect::Generic).await;
    let client = http();
    let url = format!("{}/_admin/resource_faults", server.base_url());
    let state = json(client.get(&url).send().await.expect("state")).await;
    assert_eq!(state, json!({"faults": []}));
    check_fault(&server, &client, None).await;

    for fault in ResourceFault::ALL {
        let response = client
            .post(&url)
            .json(&json!({"faults": [fault.name()]}))
            .send()
            .await
            .expect("switch");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(json(response).await, json!({"faults": [fault.name()]}));
        check_fault(&server, &client, Some(fault)).await;
    }
    // Several at once (snake_case accepted too), then all off.
    let response = client
        .post(&url)
        .json(&json!({"faults": ["no_pkce", "no-registration"]}))
        .send()
        .await
        .expect("two");
    assert_eq!(json(response).await, json!({"faults": ["no-registration", "no-pkce"]}));
    assert_eq!(
        server.admin().resource_faults(),
        vec![ResourceFault::NoRegistration, ResourceFault::NoPkce]
    );
    let cleared = client.delete(&url).send().await.expect("clear");
    assert_eq!(cleared.status(), StatusCode::NO_CONTENT);
    check_fault(&server, &client, None).await;

    let unknown = client
        .post(&url)
        .json(&json!({"faults": ["no-such-thing"]}))
        .send()
        .await
        .expect("unknown");
    assert_error(unknown, StatusCode::BAD_REQUEST, "invalid_request").await;

    server.admin().set_resource_faults(&[ResourceFault::NoMetadata]);
    check_fault(&server, &client, Some(ResourceFault::NoMetadata)).await;
    server.admin().set_resource_faults(&[]);
    check_fault(&server, &client, None).await;
}

#[test]
fn binary_takes_resource_faults_and_prints_the_mcp_endpoint() {
    let binary = crate::support::binary::Binary::start([
        "--resource-fault",
        "no-pkce,no-metadata",
        "--resource-fault",
        "wrong-resource",
    ]);
    let field = |name: &str| binary.field(name);
    let base = field("base_url");
    assert_eq!(field("mcp_endpoint"), format!("{base}/mcp"));
    assert_eq!(
        field("resource_metadata"),
        format!("{base}/.well-known/oauth-protected-resource/mcp")
    );
    assert_eq!(field("resource_faults"), "wrong-resource, no-pkce, no-metadata");

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (state, metadata_status) = runtime.block_on(async {
        let client = http();
        let state = json(
            client
                .get(format!("{base}/_admin/resource_faults"))
                .send()
                .await
                .expect("admin"),
        )
        .await;
        let status = client
            .get(field("resource_metadata"))
            .send()
            .await
            .expect("metadata")
            .status();
        (state, status)
    });
    assert_eq!(state, json!({"faults": ["wrong-resource", "no-pkce", "no-metadata"]}));
    assert_eq!(metadata_status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_device_flow_carries_the_resource_from_its_start_to_the_token() {
    use crate::support::oauth::{input_value, submit, DEVICE_GRANT};
    use registrar_mock_op::{DEMO_PASSWORD, DEMO_USERNAME};

    let mut config = MockConfig::new(Dialect::Generic);
    config.timing.device_poll_interval = std::time::Duration::ZERO;
    let server = start_with(config).await;
    let client = register(&server, mcp_app()).await;
    let mcp = server.mcp_endpoint();
    let bad = client_post(
        &server.device_authorization_endpoint(),
        &client,
        &[("scope", SCOPE), ("resource", "not a URI")],
    )
    .await;
    assert_error(bad, StatusCode::BAD_REQUEST, "invalid_target").await;
    let started = client_post(
        &server.device_authorization_endpoint(),
        &client,
        &[("scope", SCOPE), ("resource", &mcp)],
    )
    .await;
    let started = json(started).await;
    let user_code = str_of(&started, "user_code");
    let action = server.device_verification_uri();
    let consent = submit(
        &action,
        &[
            ("user_code", user_code),
            ("username", DEMO_USERNAME),
            ("password", DEMO_PASSWORD),
        ],
    )
    .await;
    let interaction = input_value(&consent.text().await.expect("consent"), "interaction").expect("interaction");
    let done = submit(&action, &[("interaction", &interaction), ("decision", "approve")]).await;
    assert_eq!(done.status(), StatusCode::OK);

    let device_code = str_of(&started, "device_code");
    let poll = |resource: &'static str| {
        let mut form = vec![("grant_type", DEVICE_GRANT), ("device_code", device_code)];
        if !resource.is_empty() {
            form.push(("resource", resource));
        }
        let (server, client) = (&server, &client);
        async move { client_post(&server.token_endpoint(), client, &form).await }
    };
    assert_error(
        poll("https://other.example/").await,
        StatusCode::BAD_REQUEST,
        "invalid_target",
    )
    .await;
    let response = poll("").await;
    assert_eq!(response.status(), StatusCode::OK);
    let token = str_of(&json(response).await, "access_token").to_owned();
    assert_eq!(
        mcp_post(&server, Some(&token), &initialize("2025-06-18"))
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_consent_page_names_the_resources_asked_for() {
    use crate::support::oauth::{auth_params, authorize, input_value, submit};
    use registrar_mock_op::{DEMO_PASSWORD, DEMO_USERNAME};

    let server = start(Dialect::Generic).await;
    let client = register(&server, mcp_app()).await;
    let mcp = server.mcp_endpoint();
    for (resource, listed) in [(mcp.as_str(), true), ("", false)] {
        let page = authorize(
            &server,
            &auth_params(&client, &[("scope", SCOPE), ("resource", resource)]),
        )
        .await;
        let interaction = input_value(&page.text().await.expect("login page"), "interaction").expect("interaction");
        let consent = submit(
            &server.authorization_endpoint(),
            &[
                ("interaction", &interaction),
                ("username", DEMO_USERNAME),
                ("password", DEMO_PASSWORD),
            ],
        )
        .await;
        let html = consent.text().await.expect("consent page");
        assert_eq!(html.contains("id=\"resources\""), listed, "{html}");
        assert_eq!(html.contains(&format!("<li>{mcp}</li>")), listed, "{html}");
    }
}
