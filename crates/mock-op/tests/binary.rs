//! The `registrar-mock-op` binary: starts on a free port, says where, serves discovery.

use crate::support::binary::Binary;

#[test]
fn binary_prints_its_urls_and_serves_discovery() {
    let binary = Binary::start(["--kind", "liberty", "--port", "0", "--seed", "2"]);
    let field = |name: &str| binary.field(name);
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
}

/// Openbanking from the command line: HTTPS with a certificate made at start (its CA written
/// to a file, its fingerprint printed) and the directory trusted from `--directory-jwks`.
#[test]
fn binary_serves_openbanking_over_https_with_a_generated_certificate() {
    use sha2::{Digest, Sha256};

    let directory = serde_json::json!({"keys": [{
        "kty": "EC", "crv": "P-256", "kid": "cli-directory",
        "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
        "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
    }]});
    let jwks_file = std::env::temp_dir().join(format!("registrar-mock-op-test-{}-directory.json", std::process::id()));
    std::fs::write(&jwks_file, directory.to_string()).expect("directory file");
    let binary = Binary::start([
        std::ffi::OsStr::new("--kind"),
        "openbanking".as_ref(),
        "--directory-jwks".as_ref(),
        jwks_file.as_os_str(),
    ]);
    let _ = std::fs::remove_file(&jwks_file);
    let field = |name: &str| binary.field(name);
    let printed = &binary.printed;
    let base = field("base_url");
    assert!(base.starts_with("https://localhost:"), "{base}");
    assert!(field("directory").starts_with("1 key(s) trusted"), "{printed:?}");
    let ca_path = field("tls_ca_pem");
    let ca_pem = std::fs::read(&ca_path).expect("the CA file exists");
    let fingerprint = field("tls_cert_sha256");

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (discovery, trusted, presented) = runtime.block_on(async {
        let client = reqwest::Client::builder()
            .use_rustls_tls()
            .no_proxy()
            .tls_info(true)
            .add_root_certificate(reqwest::Certificate::from_pem(&ca_pem).expect("CA"))
            .build()
            .expect("client");
        let response = client
            .get(format!("{base}/.well-known/openid-configuration"))
            .send()
            .await
            .expect("discovery over HTTPS, trusting the printed CA");
        let presented = response
            .extensions()
            .get::<reqwest::tls::TlsInfo>()
            .and_then(|info| info.peer_certificate().map(<[u8]>::to_vec))
            .expect("the server's certificate");
        let discovery: serde_json::Value = response.json().await.expect("JSON");
        let trusted: serde_json::Value = client
            .get(format!("{base}/_admin/directory_jwks"))
            .send()
            .await
            .expect("admin")
            .json()
            .await
            .expect("JSON");
        (discovery, trusted, presented)
    });
    let _ = std::fs::remove_file(&ca_path);
    let expected: Vec<String> = Sha256::digest(&presented).iter().map(|b| format!("{b:02X}")).collect();
    assert_eq!(
        fingerprint,
        expected.join(":"),
        "the printed fingerprint is the served certificate's"
    );
    assert_eq!(discovery["registration_endpoint"], field("registration_endpoint"));
    assert_eq!(discovery["tls_client_certificate_bound_access_tokens"], true);
    assert_eq!(trusted, directory, "--directory-jwks trusted");
}
