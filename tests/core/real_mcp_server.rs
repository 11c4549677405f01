//! The real MCP server of `tests/providers/mcp-server` (the official MCP TypeScript SDK)
//! behind a real node-oidc-provider, driven by hand — plain HTTP and the scripted user,
//! none of Registrar's own OAuth — so that the harness is proven before Registrar is put
//! through it: discover from the MCP server's URL, register, authorize with PKCE and an
//! RFC 8707 resource, and see `initialize` answer; and each misconfiguration fail at the
//! step a client would first notice it.

use registrar_tests::browser::Browser;
use registrar_tests::real_mcp::RealMcpServer;
use registrar_tests::real_provider::RealProvider;
use reqwest::StatusCode;
use serde_json::{json, Value};

const REDIRECT: &str = "http://127.0.0.1:9/callback";
/// RFC 7636 appendix B: a verifier and its S256 challenge.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// node-oidc accepting any loopback resource indicator, with the MCP scope and another,
/// and Client ID Metadata Documents on.
fn authorization_server() -> RealProvider {
    RealProvider::node_oidc(json!({
        "loopbackResources": {"scope": "mcp:tools mcp:read"},
        "cimd": true,
    }))
}

fn initialize() -> Value {
    json!({
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "registrar-tests", "version": "0"},
        },
    })
}

/// A JSON-RPC POST as a Streamable HTTP client sends it.
async fn post(url: &str, token: Option<&str>, body: &Value) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(url)
        .header("Accept", "application/json, text/event-stream")
        .header("Content-Type", "application/json")
        .body(body.to_string());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("the MCP server answers")
}

/// The JSON-RPC message of a Streamable HTTP answer: a JSON body, or the `data:` lines of
/// the first event of an SSE stream.
async fn json_rpc(response: reqwest::Response) -> Value {
    let sse = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/event-stream"));
    let body = response.text().await.expect("a body");
    let text = if sse {
        let event = body.replace("\r\n", "\n");
        let event = event.split("\n\n").find(|e| e.contains("data:")).unwrap_or_default();
        event
            .lines()
            .filter_map(|l| l.strip_prefix("data:"))
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        body.clone()
    };
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON-RPC ({e}): {body}"))
}

/// The value of `name` in a `WWW-Authenticate: Bearer a="…", b="…"` challenge.
fn challenge_param(header: &str, name: &str) -> Option<String> {
    let start = header.find(&format!("{name}=\""))? + name.len() + 2;
    header[start..].split('"').next().map(str::to_string)
}

fn www_authenticate(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .expect("a WWW-Authenticate challenge")
        .to_string()
}

async fn get_json(url: &str) -> Value {
    let response = reqwest::get(url).await.unwrap_or_else(|e| panic!("GET {url}: {e}"));
    assert_eq!(response.status(), StatusCode::OK, "GET {url}");
    response.json().await.expect("a JSON document")
}

/// The claims of a JWT (no signature check: the MCP server does that).
fn jwt_part(jwt: &str, index: usize) -> Value {
    let part = jwt.split('.').nth(index).expect("a JWT of three parts");
    serde_json::from_slice(&base64url(part)).expect("JSON in the JWT")
}

fn base64url(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.trim_end_matches('=').bytes() {
        let value = ALPHABET.iter().position(|&a| a == c).expect("base64url") as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

/// Everything a client does between the MCP server's 401 and an access token, by the book:
/// the protected resource metadata it names, then `token_at` its authorization server.
/// Returns the token response.
async fn token_for(mcp_url: &str, metadata_url: &str, scope: &str) -> Value {
    let metadata = get_json(metadata_url).await;
    let issuer = metadata["authorization_servers"][0]
        .as_str()
        .expect("an authorization server");
    let resource = metadata["resource"].as_str().expect("a resource");
    assert_eq!(
        resource, mcp_url,
        "RFC 9728 §3.3: the resource is the URL the client used"
    );
    token_at(issuer, resource, scope).await
}

/// The authorization server's RFC 8414 metadata, registration of a public client, the
/// scripted user's login with PKCE and `resource`, and the code exchange with `resource`.
async fn token_at(issuer: &str, resource: &str, scope: &str) -> Value {
    let server = get_json(&format!("{issuer}/.well-known/oauth-authorization-server")).await;
    assert_eq!(server["issuer"], issuer);
    let registered: Value = reqwest::Client::new()
        .post(
            server["registration_endpoint"]
                .as_str()
                .expect("a registration endpoint"),
        )
        .json(&json!({
            "redirect_uris": [REDIRECT],
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "none",
            "client_name": "MCP harness",
        }))
        .send()
        .await
        .expect("the provider answers")
        .json()
        .await
        .expect("a JSON registration");
    let client_id = registered["client_id"].as_str().expect("a client id");
    code_grant(&server, client_id, resource, scope).await
}

/// The scripted user's login at the authorization server whose RFC 8414 metadata is
/// `server`, with PKCE and `resource`, and the code exchange with `resource`, for the
/// public client `client_id`.
async fn code_grant(server: &Value, client_id: &str, resource: &str, scope: &str) -> Value {
    let mut url = reqwest::Url::parse(
        server["authorization_endpoint"]
            .as_str()
            .expect("an authorization endpoint"),
    )
    .expect("a URL");
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", REDIRECT)
        .append_pair("scope", scope)
        .append_pair("state", "s-mcp")
        .append_pair("code_challenge", CHALLENGE)
        .append_pair("code_challenge_method", "S256")
        .append_pair("resource", resource);
    let redirect = Browser::default()
        .authorize(url.as_str(), REDIRECT)
        .await
        .expect("the login goes through");
    let answer: std::collections::BTreeMap<String, String> = reqwest::Url::parse(&redirect)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect();
    assert_eq!(answer.get("state").map(String::as_str), Some("s-mcp"), "{redirect}");
    let code = answer.get("code").unwrap_or_else(|| panic!("a code: {redirect}"));

    let response = reqwest::Client::new()
        .post(server["token_endpoint"].as_str().expect("a token endpoint"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("client_id", client_id),
            ("code_verifier", VERIFIER),
            ("resource", resource),
        ])
        .send()
        .await
        .expect("the token endpoint answers");
    let status = response.status();
    let tokens: Value = response.json().await.expect("a JSON token response");
    assert_eq!(status, StatusCode::OK, "{tokens}");
    tokens
}

#[tokio::test]
async fn an_sdk_mcp_server_behind_node_oidc_answers_initialize_to_a_token_got_from_its_metadata() {
    let op = authorization_server();
    let discovery = get_json(&format!("{}/.well-known/oauth-authorization-server", op.issuer)).await;
    assert_eq!(discovery["client_id_metadata_document_supported"], true, "{discovery}");
    assert!(
        discovery["code_challenge_methods_supported"]
            .as_array()
            .is_some_and(|m| m.contains(&json!("S256"))),
        "{discovery}"
    );
    assert!(
        discovery["scopes_supported"]
            .as_array()
            .is_some_and(|s| s.contains(&json!("mcp:tools"))),
        "{discovery}"
    );
    let mcp = RealMcpServer::start(json!({"issuer": op.issuer}));
    assert_eq!(mcp.url, format!("http://127.0.0.1:{}/mcp", mcp.port));
    assert_eq!(mcp.resource, mcp.url);

    // Unauthenticated: 401, and the challenge names the metadata.
    let refused = post(&mcp.url, None, &initialize()).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let challenge = www_authenticate(&refused);
    assert!(challenge.starts_with("Bearer "), "{challenge}");
    assert_eq!(
        challenge_param(&challenge, "error").as_deref(),
        Some("invalid_token"),
        "{challenge}"
    );
    assert_eq!(
        challenge_param(&challenge, "scope").as_deref(),
        Some("mcp:tools"),
        "{challenge}"
    );
    let metadata_url = challenge_param(&challenge, "resource_metadata").expect("resource_metadata");
    assert_eq!(metadata_url, mcp.metadata_url);
    assert_eq!(
        metadata_url,
        format!("http://127.0.0.1:{}/.well-known/oauth-protected-resource/mcp", mcp.port),
        "RFC 9728 §3.1: the well-known segment goes before the resource's path"
    );

    let metadata = get_json(&metadata_url).await;
    assert_eq!(metadata["resource"], json!(mcp.url), "{metadata}");
    assert_eq!(metadata["authorization_servers"], json!([op.issuer]), "{metadata}");
    assert_eq!(metadata["scopes_supported"], json!(["mcp:tools"]), "{metadata}");
    assert_eq!(metadata["bearer_methods_supported"], json!(["header"]), "{metadata}");

    let tokens = token_for(&mcp.url, &metadata_url, "openid mcp:tools").await;
    let token = tokens["access_token"].as_str().expect("an access token");
    let header = jwt_part(token, 0);
    assert_eq!(header["typ"], "at+jwt", "RFC 9068: {header}");
    assert_eq!(header["alg"], "RS256", "{header}");
    let claims = jwt_part(token, 1);
    assert_eq!(claims["aud"], json!(mcp.url), "{claims}");
    assert_eq!(claims["iss"], json!(op.issuer), "{claims}");
    assert_eq!(claims["scope"], "mcp:tools", "{claims}");
    assert_eq!(tokens["scope"], "mcp:tools", "{tokens}");

    let answer = post(&mcp.url, Some(token), &initialize()).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let message = json_rpc(answer).await;
    assert_eq!(message["id"], 1, "{message}");
    assert_eq!(
        message["result"]["serverInfo"]["name"], "registrar-test-mcp",
        "{message}"
    );
    assert!(message["result"]["serverInfo"]["version"].is_string(), "{message}");
    assert!(message["result"]["capabilities"]["tools"].is_object(), "{message}");

    // The one tool answers too (stateless: no session to carry).
    let call = json!({
        "jsonrpc": "2.0", "id": 2, "method": "tools/call",
        "params": {"name": "echo", "arguments": {"text": "hello"}},
    });
    let echoed = json_rpc(post(&mcp.url, Some(token), &call).await).await;
    assert_eq!(echoed["result"]["content"][0]["text"], "hello", "{echoed}");

    // A token that is not a JWT of this issuer is refused as invalid.
    let forged = post(&mcp.url, Some("not.a.token"), &initialize()).await;
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        challenge_param(&www_authenticate(&forged), "error").as_deref(),
        Some("invalid_token")
    );
}

#[tokio::test]
async fn a_token_without_the_mcp_scope_is_refused_with_insufficient_scope() {
    let op = authorization_server();
    let mcp = RealMcpServer::start(json!({"issuer": op.issuer}));
    let tokens = token_for(&mcp.url, &mcp.metadata_url, "openid mcp:read").await;
    let token = tokens["access_token"].as_str().expect("an access token");
    let claims = jwt_part(token, 1);
    assert_eq!(claims["aud"], json!(mcp.url), "{claims}");
    assert_eq!(claims["scope"], "mcp:read", "{claims}");

    let refused = post(&mcp.url, Some(token), &initialize()).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let challenge = www_authenticate(&refused);
    assert_eq!(
        challenge_param(&challenge, "error").as_deref(),
        Some("insufficient_scope"),
        "{challenge}"
    );
    assert_eq!(
        challenge_param(&challenge, "scope").as_deref(),
        Some("mcp:tools"),
        "{challenge}"
    );
    assert_eq!(
        challenge_param(&challenge, "resource_metadata").as_deref(),
        Some(mcp.metadata_url.as_str())
    );
    let body: Value = refused.json().await.expect("a JSON error");
    assert_eq!(body["error"], "insufficient_scope", "{body}");
}

#[tokio::test]
async fn a_wrong_resource_in_the_metadata_or_no_registration_is_the_step_that_fails() {
    let op = authorization_server();
    let wrong = "https://mcp.example.org/mcp";
    let mcp = RealMcpServer::start(json!({"issuer": op.issuer, "resource": wrong}));
    assert_eq!(mcp.resource, wrong);

    // The discovery step: the 401 names the metadata, which names another resource than
    // the URL the client connected to; RFC 9728 §3.3 says stop here.
    let refused = post(&mcp.url, None, &initialize()).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let metadata_url = challenge_param(&www_authenticate(&refused), "resource_metadata").expect("resource_metadata");
    assert_eq!(metadata_url, mcp.metadata_url);
    let metadata = get_json(&metadata_url).await;
    assert_eq!(metadata["resource"], wrong, "{metadata}");
    assert_ne!(metadata["resource"], json!(mcp.url));

    // A client that went on anyway, with a token for the URL it used, is refused: the
    // server wants its (wrong) resource as the audience.
    let tokens = token_at(&op.issuer, &mcp.url, "openid mcp:tools").await;
    let token = tokens["access_token"].as_str().expect("an access token");
    assert_eq!(jwt_part(token, 1)["aud"], json!(mcp.url));
    let rejected = post(&mcp.url, Some(token), &initialize()).await;
    assert_eq!(rejected.status(), StatusCode::UNAUTHORIZED);
    let challenge = www_authenticate(&rejected);
    assert_eq!(
        challenge_param(&challenge, "error").as_deref(),
        Some("invalid_token"),
        "{challenge}"
    );
    assert!(challenge.contains("aud"), "the audience is named: {challenge}");

    // An authorization server without registration: its metadata has no
    // registration_endpoint, and POST /reg is not there.
    let closed = RealProvider::node_oidc(json!({
        "loopbackResources": {"scope": "mcp:tools"},
        "features": {"registration": {"enabled": false}, "registrationManagement": {"enabled": false}},
    }));
    let mcp = RealMcpServer::start(json!({"issuer": closed.issuer}));
    let metadata = get_json(&mcp.metadata_url).await;
    assert_eq!(metadata["authorization_servers"], json!([closed.issuer]));
    let server = get_json(&format!("{}/.well-known/oauth-authorization-server", closed.issuer)).await;
    assert!(server.get("registration_endpoint").is_none(), "{server}");
    let attempt = reqwest::Client::new()
        .post(&closed.registration_endpoint)
        .json(&json!({"redirect_uris": [REDIRECT], "token_endpoint_auth_method": "none"}))
        .send()
        .await
        .expect("the provider answers");
    assert_eq!(attempt.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_sdks_own_metadata_router_serves_the_resource_and_a_copy_of_the_servers_metadata() {
    let op = authorization_server();
    let mcp = RealMcpServer::start(json!({"issuer": op.issuer, "metadataRouter": "sdk"}));
    let refused = post(&mcp.url, None, &initialize()).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        challenge_param(&www_authenticate(&refused), "resource_metadata").as_deref(),
        Some(mcp.metadata_url.as_str())
    );
    let metadata = get_json(&mcp.metadata_url).await;
    assert_eq!(metadata["resource"], json!(mcp.url), "{metadata}");
    assert_eq!(metadata["authorization_servers"], json!([op.issuer]), "{metadata}");
    assert!(
        metadata.get("bearer_methods_supported").is_none(),
        "the SDK leaves it out: {metadata}"
    );
    // The SDK also answers RFC 8414 metadata on the MCP server's origin, with the
    // authorization server's issuer in it.
    let copy = get_json(&format!(
        "http://127.0.0.1:{}/.well-known/oauth-authorization-server",
        mcp.port
    ))
    .await;
    assert_eq!(copy["issuer"], json!(op.issuer), "{copy}");

    // And the whole flow still works against it.
    let tokens = token_for(&mcp.url, &mcp.metadata_url, "openid mcp:tools").await;
    let token = tokens["access_token"].as_str().expect("an access token");
    let message = json_rpc(post(&mcp.url, Some(token), &initialize()).await).await;
    assert_eq!(
        message["result"]["serverInfo"]["name"], "registrar-test-mcp",
        "{message}"
    );
}

/// An HTTPS server on 127.0.0.1 whose certificate a test CA signed, answering every
/// request with one JSON document: a client's Client ID Metadata Document.
struct DocumentServer {
    /// `https://127.0.0.1:PORT/client.json`, the client_id.
    url: String,
    ca_pem: String,
    hits: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for DocumentServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl DocumentServer {
    /// Serves `document(url)`, `url` being the address it is served at.
    async fn start(document: impl FnOnce(&str) -> Value) -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (acceptor, ca_pem) = registrar_tests::tls_proxy::test_acceptor();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!(
            "https://127.0.0.1:{}/client.json",
            listener.local_addr().expect("addr").port()
        );
        let body = document(&url).to_string();
        let answer = std::sync::Arc::new(format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        ));
        let hits = std::sync::Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (acceptor, answer, counter) = (acceptor.clone(), answer.clone(), counter.clone());
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let mut head = Vec::new();
                    let mut chunk = [0u8; 2048];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match tls.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&chunk[..n]),
                        }
                    }
                    counter.fetch_add(1, Ordering::SeqCst);
                    let _ = tls.write_all(answer.as_bytes()).await;
                    let _ = tls.shutdown().await;
                });
            }
        });
        Self {
            url,
            ca_pem,
            hits,
            task,
        }
    }
}

#[tokio::test]
async fn a_client_id_metadata_document_behind_a_private_ca_stands_in_for_registration() {
    let document = DocumentServer::start(|url| {
        json!({
            "client_id": url,
            "client_name": "MCP harness (CIMD)",
            "redirect_uris": [REDIRECT],
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "none",
        })
    })
    .await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &document.ca_pem).expect("the CA is written");
    let op = RealProvider::node_oidc(json!({
        "loopbackResources": {"scope": "mcp:tools"},
        "cimd": {"caFile": ca_file},
    }));
    let mcp = RealMcpServer::start(json!({"issuer": op.issuer}));
    let server = get_json(&format!("{}/.well-known/oauth-authorization-server", op.issuer)).await;
    assert_eq!(server["client_id_metadata_document_supported"], true, "{server}");

    // No registration: the client_id is the document's URL.
    let tokens = code_grant(&server, &document.url, &mcp.url, "openid mcp:tools").await;
    assert!(document.hits.load(std::sync::atomic::Ordering::SeqCst) >= 1);
    let token = tokens["access_token"].as_str().expect("an access token");
    let claims = jwt_part(token, 1);
    assert_eq!(claims["client_id"], json!(document.url), "{claims}");
    assert_eq!(claims["aud"], json!(mcp.url), "{claims}");
    let message = json_rpc(post(&mcp.url, Some(token), &initialize()).await).await;
    assert_eq!(
        message["result"]["serverInfo"]["name"], "registrar-test-mcp",
        "{message}"
    );

    // Without the CA the provider cannot fetch the document (UNABLE_TO_VERIFY_LEAF_SIGNATURE,
    // which logErrors shows), and the login stops at once at its error page.
    let untrusting = RealProvider::node_oidc(json!({"loopbackResources": {"scope": "mcp:tools"}, "cimd": true}));
    let mut url = reqwest::Url::parse(&format!("{}/auth", untrusting.issuer)).expect("a URL");
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &document.url)
        .append_pair("redirect_uri", REDIRECT)
        .append_pair("scope", "openid mcp:tools")
        .append_pair("code_challenge", CHALLENGE)
        .append_pair("code_challenge_method", "S256")
        .append_pair("resource", &mcp.url);
    let refused = Browser::default().authorize(url.as_str(), REDIRECT).await;
    assert!(
        refused.as_ref().is_err_and(|e| e.contains("answered 400 Bad Request")),
        "{refused:?}"
    );
}
