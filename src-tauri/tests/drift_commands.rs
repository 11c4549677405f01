//! Issue 21's drift commands over Tauri's IPC on the mock runtime, with the JSON the
//! window sends (camelCase arguments), against the generic mock the app starts beside the
//! window: a client registered, changed behind Registrar's back by the provider's admin
//! (two fields), refreshed; the drift since sent lists both; the provider's value of one
//! kept (nothing sent); ours of the other restored through its preview, then sent; the
//! drift gone. An update that changes nothing previews as empty; a deleted client is
//! refused. Run under scripts/with-keychain.sh, as the app needs a Secret Service.

use crate::ipc::MockWindow;
use serde_json::{json, Value};

type Window = MockWindow;

/// The mock provider's admin API (`/_admin/...`): the provider's own administrator.
struct Admin {
    base: String,
    runtime: tokio::runtime::Runtime,
    http: reqwest::Client,
}

impl Admin {
    fn new(base: &str) -> Self {
        Self {
            base: format!("{}/_admin", base.trim_end_matches('/')),
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime"),
            http: reqwest::Client::new(),
        }
    }

    fn send(&self, request: reqwest::RequestBuilder) -> Value {
        self.runtime.block_on(async {
            request
                .send()
                .await
                .expect("the admin API answers")
                .error_for_status()
                .expect("the admin API accepts")
                .json()
                .await
                .expect("JSON from the admin API")
        })
    }

    fn patch(&self, client_id: &str, fields: Value) {
        self.send(
            self.http
                .patch(format!("{}/clients/{client_id}", self.base))
                .json(&fields),
        );
    }

    fn client(&self, client_id: &str) -> Value {
        self.send(self.http.get(format!("{}/clients/{client_id}", self.base)))
    }

    fn request_count(&self) -> u64 {
        self.send(self.http.get(format!("{}/stats", self.base)))["request_count"]
            .as_u64()
            .expect("a request count")
    }
}

/// The fields of a drift, in order.
fn fields(drift: &Value) -> Vec<String> {
    drift["changes"]
        .as_array()
        .unwrap_or_else(|| panic!("no changes in {drift}"))
        .iter()
        .map(|c| c["field"].as_str().expect("a field").to_string())
        .collect()
}

#[test]
fn drift_is_kept_or_restored_from_the_window() {
    let _turn = crate::APP_ENV.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let w = Window::open();
    let generic = w.generic_mock();
    let admin = Admin::new(generic["base_url"].as_str().expect("a base URL"));
    let profile = w.profile_id(&generic["profile"]);

    let ours = "Drift from the window";
    let registered = w.ok(
        "register_client",
        json!({"profile": profile, "metadata": {"client_name": ours, "redirect_uris": ["https://app.example.org/cb"]}}),
    );
    let id = registered["registration"]["client_id"]
        .as_str()
        .expect("a client id")
        .to_string();
    let client = json!({"profile": profile, "clientId": id});
    let with = |extra: Value| {
        let mut args = client.clone();
        args.as_object_mut()
            .expect("an object")
            .extend(extra.as_object().expect("an object").clone());
        args
    };
    assert_eq!(w.ok("drift_since_sent", client.clone()), json!({"changes": []}));

    // The provider's admin renames the client and adds a flag; a refresh sees both.
    admin.patch(
        &id,
        json!({"client_name": "Renamed in the console", "x_console_flag": true}),
    );
    let refreshed = w.ok("refresh_client", client.clone());
    assert_eq!(
        fields(&refreshed["drift"]),
        ["client_name", "x_console_flag"],
        "{refreshed}"
    );
    let drift = w.ok("drift_since_sent", client.clone());
    assert_eq!(fields(&drift), ["client_name", "x_console_flag"], "{drift}");
    assert_eq!(drift["changes"][0]["before"], ours, "{drift}");
    assert_eq!(drift["changes"][0]["after"], "Renamed in the console", "{drift}");

    // Keep the provider's flag: nothing is sent, the name is what is left.
    let sent_before = admin.request_count();
    let left = w.ok("accept_provider_values", with(json!({"fields": ["x_console_flag"]})));
    assert_eq!(fields(&left), ["client_name"], "{left}");
    assert_eq!(
        admin.request_count(),
        sent_before,
        "keeping the provider's value sends nothing"
    );
    assert_eq!(fields(&w.ok("drift_since_sent", client.clone())), ["client_name"]);

    // Restore our name: previewed (exactly that field, nothing sent), then sent.
    let preview = w.ok("restore_sent_values", with(json!({"fields": ["client_name"]})));
    assert_eq!(fields(&preview["changes"]), ["client_name"], "{preview}");
    assert_eq!(preview["changes"]["changes"][0]["before"], "Renamed in the console");
    assert_eq!(preview["changes"]["changes"][0]["after"], ours, "{preview}");
    assert_eq!(preview["check"]["errors"], json!([]), "{preview}");
    assert_eq!(
        preview["desired"]["x_console_flag"], true,
        "the kept value stays: {preview}"
    );
    assert_eq!(admin.request_count(), sent_before, "a preview sends nothing");
    let updated = w.ok("update_client", with(json!({"metadata": preview["desired"]})));
    assert_eq!(updated["drift"], json!({"changes": []}), "{updated}");
    let at_provider = admin.client(&id);
    assert_eq!(at_provider["client_name"], ours, "{at_provider}");
    assert_eq!(at_provider["x_console_flag"], true, "{at_provider}");
    assert_eq!(w.ok("drift_since_sent", client.clone()), json!({"changes": []}));

    // The form's metadata previewed: what it changes, and nothing when nothing differs.
    let current = updated["registration"]["metadata_returned"].clone();
    let unchanged = w.ok("preview_update", with(json!({"metadata": current})));
    assert_eq!(unchanged["changes"], json!({"changes": []}), "{unchanged}");
    let mut renamed = current.clone();
    renamed["client_name"] = json!("Renamed in the form");
    let preview = w.ok("preview_update", with(json!({"metadata": renamed})));
    assert_eq!(fields(&preview["changes"]), ["client_name"], "{preview}");
    assert_eq!(
        admin.request_count(),
        sent_before + 1,
        "previews send nothing; the update did"
    );

    // Nothing of a deleted client is compared or restored.
    w.ok("delete_client", client.clone());
    let refused = w.fails("drift_since_sent", client.clone());
    assert!(
        refused["message"].as_str().unwrap_or_default().contains("deleted"),
        "{refused}"
    );
    w.fails("restore_sent_values", with(json!({"fields": []})));
}
