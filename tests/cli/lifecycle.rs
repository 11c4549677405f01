//! Register, get, list, refresh, update, export, history and delete through the CLI in
//! every dialect, checked against what the mock provider holds. Operations a provider
//! does not offer must fail with exit 4 without a request.

use crate::support::{add_profile, capabilities, client_file, stderr_of, Cli, Mock};
use registrar_mock_op::Dialect;
use serde_json::{json, Value};

fn full_lifecycle(dialect: Dialect) {
    let mock = Mock::start(dialect);
    let cli = Cli::new();
    let caps = capabilities(dialect);
    add_profile(&cli, &mock, "op");

    // Register from a file, with a --set on top.
    let file = client_file(&cli, dialect, "cli app");
    let file_arg = file.to_str().expect("a UTF-8 path");
    let registered = cli.json(&[
        "register",
        "--profile",
        "op",
        "--file",
        file_arg,
        "--set",
        "contacts=[\"dev@example.org\"]",
    ]);
    let id = registered["client_id"].as_str().expect("a client_id").to_string();
    assert_eq!(registered["status"], "active");
    assert_eq!(registered["profile"], "op");
    let secret = registered["client_secret"]
        .as_str()
        .expect("the secret, shown once after register")
        .to_string();
    let on_mock = mock.client(&id).expect("the client exists on the provider");
    assert_eq!(
        on_mock["contacts"],
        json!(["dev@example.org"]),
        "--set applied on top of the file"
    );
    assert_eq!(on_mock["client_secret"], secret.as_str());

    // get: the local record, the secret only on request.
    let got = cli.json(&["get", "--profile", "op", &id]);
    assert_eq!(got["client_id"], id.as_str());
    assert!(
        got.get("client_secret").is_none(),
        "no secret without --show-secret: {got}"
    );
    assert!(!cli
        .run(&["get", &id])
        .get_output()
        .stdout
        .windows(secret.len())
        .any(|w| w == secret.as_bytes()));
    let shown = cli.json(&["get", &id, "--show-secret"]);
    assert_eq!(shown["client_secret"], secret.as_str());

    let listed = cli.json(&["list", "--profile", "op"]);
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["client_id"], id.as_str());

    // refresh: drift only where the provider changed something.
    if caps.read {
        let refreshed = cli.json(&["refresh", "--profile", "op", &id]);
        assert_eq!(
            refreshed["drift"],
            json!([]),
            "{dialect}: no drift right after register"
        );
        let mut patch = serde_json::Map::new();
        patch.insert("client_name".into(), json!("renamed in the console"));
        assert!(mock.admin().patch_client(&id, patch));
        let refreshed = cli.json(&["refresh", &id]);
        let drift = refreshed["drift"].as_array().expect("a drift list");
        assert!(
            drift.iter().any(|c| c["field"] == "client_name"
                && c["kind"] == "changed"
                && c["after"] == "renamed in the console"),
            "{dialect}: {drift:?}"
        );
        assert_eq!(refreshed["client_name"], "renamed in the console");
    } else {
        let before = mock.admin().request_count();
        let refused = cli.run(&["refresh", "--profile", "op", &id]).code(4);
        assert!(stderr_of(&refused).contains("not supported"), "{}", stderr_of(&refused));
        assert_eq!(mock.admin().request_count(), before, "nothing was sent");
    }

    // update: append a redirect URI.
    let extra = "https://app.example.org/extra";
    if caps.update {
        let updated = cli.json(&[
            "update",
            "--profile",
            "op",
            &id,
            "--set",
            &format!("redirect_uris+={extra}"),
        ]);
        assert_eq!(updated["client_id"], id.as_str());
        let uris = mock.client(&id).expect("still there")["redirect_uris"].clone();
        assert!(
            uris.as_array()
                .is_some_and(|u| u.contains(&json!(extra)) && u.len() == 2),
            "{dialect}: {uris}"
        );
        assert_eq!(
            mock.client(&id).unwrap()["client_secret"],
            secret.as_str(),
            "{dialect}: the secret is kept"
        );
    } else {
        let refused = cli
            .run(&[
                "update",
                "--profile",
                "op",
                &id,
                "--set",
                &format!("redirect_uris+={extra}"),
            ])
            .code(4);
        assert!(stderr_of(&refused).contains("not supported"), "{}", stderr_of(&refused));
        let uris = &mock.client(&id).unwrap()["redirect_uris"];
        assert!(
            !uris.as_array().is_some_and(|u| u.contains(&json!(extra))),
            "{dialect}: unchanged"
        );
    }

    // export: the provider's metadata, secrets only when asked for.
    let exported = cli.run(&["export", &id, "--format", "json"]).success();
    let plain: Value = serde_json::from_slice(&exported.get_output().stdout).expect("JSON");
    assert_eq!(plain["client_id"], id.as_str());
    assert!(
        plain.get("client_secret").is_none() && plain.get("registration_access_token").is_none(),
        "{plain}"
    );
    let with = cli.run(&["export", &id, "--with-secrets"]).success();
    let with: Value = serde_json::from_slice(&with.get_output().stdout).expect("JSON");
    assert_eq!(with["client_secret"], secret.as_str());
    assert_eq!(
        with.get("registration_access_token").is_some(),
        caps.rat,
        "{dialect}: {with}"
    );

    // history: every exchange recorded, redacted; per client once the client is known.
    let history = cli.json(&["history", "--profile", "op"]);
    let ops: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["operation"].as_str())
        .collect();
    assert!(ops.contains(&"register"), "{dialect}: {ops:?}");
    assert!(
        !history.to_string().contains(&secret),
        "{dialect}: the history is redacted"
    );
    let about_client = cli.json(&["history", &id]);
    let reads = about_client
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["operation"] == "read")
        .count();
    assert_eq!(reads, if caps.read { 2 } else { 0 }, "{dialect}: {about_client}");

    // delete: --yes, where the provider deletes.
    if caps.delete {
        let deleted = cli.json(&["delete", "--profile", "op", &id, "--yes"]);
        assert_eq!(deleted["status"], "deleted");
        assert!(mock.client(&id).is_none(), "{dialect}: gone from the provider");
        let listed = cli.json(&["list"]);
        assert_eq!(listed["items"][0]["status"], "deleted", "the record is kept as deleted");
        assert!(
            cli.json(&["get", &id, "--show-secret"]).get("client_secret").is_none(),
            "credentials forgotten"
        );
    } else {
        let refused = cli.run(&["delete", "--profile", "op", &id, "--yes"]).code(4);
        assert!(stderr_of(&refused).contains("not supported"), "{}", stderr_of(&refused));
        assert!(mock.client(&id).is_some());
        assert_eq!(cli.json(&["list"])["items"][0]["status"], "active");
    }
}

#[test]
fn generic() {
    full_lifecycle(Dialect::Generic);
}

#[test]
fn soffid() {
    full_lifecycle(Dialect::Soffid);
}

#[test]
fn wso2() {
    full_lifecycle(Dialect::Wso2);
}

#[test]
fn indigo() {
    full_lifecycle(Dialect::Indigo);
}

#[test]
fn simpleidserver() {
    full_lifecycle(Dialect::SimpleIdServer);
}

#[test]
fn liberty() {
    full_lifecycle(Dialect::Liberty);
}

#[test]
fn the_human_output_shows_the_secret_once_and_the_tables() {
    let mock = Mock::start(Dialect::Generic);
    let cli = Cli::new();
    add_profile(&cli, &mock, "op");
    let out = cli
        .run(&[
            "register",
            "-p",
            "op",
            "--set",
            "client_name=Table app",
            "--set",
            "redirect_uris=[\"https://a.example.org/cb\"]",
        ])
        .success();
    let text = crate::support::stdout_of(&out);
    let id = mock.admin().list_clients()[0]["client_id"]
        .as_str()
        .unwrap()
        .to_string();
    let secret = mock.client(&id).unwrap()["client_secret"].as_str().unwrap().to_string();
    assert!(text.contains(&format!("Registered client {id}")), "{text}");
    assert!(text.contains(&secret) && text.contains("shown once"), "{text}");
    let listed = crate::support::stdout_of(&cli.run(&["list"]).success());
    assert!(
        listed.contains(&id) && listed.contains("Table app") && listed.contains("active"),
        "{listed}"
    );
    assert!(!listed.contains(&secret));
    let refreshed = crate::support::stdout_of(&cli.run(&["refresh", &id]).success());
    assert!(
        refreshed.contains("No drift") && !refreshed.contains(&secret),
        "{refreshed}"
    );
}
