//! The window's capability set, pinned (issue 8): what a script in the window may call
//! through Tauri's IPC is decided by src-tauri/capabilities/. These tests fail on any
//! change to it — a permission added or dropped, another window, a remote origin, a second
//! capability file, one inlined in tauri.conf.json — and on a Tauri upgrade that widens
//! what the granted permissions allow, so each change is reviewed here first.
//! tests/gui/capabilities.rs checks the same set from inside the running window.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const PERMISSIONS: &[&str] = &[
    "core:default",
    "core:window:allow-set-title",
    "core:window:allow-set-size",
    "store:default",
    "clipboard-manager:allow-write-text",
];

/// Every command the permissions above allow, per plugin, as Tauri resolves them.
const COMMANDS: &[(&str, &[&str])] = &[
    ("clipboard-manager", &["write_text"]),
    (
        "store",
        &[
            "clear",
            "delete",
            "entries",
            "get",
            "get_store",
            "has",
            "keys",
            "length",
            "load",
            "reload",
            "reset",
            "save",
            "set",
            "values",
        ],
    ),
    (
        "core:window",
        &[
            "activity_name",
            "available_monitors",
            "current_monitor",
            "cursor_position",
            "get_all_windows",
            "inner_position",
            "inner_size",
            "internal_toggle_maximize",
            "is_always_on_top",
            "is_closable",
            "is_decorated",
            "is_enabled",
            "is_focused",
            "is_fullscreen",
            "is_maximizable",
            "is_maximized",
            "is_minimizable",
            "is_minimized",
            "is_resizable",
            "is_visible",
            "monitor_from_point",
            "outer_position",
            "outer_size",
            "primary_monitor",
            "scale_factor",
            "scene_identifier",
            "set_size",
            "set_title",
            "theme",
            "title",
        ],
    ),
    // The rest comes with core:default.
    ("core:event", &["emit", "emit_to", "listen", "unlisten"]),
    (
        "core:app",
        &[
            "bundle_type",
            "identifier",
            "name",
            "register_listener",
            "remove_listener",
            "supports_multiple_windows",
            "tauri_version",
            "version",
        ],
    ),
    (
        "core:webview",
        &[
            "get_all_webviews",
            "internal_toggle_devtools",
            "webview_position",
            "webview_size",
        ],
    ),
    (
        "core:path",
        &[
            "basename",
            "dirname",
            "extname",
            "is_absolute",
            "join",
            "normalize",
            "resolve",
            "resolve_directory",
        ],
    ),
    ("core:image", &["from_bytes", "from_path", "new", "rgba", "size"]),
    ("core:resources", &["close"]),
    (
        "core:menu",
        &[
            "append",
            "create_default",
            "get",
            "insert",
            "is_checked",
            "is_enabled",
            "items",
            "new",
            "popup",
            "prepend",
            "remove",
            "remove_at",
            "set_accelerator",
            "set_as_app_menu",
            "set_as_help_menu_for_nsapp",
            "set_as_window_menu",
            "set_as_windows_menu_for_nsapp",
            "set_checked",
            "set_enabled",
            "set_icon",
            "set_text",
            "text",
        ],
    ),
    (
        "core:tray",
        &[
            "get_by_id",
            "new",
            "remove_by_id",
            "set_icon",
            "set_icon_as_template",
            "set_icon_with_as_template",
            "set_menu",
            "set_show_menu_on_left_click",
            "set_temp_dir_path",
            "set_title",
            "set_tooltip",
            "set_visible",
        ],
    ),
];

fn here(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{} cannot be read: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn capability() -> Value {
    json(&here("capabilities/main.json"))
}

#[test]
fn the_main_capability_grants_exactly_the_reviewed_permissions() {
    let capability = capability();
    let permissions: Vec<&str> = capability["permissions"]
        .as_array()
        .expect("a permissions list")
        .iter()
        .map(|p| {
            p.as_str()
                .unwrap_or_else(|| panic!("a permission with a scope, to review: {p}"))
        })
        .collect();
    assert_eq!(
        permissions, PERMISSIONS,
        "capabilities/main.json changed: review what the window may now do, then update this test \
         and docs/security.md"
    );
}

#[test]
fn the_main_capability_is_for_the_main_window_of_the_local_app_only() {
    let capability = capability();
    assert_eq!(capability["identifier"], "main");
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    let keys: BTreeSet<&str> = capability
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    // No `webviews`, no `remote` (URLs whose pages would get the IPC), no `local: false`,
    // no `platforms` exception.
    assert_eq!(
        keys,
        BTreeSet::from(["$schema", "identifier", "description", "windows", "permissions"]),
        "capabilities/main.json has a new key to review"
    );
}

#[test]
fn no_other_capability_grants_anything() {
    let files: Vec<String> = std::fs::read_dir(here("capabilities"))
        .expect("src-tauri/capabilities")
        .map(|e| e.expect("a directory entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["main.json"], "a capability file other than main.json");
    let config = json(&here("tauri.conf.json"));
    let security = &config["app"]["security"];
    assert!(
        security.get("capabilities").is_none(),
        "tauri.conf.json declares capabilities of its own: {}",
        security["capabilities"]
    );
    assert_ne!(
        config["app"]["withGlobalTauri"],
        Value::Bool(true),
        "window.__TAURI__ would be set for every script"
    );
}

/// Resolves the granted permissions into commands with the ACL manifests tauri-build
/// writes at build time (gen/schemas), the way Tauri does: a `default` or a set expands
/// into its permissions, a plain permission into the commands it allows.
#[test]
fn the_granted_permissions_allow_exactly_the_reviewed_commands() {
    let manifests = json(&here("gen/schemas/acl-manifests.json"));
    let mut granted: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for permission in PERMISSIONS {
        resolve(&manifests, permission, None, &mut granted);
    }
    let expected: BTreeMap<String, BTreeSet<String>> = COMMANDS
        .iter()
        .map(|(plugin, commands)| {
            let set: BTreeSet<String> = commands.iter().map(|c| c.to_string()).collect();
            assert_eq!(set.len(), commands.len(), "{plugin} lists a command twice");
            (plugin.to_string(), set)
        })
        .collect();
    assert_eq!(
        granted, expected,
        "the commands the window may call changed (a permission, or what Tauri's sets include): \
         review them, then update this test and docs/security.md"
    );
}

fn resolve(
    manifests: &Value,
    permission: &str,
    plugin: Option<&str>,
    granted: &mut BTreeMap<String, BTreeSet<String>>,
) {
    let (plugin, name) = match permission.rsplit_once(':') {
        Some((plugin, name)) => (plugin.to_string(), name),
        None => (plugin.expect("a plugin for a bare permission").to_string(), permission),
    };
    let manifest = &manifests[&plugin];
    assert!(manifest.is_object(), "no ACL manifest for {plugin}");
    let set = if name == "default" {
        Some(&manifest["default_permission"])
    } else {
        manifest["permission_sets"].get(name)
    };
    if let Some(set) = set {
        for inner in set["permissions"].as_array().expect("a set lists permissions") {
            resolve(
                manifests,
                inner.as_str().expect("a permission name"),
                Some(&plugin),
                granted,
            );
        }
        return;
    }
    let commands = &manifest["permissions"][name]["commands"];
    assert!(commands.is_object(), "{plugin}:{name} is not a known permission");
    assert_eq!(
        commands["deny"],
        serde_json::json!([]),
        "{plugin}:{name} denies commands: review how it combines"
    );
    for command in commands["allow"].as_array().expect("allowed commands") {
        granted
            .entry(plugin.clone())
            .or_default()
            .insert(command.as_str().expect("a command name").to_string());
    }
}
