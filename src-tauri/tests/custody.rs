//! The custody commands (issue 17) over Tauri's IPC on the mock runtime, with the JSON the
//! window sends: a key generated and listed (its public half only), a self-signed
//! certificate made for it and used as the profile's client certificate, software
//! statements signed by it as a local directory, kept, and inspected against its JWK Set
//! (valid), another key's (invalid) and after their `exp` (expired); the public set served
//! on a loopback URL; the private key's export refused without the explicit confirmation,
//! and written 0600 with it. No answer carries a private key. Run under scripts/with-keychain.sh: the keys go to the keychain.

use crate::ipc::MockWindow;
use registrar_core::{DataDir, Registrar};
use serde_json::{json, Value};

/// The app's window, with this file's own steps.
struct Window(MockWindow);

impl std::ops::Deref for Window {
    type Target = MockWindow;
    fn deref(&self) -> &MockWindow {
        &self.0
    }
}

impl Window {
    fn open() -> Self {
        Self(MockWindow::open())
    }

    fn generate(&self, profile: &str, label: &str) -> Value {
        self.ok(
            "generate_key",
            json!({"profile": profile, "request": {"kind": "p256", "alg": "ES256", "rsa_bits": null, "client_id": null, "label": label}}),
        )
    }

    fn inspect(&self, profile: &str, jwt: &str, jwks: Option<&Value>) -> Value {
        self.ok(
            "inspect_software_statement",
            json!({"profile": profile, "jwt": jwt, "jwks": jwks.map(|j| j.to_string()), "jwksUri": null}),
        )
    }
}

/// The body of a plain HTTP GET of `url` (http://host:port/path).
fn http_get(url: &str) -> String {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").expect("an http URL");
    let (host, path) = rest.split_once('/').expect("a path");
    let mut stream = std::net::TcpStream::connect(host).expect("the JWKS server answers");
    write!(
        stream,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("the request");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("the answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_secs() as i64
}

#[test]
fn keys_certificates_and_software_statements_from_the_window() {
    let _turn = crate::APP_ENV.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let w = Window::open();
    let draft = w.ok(
        "new_profile",
        json!({"kind": "openbanking", "name": "Open Banking sandbox", "registrationEndpoint": "https://ob.example.org/register"}),
    );
    let saved = w.ok(
        "save_profile",
        json!({"profile": draft, "secrets": {"initial_access_token": null, "admin_password": null, "client_credentials_secret": null}}),
    );
    let profile = saved["id"].as_str().expect("a profile id").to_string();
    assert_eq!(
        saved["signing"]["fapi"], true,
        "the Open Banking preset follows FAPI: {saved}"
    );

    // A key: generated, listed with its public half only.
    let key = w.generate(&profile, "directory");
    let kid = key["kid"].as_str().expect("a kid").to_string();
    assert_eq!(key["alg"], "ES256");
    assert!(key["public_jwk"].get("d").is_none(), "a private member in {key}");
    let listed = w.ok("list_keys", json!({"profile": profile, "clientId": null}));
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(listed[0]["kid"], kid.as_str());
    assert_eq!(listed[0]["label"], "directory");

    // A self-signed certificate for it, then used for mutual TLS by the profile.
    let refused = w.fails(
        "profile_use",
        json!({"profile": profile, "usage": "transport_certificate", "value": kid}),
    );
    assert!(
        refused["message"].as_str().unwrap_or("").contains("no certificate"),
        "{refused}"
    );
    let certified = w.ok(
        "self_signed_certificate",
        json!({"profile": profile, "kid": kid, "days": 20, "subject": {
            "common_name": "tpp.example.org", "organization": "Example TPP", "organizational_unit": "0015800001041RHAAY",
            "country": "GB", "dns_names": ["tpp.example.org"]}}),
    );
    let certificate = &certified["certificate"];
    let subject = certificate["subject_dn"].as_str().expect("a subject");
    assert!(
        subject.contains("CN=tpp.example.org") && subject.contains("C=GB"),
        "{subject}"
    );
    assert_eq!(certificate["self_signed"], true);
    assert_eq!(certificate["san_dns"], json!(["tpp.example.org"]));
    assert!(
        certified["public_jwk"]["x5c"].is_array(),
        "the JWK carries x5c: {certified}"
    );
    let used = w.ok(
        "profile_use",
        json!({"profile": profile, "usage": "transport_certificate", "value": kid}),
    );
    assert_eq!(used["tls"]["client_certificate"], kid.as_str(), "{used}");
    let expiring = w.ok("expiring_custody", json!({"withinDays": 30}));
    assert!(
        expiring
            .as_array()
            .expect("a list")
            .iter()
            .any(|e| e["kind"] == "certificate" && e["name"] == kid.as_str()),
        "the certificate (20 days) among the expiring: {expiring}"
    );
    let csr = w.ok(
        "certificate_request",
        json!({"profile": profile, "kid": kid, "subject": {"common_name": "tpp.example.org", "organization": null,
               "organizational_unit": null, "country": null, "dns_names": []}}),
    );
    assert!(
        csr.as_str()
            .unwrap_or("")
            .starts_with("-----BEGIN CERTIFICATE REQUEST-----"),
        "{csr}"
    );

    // A software statement signed by that key as a local directory, kept and inspected.
    let jwks = w.ok("public_jwks", json!({"profile": profile, "clientId": null}));
    assert_eq!(jwks["keys"][0]["kid"], kid.as_str(), "{jwks}");
    let claims = json!({"software_id": "ob-software-1", "software_redirect_uris": ["https://tpp.example.org/cb"]});
    let ssa = w.ok(
        "sign_software_statement",
        json!({"profile": profile, "kid": kid, "claims": claims, "lifetimeSecs": 600}),
    );
    let ssa = ssa.as_str().expect("a JWT").to_string();
    let kept = w.ok(
        "keep_software_statement",
        json!({"profile": profile, "label": "sandbox SSA", "jwt": ssa, "source": "signed locally"}),
    );
    assert_eq!(kept["inspection"]["summary"]["software_id"], "ob-software-1");
    assert_eq!(kept["inspection"]["signature"]["state"], "not_checked");
    let statements = w.ok("list_software_statements", json!({"profile": profile}));
    assert_eq!(statements[0]["label"], "sandbox SSA", "{statements}");

    let valid = w.inspect(&profile, &ssa, Some(&jwks));
    assert_eq!(valid["signature"], json!({"state": "valid", "kid": kid}), "{valid}");
    assert_eq!(valid["expired"], false);
    assert_eq!(valid["summary"]["issuer"], "registrar-local-directory");
    assert_eq!(valid["summary"]["redirect_uris"], json!(["https://tpp.example.org/cb"]));
    assert!(valid["problems"].as_array().is_some_and(Vec::is_empty), "{valid}");

    // Against another key's set: invalid, and said so among the problems.
    w.generate(&profile, "not the directory");
    let all = w.ok("public_jwks", json!({"profile": profile, "clientId": null}));
    let others = json!({"keys": all["keys"].as_array().expect("keys").iter()
        .filter(|k| k["kid"] != kid.as_str()).cloned().collect::<Vec<_>>()});
    let invalid = w.inspect(&profile, &ssa, Some(&others));
    assert_eq!(invalid["signature"]["state"], "invalid", "{invalid}");
    assert!(!invalid["problems"].as_array().expect("problems").is_empty());
    let not_json = w.fails(
        "inspect_software_statement",
        json!({"profile": profile, "jwt": ssa, "jwks": "{not json", "jwksUri": null}),
    );
    assert_eq!(not_json["fields"][0]["field"], "jwks", "{not_json}");

    // Expired: flagged, with the signature still checked, and refused as the profile's SSA.
    let stale = w.ok(
        "sign_software_statement",
        json!({"profile": profile, "kid": kid, "claims": {"software_id": "ob-software-1", "exp": now() - 120}, "lifetimeSecs": null}),
    );
    let stale = stale.as_str().expect("a JWT").to_string();
    let expired = w.inspect(&profile, &stale, Some(&jwks));
    assert_eq!(expired["expired"], true, "{expired}");
    assert_eq!(expired["signature"]["state"], "valid");
    assert!(
        expired["problems"]
            .as_array()
            .expect("problems")
            .iter()
            .any(|p| p.as_str().unwrap_or("").contains("expired")),
        "{expired}"
    );

    // The profile's public set served on loopback, as a provider would fetch its jwks_uri.
    let url = w.ok("serve_public_jwks", json!({"profile": profile, "clientId": null}));
    let url = url.as_str().expect("a URL").to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let served = http_get(&url);
    assert!(served.contains(&kid) && !served.contains("\"d\""), "{served}");
    let again = w.ok("serve_public_jwks", json!({"profile": profile, "clientId": null}));
    assert_eq!(again, json!(url), "served again at the same URL");
    assert_eq!(
        w.ok("stop_serving_jwks", json!({"profile": profile, "clientId": null})),
        json!(true)
    );

    // The private key: refused without the confirmation; written 0600 with it.
    let unconfirmed = w.fails(
        "export_private_key",
        json!({"profile": profile, "kid": kid, "confirmed": false}),
    );
    assert_eq!(unconfirmed["code"], "validation", "{unconfirmed}");
    assert!(
        unconfirmed["message"].as_str().unwrap_or("").contains("confirmation"),
        "{unconfirmed}"
    );
    let registrar = Registrar::open(&DataDir::at(w.data.path())).expect("the app's data directory");
    let file = w.data.path().join("exported.pem");
    registrar_app::write_private_key(&registrar, &profile, &kid, &file).expect("the export is written");
    let pem = std::fs::read_to_string(&file).expect("the exported key");
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"), "PKCS#8 PEM");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).expect("its metadata").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the exported key is the user's alone");
    }
    let refused = w.fails("save_public_text", json!({"text": pem, "suggestedName": "key.pem"}));
    assert_eq!(refused["code"], "validation", "{refused}");

    // Importing the exported key into another profile gives the same kid.
    let other = w.ok(
        "new_profile",
        json!({"kind": "generic", "name": "Elsewhere", "registrationEndpoint": "https://op.example.org/register"}),
    );
    let other = w.ok(
        "save_profile",
        json!({"profile": other, "secrets": {"initial_access_token": null, "admin_password": null, "client_credentials_secret": null}}),
    );
    let imported = w.ok(
        "import_key",
        json!({"profile": other["id"], "material": pem, "request": {"kind": null, "alg": null, "rsa_bits": null, "client_id": null, "label": "copy"}}),
    );
    assert_eq!(imported["kid"], kid.as_str());

    // Deleting the directory key takes it out of the list and its set.
    w.ok("delete_key", json!({"profile": other["id"], "kid": kid}));
    let left = w.ok("list_keys", json!({"profile": other["id"], "clientId": null}));
    assert_eq!(left, json!([]));

    // No answer the window got holds a private key.
    for answer in &w.answers() {
        assert!(
            !answer.contains("PRIVATE KEY"),
            "a private key reached the window: {answer}"
        );
        assert!(
            !answer.contains("\"d\":"),
            "a private JWK member reached the window: {answer}"
        );
    }
}
