//! The try commands over Tauri's IPC on the mock runtime, against the app's own mock
//! provider, with the scripted user of tests/support/browser.rs in another thread: the
//! attempts the window holds (a loopback wait, a pasted URL, a device code), what a
//! timeout and a cancel leave behind (no listener, no redirect URI added for the try, no
//! tokens), and the actions on a finished try. Needs a Secret Service, as the app does:
//! run under scripts/with-keychain.sh.

use crate::ipc::{user, MockWindow};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use tauri::Listener;

/// The app's window, and the `try-poll` events it was sent.
struct Window {
    ipc: MockWindow,
    polls: Arc<Mutex<Vec<Value>>>,
}

impl std::ops::Deref for Window {
    type Target = MockWindow;
    fn deref(&self) -> &MockWindow {
        &self.ipc
    }
}

impl Window {
    fn open() -> Self {
        let ipc = MockWindow::open();
        let polls = Arc::new(Mutex::new(Vec::new()));
        let sink = polls.clone();
        ipc.app.listen_any("try-poll", move |event| {
            let payload = serde_json::from_str(event.payload()).expect("a JSON payload");
            sink.lock().expect("the polls").push(payload);
        });
        Self { ipc, polls }
    }

    fn register(&self, profile: &str, metadata: Value) -> String {
        let answer = self.ok("register_client", json!({"profile": profile, "metadata": metadata}));
        answer["registration"]["client_id"]
            .as_str()
            .expect("a client id")
            .to_string()
    }

    fn redirect_uris(&self, profile: &str, client_id: &str) -> Value {
        let reg = self.ok("get_registration", json!({"profile": profile, "clientId": client_id}));
        reg["metadata_returned"]["redirect_uris"].clone()
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("its address")
        .port()
}

fn check<'a>(token: &'a Value, name: &str) -> &'a Value {
    token["checks"]
        .as_array()
        .and_then(|checks| checks.iter().find(|c| c["name"] == name))
        .map(|c| &c["outcome"])
        .unwrap_or_else(|| panic!("no {name} check in {token}"))
}

fn web_client(redirect_uris: Value) -> Value {
    json!({
        "client_name": "tried from the window",
        "redirect_uris": redirect_uris,
        "grant_types": ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "client_secret_basic",
    })
}

/// One scenario after the other: the app reads `REGISTRAR_DATA_DIR` from the process's
/// environment, so the tests of this binary that open the app take turns.
#[test]
fn tries_from_the_window() {
    let _turn = crate::APP_ENV.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let w = Window::open();
    let started = w.ok("mock_start", json!({"dialectName": "liberty"}));
    let profile = started["profile"].as_str().expect("a profile").to_string();

    // The authorization code grant, back to the app's loopback listener.
    let redirect_uri = format!("http://127.0.0.1:{}/callback", free_port());
    let id = w.register(&profile, web_client(json!([redirect_uri])));
    let start = w.ok(
        "try_begin",
        json!({"profile": profile, "clientId": id, "grant": "authorization_code", "options": {}}),
    );
    assert_eq!(start["step"]["kind"], "browser", "{start}");
    assert_eq!(start["step"]["listens"], true, "{start}");
    let attempt = start["attempt"].clone();
    let url = start["step"]["url"].as_str().expect("a URL").to_string();
    let prefix = redirect_uri.clone();
    let browser = user(move |b| async move {
        let back = b.authorize(&url, &prefix).await?;
        b.visit(&back).await
    });
    let report = w.ok("try_wait", json!({"attempt": attempt, "timeoutSecs": 60}));
    browser.join().expect("the user's thread").expect("the user signs in");
    let id_token = &report["explanation"]["id_token"];
    for name in ["signature", "iss", "aud", "nonce"] {
        assert_eq!(check(id_token, name), "passed", "{name}: {id_token}");
    }
    let access = w.ok("try_reveal", json!({"attempt": attempt, "which": "access_token"}));
    assert_eq!(
        access.as_str().map(str::len),
        report["access_token_length"].as_u64().map(|n| n as usize),
        "the revealed access token is the one explained"
    );
    let refreshed = w.ok("try_refresh", json!({"attempt": attempt}));
    assert_eq!(refreshed["refresh_token_rotated"], true, "{refreshed}");
    let userinfo = w.ok("try_userinfo", json!({"attempt": attempt}));
    assert_eq!(userinfo["sub"], registrar_mock_op::DEMO_SUBJECT);
    let introspected = w.ok("try_introspect", json!({"attempt": attempt, "which": "access_token"}));
    assert_eq!(introspected["active"], true, "{introspected}");
    w.ok("try_revoke", json!({"attempt": attempt, "which": "refresh_token"}));
    w.ok("try_forget", json!({"attempt": attempt}));
    let gone = w.fails("try_refresh", json!({"attempt": attempt}));
    assert_eq!(gone["code"], "not_found", "forgotten tokens are gone: {gone}");

    // A redirect that never comes: said so, and the listener is closed.
    let start = w.ok(
        "try_begin",
        json!({"profile": profile, "clientId": id, "grant": "authorization_code", "options": {}}),
    );
    let attempt = start["attempt"].clone();
    let error = w.fails("try_wait", json!({"attempt": attempt, "timeoutSecs": 1}));
    assert_eq!(error["code"], "network", "{error}");
    let port = redirect_uri
        .trim_start_matches("http://127.0.0.1:")
        .trim_end_matches("/callback");
    assert!(
        std::net::TcpStream::connect(format!("127.0.0.1:{port}")).is_err(),
        "no listener is left on {port}"
    );
    w.fails("try_wait", json!({"attempt": attempt}));

    // No loopback redirect URI: one is added for the try, and removed when it is cancelled.
    let https = "https://app.example.org/callback";
    let id = w.register(&profile, web_client(json!([https])));
    let refused = w.fails(
        "try_begin",
        json!({"profile": profile, "clientId": id, "grant": "authorization_code", "options": {}}),
    );
    assert!(
        refused["message"].as_str().unwrap_or_default().contains("loopback"),
        "{refused}"
    );
    let start = w.ok(
        "try_begin",
        json!({"profile": profile, "clientId": id, "grant": "authorization_code", "options": {"add_loopback": true}}),
    );
    let added = start["step"]["redirect_uri"]
        .as_str()
        .expect("a redirect URI")
        .to_string();
    assert_eq!(w.redirect_uris(&profile, &id), json!([https, added]));
    w.ok("try_cancel", json!({"attempt": start["attempt"]}));
    assert_eq!(w.redirect_uris(&profile, &id), json!([https]));

    // The final URL pasted back.
    let start = w.ok(
        "try_begin",
        json!({"profile": profile, "clientId": id, "grant": "authorization_code", "options": {"paste_redirect_uri": https}}),
    );
    assert_eq!(start["step"]["listens"], false, "{start}");
    let url = start["step"]["url"].as_str().expect("a URL").to_string();
    let back = user(move |b| async move { b.authorize(&url, https).await })
        .join()
        .expect("the user's thread")
        .expect("the user signs in");
    let report = w.ok("try_paste", json!({"attempt": start["attempt"], "url": back}));
    assert_eq!(check(&report["explanation"]["id_token"], "nonce"), "passed");
    w.ok("try_forget", json!({"attempt": start["attempt"]}));

    // The device grant: a QR code of the complete URI, polls told as events.
    let start = w.ok(
        "try_begin",
        json!({"profile": profile, "clientId": id, "grant": "device_code", "options": {}}),
    );
    let step = &start["step"];
    assert_eq!(step["kind"], "device", "{start}");
    assert!(
        step["qr_svg"].as_str().is_some_and(|svg| svg.contains("<svg")),
        "{step}"
    );
    let complete = step["verification_uri_complete"]
        .as_str()
        .expect("a complete URI")
        .to_string();
    let approving = user(move |b| async move { b.verify_device(&complete, None).await });
    let report = w.ok("try_wait", json!({"attempt": start["attempt"], "timeoutSecs": 120}));
    approving.join().expect("the user's thread").expect("the user approves");
    assert_eq!(
        report["grant_type"], "urn:ietf:params:oauth:grant-type:device_code",
        "{report}"
    );
    let polls = w.polls.lock().expect("the polls").clone();
    assert!(
        polls
            .iter()
            .any(|p| p["attempt"] == start["attempt"] && p["event"]["kind"] == "done"),
        "the polls were told: {polls:?}"
    );
    w.ok("try_forget", json!({"attempt": start["attempt"]}));
}
