//! The `registrar-mock-op` binary: starts on a free port, says where, serves discovery.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn binary_prints_its_urls_and_serves_discovery() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_registrar-mock-op"))
        .args(["--kind", "liberty", "--port", "0", "--seed", "2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut printed = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("line");
        let done = line.starts_with("admin_api:");
        printed.push(line);
        if done {
            break;
        }
    }
    let field = |name: &str| {
        printed
            .iter()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(|v| v.trim().to_owned())
            .unwrap_or_else(|| panic!("{name} printed in {printed:?}"))
    };
    let base = field("base_url");
    assert!(base.starts_with("http://127.0.0.1:") && !base.ends_with(":0"), "{base}");
    assert_eq!(field("issuer"), format!("{base}/oidc/endpoint/OP"));
    assert_eq!(field("admin_username"), "clientAdmin");
    assert_eq!(field("admin_password"), "clientAdminPassword");

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (discovery, clients) = runtime.block_on(async {
        let client = reqwest::Client::builder().no_proxy().build().expect("client");
        let discovery: serde_json::Value = client
            .get(format!("{base}/.well-known/openid-configuration"))
            .send()
            .await
            .expect("discovery")
            .json()
            .await
            .expect("JSON");
        let clients: serde_json::Value = client
            .get(format!("{base}/_admin/clients"))
            .send()
            .await
            .expect("admin")
            .json()
            .await
            .expect("JSON");
        (discovery, clients)
    });
    assert_eq!(discovery["registration_endpoint"], field("registration_endpoint"));
    assert_eq!(discovery["token_endpoint"], field("token_endpoint"));
    assert_eq!(clients.as_array().map(Vec::len), Some(2), "--seed 2");

    child.kill().expect("kill");
    child.wait().expect("reaped");
}
