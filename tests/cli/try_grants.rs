//! `registrar try` with a user in the loop, as a person would use it: the command prints
//! the authorization (or verification) URL (--no-browser), the scripted user of
//! tests/support/browser.rs signs in at the provider's own pages, the browser comes back
//! to Registrar's loopback listener, and the command prints the tokens explained — never
//! the tokens themselves. Against the mock and against node-oidc-provider.

use crate::support::{add_profile, Cli, Mock};
use registrar_mock_op::Dialect;
use registrar_tests::browser::{Browser, Decision};
use registrar_tests::real_provider::RealProvider;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A free loopback port for a client's registered redirect URI.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn register(cli: &Cli, profile: &str, metadata: Value) -> String {
    let file = cli.data_dir().join(format!("client-{}.json", uuid::Uuid::new_v4()));
    std::fs::write(&file, metadata.to_string()).unwrap();
    cli.json(&["register", "-p", profile, "--file", file.to_str().unwrap()])["client_id"]
        .as_str()
        .expect("a client id")
        .to_string()
}

/// A `registrar try` (or `connect`) running in the background, its stderr read line by line.
pub(crate) struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Running {
    fn start(cli: &Cli, args: &[&str]) -> Self {
        Self::command(cli, "try", args)
    }

    /// `registrar --json <subcommand> --no-browser <args>`.
    pub(crate) fn command(cli: &Cli, subcommand: &str, args: &[&str]) -> Self {
        let mut cmd = std::process::Command::new(crate::support::registrar_bin());
        cmd.env_remove("REGISTRAR_DATA_DIR")
            .env_remove("REGISTRAR_PROFILE")
            .arg("--data-dir")
            .arg(cli.data_dir())
            .arg("--json")
            .arg(subcommand)
            .arg("--no-browser")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("registrar starts");
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Self {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// The rest of the first stderr line that starts with `prefix`.
    fn line_after(&mut self, prefix: &str) -> String {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("no line starting {prefix:?}; stderr so far: {:?}", self.seen));
            self.seen.push(line.clone());
            if let Some(rest) = line.strip_prefix(prefix) {
                return rest.trim().to_string();
            }
        }
    }

    /// Waits for the command to end: its exit code, stdout, and all of stderr.
    fn finish(mut self) -> (Option<i32>, String, String) {
        let status = wait_at_most(&mut self.child, Duration::from_secs(90));
        let mut out = String::new();
        self.child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
        while let Ok(line) = self.lines.recv_timeout(Duration::from_millis(200)) {
            self.seen.push(line);
        }
        (status, out, self.seen.join("\n"))
    }
}

fn wait_at_most(child: &mut Child, limit: Duration) -> Option<i32> {
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("registrar try did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Runs the authorization code grant with the user deciding `decision`.
fn authorize(cli: &Cli, client_id: &str, extra: &[&str], decision: Decision) -> (Option<i32>, String, String) {
    let mut args = vec![client_id, "--grant", "authorization_code"];
    args.extend_from_slice(extra);
    sign_in(Running::start(cli, &args), decision)
}

/// The scripted user signs in where the running command says, and the command ends.
pub(crate) fn sign_in(mut running: Running, decision: Decision) -> (Option<i32>, String, String) {
    let url = running.line_after("Sign in:");
    let redirect_uri = running.line_after("Waiting for the browser to come back to");
    let redirect_uri = redirect_uri.trim_end_matches('…').trim().to_string();
    runtime().block_on(async {
        let browser = Browser::new(decision);
        let back = browser
            .authorize(&url, &redirect_uri)
            .await
            .expect("the user gets through");
        browser.visit(&back).await.expect("the loopback listener answers");
    });
    running.finish()
}

fn web_client(name: &str, port: u16, auth: &str) -> Value {
    web_client_with_scope(name, port, auth, "openid profile email offline_access")
}

fn web_client_with_scope(name: &str, port: u16, auth: &str, scope: &str) -> Value {
    json!({
        "client_name": name,
        "redirect_uris": [format!("http://127.0.0.1:{port}/callback")],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": auth,
        "scope": scope,
    })
}

fn check<'a>(token: &'a Value, name: &str) -> &'a Value {
    token["checks"]
        .as_array()
        .and_then(|checks| checks.iter().find(|c| c["name"] == name))
        .unwrap_or_else(|| panic!("no {name} check in {token}"))
}

#[test]
fn the_authorization_code_grant_through_the_browser_explains_the_id_token_at_the_mock() {
    let mock = Mock::start(Dialect::Generic);
    let cli = Cli::new();
    add_profile(&cli, &mock, "op");
    for auth in ["client_secret_basic", "none"] {
        let id = register(&cli, "op", web_client(auth, free_port(), auth));
        // Introspection takes the client's own authentication (RFC 7662 §2.1): a public
        // client has none.
        let confidential = auth != "none";
        let mut args = vec![
            "--scope",
            "openid profile offline_access",
            "--refresh",
            "--userinfo",
            "--revoke",
        ];
        if confidential {
            args.push("--introspect");
        }
        let (status, out, err) = authorize(&cli, &id, &args, Decision::Approve);
        assert_eq!(status, Some(0), "{auth}: {err}");
        let tried: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        assert_eq!(tried["grant_type"], "authorization_code", "{auth}");
        let id_token = &tried["explanation"]["id_token"];
        assert_eq!(id_token["kind"], "jwt", "{auth}: {tried}");
        for name in ["signature", "iss", "aud", "exp", "nonce", "at_hash"] {
            assert_eq!(check(id_token, name)["outcome"], "passed", "{auth}: {name}: {id_token}");
        }
        assert_eq!(id_token["claims"]["sub"], registrar_mock_op::DEMO_SUBJECT);
        assert_eq!(tried["refresh"]["refresh_token_rotated"], true, "{auth}: {tried}");
        if confidential {
            assert_eq!(tried["introspection"]["active"], true, "{auth}");
        }
        assert_eq!(tried["userinfo"]["sub"], registrar_mock_op::DEMO_SUBJECT, "{auth}");
        assert_eq!(tried["revoked"], json!(["refresh_token", "access_token"]), "{auth}");
        let exchanges = tried["exchanges"].as_array().expect("the exchanges");
        assert!(
            exchanges
                .iter()
                .any(|x| x["url"].as_str().is_some_and(|u| u.ends_with("/token"))),
            "{auth}: the token call is in the timeline: {exchanges:?}"
        );
        // Tokens are explained, never printed; the history has them masked.
        for secret_field in ["access_token", "id_token", "refresh_token"] {
            assert!(tried.get(secret_field).is_none(), "{auth}: {secret_field} printed");
        }
        let history = cli.json(&["history", &id, "--full"]).to_string();
        assert!(!history.contains("eyJ"), "{auth}: a JWT reached the history");
    }
}

/// Every file under `dir`, as bytes (the database, its journal, the lock file…).
fn files_under(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push((path, bytes));
        }
    }
    out
}

#[test]
fn tokens_shown_on_request_are_stored_nowhere() {
    let mock = Mock::start(Dialect::Generic);
    let cli = Cli::new();
    add_profile(&cli, &mock, "op");
    let id = register(&cli, "op", web_client("shown", free_port(), "client_secret_post"));
    let (status, out, err) = authorize(
        &cli,
        &id,
        &["--scope", "openid offline_access", "--refresh", "--show-tokens"],
        Decision::Approve,
    );
    assert_eq!(status, Some(0), "{err}");
    let tried: Value = serde_json::from_str(&out).unwrap();
    let tokens: Vec<String> = ["access_token", "id_token", "refresh_token"]
        .iter()
        .filter_map(|k| tried["tokens"][k].as_str().map(str::to_string))
        .collect();
    assert_eq!(tokens.len(), 3, "the user asked to see all three: {tried}");
    for (path, bytes) in files_under(cli.data_dir()) {
        let text = String::from_utf8_lossy(&bytes);
        for token in &tokens {
            // A long enough piece of each: a JWT's header alone is shared by many tokens.
            let tail = &token[token.len().saturating_sub(24)..];
            assert!(!text.contains(tail), "a token reached {}", path.display());
        }
    }
}

#[test]
fn a_denied_authorization_says_so_and_fails() {
    let mock = Mock::start(Dialect::Generic);
    let cli = Cli::new();
    add_profile(&cli, &mock, "op");
    let id = register(&cli, "op", web_client("denied", free_port(), "client_secret_basic"));
    let (status, _, err) = authorize(&cli, &id, &[], Decision::Deny);
    assert_ne!(status, Some(0));
    assert!(err.contains("access_denied"), "{err}");
}

#[test]
fn the_device_grant_shows_the_code_and_polls_until_the_user_approves() {
    let mock = Mock::with(Dialect::Generic, |c| {
        c.timing.device_poll_interval = Duration::from_secs(1)
    });
    let cli = Cli::new();
    add_profile(&cli, &mock, "op");
    let id = register(
        &cli,
        "op",
        json!({
            "client_name": "tv",
            "grant_types": ["urn:ietf:params:oauth:grant-type:device_code", "refresh_token"],
            "response_types": [],
            "token_endpoint_auth_method": "none",
        }),
    );
    let mut running = Running::start(&cli, &[&id, "--grant", "device_code", "--scope", "openid"]);
    let complete = running.line_after("Or open:");
    runtime().block_on(async {
        Browser::default()
            .verify_device(&complete, None)
            .await
            .expect("the user approves the device");
    });
    let (status, out, err) = running.finish();
    assert_eq!(status, Some(0), "{err}");
    let tried: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(tried["grant_type"], "urn:ietf:params:oauth:grant-type:device_code");
    assert_eq!(
        check(&tried["explanation"]["id_token"], "signature")["outcome"],
        "passed"
    );
}

#[test]
fn node_oidc_provider_authorization_code_refresh_introspection_and_revocation() {
    let op = RealProvider::node_oidc(json!({"introspection": true, "revocation": true}));
    let cli = Cli::new();
    cli.run(&[
        "profile",
        "add",
        "node",
        "--kind",
        "generic",
        "--registration-endpoint",
        &op.registration_endpoint,
        "--issuer",
        &op.issuer,
    ])
    .success();
    for auth in ["client_secret_basic", "none"] {
        let id = register(
            &cli,
            "node",
            web_client_with_scope(auth, free_port(), auth, "openid offline_access"),
        );
        let confidential = auth != "none";
        let mut args = vec![
            "--scope",
            "openid offline_access",
            "--prompt",
            "consent",
            "--refresh",
            "--revoke",
        ];
        if confidential {
            args.push("--introspect");
        }
        let (status, out, err) = authorize(&cli, &id, &args, Decision::Approve);
        assert_eq!(status, Some(0), "node-oidc-provider, {auth}: {err}");
        let tried: Value = serde_json::from_str(&out).unwrap();
        let id_token = &tried["explanation"]["id_token"];
        for name in ["signature", "iss", "aud", "exp", "nonce"] {
            assert_eq!(check(id_token, name)["outcome"], "passed", "{auth}: {name}: {id_token}");
        }
        // node-oidc-provider leaves at_hash out of ID tokens from the token endpoint, which
        // OpenID Connect allows: the check says so rather than failing.
        assert_ne!(check(id_token, "at_hash")["outcome"], "failed", "{auth}: {id_token}");
        assert!(tried["refresh"]["grant_type"] == "refresh_token", "{auth}: {tried}");
        if confidential {
            assert_eq!(tried["introspection"]["active"], true, "{auth}: {tried}");
        }
    }
}

#[test]
fn node_oidc_provider_device_flow() {
    let op = RealProvider::node_oidc(json!({"deviceFlow": true}));
    let cli = Cli::new();
    cli.run(&[
        "profile",
        "add",
        "node",
        "--kind",
        "generic",
        "--registration-endpoint",
        &op.registration_endpoint,
        "--issuer",
        &op.issuer,
    ])
    .success();
    let id = register(
        &cli,
        "node",
        json!({
            "client_name": "tv",
            "grant_types": ["urn:ietf:params:oauth:grant-type:device_code"],
            "response_types": [],
            "token_endpoint_auth_method": "none",
            "application_type": "native",
        }),
    );
    let mut running = Running::start(&cli, &[&id, "--grant", "device_code", "--scope", "openid"]);
    let complete = running.line_after("Or open:");
    runtime().block_on(async {
        Browser::default()
            .verify_device(&complete, None)
            .await
            .expect("the user approves the device at node-oidc-provider");
    });
    let (status, out, err) = running.finish();
    assert_eq!(status, Some(0), "{err}");
    let tried: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(tried["grant_type"], "urn:ietf:params:oauth:grant-type:device_code");
    assert_eq!(
        check(&tried["explanation"]["id_token"], "signature")["outcome"],
        "passed",
        "{tried}"
    );
}

#[test]
fn authlib_authorization_code_and_refresh() {
    let op = RealProvider::authlib(&[]);
    let cli = Cli::new();
    cli.run(&[
        "profile",
        "add",
        "authlib",
        "--kind",
        "generic",
        "--registration-endpoint",
        &op.registration_endpoint,
        "--issuer",
        &op.issuer,
    ])
    .success();
    let id = register(
        &cli,
        "authlib",
        web_client_with_scope("authlib", free_port(), "client_secret_basic", "read"),
    );
    let (status, out, err) = authorize(&cli, &id, &["--scope", "read", "--refresh"], Decision::Approve);
    assert_eq!(status, Some(0), "Authlib: {err}");
    let tried: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(tried["grant_type"], "authorization_code", "{tried}");
    // Authlib is an OAuth server here, not an OpenID provider: no ID token to check.
    assert!(tried["explanation"]["id_token"].is_null(), "{tried}");
    assert_eq!(tried["explanation"]["access_token"]["kind"], "opaque", "{tried}");
    assert_eq!(tried["refresh"]["grant_type"], "refresh_token", "{tried}");
    assert!(tried["refresh"]["refresh_token_rotated"].is_boolean(), "{tried}");
}
