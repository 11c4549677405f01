//! The client list's bulk commands (issue 21, "The list") over Tauri's IPC on the mock
//! runtime, with the JSON the window sends, against the generic mock the app starts beside
//! the window: "select all" is every match of the list's query, in its order; a bulk delete
//! answers a result per client (an unknown one refused, the rest gone); a bulk refresh
//! leaves deleted clients out. Run under scripts/with-keychain.sh, as the app needs a
//! Secret Service.

use crate::ipc::MockWindow;
use serde_json::{json, Value};

fn ids(chosen: &Value) -> Vec<String> {
    chosen
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {chosen}"))
        .iter()
        .map(|c| c["client_id"].as_str().expect("a client id").to_string())
        .collect()
}

#[test]
fn bulk_selection_commands_from_the_window() {
    let _turn = crate::APP_ENV.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let w = MockWindow::open();
    let generic = w.generic_mock();
    let profile = w.profile_id(&generic["profile"]);

    let mut registered = Vec::new();
    for name in ["bulk ipc b", "bulk ipc a", "bulk ipc c"] {
        let out = w.ok(
            "register_client",
            json!({"profile": profile, "metadata": {"client_name": name, "redirect_uris": ["https://app.example.org/cb"]}}),
        );
        registered.push(
            out["registration"]["client_id"]
                .as_str()
                .expect("a client id")
                .to_string(),
        );
    }
    let query = |extra: Value| {
        let mut q =
            json!({"profile_id": profile, "text": "bulk ipc", "exclude_deleted": true, "offset": 0, "limit": 1});
        q.as_object_mut()
            .expect("an object")
            .extend(extra.as_object().expect("an object").clone());
        json!({"query": q})
    };

    // Every match, not the query's page of one, in the order asked.
    let all = w.ok(
        "select_all_clients",
        query(json!({"sort": {"key": "name", "descending": true}})),
    );
    let names: Vec<&str> = all
        .as_array()
        .expect("a list")
        .iter()
        .map(|c| c["client_name"].as_str().expect("a name"))
        .collect();
    assert_eq!(names, ["bulk ipc c", "bulk ipc b", "bulk ipc a"], "{all}");
    assert!(
        all.as_array().expect("a list").iter().all(|c| c["deleted"] == false),
        "{all}"
    );

    // Two deleted and one unknown: a result each, in the order asked.
    let chosen = json!([registered[0], "no-such-client", registered[1]]);
    let report = w.ok("delete_clients", json!({"profile": profile, "clientIds": chosen}));
    let items = report["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items in {report}"));
    assert_eq!(items.len(), 3, "{report}");
    assert_eq!(items[0]["error"], Value::Null, "{report}");
    assert_eq!(items[0]["client_name"], "bulk ipc b", "{report}");
    assert_eq!(items[1]["error"]["code"], "not_found", "{report}");
    assert_eq!(items[2]["error"], Value::Null, "{report}");

    // What is left, and what is history.
    assert_eq!(
        ids(&w.ok("select_all_clients", query(json!({})))),
        [registered[2].clone()]
    );
    let history = w.ok(
        "select_all_clients",
        query(json!({"exclude_deleted": false, "status": "deleted"})),
    );
    let mut deleted = ids(&history);
    deleted.sort();
    let mut want = vec![registered[0].clone(), registered[1].clone()];
    want.sort();
    assert_eq!(deleted, want, "{history}");
    assert!(
        history.as_array().expect("a list").iter().all(|c| c["deleted"] == true),
        "{history}"
    );

    // A refresh of all three reads only the one not deleted.
    let refreshed = w.ok("refresh_clients", json!({"profile": profile, "clientIds": registered}));
    let items = refreshed["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items in {refreshed}"));
    assert_eq!(items.len(), 1, "{refreshed}");
    assert_eq!(items[0]["client_id"], registered[2].as_str(), "{refreshed}");
    assert_eq!(items[0]["error"], Value::Null, "{refreshed}");
}
