//! The `registrar` binary against real third-party DCR servers (node-oidc-provider and
//! Authlib, see tests/support/real_provider.rs): profiles found through discovery with an
//! initial access token handed through the environment, the whole lifecycle, rotated
//! registration access tokens kept, the probe and its `--apply`, and discovery's account
//! of which document named which endpoint. What the provider holds is checked through the
//! provider itself: a client's registration access token is tried by importing the client
//! into a second, empty data directory, which reads it from the provider first.

use crate::support::{stderr_of, Cli, SECRET_ENV};
use registrar_tests::real_provider::RealProvider;
use serde_json::{json, Value};
use std::path::PathBuf;

const NODE_IAT: &str = "cli-node-oidc-initial-access-token";
const AUTHLIB_IAT: &str = "cli-authlib-initial-access-token";
/// The variable a registration access token is handed through to `import`.
const RAT_ENV: &str = "REAL_PROVIDER_RAT";
const REDIRECT: &str = "https://app.example.org/callback";

/// `profile add NAME --issuer ISSUER --registration-auth bearer` with the initial access
/// token in the environment, plus `extra` flags; the profile as printed.
fn add_profile(cli: &Cli, name: &str, issuer: &str, token: &str, extra: &[&str]) -> Value {
    let assert = cli
        .cmd()
        .args(["--json", "profile", "add", name, "--issuer", issuer])
        .args(["--registration-auth", "bearer", "--secret-env", SECRET_ENV])
        .args(extra)
        .env(SECRET_ENV, token)
        .assert();
    let output = assert.get_output();
    assert!(
        output.status.success(),
        "profile add {name} ({:?}): {}",
        output.status.code(),
        stderr_of(&assert)
    );
    crate::support::json_of(&assert)
}

/// `metadata` written to a JSON file in the data directory, for `register --file`.
fn client_file(cli: &Cli, name: &str, metadata: &Value) -> PathBuf {
    let path = cli.data_dir().join(format!("{name}.json"));
    std::fs::write(&path, serde_json::to_vec_pretty(metadata).expect("JSON")).expect("the client file is written");
    path
}

/// A web client node-oidc-provider accepts with its default features.
fn node_client(name: &str) -> Value {
    json!({
        "client_name": name,
        "redirect_uris": [REDIRECT],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "client_secret_basic",
        "contacts": ["ops@example.org"]
    })
}

/// A web client Authlib accepts (its scopes are read, write and admin).
fn authlib_client(name: &str) -> Value {
    json!({
        "client_name": name,
        "redirect_uris": [REDIRECT],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "client_secret_post",
        "scope": "read write",
        "contacts": ["ops@example.org"]
    })
}

fn text(value: &Value, key: &str) -> String {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("no {key} in {value}"))
        .to_string()
}

/// The registration access token the keychain holds for the client, through
/// `export --with-secrets` (the only way the CLI shows it).
fn stored_token(cli: &Cli, client_id: &str) -> String {
    let assert = cli.run(&["export", client_id, "--with-secrets"]).success();
    let exported = crate::support::json_of(&assert);
    text(&exported, "registration_access_token")
}

/// Whether the provider itself accepts `token` for the client at `uri`: a fresh data
/// directory imports the client with it, which reads the client from the provider.
/// Returns the import's exit code (0: the provider answered the read).
fn provider_accepts(registration_endpoint: &str, client_id: &str, uri: &str, token: &str) -> i32 {
    let other = Cli::new();
    other
        .run(&[
            "profile",
            "add",
            "check",
            "--registration-endpoint",
            registration_endpoint,
        ])
        .success();
    let assert = other
        .cmd()
        .args(["import", "-p", "check", client_id, "--registration-client-uri", uri])
        .args(["--secret-env", RAT_ENV])
        .env(RAT_ENV, token)
        .assert();
    let code = assert.get_output().status.code().expect("an exit code");
    assert!(
        code == 0 || code == 4,
        "import is accepted (0) or refused by the provider (4), not {code}: {}",
        stderr_of(&assert)
    );
    code
}

/// The lifecycle every real provider goes through: register from a file, get, refresh,
/// update the name (rotation as `rotates` says, the stored token the one that works),
/// delete, and the client gone from the provider. The fields `kept` must survive the
/// update, locally and on the provider.
fn lifecycle(cli: &Cli, op: &RealProvider, profile: &str, metadata: Value, rotates: bool, kept: &[&str]) {
    let ctx = format!("{} (rotates {rotates})", op.name);
    let file = client_file(cli, profile, &metadata);
    let registered = cli.json(&[
        "register",
        "-p",
        profile,
        "--file",
        file.to_str().expect("a UTF-8 path"),
    ]);
    let id = text(&registered, "client_id");
    assert_eq!(registered["http_status"], 201, "{ctx}: {registered}");
    assert_eq!(registered["status"], "active", "{ctx}");
    assert_eq!(registered["credentials"], "stored", "{ctx}");
    assert!(
        registered["client_secret"].as_str().is_some_and(|s| !s.is_empty()),
        "{ctx}: the secret is shown once: {registered}"
    );
    let uri = text(&registered, "registration_client_uri");
    assert!(
        uri.starts_with(&op.registration_endpoint) && uri.ends_with(&id),
        "{ctx}: {uri}"
    );
    for field in kept {
        assert_eq!(
            registered["metadata"][field], metadata[field],
            "{ctx}: {field} registered as sent"
        );
    }

    // get: the local record, no request, no secret.
    let got = cli.json(&["get", "-p", profile, &id]);
    assert_eq!(got["client_id"], id.as_str(), "{ctx}");
    assert_eq!(got["client_name"], metadata["client_name"], "{ctx}");
    assert_eq!(got["metadata"]["redirect_uris"], json!([REDIRECT]), "{ctx}");
    assert!(got.get("client_secret").is_none(), "{ctx}: {got}");

    // refresh: the provider's copy, as registered.
    let refreshed = cli.json(&["refresh", "-p", profile, &id]);
    assert_eq!(refreshed["http_status"], 200, "{ctx}");
    assert_eq!(refreshed["drift"], json!([]), "{ctx}: {refreshed}");
    assert_eq!(refreshed["rotated_registration_access_token"], false, "{ctx}");

    // update one field; the provider rotates the token (or not) and the CLI keeps the new one.
    let token_before = stored_token(cli, &id);
    let updated = cli.json(&["update", "-p", profile, &id, "--set", "client_name=x"]);
    assert_eq!(updated["http_status"], 200, "{ctx}");
    assert_eq!(updated["client_name"], "x", "{ctx}");
    assert_eq!(updated["metadata"]["client_name"], "x", "{ctx}");
    assert_eq!(
        updated["rotated_registration_access_token"], rotates,
        "{ctx}: {updated}"
    );
    let token_after = stored_token(cli, &id);
    assert_eq!(
        token_after != token_before,
        rotates,
        "{ctx}: the stored token follows the provider's"
    );
    if rotates {
        assert_eq!(
            provider_accepts(&op.registration_endpoint, &id, &uri, &token_before),
            4,
            "{ctx}: the provider no longer takes the old token"
        );
    }

    // The other fields are still there: in the local record, and on the provider.
    let got = cli.json(&["get", "-p", profile, &id]);
    assert_eq!(got["client_name"], "x", "{ctx}");
    for field in kept {
        assert_eq!(
            got["metadata"][field], metadata[field],
            "{ctx}: {field} after update: {got}"
        );
    }
    // A later refresh works only with the token the update brought (when it rotated).
    let refreshed = cli.json(&["refresh", "-p", profile, &id]);
    assert_eq!(refreshed["drift"], json!([]), "{ctx}: {refreshed}");
    assert_eq!(refreshed["metadata"]["client_name"], "x", "{ctx}");
    for field in kept {
        assert_eq!(
            refreshed["metadata"][field], metadata[field],
            "{ctx}: {field} on the provider after update"
        );
    }
    assert_eq!(
        provider_accepts(&op.registration_endpoint, &id, &uri, &token_after),
        0,
        "{ctx}: the stored token is the provider's"
    );

    // delete: gone on the provider, the record kept as deleted, its credentials forgotten.
    let deleted = cli.json(&["delete", "-p", profile, &id, "--yes"]);
    assert_eq!(deleted["status"], "deleted", "{ctx}");
    assert_eq!(deleted["http_status"], 204, "{ctx}");
    assert_eq!(
        provider_accepts(&op.registration_endpoint, &id, &uri, &token_after),
        4,
        "{ctx}: the provider no longer knows the client"
    );
    let again = cli.run(&["refresh", "-p", profile, &id]).failure();
    assert!(
        !stderr_of(&again).is_empty(),
        "{ctx}: a refresh after delete says why it failed"
    );
    let listed = cli.json(&["list", "-p", profile]);
    assert_eq!(listed["total"], 1, "{ctx}");
    assert_eq!(listed["items"][0]["status"], "deleted", "{ctx}: {listed}");
}

#[test]
fn node_oidc_lifecycle_with_an_initial_access_token_and_rotation_on_update() {
    let op = RealProvider::node_oidc(json!({"initialAccessToken": NODE_IAT, "rotateRegistrationAccessToken": true}));
    let cli = Cli::new();
    let added = add_profile(&cli, "node", &op.issuer, NODE_IAT, &[]);
    assert_eq!(
        added["registration_endpoint"],
        op.registration_endpoint.as_str(),
        "found by discovery"
    );
    assert_eq!(added["issuer"], op.issuer.as_str());
    assert_eq!(added["registration_auth"], "bearer");
    assert_eq!(added["management_auth"], "rat");

    // The initial access token is what lets registration through: another token is refused.
    add_profile(&cli, "wrong", &op.issuer, "not-the-initial-access-token", &[]);
    let file = client_file(&cli, "refused", &node_client("refused"));
    let refused = cli
        .run(&["register", "-p", "wrong", "--file", file.to_str().unwrap()])
        .code(4);
    assert!(
        !stderr_of(&refused).contains("not-the-initial-access-token"),
        "the token is not echoed: {}",
        stderr_of(&refused)
    );
    assert_eq!(
        cli.json(&["list"])["total"],
        0,
        "nothing recorded for a refused registration"
    );

    lifecycle(
        &cli,
        &op,
        "node",
        node_client("node app"),
        true,
        &[
            "redirect_uris",
            "grant_types",
            "response_types",
            "token_endpoint_auth_method",
            "contacts",
        ],
    );
}

#[test]
fn authlib_lifecycle_in_merge_and_replace_modes() {
    for (update, rotate) in [("merge", false), ("replace", true)] {
        let mut flags = vec!["--initial-access-token", AUTHLIB_IAT, "--update", update];
        if rotate {
            flags.push("--rotate-token");
        }
        let op = RealProvider::authlib(&flags);
        let cli = Cli::new();
        let added = add_profile(&cli, "authlib", &op.issuer, AUTHLIB_IAT, &[]);
        assert_eq!(
            added["registration_endpoint"],
            op.registration_endpoint.as_str(),
            "{update}: found by discovery"
        );
        lifecycle(
            &cli,
            &op,
            "authlib",
            authlib_client("authlib app"),
            rotate,
            &[
                "redirect_uris",
                "scope",
                "token_endpoint_auth_method",
                "grant_types",
                "contacts",
            ],
        );

        // The mode is real: an update whose body leaves the scope out (`--file` replaces the
        // whole metadata) loses it on a replacing Authlib and keeps it on a merging one, so
        // the fields kept above were kept because the CLI sent them back.
        let file = client_file(&cli, "control", &authlib_client("control"));
        let id = text(
            &cli.json(&["register", "-p", "authlib", "--file", file.to_str().unwrap()]),
            "client_id",
        );
        let partial = client_file(
            &cli,
            "partial",
            &json!({"client_name": "partial", "redirect_uris": [REDIRECT]}),
        );
        cli.json(&["update", "-p", "authlib", &id, "--file", partial.to_str().unwrap()]);
        let refreshed = cli.json(&["refresh", "-p", "authlib", &id]);
        assert_eq!(refreshed["metadata"]["client_name"], "partial", "{update}: {refreshed}");
        let expected_scope = if update == "replace" {
            Value::Null
        } else {
            json!("read write")
        };
        assert_eq!(refreshed["metadata"]["scope"], expected_scope, "{update}: {refreshed}");
        cli.json(&["delete", "-p", "authlib", &id, "--yes"]);
    }
}

#[test]
fn probe_node_oidc_read_only_with_writes_and_apply() {
    for rotate in [true, false] {
        let op =
            RealProvider::node_oidc(json!({"initialAccessToken": NODE_IAT, "rotateRegistrationAccessToken": rotate}));
        let cli = Cli::new();
        add_profile(&cli, "node", &op.issuer, NODE_IAT, &[]);
        let ctx = format!("rotate {rotate}");

        // Read-only: nothing is created, and an invalid body is never taken for "open".
        let report = cli.json(&["probe", "-p", "node"]);
        assert_eq!(report["findings"]["discovery_found"], true, "{ctx}: {report}");
        assert_ne!(report["findings"]["registration_auth"], "none", "{ctx}: {report}");
        assert_eq!(report["cleaned_up"], Value::Null, "{ctx}: read-only");
        assert_eq!(report["findings"]["register_status"], Value::Null, "{ctx}: {report}");
        let steps = report["steps"].as_array().expect("a list of steps");
        assert!(
            steps
                .iter()
                .any(|s| s["name"] == "writes" && s["detail"].as_str().is_some_and(|d| d.starts_with("skipped"))),
            "{ctx}: {report}"
        );

        let report = cli.json(&["probe", "-p", "node", "--allow-writes"]);
        let f = &report["findings"];
        assert_eq!(f["registration_auth"], "bearer", "{ctx}: {report}");
        assert_eq!(f["registration_auth_disagreement"], Value::Null, "{ctx}: {report}");
        assert_eq!(f["register_status"], 201, "{ctx}: {report}");
        assert_eq!(f["rotates_token_on_update"], rotate, "{ctx}: {report}");
        assert_eq!(f["rotates_token_on_read"], false, "{ctx}: {report}");
        assert_eq!(
            (&f["offers_read"], &f["offers_update"], &f["offers_delete"]),
            (&json!(true), &json!(true), &json!(true)),
            "{ctx}: {report}"
        );
        assert_eq!(f["delete_deletes"], true, "{ctx}: {report}");
        assert_eq!(report["cleaned_up"], true, "{ctx}: {report}");
        assert_eq!(report["suggested_changes"], json!([]), "{ctx}: a generic profile fits");
        assert_eq!(report["applied"], false, "{ctx}");
        assert!(
            report["steps"].as_array().unwrap().iter().all(|s| s["ok"] == true),
            "{ctx}: {report}"
        );
    }

    // A profile that offers nothing but registration (the auth0 preset) on a provider that
    // offers everything: the probe suggests read, update and delete, and --apply saves them.
    let op = RealProvider::node_oidc(json!({"initialAccessToken": NODE_IAT, "rotateRegistrationAccessToken": true}));
    let cli = Cli::new();
    let added = add_profile(&cli, "limited", &op.issuer, NODE_IAT, &["--kind", "auth0"]);
    let none = json!({"register": true, "read": false, "update": false, "delete": false});
    let all = json!({"register": true, "read": true, "update": true, "delete": true});
    assert_eq!(added["operations"], none, "{added}");
    let file = client_file(&cli, "limited", &node_client("limited app"));
    let id = text(
        &cli.json(&["register", "-p", "limited", "--file", file.to_str().unwrap()]),
        "client_id",
    );
    let refused = cli
        .run(&["update", "-p", "limited", &id, "--set", "client_name=renamed"])
        .code(4);
    assert!(stderr_of(&refused).contains("not supported"), "{}", stderr_of(&refused));

    // Read-only findings say nothing about the operations: --apply has nothing to save.
    let report = cli.json(&["probe", "-p", "limited", "--apply"]);
    assert_eq!(report["suggested_changes"], json!([]), "{report}");
    assert_eq!(report["applied"], false);
    assert_eq!(cli.json(&["profile", "show", "limited"])["operations"], none);

    // Without --apply the suggestion is only shown.
    let report = cli.json(&["probe", "-p", "limited", "--allow-writes"]);
    assert_eq!(report["cleaned_up"], true, "{report}");
    let changes = report["suggested_changes"].as_array().expect("a list of changes");
    assert_eq!(changes.len(), 3, "{report}");
    for op_name in ["read", "update", "delete"] {
        assert!(
            changes
                .iter()
                .any(|c| c.as_str() == Some(&format!("{op_name}: not offered -> offered"))),
            "{op_name}: {changes:?}"
        );
    }
    assert_eq!(report["applied"], false);
    assert_eq!(report["suggested_settings"]["operations"]["update"], true, "{report}");
    assert_eq!(
        cli.json(&["profile", "show", "limited"])["operations"],
        none,
        "not saved"
    );

    let report = cli.json(&["probe", "-p", "limited", "--allow-writes", "--apply"]);
    assert_eq!(report["applied"], true, "{report}");
    assert_eq!(report["cleaned_up"], true, "{report}");
    assert_eq!(cli.json(&["profile", "show", "limited"])["operations"], all, "saved");

    // The saved settings are the ones used: update and delete now go to the provider.
    let updated = cli.json(&["update", "-p", "limited", &id, "--set", "client_name=renamed"]);
    assert_eq!(updated["metadata"]["client_name"], "renamed", "{updated}");
    assert_eq!(updated["rotated_registration_access_token"], true, "{updated}");
    let deleted = cli.json(&["delete", "-p", "limited", &id, "--yes"]);
    assert_eq!(deleted["http_status"], 204, "{deleted}");

    // A second probe with --apply finds nothing left to change.
    let report = cli.json(&["probe", "-p", "limited", "--allow-writes", "--apply"]);
    assert_eq!(report["suggested_changes"], json!([]), "{report}");
    assert_eq!(report["applied"], false, "{report}");
}

#[test]
fn discover_says_which_document_named_each_endpoint_on_authlib() {
    let op = RealProvider::authlib(&["--openid-config-without-registration"]);
    let cli = Cli::new();
    let found = cli.json(&["discover", &op.issuer]);
    let openid_url = format!("{}/.well-known/openid-configuration", op.issuer);
    let oauth_url = format!("{}/.well-known/oauth-authorization-server", op.issuer);
    assert_eq!(
        found["registration_endpoint"],
        op.registration_endpoint.as_str(),
        "{found}"
    );
    assert_eq!(
        found["document_url"],
        openid_url.as_str(),
        "the OpenID document comes first"
    );

    let endpoints = found["endpoints"].as_array().expect("a list of endpoints");
    let source = |field: &str| {
        endpoints
            .iter()
            .find(|e| e["field"] == field)
            .unwrap_or_else(|| panic!("no {field} in {endpoints:?}"))
    };
    let registration = source("registration_endpoint");
    assert_eq!(registration["url"], op.registration_endpoint.as_str(), "{registration}");
    assert_eq!(
        registration["document"], "oauth_authorization_server",
        "only the RFC 8414 document names it: {registration}"
    );
    assert_eq!(registration["document_url"], oauth_url.as_str(), "{registration}");
    let token = source("token_endpoint");
    assert_eq!(token["document"], "openid_configuration", "{token}");
    assert_eq!(token["document_url"], openid_url.as_str(), "{token}");
    assert_eq!(token["url"], format!("{}/token", op.issuer).as_str(), "{token}");

    let documents = found["documents"].as_array().expect("a list of documents");
    for (kind, url) in [
        ("openid_configuration", &openid_url),
        ("oauth_authorization_server", &oauth_url),
    ] {
        assert!(
            documents
                .iter()
                .any(|d| d["kind"] == kind && d["url"] == url.as_str() && d["used"] == true && d["status"] == 200),
            "{kind}: {documents:?}"
        );
    }

    // The human form names the endpoint too, and a profile made from the issuer alone
    // registers there (this Authlib registers without a token).
    let human = crate::support::stdout_of(&cli.run(&["discover", &op.issuer]).success());
    assert!(human.contains(&op.registration_endpoint), "{human}");
    let named = human
        .lines()
        .find(|l| l.contains("registration_endpoint"))
        .unwrap_or_default();
    assert!(named.contains("RFC 8414 document"), "which document named it: {human}");
    let added = cli.json(&["profile", "add", "found", "--issuer", &op.issuer]);
    assert_eq!(
        added["registration_endpoint"],
        op.registration_endpoint.as_str(),
        "{added}"
    );
    let file = client_file(&cli, "discovered", &authlib_client("discovered"));
    let registered = cli.json(&["register", "-p", "found", "--file", file.to_str().unwrap()]);
    assert!(
        text(&registered, "registration_client_uri").starts_with(&op.registration_endpoint),
        "{registered}"
    );
}

/// The probe through the binary on Authlib (an initial access token, replace on update,
/// rotation on): read-only tells nothing it cannot know; with writes it sees credentials
/// refused with 400 `access_denied`, replace-on-update and rotation; `--apply` turns on
/// the operations a limited profile said were missing.
#[test]
fn probe_authlib_read_only_with_writes_and_apply() {
    let op = RealProvider::authlib(&[
        "--initial-access-token",
        AUTHLIB_IAT,
        "--update",
        "replace",
        "--rotate-token",
    ]);
    let cli = Cli::new();
    add_profile(&cli, "authlib", &op.issuer, AUTHLIB_IAT, &[]);

    let report = cli.json(&["probe", "-p", "authlib"]);
    assert_ne!(report["findings"]["registration_auth"], "none", "{report}");
    assert_eq!(report["cleaned_up"], Value::Null, "read-only: {report}");

    let report = cli.json(&["probe", "-p", "authlib", "--allow-writes"]);
    let f = &report["findings"];
    assert_eq!(f["registration_auth"], "credentials", "{report}");
    assert_eq!(f["update_needs_full_metadata"], true, "replace on update: {report}");
    assert_eq!(f["rotates_token_on_update"], true, "{report}");
    assert_eq!(f["unknown_fields_kept"], false, "{report}");
    assert_eq!(report["cleaned_up"], true, "{report}");

    add_profile(&cli, "limited", &op.issuer, AUTHLIB_IAT, &["--kind", "auth0"]);
    let applied = cli.json(&["probe", "-p", "limited", "--allow-writes", "--apply"]);
    assert_eq!(applied["applied"], true, "{applied}");
    let shown = cli.json(&["profile", "show", "limited"]);
    assert_eq!(
        shown["operations"],
        json!({"register": true, "read": true, "update": true, "delete": true}),
        "{shown}"
    );
}
