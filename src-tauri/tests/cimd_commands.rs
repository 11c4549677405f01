//! Issue 18's Client ID Metadata Document commands over Tauri's IPC on the mock runtime,
//! with the JSON the window sends (camelCase arguments): a document checked as the user
//! types (valid: its client_id is its URL; invalid: each problem under its field, the
//! URL's under client_id), and not saved when invalid; a hosted document's client kept in
//! a profile (nothing sent), a second keep refused; served over HTTPS on loopback,
//! fetchable by a client that trusts the CA written for the run (and refused by one that
//! does not), its client kept in the profile, replaced by a second start, and stopped. Run
//! under scripts/with-keychain.sh, as the app needs a Secret Service.

use crate::ipc::MockWindow;
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

    /// A saved generic profile (its provider is never contacted here).
    fn profile(&self, name: &str) -> String {
        let draft = self.ok(
            "new_profile",
            json!({"kind": "generic", "name": name, "registrationEndpoint": "https://as.example.org/register"}),
        );
        let saved = self.ok(
            "save_profile",
            json!({"profile": draft, "secrets": {"initial_access_token": null, "admin_password": null, "client_credentials_secret": null}}),
        );
        saved["id"].as_str().expect("a profile id").to_string()
    }

    /// The client ids of the profile's clients.
    fn client_ids(&self, profile: &str) -> Vec<String> {
        let page = self.ok(
            "search_clients",
            json!({"query": {"profile_id": profile, "text": null, "status": null, "expiring_within_secs": null, "offset": 0, "limit": 100}}),
        );
        page["items"]
            .as_array()
            .unwrap_or_else(|| panic!("no items in {page}"))
            .iter()
            .map(|c| c["client_id"].as_str().expect("a client id").to_string())
            .collect()
    }
}

/// The fields the errors are about, in order.
fn fields(errors: &Value) -> Vec<String> {
    errors
        .as_array()
        .unwrap_or_else(|| panic!("not a list of errors: {errors}"))
        .iter()
        .map(|e| e["field"].as_str().expect("a field").to_string())
        .collect()
}

/// GETs `url` with `ca_pem` as the only trusted root (none: the system's).
fn fetch(url: &str, ca_pem: Option<&str>) -> Result<Value, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let mut client = reqwest::Client::builder().timeout(std::time::Duration::from_secs(10));
        if let Some(pem) = ca_pem {
            client = client
                .tls_built_in_root_certs(false)
                .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).expect("a PEM certificate"));
        }
        let answer = client
            .build()
            .expect("a client")
            .get(url)
            .send()
            .await
            .map_err(|e| format!("{e:?}"))?;
        if !answer.status().is_success() {
            return Err(format!("HTTP {}", answer.status()));
        }
        answer.json::<Value>().await.map_err(|e| e.to_string())
    })
}

#[test]
fn metadata_documents_from_the_window() {
    let _turn = crate::APP_ENV.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let w = Window::open();
    let template = w.ok("mcp_client_template", json!({"name": "Desktop assistant"}));

    // Valid: the document is the metadata with client_id set to the URL.
    let url = "https://app.example.com/oauth/client.json";
    let check = w.ok("cimd_document", json!({"url": url, "metadata": template}));
    assert_eq!(check["errors"], json!([]), "{check}");
    assert_eq!(check["document"]["client_id"], url, "{check}");
    assert_eq!(check["document"]["client_name"], "Desktop assistant", "{check}");

    // Invalid: an answer, with each problem under its field.
    let mut bad = template.clone();
    bad["token_endpoint_auth_method"] = json!("client_secret_basic");
    bad["client_secret"] = json!("s3cret");
    bad["redirect_uris"] = json!([]);
    bad["logo_uri"] = json!("http://app.example.com/logo.png");
    let check = w.ok(
        "cimd_document",
        json!({"url": "http://app.example.com/client.json", "metadata": bad}),
    );
    assert_eq!(check["document"], Value::Null, "{check}");
    assert_eq!(
        fields(&check["errors"]),
        [
            "client_id",
            "client_secret",
            "token_endpoint_auth_method",
            "redirect_uris",
            "logo_uri"
        ],
        "{check}"
    );
    assert!(
        check["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("https")),
        "the URL's problem says https: {check}"
    );
    let check = w.ok(
        "cimd_document",
        json!({"url": "https://app.example.com", "metadata": template}),
    );
    assert_eq!(fields(&check["errors"]), ["client_id"], "a URL without a path: {check}");

    // Saving an invalid document is refused, field by field, before any dialog opens.
    let refused = w.fails(
        "cimd_save",
        json!({"url": "http://app.example.com/client.json", "metadata": template}),
    );
    assert_eq!(refused["code"], "validation", "{refused}");
    assert_eq!(fields(&refused["fields"]), ["client_id"], "{refused}");

    // Kept in a profile: a client whose client_id is the URL, nothing sent (the profile's
    // provider does not exist); a second keep is refused.
    let profile = w.profile("CIMD server");
    let document = w.ok("cimd_document", json!({"url": url, "metadata": template}))["document"].clone();
    let kept = w.ok("cimd_keep", json!({"profile": profile, "document": document}));
    assert_eq!(kept["client_id"], url, "{kept}");
    assert_eq!(w.client_ids(&profile), [url]);
    let again = w.fails("cimd_keep", json!({"profile": profile, "document": document}));
    assert_eq!(again["code"], "validation", "{again}");
    assert_eq!(fields(&again["fields"]), ["client_id"], "{again}");
    let mut invalid = document.clone();
    invalid["client_secret"] = json!("s3cret");
    let refused = w.fails("cimd_keep", json!({"profile": profile, "document": invalid}));
    assert_eq!(fields(&refused["fields"]), ["client_secret"], "{refused}");

    // Served: an https URL on localhost whose document is fetchable trusting the CA.
    let served = w.ok(
        "cimd_serve",
        json!({"profile": profile, "metadata": template, "name": "assistant"}),
    );
    let served_url = served["url"].as_str().expect("a URL").to_string();
    assert!(
        served_url.starts_with("https://localhost:") && served_url.ends_with("/assistant.json"),
        "{served}"
    );
    assert_eq!(served["document"]["client_id"], served_url, "{served}");
    assert_eq!(served["kept"], true, "{served}");
    let ca_file = served["ca_file"].as_str().expect("a CA file");
    assert_eq!(
        std::path::Path::new(ca_file),
        w.data.path().join("cimd-ca.pem"),
        "the CA is in the data directory"
    );
    let ca_pem = std::fs::read_to_string(ca_file).expect("the CA file reads");
    assert!(ca_pem.starts_with("-----BEGIN CERTIFICATE-----"), "{ca_pem}");
    let fetched = fetch(&served_url, Some(&ca_pem)).expect("the document, trusting the CA");
    assert_eq!(fetched, served["document"], "the document served is the one answered");
    assert!(
        fetch(&served_url, None).is_err(),
        "a client that does not trust the run's CA is refused"
    );
    let mut ids = w.client_ids(&profile);
    ids.sort();
    let mut expected = vec![url.to_string(), served_url.clone()];
    expected.sort();
    assert_eq!(ids, expected, "the served client is kept in the profile");

    // Invalid metadata is not served; the running server is left alone.
    let refused = w.fails(
        "cimd_serve",
        json!({"profile": null, "metadata": bad, "name": "assistant"}),
    );
    assert_eq!(refused["code"], "validation", "{refused}");
    assert!(
        fields(&refused["fields"]).contains(&"client_secret".to_string()),
        "{refused}"
    );
    let refused = w.fails(
        "cimd_serve",
        json!({"profile": null, "metadata": template, "name": "../x"}),
    );
    assert_eq!(fields(&refused["fields"]), ["name"], "{refused}");
    fetch(&served_url, Some(&ca_pem)).expect("still served after refused starts");

    // A second start replaces the first, which stops; without a profile nothing is kept.
    let second = w.ok(
        "cimd_serve",
        json!({"profile": null, "metadata": template, "name": "client"}),
    );
    let second_url = second["url"].as_str().expect("a URL").to_string();
    assert_eq!(second["kept"], false, "{second}");
    let second_ca = std::fs::read_to_string(ca_file).expect("the CA file reads");
    assert_ne!(second_ca, ca_pem, "each run has its own CA");
    fetch(&second_url, Some(&second_ca)).expect("the second document");
    assert!(fetch(&served_url, Some(&ca_pem)).is_err(), "the first server stopped");
    assert_eq!(w.client_ids(&profile).len(), 2, "nothing kept without a profile");

    // Stopped: the document is no longer served.
    let third = w.ok(
        "cimd_serve",
        json!({"profile": profile, "metadata": template, "name": "client"}),
    );
    assert_eq!(third["kept"], true, "a new port, a new client: {third}");
    assert_eq!(w.ok("cimd_stop", json!({})), json!(true));
    let third_url = third["url"].as_str().expect("a URL");
    let third_ca = std::fs::read_to_string(ca_file).expect("the CA file reads");
    assert!(fetch(third_url, Some(&third_ca)).is_err(), "stopped");
    assert_eq!(w.ok("cimd_stop", json!({})), json!(false), "nothing left to stop");
}
