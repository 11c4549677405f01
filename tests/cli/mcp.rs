//! Issue 18 from the command line, as a person would go: `discover` an MCP server's URL,
//! `profile add --resource`, `register --mcp-client`, `connect` (the scripted user signs
//! in), and `duplicates`. Against the mock's protected resource, its misconfigurations,
//! and the real MCP SDK server behind node-oidc-provider.

use crate::support::{Cli, Mock};
use crate::try_grants::{sign_in, Running};
use registrar_mock_op::{Dialect, ResourceFault};
use registrar_tests::browser::Decision;
use registrar_tests::real_mcp::RealMcpServer;
use registrar_tests::real_provider::RealProvider;
use serde_json::{json, Value};

fn steps(chain: &Value) -> Vec<(String, String)> {
    chain["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| {
            (
                s["kind"].as_str().unwrap().to_string(),
                s["state"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// `profile add NAME --resource URL`, `register --mcp-client`: the new client's id.
fn profile_and_client(cli: &Cli, name: &str, url: &str) -> String {
    let profile = cli.json(&["profile", "add", name, "--resource", url]);
    assert_eq!(profile["resource"]["url"], url, "{profile}");
    cli.json(&["register", "-p", name, "--mcp-client", "Registrar test client"])["client_id"]
        .as_str()
        .expect("a client id")
        .to_string()
}

fn connect(cli: &Cli, client_id: &str, extra: &[&str]) -> (Option<i32>, Value, String) {
    let mut args = vec![client_id];
    args.extend_from_slice(extra);
    let (status, out, err) = sign_in(Running::command(cli, "connect", &args), Decision::Approve);
    let shown = serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}\nstderr: {err}"));
    (status, shown, err)
}

#[test]
fn from_the_mocks_mcp_url_to_a_successful_initialize() {
    let mock = Mock::start(Dialect::Generic);
    let cli = Cli::new();
    let url = mock.server.mcp_endpoint();
    let found = cli.json(&["discover", &url]);
    assert_eq!(found["type"], "resource", "{found}");
    let chain = &found["chain"];
    assert_eq!(
        steps(chain),
        vec![
            ("resource".into(), "ok".into()),
            ("resource_metadata".into(), "ok".into()),
            ("authorization_server".into(), "ok".into()),
        ],
        "{chain}"
    );
    assert_eq!(chain["resource"], url);
    assert_eq!(chain["scopes"], json!(["mcp:tools"]));
    assert_eq!(chain["protocol"], "mcp");

    let client_id = profile_and_client(&cli, "mcp", &url);
    let (status, shown, err) = connect(&cli, &client_id, &[]);
    assert_eq!(status, Some(0), "{err}");
    let resource = &shown["resource"];
    assert_eq!(resource["succeeded"], true, "{resource}");
    assert_eq!(resource["mcp"]["name"], "registrar-mock-mcp", "{resource}");
    assert!(
        resource["mcp"]["capabilities"]
            .as_array()
            .unwrap()
            .contains(&json!("tools")),
        "{resource}"
    );
    // Every hop is in the history: the discovery's, the token's, and the calls to /mcp.
    let history = cli.json(&["history", "--limit", "100"]);
    let urls: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["url"].as_str())
        .collect();
    for wanted in ["/.well-known/oauth-protected-resource/mcp", "/token", "/mcp"] {
        assert!(urls.iter().any(|u| u.ends_with(wanted)), "no {wanted} in {urls:?}");
    }
    let text = history.to_string();
    assert!(
        !text.contains("Bearer ey") && !text.contains("\"access_token\":\"e"),
        "a token in the history"
    );
}

#[test]
fn a_token_without_the_resources_scope_is_refused_and_the_scopes_to_ask_are_named() {
    let mock = Mock::start(Dialect::Generic);
    let cli = Cli::new();
    let client_id = profile_and_client(&cli, "mcp", &mock.server.mcp_endpoint());
    let (status, shown, err) = connect(&cli, &client_id, &["--scope", "openid"]);
    assert_eq!(status, Some(1), "a refused connection fails: {err}");
    let resource = &shown["resource"];
    assert_eq!(resource["status"], 403, "{resource}");
    assert_eq!(resource["challenge"]["error"], "insufficient_scope");
    let again = resource["reauthorize_scopes"]
        .as_array()
        .expect("scopes to ask again with");
    assert!(again.contains(&json!("mcp:tools")), "{resource}");
    assert!(err.contains("authorize again with --scope"), "{err}");
}

#[test]
fn each_misconfiguration_is_the_step_that_fails() {
    for (fault, failing, words) in [
        (
            ResourceFault::WrongResource,
            "resource_metadata",
            "is not the URL asked",
        ),
        (
            ResourceFault::NoRegistration,
            "authorization_server",
            "neither dynamic registration",
        ),
        (ResourceFault::NoPkce, "authorization_server", "S256"),
        (ResourceFault::NoMetadata, "resource_metadata", "no metadata at"),
    ] {
        let mock = Mock::with(Dialect::Generic, |c| c.resource_faults = vec![fault]);
        let cli = Cli::new();
        let url = mock.server.mcp_endpoint();
        let found = cli.json(&["discover", &url]);
        let failed: Vec<&Value> = found["chain"]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["state"] == "failed")
            .collect();
        assert_eq!(failed.len(), 1, "{fault:?}: {found}");
        assert_eq!(failed[0]["kind"], failing, "{fault:?}: {found}");
        assert!(failed[0]["problems"].to_string().contains(words), "{fault:?}: {found}");
        // No profile is made from a broken chain; the human form says where it stopped.
        let refused = cli.run(&["profile", "add", "broken", "--resource", &url]).failure();
        let err = crate::support::stderr_of(&refused);
        assert!(
            err.contains("FAILED") && err.contains("The chain stops at"),
            "{fault:?}: {err}"
        );
    }
}

#[test]
fn duplicate_registrations_are_found_and_the_stale_ones_deleted_in_one_go() {
    let mock = Mock::start(Dialect::Generic);
    let cli = Cli::new();
    let kept_alone = profile_and_client(&cli, "mcp", &mock.server.mcp_endpoint());
    let _ = kept_alone;
    let mut again = Vec::new();
    for _ in 0..2 {
        again.push(
            cli.json(&["register", "-p", "mcp", "--mcp-client", "Registrar test client"])["client_id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    // Another name: not a duplicate.
    cli.json(&["register", "-p", "mcp", "--mcp-client", "Another client"]);
    let found = cli.json(&["duplicates", "-p", "mcp"]);
    let groups = found["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "{found}");
    assert_eq!(groups[0]["stale"].as_array().unwrap().len(), 2, "{found}");
    let stale: Vec<String> = groups[0]["stale"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["client_id"].as_str().unwrap().to_string())
        .collect();
    let kept = groups[0]["keep"]["client_id"].as_str().unwrap().to_string();

    // Without a terminal and without --yes nothing is removed.
    cli.run(&["duplicates", "-p", "mcp", "--delete"]).failure();
    assert!(mock.client(&stale[0]).is_some());

    let cleaned = cli.json(&["duplicates", "-p", "mcp", "--delete", "--yes"]);
    for r in cleaned["cleaned"].as_array().unwrap() {
        assert!(r["error"].is_null(), "{cleaned}");
    }
    for id in &stale {
        assert!(mock.client(id).is_none(), "{id} is still at the provider");
    }
    assert!(mock.client(&kept).is_some());
    assert_eq!(
        cli.json(&["duplicates", "-p", "mcp"])["groups"],
        json!([]),
        "after {cleaned}, from {found}; list: {}",
        cli.json(&["list", "-p", "mcp"])
    );
}

#[test]
fn the_real_mcp_sdk_server_behind_node_oidc_provider_initializes_after_connect() {
    let op = RealProvider::node_oidc(json!({"loopbackResources": {"scope": "mcp:tools"}}));
    let server = RealMcpServer::start(json!({"issuer": op.issuer}));
    let cli = Cli::new();
    let found = cli.json(&["discover", &server.url]);
    assert_eq!(found["type"], "resource", "{found}");
    let states: Vec<String> = steps(&found["chain"]).into_iter().map(|(_, s)| s).collect();
    assert!(!states.contains(&"failed".to_string()), "{found}");
    assert_eq!(found["chain"]["authorization_servers"][0]["issuer"], op.issuer);

    let client_id = profile_and_client(&cli, "sdk", &server.url);
    let (status, shown, err) = connect(&cli, &client_id, &[]);
    assert_eq!(status, Some(0), "{err}\n{shown}");
    let resource = &shown["resource"];
    assert_eq!(resource["succeeded"], true, "{resource}");
    assert_eq!(resource["mcp"]["name"], "registrar-test-mcp", "{resource}");
}

#[test]
fn the_real_mcp_server_with_a_wrong_resource_fails_at_its_metadata() {
    let op = RealProvider::node_oidc(json!({"loopbackResources": {"scope": "mcp:tools"}}));
    let server = RealMcpServer::start(json!({"issuer": op.issuer, "resource": "https://elsewhere.example/mcp"}));
    let cli = Cli::new();
    let found = cli.json(&["discover", &server.url]);
    let failed: Vec<(String, String)> = steps(&found["chain"])
        .into_iter()
        .filter(|(_, state)| state == "failed")
        .collect();
    assert_eq!(failed, vec![("resource_metadata".into(), "failed".into())], "{found}");
}

/// `registrar --json <args>` (a server: `cimd serve`, `mock`) in the background until
/// dropped; the one JSON line it prints once it listens.
struct Serving {
    child: std::process::Child,
    shown: Value,
}

impl Serving {
    fn start(cli: &Cli, args: &[&str]) -> Self {
        use std::io::BufRead;
        let mut child = std::process::Command::new(crate::support::registrar_bin())
            .env_remove("REGISTRAR_DATA_DIR")
            .env_remove("REGISTRAR_PROFILE")
            .arg("--data-dir")
            .arg(cli.data_dir())
            .arg("--json")
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .expect("registrar starts");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("a line");
        let shown = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line:?}"));
        Self { child, shown }
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_client_id_metadata_document_served_on_loopback_connects_without_registering() {
    let cli = Cli::new();
    // The document first: node-oidc-provider must be told which CA to trust when it starts.
    let serving = Serving::start(&cli, &["cimd", "serve", "--mcp-client", "Registrar CIMD client"]);
    let client_id = serving.shown["client_id"].as_str().unwrap().to_string();
    let ca_file = serving.shown["ca_file"].as_str().unwrap().to_string();
    assert!(
        client_id.starts_with("https://localhost:") && client_id.ends_with("/client.json"),
        "{client_id}"
    );
    let op = RealProvider::node_oidc(json!({
        "loopbackResources": {"scope": "mcp:tools"},
        "cimd": {"caFile": ca_file},
    }));
    let server = RealMcpServer::start(json!({"issuer": op.issuer}));

    let found = cli.json(&["discover", &server.url]);
    assert_eq!(
        found["chain"]["authorization_servers"][0]["client_id_metadata_documents"], true,
        "{found}"
    );
    cli.json(&["profile", "add", "sdk", "--resource", &server.url]);
    // The same document, written for hosting, checked, and its client kept in the profile.
    let doc = cli.data_dir().join("client.json");
    cli.run(&[
        "cimd",
        "new",
        "--url",
        &client_id,
        "--mcp-client",
        "Registrar CIMD client",
        "--out",
        doc.to_str().unwrap(),
    ])
    .success();
    cli.run(&["cimd", "check", doc.to_str().unwrap()]).success();
    let kept = cli.json(&["cimd", "add", "-p", "sdk", "--file", doc.to_str().unwrap()]);
    assert_eq!(kept["client_id"], client_id.as_str(), "{kept}");

    let (status, shown, err) = connect(&cli, &client_id, &["-p", "sdk"]);
    assert_eq!(status, Some(0), "{err}\n{shown}");
    assert_eq!(shown["resource"]["mcp"]["name"], "registrar-test-mcp", "{shown}");
    drop(serving);
}

#[test]
fn a_document_that_breaks_the_drafts_rules_is_refused_with_each_reason() {
    let cli = Cli::new();
    let doc = cli.data_dir().join("bad.json");
    std::fs::write(
        &doc,
        json!({
            "client_id": "https://app.example.com/other.json",
            "client_secret": "s3cret",
            "token_endpoint_auth_method": "client_secret_post",
            "redirect_uris": ["http://127.0.0.1/callback"],
            "logo_uri": "http://app.example.com/logo.png",
        })
        .to_string(),
    )
    .unwrap();
    let checked = cli
        .cmd()
        .args([
            "--json",
            "cimd",
            "check",
            doc.to_str().unwrap(),
            "--url",
            "https://app.example.com/client.json",
        ])
        .assert()
        .failure();
    let shown = crate::support::json_of(&checked);
    let fields: Vec<&str> = shown["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec!["client_id", "client_secret", "token_endpoint_auth_method", "logo_uri"],
        "{shown}"
    );
    let refused = cli
        .run(&[
            "cimd",
            "new",
            "--url",
            "http://app.example.com/client.json",
            "--mcp-client",
            "x",
        ])
        .failure();
    assert!(
        crate::support::stderr_of(&refused).contains("https"),
        "{}",
        crate::support::stderr_of(&refused)
    );
}

#[test]
fn registrar_mock_serves_an_mcp_endpoint_and_its_misconfigurations() {
    let cli = Cli::new();
    let mock = Serving::start(&cli, &["mock", "--resource-fault", "no-pkce,no-registration"]);
    let url = mock.shown["mcp_endpoint"]
        .as_str()
        .expect("the MCP endpoint is announced")
        .to_string();
    let found = cli.json(&["discover", &url]);
    let server = found["chain"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "authorization_server")
        .cloned()
        .unwrap_or_else(|| panic!("no authorization server step: {found}"));
    assert_eq!(server["state"], "failed", "{found}");
    let problems = server["problems"].to_string();
    assert!(
        problems.contains("S256") && problems.contains("neither dynamic registration"),
        "{problems}"
    );
}
