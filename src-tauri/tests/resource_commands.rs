//! Issue 18's commands over Tauri's IPC on the mock runtime, against the mock provider the
//! app starts beside the window (it serves an MCP server at `<base>/mcp`): discovery from
//! the issuer and from the MCP server's URL, the profile the chain proposes, saved; a
//! client from the MCP template, registered twice; a try for the resource and its call;
//! the duplicate, forgotten. Arguments are sent as the window's bindings send them
//! (camelCase). Needs a Secret Service, as the app does: run under scripts/with-keychain.sh.

use crate::ipc::MockWindow;
use serde_json::{json, Value};

type Window = MockWindow;

/// The scripted user signs in at `url` in a thread of its own and comes back to `prefix`.
fn sign_in(url: String, prefix: String) -> std::thread::JoinHandle<Result<String, String>> {
    crate::ipc::user(move |browser| async move {
        let back = browser.authorize(&url, &prefix).await?;
        browser.visit(&back).await
    })
}

#[test]
fn a_protected_resource_from_the_window() {
    let _turn = crate::APP_ENV.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let w = Window::open();
    // The app's own generic mock, started beside the window: open registration.
    let generic = w.generic_mock();
    let base = generic["base_url"]
        .as_str()
        .expect("a base URL")
        .trim_end_matches('/')
        .to_string();
    let mcp = format!("{base}/mcp");

    // The issuer is an issuer; the MCP server's URL is a resource with a whole chain.
    let issuer = w.ok("discover_url", json!({"url": base}));
    assert_eq!(issuer["type"], "issuer", "{issuer}");
    let found = w.ok("discover_url", json!({"url": mcp}));
    assert_eq!(found["type"], "resource", "{found}");
    let chain = found["chain"].clone();
    let states: Vec<(&str, &str)> = chain["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| (s["kind"].as_str().unwrap_or(""), s["state"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(
        states,
        [
            ("resource", "ok"),
            ("resource_metadata", "ok"),
            ("authorization_server", "ok")
        ],
        "{chain}"
    );
    let refused = w.fails("discover_url", json!({"url": "ftp://127.0.0.1/mcp"}));
    assert_eq!(refused["code"], "validation", "{refused}");

    // The proposed profile, saved through the usual save.
    let proposed = w.ok(
        "propose_profile_from_chain",
        json!({"chain": chain, "name": "MCP mock"}),
    );
    assert_eq!(proposed["resource"]["url"], mcp, "{proposed}");
    assert_eq!(proposed["resource"]["scopes"], json!(["mcp:tools"]), "{proposed}");
    let saved = w.ok("save_profile", json!({"profile": proposed, "secrets": {}}));
    let profile = saved["id"].as_str().expect("an id").to_string();
    assert_eq!(saved["resource"]["resource"], mcp, "{saved}");

    // A client from the MCP template, twice, as an installer run twice would.
    let template = w.ok("mcp_client_template", json!({"name": "Desktop assistant"}));
    assert_eq!(template["token_endpoint_auth_method"], "none", "{template}");
    let mut ids = Vec::new();
    for _ in 0..2 {
        let registered = w.ok("register_client", json!({"profile": profile, "metadata": template}));
        ids.push(
            registered["registration"]["client_id"]
                .as_str()
                .expect("a client id")
                .to_string(),
        );
    }

    // A try for the resource, and the call with its token.
    let start = w.ok(
        "try_begin",
        json!({"profile": profile, "clientId": ids[1], "grant": "authorization_code",
               "options": {"scope": "mcp:tools", "resource": [mcp]}}),
    );
    let attempt = start["attempt"].clone();
    let url = start["step"]["url"].as_str().expect("a URL").to_string();
    let redirect = start["step"]["redirect_uri"]
        .as_str()
        .expect("a redirect URI")
        .to_string();
    let browser = sign_in(url, redirect);
    w.ok("try_wait", json!({"attempt": attempt, "timeoutSecs": 60}));
    browser.join().expect("the user's thread").expect("the user signs in");
    let answer = w.ok("try_call_resource", json!({"attempt": attempt}));
    assert_eq!(answer["succeeded"], true, "{answer}");
    assert_eq!(answer["status"], 200, "{answer}");
    assert!(
        answer["mcp"]["capabilities"]
            .as_array()
            .is_some_and(|c| c.contains(&json!("tools"))),
        "{answer}"
    );
    w.ok("try_forget", json!({"attempt": attempt}));
    let gone = w.fails("try_call_resource", json!({"attempt": attempt}));
    assert_eq!(gone["code"], "not_found", "{gone}");

    // The two registrations are one group; the stale one is forgotten.
    let groups = w.ok("duplicate_registrations", json!({"profile": profile}));
    let groups = groups.as_array().expect("groups");
    assert_eq!(groups.len(), 1, "{groups:?}");
    let stale = groups[0]["stale"][0]["client_id"].clone();
    assert!(
        ids.contains(&stale.as_str().unwrap_or_default().to_string()),
        "{groups:?}"
    );
    let results = w.ok(
        "clean_up_duplicates",
        json!({"profile": profile, "clientIds": [stale], "action": "forget"}),
    );
    assert_eq!(results[0]["client_id"], stale, "{results}");
    assert_eq!(results[0]["error"], Value::Null, "{results}");
    let groups = w.ok("duplicate_registrations", json!({"profile": profile}));
    assert_eq!(groups, json!([]), "no group is left");
}
