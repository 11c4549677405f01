//! Keys, certificates and software statements through the CLI (issue 17), as a user types
//! them: the binary against the mock, with the real keychain. Private keys only ever come in
//! from a file or standard input and go out only to a 0600 file after a confirmation; an
//! expired software statement is refused before anything is sent; and an Open Banking
//! registration goes end to end over HTTPS with mutual TLS, a signed request and a software
//! statement from a local directory key, then `try` obtains a certificate-bound token with
//! private_key_jwt.

use crate::support::{add_profile, registrar_bin, stderr_of, stdout_of, Cli, Mock};
use registrar_mock_op::tls::LocalhostCertificate;
use registrar_mock_op::Dialect;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

fn kid_of(value: &Value) -> String {
    value["kid"].as_str().expect("a kid").to_string()
}

fn write(cli: &Cli, name: &str, contents: &str) -> PathBuf {
    let path = cli.data_dir().join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A profile of a generic mock, for commands that never call the provider.
fn generic() -> (Mock, Cli) {
    let mock = Mock::start(Dialect::Generic);
    let cli = Cli::new();
    add_profile(&cli, &mock, "op");
    (mock, cli)
}

#[test]
fn keys_are_generated_listed_published_and_exported_only_on_request() {
    let (_mock, cli) = generic();
    let ec = cli.json(&["keys", "generate", "op", "--label", "signing"]);
    assert_eq!((ec["kind"].as_str(), ec["alg"].as_str()), (Some("p256"), Some("ES256")));
    let rsa = cli.json(&[
        "keys", "generate", "op", "--type", "rsa", "--bits", "2048", "--alg", "ps256",
    ]);
    assert_eq!(rsa["alg"], "PS256");
    let ed = cli.json(&["keys", "generate", "op", "--type", "ed25519"]);
    assert_eq!(ed["alg"], "EdDSA");
    let (ec_kid, rsa_kid) = (kid_of(&ec), kid_of(&rsa));

    // A key that cannot sign with the algorithm asked: the core's sentence, exit 2.
    let wrong = cli
        .run(&["keys", "generate", "op", "--type", "p256", "--alg", "PS256"])
        .code(2);
    assert!(stderr_of(&wrong).starts_with("error: "), "{}", stderr_of(&wrong));

    let listed = cli.json(&["keys", "list", "op"]);
    assert_eq!(listed["keys"].as_array().unwrap().len(), 3, "{listed}");
    let table = stdout_of(&cli.run(&["keys", "list", "op"]).success());
    assert!(
        table.contains(&ec_kid[..12]) && table.contains("signing") && table.contains("EdDSA"),
        "{table}"
    );

    // A unique prefix names the key, as the table shows it.
    let shown = cli.json(&["keys", "show", "op", &ec_kid[..10]]);
    assert_eq!(shown["kid"], ec_kid.as_str());
    assert!(shown["public_jwk"].get("d").is_none(), "only the public half: {shown}");
    cli.run(&["keys", "show", "op", "no-such-kid"]).code(3);

    let jwks = cli.json(&["keys", "jwks", "op"]);
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 3);
    assert!(
        keys.iter().all(|k| k.get("d").is_none() && k.get("p").is_none()),
        "{jwks}"
    );
    let out = cli.data_dir().join("public.json");
    cli.run(&["keys", "jwks", "op", "--out", p(&out)]).success();
    let written: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(written, jwks);

    // Export: refused without --private, and without a confirmation when nobody can answer.
    let secret_file = cli.data_dir().join("exported.pem");
    let refused = cli
        .run(&["keys", "export", "op", &ec_kid, "--out", p(&secret_file)])
        .code(2);
    assert!(stderr_of(&refused).contains("--private"), "{}", stderr_of(&refused));
    let unconfirmed = cli
        .run(&["keys", "export", "op", &ec_kid, "--private", "--out", p(&secret_file)])
        .code(2);
    assert!(stderr_of(&unconfirmed).contains("--yes"), "{}", stderr_of(&unconfirmed));
    assert!(!secret_file.exists(), "nothing written before the confirmation");
    let done = cli
        .run(&[
            "keys",
            "export",
            "op",
            &ec_kid,
            "--private",
            "--out",
            p(&secret_file),
            "--yes",
        ])
        .success();
    let pem = std::fs::read_to_string(&secret_file).unwrap();
    assert!(pem.contains("BEGIN PRIVATE KEY"), "PKCS#8 PEM");
    assert!(!stdout_of(&done).contains("PRIVATE KEY"), "never printed");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secret_file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the exported key is the owner's only");
    }

    // Retired now: no longer published. Bound to nothing new; deleted with --yes.
    cli.json(&["keys", "retire", "op", &rsa_kid, "--in", "0"]);
    let jwks = cli.json(&["keys", "jwks", "op"]);
    assert!(
        !jwks.to_string().contains(&rsa_kid),
        "a retired key is not published: {jwks}"
    );
    cli.json(&["keys", "retire", "op", &rsa_kid, "--never"]);
    assert_eq!(cli.json(&["keys", "jwks", "op"])["keys"].as_array().unwrap().len(), 3);
    cli.run(&["keys", "retire", "op", &rsa_kid, "--at", "next tuesday"])
        .code(2);
    cli.run(&["keys", "delete", "op", &rsa_kid]).code(2);
    cli.json(&["keys", "delete", "op", &rsa_kid, "--yes"]);
    assert_eq!(cli.json(&["keys", "list", "op"])["keys"].as_array().unwrap().len(), 2);
    cli.run(&["keys", "bind", "op", &ec_kid, "--client", "nobody-knows-me"])
        .code(3);
}

#[test]
fn a_private_key_comes_from_a_file_or_stdin_and_never_from_the_command_line() {
    let (_mock, cli) = generic();
    let made = cli.json(&["keys", "generate", "op"]);
    let file = cli.data_dir().join("key.pem");
    cli.run(&[
        "keys",
        "export",
        "op",
        &kid_of(&made),
        "--private",
        "--yes",
        "--out",
        p(&file),
    ])
    .success();
    let pem = std::fs::read_to_string(&file).unwrap();
    let body_line = pem.lines().nth(1).unwrap().to_string();

    let other = Cli::new();
    other
        .run(&[
            "profile",
            "add",
            "other",
            "--registration-endpoint",
            "http://127.0.0.1:9/register",
        ])
        .success();
    for args in [
        vec!["keys", "import", "other", "--pem", pem.as_str()],
        vec!["keys", "import", "other", pem.as_str()],
        vec!["keys", "import", "other", "--file", pem.as_str()],
    ] {
        let refused = other.run(&args).code(2);
        let stderr = stderr_of(&refused);
        assert!(
            stderr.contains("command line") && stderr.contains("--stdin"),
            "{stderr}"
        );
        assert!(!stderr.contains(&body_line), "the key is not repeated: {stderr}");
    }
    assert_eq!(other.json(&["keys", "list", "other"])["keys"], json!([]));

    // From standard input: the same key (its kid is its thumbprint).
    let imported = other
        .cmd()
        .args(["--json", "keys", "import", "other", "--stdin", "--label", "moved"])
        .write_stdin(pem.clone())
        .assert()
        .success();
    let imported: Value = serde_json::from_slice(&imported.get_output().stdout).unwrap();
    assert_eq!(imported["kid"], made["kid"]);
    assert_eq!(imported["label"], "moved");
    // And from a file; garbage gets the core's sentence.
    let garbage = write(
        &other,
        "garbage.pem",
        "-----BEGIN NONSENSE-----\nAAAA\n-----END NONSENSE-----\n",
    );
    let bad = other.run(&["keys", "import", "other", "--file", p(&garbage)]).code(2);
    assert!(stderr_of(&bad).starts_with("error: "), "{}", stderr_of(&bad));
    other.run(&["keys", "import", "other"]).code(2);
}

#[test]
fn certificates_self_signed_csr_and_a_chain_for_another_key() {
    let (_mock, cli) = generic();
    let a = kid_of(&cli.json(&["keys", "generate", "op", "--label", "transport"]));
    let b = kid_of(&cli.json(&["keys", "generate", "op", "--label", "other"]));
    let made = cli.json(&[
        "cert",
        "self-signed",
        "op",
        &a,
        "--cn",
        "Demo TPP",
        "--o",
        "Demo Ltd",
        "--ou",
        "demo-org",
        "--c",
        "GB",
        "--dns",
        "tpp.example.org",
        "--days",
        "30",
    ]);
    assert_eq!(made["self_signed"], true);
    let shown = cli.json(&["cert", "show", "op", &a]);
    let dn = shown["subject_dn"].as_str().unwrap();
    assert!(dn.contains("CN=Demo TPP") && dn.contains("OU=demo-org"), "{shown}");
    assert_eq!(shown["san_dns"], json!(["tpp.example.org"]));
    assert_eq!(
        shown["registration_fields"]["tls_client_auth"]["tls_client_auth_subject_dn"],
        dn
    );
    assert!(shown["x5t_s256"].as_str().is_some_and(|t| t.len() == 43), "{shown}");
    let human = stdout_of(&cli.run(&["cert", "show", "op", &a]).success());
    assert!(
        human.contains("x5t#S256") && human.contains("tls_client_auth_subject_dn"),
        "{human}"
    );
    // The key's published JWK now carries the certificate.
    let jwk = &cli.json(&["keys", "show", "op", &a])["public_jwk"];
    assert!(jwk["x5c"].is_array(), "{jwk}");

    // A CSR, printed or written.
    let csr = stdout_of(&cli.run(&["cert", "csr", "op", &b, "--cn", "Other"]).success());
    assert!(csr.contains("BEGIN CERTIFICATE REQUEST"), "{csr}");
    let csr_file = cli.data_dir().join("other.csr");
    cli.run(&["cert", "csr", "op", &b, "--cn", "Other", "--out", p(&csr_file)])
        .success();
    assert!(std::fs::read_to_string(&csr_file)
        .unwrap()
        .contains("BEGIN CERTIFICATE REQUEST"));

    // A's chain offered for B: the specific sentence, and B has no certificate after it.
    let chain = stdout_of(&cli.run(&["cert", "show", "op", &a, "--pem"]).success());
    let chain_file = write(&cli, "a-chain.pem", &chain);
    let wrong = cli
        .run(&["cert", "import", "op", "--file", p(&chain_file), "--key", &b])
        .code(2);
    let stderr = stderr_of(&wrong);
    assert!(
        stderr.contains("is not for key") && stderr.contains("Demo TPP"),
        "{stderr}"
    );
    assert!(cli.json(&["keys", "show", "op", &b])["certificate"].is_null());
    // Without --key, the chain finds its own key.
    let found = cli
        .cmd()
        .args(["--json", "cert", "import", "op", "--stdin"])
        .write_stdin(chain)
        .assert()
        .success();
    let found: Value = serde_json::from_slice(&found.get_output().stdout).unwrap();
    assert_eq!(found["kid"], a.as_str());

    // The profile presents it on every request; a key without a certificate cannot be used.
    let used = cli.json(&["cert", "use", "op", &a]);
    assert_eq!(used["value"], a.as_str());
    assert_eq!(cli.json(&["profile", "show", "op"])["client_certificate"], a.as_str());
    let none = cli.run(&["cert", "use", "op", &b]).code(2);
    assert!(stderr_of(&none).contains("has no certificate"), "{}", stderr_of(&none));
    cli.json(&["cert", "use", "op", "--none"]);
    assert!(cli.json(&["profile", "show", "op"])["client_certificate"].is_null());

    // It expires within 30 days: the expiring view says so.
    let listed = cli.json(&["list", "--expiring", "31d"]);
    let custody = listed["custody"].as_array().unwrap();
    assert!(
        custody
            .iter()
            .any(|c| c["kind"] == "certificate" && c["name"] == a.as_str()),
        "{listed}"
    );

    // Deleting the key the profile presents says what it leaves the profile naming.
    cli.json(&["cert", "use", "op", &a]);
    let deleted = cli.run(&["keys", "delete", "op", &a, "--yes"]).success();
    assert!(stderr_of(&deleted).contains("still in use"), "{}", stderr_of(&deleted));
}

/// `registrar keys serve` in the background, and the URL it printed.
struct Serving {
    child: Child,
    url: String,
}

impl Serving {
    fn start(cli: &Cli, profile: &str) -> Self {
        let mut child = std::process::Command::new(registrar_bin())
            .env_remove("REGISTRAR_DATA_DIR")
            .arg("--data-dir")
            .arg(cli.data_dir())
            .args(["--json", "keys", "serve", profile])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("registrar keys serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let announced: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
        let url = announced["url"].as_str().expect("a URL").to_string();
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        Self { child, url }
    }
}

/// The body of a plain `GET url` (http://127.0.0.1:PORT/path).
fn http_get(url: &str) -> String {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default()
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn software_statements_are_kept_decoded_and_checked_against_a_jwks() {
    let (_mock, cli) = generic();
    let directory = kid_of(&cli.json(&["keys", "generate", "op", "--label", "directory"]));
    let directory_jwks = write(&cli, "directory.json", &cli.json(&["keys", "jwks", "op"]).to_string());
    let stranger = Cli::new();
    stranger
        .run(&[
            "profile",
            "add",
            "x",
            "--registration-endpoint",
            "http://127.0.0.1:9/register",
        ])
        .success();
    stranger.json(&["keys", "generate", "x"]);
    let stranger_jwks = write(
        &cli,
        "stranger.json",
        &stranger.json(&["keys", "jwks", "x"]).to_string(),
    );

    let claims = write(
        &cli,
        "claims.json",
        &json!({
            "software_id": "demo-software",
            "software_client_name": "Demo TPP",
            "org_id": "demo-org",
            "software_redirect_uris": ["https://tpp.example.org/callback"]
        })
        .to_string(),
    );
    let jwt = stdout_of(
        &cli.run(&[
            "ssa",
            "sign",
            "op",
            "--key",
            &directory,
            "--claims",
            p(&claims),
            "--lifetime",
            "1h",
        ])
        .success(),
    );
    let jwt = jwt.trim().to_string();
    assert_eq!(jwt.split('.').count(), 3, "{jwt}");
    let file = write(&cli, "ssa.jwt", &jwt);

    let kept = cli.json(&["ssa", "add", "op", "demo", "--file", p(&file)]);
    assert_eq!(kept["inspection"]["summary"]["software_id"], "demo-software");
    assert_eq!(kept["inspection"]["signature"]["state"], "not_checked");
    let listed = cli.json(&["ssa", "list", "op"]);
    assert_eq!(listed["statements"][0]["label"], "demo");
    assert_eq!(listed["statements"][0]["issuer"], "registrar-local-directory");

    let valid = cli.json(&["ssa", "show", "op", "demo", "--jwks", p(&directory_jwks)]);
    assert_eq!(valid["inspection"]["signature"]["state"], "valid", "{valid}");
    assert_eq!(valid["inspection"]["signature"]["kid"], directory.as_str());
    assert_eq!(valid["inspection"]["expired"], false);
    let human = stdout_of(
        &cli.run(&["ssa", "show", "op", "demo", "--jwks", p(&directory_jwks)])
            .success(),
    );
    assert!(human.contains("valid (key") && human.contains("expires in"), "{human}");

    let invalid = cli.json(&["ssa", "show", "op", "demo", "--jwks", p(&stranger_jwks)]);
    assert_eq!(invalid["inspection"]["signature"]["state"], "invalid", "{invalid}");
    assert!(!invalid["inspection"]["problems"].as_array().unwrap().is_empty());

    // Inspected without keeping it, and without a profile.
    let inspected = cli
        .cmd()
        .args(["--json", "ssa", "inspect", "--stdin", "--jwks", p(&directory_jwks)])
        .write_stdin(jwt.clone())
        .assert()
        .success();
    let inspected: Value = serde_json::from_slice(&inspected.get_output().stdout).unwrap();
    assert_eq!(inspected["signature"]["state"], "valid");
    assert_eq!(inspected["claims"]["org_id"], "demo-org");
    let no_profile = cli
        .run(&[
            "ssa",
            "inspect",
            "--file",
            p(&file),
            "--jwks-uri",
            "http://127.0.0.1:9/jwks.json",
        ])
        .code(2);
    assert!(stderr_of(&no_profile).contains("profile"), "{}", stderr_of(&no_profile));
    let not_a_jwt = write(&cli, "not.jwt", "hello");
    cli.run(&["ssa", "inspect", "--file", p(&not_a_jwt)]).code(2);

    // Checked against the directory keys served on a loopback jwks_uri.
    let served = Serving::start(&cli, "op");
    let by_uri = cli.json(&["ssa", "show", "op", "demo", "--jwks-uri", &served.url]);
    assert_eq!(by_uri["inspection"]["signature"]["state"], "valid", "{by_uri}");
    // A key added meanwhile is served within a second or two.
    let added = kid_of(&cli.json(&["keys", "generate", "op", "--label", "later"]));
    let mut seen = String::new();
    for _ in 0..40 {
        seen = http_get(&served.url);
        if seen.contains(&added) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(seen.contains(&added) && seen.contains(&directory), "{seen}");
    drop(served);

    // It expires within the hour: the expiring view lists it.
    let expiring = cli.json(&["list", "--expiring", "2h"]);
    assert!(
        expiring["custody"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "software_statement" && c["name"] == "demo"),
        "{expiring}"
    );
    cli.json(&["ssa", "use", "op", "demo"]);
    assert_eq!(cli.json(&["profile", "show", "op"])["software_statement"], "demo");
    cli.run(&["ssa", "use", "op", "nothing-of-that-name"]).code(3);
    cli.json(&["ssa", "remove", "op", "demo"]);
    assert!(cli.json(&["profile", "show", "op"])["software_statement"].is_null());
    cli.run(&["ssa", "remove", "op", "demo"]).code(3);
}

#[test]
fn an_expired_software_statement_is_refused_before_anything_is_sent() {
    let (mock, cli) = generic();
    let directory = kid_of(&cli.json(&["keys", "generate", "op"]));
    let claims = write(
        &cli,
        "claims.json",
        &json!({"software_id": "old", "iat": now() - 7200, "exp": now() - 60}).to_string(),
    );
    cli.run(&[
        "ssa",
        "sign",
        "op",
        "--key",
        &directory,
        "--claims",
        p(&claims),
        "--keep",
        "old",
    ])
    .success();
    let shown = cli.json(&["ssa", "show", "op", "old"]);
    assert_eq!(shown["inspection"]["expired"], true);
    let used = cli.run(&["ssa", "use", "op", "old"]).success();
    assert!(stderr_of(&used).contains("has expired"), "{}", stderr_of(&used));
    let client = write(
        &cli,
        "client.json",
        &json!({"client_name": "late", "redirect_uris": ["https://app.example.org/cb"]}).to_string(),
    );
    let before = mock.admin().request_count();
    let refused = cli.run(&["register", "-p", "op", "--file", p(&client)]).code(2);
    let stderr = stderr_of(&refused);
    assert!(
        stderr.contains("old") && stderr.contains("nothing was sent"),
        "{stderr}"
    );
    assert_eq!(mock.admin().request_count(), before, "the provider was not asked");
    assert_eq!(mock.admin().client_count(), 0);
    assert_eq!(cli.json(&["list"])["total"], 0);
}

#[test]
fn open_banking_registration_end_to_end_over_mutual_tls_then_try_with_private_key_jwt() {
    let certificate = LocalhostCertificate::generate().unwrap();
    let mock = Mock::with(Dialect::OpenBanking, |config| {
        *config = config
            .clone()
            .with_tls_pem(&certificate.cert_pem, &certificate.key_pem)
            .expect("HTTPS");
    });
    let cli = Cli::new();
    let ca = write(&cli, "mock-ca.pem", &certificate.ca_pem);
    let issuer = mock.server.issuer();
    assert!(issuer.starts_with("https://localhost:"), "{issuer}");
    let profile = cli.json(&[
        "profile",
        "add",
        "ob",
        "--kind",
        "openbanking",
        "--issuer",
        &issuer,
        "--registration-endpoint",
        &mock.server.registration_endpoint(),
        "--ca-cert",
        p(&ca),
    ]);
    assert_eq!(
        (profile["kind"].as_str(), profile["fapi"].as_bool()),
        (Some("openbanking"), Some(true))
    );

    // The directory: a key of ours the mock trusts.
    let directory = kid_of(&cli.json(&["keys", "generate", "ob", "--label", "directory"]));
    mock.admin().trust_directory(cli.json(&["keys", "jwks", "ob"]));
    // The software's signing key, carried in the statement.
    let software = cli.json(&["keys", "generate", "ob", "--type", "rsa", "--label", "software"]);
    let software_kid = kid_of(&software);
    assert_eq!(software["alg"], "PS256");
    let claims = write(
        &cli,
        "claims.json",
        &json!({
            "software_id": "registrar-demo",
            "software_client_name": "Demo TPP",
            "org_id": "demo-org",
            "software_redirect_uris": ["https://tpp.example.org/callback"],
            "software_jwks": {"keys": [software["public_jwk"]]}
        })
        .to_string(),
    );
    cli.run(&[
        "ssa",
        "sign",
        "ob",
        "--key",
        &directory,
        "--claims",
        p(&claims),
        "--lifetime",
        "1h",
        "--keep",
        "directory-ssa",
    ])
    .success();
    cli.json(&["ssa", "use", "ob", "directory-ssa"]);
    // The transport certificate, presented on every request.
    let transport = kid_of(&cli.json(&["keys", "generate", "ob", "--label", "transport"]));
    cli.json(&[
        "cert",
        "self-signed",
        "ob",
        &transport,
        "--cn",
        "Demo TPP",
        "--ou",
        "demo-org",
        "--c",
        "GB",
    ]);
    let thumbprint = cli.json(&["cert", "show", "ob", &transport])["x5t_s256"]
        .as_str()
        .unwrap()
        .to_string();

    // Without mutual TLS the mock refuses; nothing is kept.
    let client = write(
        &cli,
        "client.json",
        &json!({
            "client_name": "Demo TPP",
            "redirect_uris": ["https://tpp.example.org/callback"],
            "grant_types": ["client_credentials"],
            "token_endpoint_auth_method": "private_key_jwt",
            "token_endpoint_auth_signing_alg": "PS256",
            "scope": "openid accounts"
        })
        .to_string(),
    );
    let unsigned = cli.run(&["register", "-p", "ob", "--file", p(&client)]).code(4);
    assert!(stderr_of(&unsigned).contains("error: "), "{}", stderr_of(&unsigned));
    assert_eq!(mock.admin().client_count(), 0);

    cli.json(&["cert", "use", "ob", &transport]);
    let edited = cli.json(&["profile", "edit", "ob", "--sign-requests", &software_kid[..12]]);
    assert_eq!(edited["sign_requests"], software_kid.as_str());
    assert_eq!(edited["client_certificate"], transport.as_str());
    assert_eq!(edited["software_statement"], "directory-ssa");

    let registered = cli.json(&["register", "-p", "ob", "--file", p(&client)]);
    let id = registered["client_id"].as_str().expect("a client id").to_string();
    let held = mock.client(&id).expect("the mock holds the client");
    assert_eq!(held["token_endpoint_auth_method"], "private_key_jwt", "{held}");
    assert_eq!(held["software_id"], "registrar-demo");
    assert!(
        held.get("client_secret").is_none_or(Value::is_null),
        "no secret: {held}"
    );

    // The software key becomes the client's; try signs its assertion with it, over mTLS.
    cli.json(&["keys", "bind", "ob", &software_kid, "--client", &id]);
    assert_eq!(
        cli.json(&["keys", "jwks", "ob", "--client", &id])["keys"][0]["kid"],
        software_kid.as_str()
    );
    let tried = cli.json(&["try", &id, "--introspect"]);
    let text = tried.to_string();
    assert!(
        text.contains(&thumbprint),
        "the token is bound to the transport certificate: {tried}"
    );
    assert_eq!(tried["introspection"]["active"], true, "{tried}");
    assert_eq!(tried["introspection"]["client_id"], id.as_str());
    let sent = tried["exchanges"][0]["request_body"].as_str().unwrap_or_default();
    assert!(
        sent.contains("jwt-bearer") && sent.contains("client_assertion=***"),
        "private_key_jwt, the assertion redacted: {sent}"
    );

    // A client that authenticates with the transport certificate itself (tls_client_auth).
    let dn = cli.json(&["cert", "show", "ob", &transport])["subject_dn"]
        .as_str()
        .unwrap()
        .to_string();
    let mtls_client = write(
        &cli,
        "mtls-client.json",
        &json!({
            "client_name": "Demo TPP (mTLS)",
            "redirect_uris": ["https://tpp.example.org/callback"],
            "grant_types": ["client_credentials"],
            "token_endpoint_auth_method": "tls_client_auth",
            "tls_client_auth_subject_dn": dn,
            "scope": "accounts"
        })
        .to_string(),
    );
    let mtls = cli.json(&["register", "-p", "ob", "--file", p(&mtls_client)])["client_id"]
        .as_str()
        .unwrap()
        .to_string();
    let tried = cli.json(&["try", &mtls]);
    assert_eq!(
        tried["presented_certificate"]["x5t_s256"],
        thumbprint.as_str(),
        "{tried}"
    );
    let human = stdout_of(&cli.run(&["try", &mtls]).success());
    assert!(
        human.contains("Client certificate (mutual TLS): CN=Demo TPP"),
        "{human}"
    );

    // Rotation: the new key joins the client's jwks (a signed update), the old one keeps
    // working until it retires; finishing drops it, and try signs with the new key.
    let rotated = cli.json(&["keys", "rotate", "ob", &id, "--overlap", "1h"]);
    assert_eq!(rotated["update"]["status"], 200, "{rotated}");
    let new_kid = kid_of(&rotated["keys"][0]);
    let held_kids = |mock: &Mock| -> Vec<String> {
        mock.client(&id).unwrap()["jwks"]["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["kid"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(held_kids(&mock), [software_kid.clone(), new_kid.clone()]);
    let unfinished = cli.json(&["keys", "finish-rotation", "ob", &id]);
    assert!(unfinished["keys"].as_array().unwrap().is_empty(), "{unfinished}");
    cli.json(&["keys", "retire", "ob", &software_kid, "--in", "0"]);
    let finished = cli.json(&["keys", "finish-rotation", "ob", &id]);
    assert_eq!(finished["keys"][0]["kid"], software_kid.as_str(), "{finished}");
    assert_eq!(held_kids(&mock), std::slice::from_ref(&new_kid));
    let tried = cli.json(&["try", &id]);
    assert!(tried.to_string().contains("client_assertion=***"), "{tried}");
    // The profile still signs its registrations with the retired key: it left the client
    // but stays in custody, and the profile keeps working.
    assert!(finished.to_string().contains("stays in custody"), "{finished}");
    let kept = cli.json(&["keys", "show", "ob", &software_kid]);
    assert_eq!(kept["client_id"], serde_json::Value::Null, "{kept}");

    // The profile no longer signs: the mock refuses a JSON registration, in its words.
    cli.json(&["profile", "edit", "ob", "--no-sign-requests"]);
    let plain = cli.run(&["register", "-p", "ob", "--file", p(&client)]).code(4);
    assert!(
        stderr_of(&plain).contains("invalid_client_metadata"),
        "{}",
        stderr_of(&plain)
    );
    assert_eq!(mock.admin().client_count(), 2);
}

#[test]
fn the_new_commands_are_in_the_completions_and_the_man_pages() {
    let cli = Cli::new();
    let bash = stdout_of(&cli.run(&["completions", "bash"]).success());
    for word in [
        "keys",
        "finish-rotation",
        "self-signed",
        "ssa",
        "--sign-requests",
        "--jwks-uri",
    ] {
        assert!(bash.contains(word), "bash completion lacks {word}");
    }
    let out = cli.data_dir().join("man");
    cli.run(&["man", "--out", p(&out)]).success();
    for page in [
        "registrar-keys-export.1",
        "registrar-cert-csr.1",
        "registrar-ssa-inspect.1",
    ] {
        assert!(out.join(page).is_file(), "{page}");
    }
}
