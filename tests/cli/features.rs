//! The commands beyond the lifecycle: discovery (and `profile add --issuer`), the probe,
//! trying a client, orphans and forget, pending operations, bulk refresh, search and
//! expiry.

use crate::support::{add_profile, client_file, stderr_of, stdout_of, Cli, Mock};
use registrar_mock_op::{Dialect, Fault};
use serde_json::json;

#[test]
fn discover_and_add_a_profile_from_the_issuer_alone_in_every_dialect() {
    for dialect in Dialect::PLAIN {
        let mock = Mock::start(dialect);
        let cli = Cli::new();
        let found = cli.json(&["discover", &mock.server.issuer()]);
        assert_eq!(
            found["registration_endpoint"],
            mock.server.registration_endpoint(),
            "{dialect}"
        );
        assert_eq!(found["token_endpoint"], mock.server.token_endpoint(), "{dialect}");
        let suggested = match dialect {
            Dialect::Wso2 | Dialect::Liberty => dialect.to_string(),
            _ => "generic".to_string(),
        };
        assert_eq!(found["suggested_kind"], suggested, "{dialect}");

        // Only generic and indigo register without credentials; the issuer is enough.
        if matches!(dialect, Dialect::Generic | Dialect::Indigo) {
            let added = cli.json(&["profile", "add", "found", "--issuer", &mock.server.issuer()]);
            assert_eq!(added["registration_endpoint"], mock.server.registration_endpoint());
            let file = client_file(&cli, dialect, "discovered");
            cli.run(&["register", "-p", "found", "--file", file.to_str().unwrap()])
                .success();
            assert_eq!(mock.admin().client_count(), 1, "{dialect}");
        }
    }
    let cli = Cli::new();
    let missing = cli.run(&["discover", "http://127.0.0.1:9/nothing-here"]).code(5);
    assert!(
        stderr_of(&missing).contains("could not reach"),
        "{}",
        stderr_of(&missing)
    );
}

#[test]
fn the_probe_reports_each_dialect_and_cleans_up() {
    for dialect in Dialect::PLAIN {
        let mock = Mock::start(dialect);
        let cli = Cli::new();
        add_profile(&cli, &mock, "op");
        let report = cli.json(&["probe", "-p", "op"]);
        assert_eq!(report["findings"]["discovery_found"], true, "{dialect}");
        assert_eq!(
            report["cleaned_up"],
            serde_json::Value::Null,
            "{dialect}: read-only by default"
        );
        assert_eq!(mock.admin().client_count(), 0, "{dialect}");
        if dialect != Dialect::Soffid {
            let report = cli.json(&["probe", "-p", "op", "--allow-writes"]);
            assert_eq!(report["cleaned_up"], true, "{dialect}: {report}");
            assert_eq!(mock.admin().client_count(), 0, "{dialect}");
        }
    }
    // A profile that claims too much is corrected with --apply.
    let mock = Mock::start(Dialect::Generic);
    let cli = Cli::new();
    add_profile(&cli, &mock, "op");
    let text = stdout_of(&cli.run(&["probe", "-p", "op", "--allow-writes"]).success());
    assert!(
        text.contains("Findings") && text.contains("The profile's settings match"),
        "{text}"
    );
}

#[test]
fn trying_a_client_gets_a_token_without_showing_it() {
    let mock = Mock::start(Dialect::SimpleIdServer);
    let cli = Cli::new();
    add_profile(&cli, &mock, "op");
    let file = client_file(&cli, Dialect::SimpleIdServer, "m2m");
    let id = cli.json(&["register", "-p", "op", "--file", file.to_str().unwrap()])["client_id"]
        .as_str()
        .unwrap()
        .to_string();
    let tried = cli.json(&["try", &id]);
    assert_eq!(tried["grant_type"], "client_credentials");
    assert!(tried["access_token_length"].as_u64().is_some_and(|n| n > 0), "{tried}");
    assert!(tried.get("access_token").is_none());
}

#[test]
fn orphans_both_ways_then_forget() {
    let mock = Mock::with(Dialect::Generic, |c| c.seed_clients = 2);
    let cli = Cli::new();
    add_profile(&cli, &mock, "op");
    cli.run(&[
        "profile",
        "edit",
        "op",
        "--list-endpoint",
        &format!("{}/_admin/clients", mock.server.base_url()),
    ])
    .success();
    let file = client_file(&cli, Dialect::Generic, "gone");
    let gone = cli.json(&["register", "-p", "op", "--file", file.to_str().unwrap()])["client_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(mock.admin().remove_client(&gone));

    let report = cli.json(&["orphans", "-p", "op"]);
    assert_eq!(report["provider_listed"], true);
    assert_eq!(
        report["on_provider_only"].as_array().map(Vec::len),
        Some(2),
        "the seeded clients: {report}"
    );
    assert!(report["on_provider_only"][0]["adopt"]
        .as_str()
        .unwrap()
        .starts_with("registrar import --profile op "));
    assert_eq!(report["local_only"][0]["client_id"], gone.as_str());
    assert!(
        !report.to_string().contains("client_secret\""),
        "listed secrets are not shown"
    );

    cli.run(&["forget", "-p", "op", &gone]).code(2);
    cli.json(&["forget", "-p", "op", &gone, "--yes"]);
    assert_eq!(cli.json(&["list"])["total"], 0);
    assert_eq!(cli.json(&["orphans", "-p", "op"])["local_only"], json!([]));
}

#[test]
fn a_lost_answer_is_listed_as_pending() {
    let mock = Mock::start(Dialect::Generic);
    let cli = Cli::new();
    add_profile(&cli, &mock, "op");
    assert_eq!(cli.json(&["pending"]), json!([]));
    mock.admin().inject(Fault::DropAfterCommit { count: 1 });
    let file = client_file(&cli, Dialect::Generic, "lost answer");
    let failed = cli
        .run(&["register", "-p", "op", "--file", file.to_str().unwrap()])
        .code(5);
    let err = stderr_of(&failed);
    assert!(
        err.contains("may have applied") && err.contains("registrar pending"),
        "{err}"
    );
    let pending = cli.json(&["pending"]);
    assert_eq!(pending[0]["operation"], "register");
    assert_eq!(pending[0]["state"], "uncertain");
    assert!(pending[0]["detail"].as_str().unwrap().contains("lost answer"));
    assert_eq!(mock.admin().client_count(), 1, "the provider did create it");

    // Recovery finds the client on the provider (through its list endpoint); once it is
    // imported, the entry is dismissed and nothing is pending.
    cli.run(&[
        "profile",
        "edit",
        "op",
        "--list-endpoint",
        &format!("{}/_admin/clients", mock.server.base_url()),
    ])
    .success();
    let recovery = cli.json(&["recover", "-p", "op"]);
    let item = &recovery["items"][0];
    let created = mock.admin().list_clients()[0]["client_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(item["candidate_client_id"], created.as_str(), "{recovery}");
    assert_eq!(item["resolved"], false);
    cli.cmd()
        .args(["import", "-p", "op", &created, "--secret-env", "RAT"])
        .args([
            "--registration-client-uri",
            &format!("{}/register/{created}", mock.server.base_url()),
        ])
        .env("RAT", mock.admin().registration_access_token(&created).unwrap())
        .assert()
        .success();
    let id = pending[0]["id"].as_i64().unwrap().to_string();
    cli.run(&["dismiss", &id]).success();
    assert_eq!(cli.json(&["pending"]), json!([]));
    cli.run(&["dismiss", &id]).code(3);
}

#[test]
fn refresh_all_keeps_every_rotated_token() {
    let mock = Mock::with(Dialect::Generic, |c| {
        c.rotate_rat_on_read = true;
        c.rotate_secret_on_read = true;
    });
    let cli = Cli::new();
    add_profile(&cli, &mock, "op");
    let file = client_file(&cli, Dialect::Generic, "bulk");
    for _ in 0..6 {
        cli.run(&["register", "-p", "op", "--file", file.to_str().unwrap()])
            .success();
    }
    for _ in 0..2 {
        let report = cli.json(&["refresh", "--all", "--concurrency", "3"]);
        assert_eq!(
            (
                report["total"].clone(),
                report["refreshed"].clone(),
                report["failed"].clone()
            ),
            (json!(6), json!(6), json!(0)),
            "{report}"
        );
        assert!(report["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["rotated_registration_access_token"] == true));
    }
    for client in mock.admin().list_clients() {
        let id = client["client_id"].as_str().unwrap();
        let exported = cli.run(&["export", id, "--with-secrets"]).success();
        let exported: serde_json::Value = serde_json::from_slice(&exported.get_output().stdout).unwrap();
        assert_eq!(
            exported["registration_access_token"].as_str(),
            mock.admin().registration_access_token(id).as_deref()
        );
        assert_eq!(exported["client_secret"], client["client_secret"]);
    }
    // Several at once: one JSON array, in the order asked for.
    let ids: Vec<String> = mock
        .admin()
        .list_clients()
        .iter()
        .map(|c| c["client_id"].as_str().unwrap().to_string())
        .collect();
    // (After `--`: a generated id may start with "-".)
    let mut args = vec!["export", "--"];
    args.extend(ids.iter().map(String::as_str));
    let many: serde_json::Value = serde_json::from_slice(&cli.run(&args).success().get_output().stdout).unwrap();
    let listed: Vec<&str> = many
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["client_id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ids.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(many
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c.get("client_secret").is_none()));
    // A failure among them is reported per client, with its exit code.
    let victim = mock.admin().list_clients()[0]["client_id"]
        .as_str()
        .unwrap()
        .to_string();
    mock.admin().remove_client(&victim);
    let assert = cli.cmd().args(["--json", "refresh", "--all"]).assert().code(4);
    let report = crate::support::json_of(&assert);
    assert_eq!(report["failed"], 1);
    let failed: Vec<&serde_json::Value> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["ok"] == false)
        .collect();
    assert_eq!(failed[0]["client_id"], victim.as_str());
    assert_eq!(failed[0]["error_code"], "auth");
}

#[test]
fn list_searches_and_finds_expiring_secrets() {
    let mock = Mock::start(Dialect::Wso2);
    let cli = Cli::new();
    add_profile(&cli, &mock, "op");
    for name in ["billing api", "search portal", "billing batch"] {
        let file = client_file(&cli, Dialect::Wso2, name);
        cli.run(&["register", "-p", "op", "--file", file.to_str().unwrap()])
            .success();
    }
    let found = cli.json(&["list", "--search", "billing"]);
    assert_eq!(found["total"], 2, "{found}");
    let page = cli.json(&["list", "--limit", "1", "--offset", "1"]);
    assert_eq!(
        (page["total"].clone(), page["items"].as_array().map(Vec::len)),
        (json!(3), Some(1))
    );
    // WSO2 secrets expire after a year.
    assert_eq!(cli.json(&["list", "--expiring", "30d"])["total"], 0);
    assert_eq!(cli.json(&["list", "--expiring", "400d"])["total"], 3);
    // Sorted by a column, either way, as the window's list sorts.
    let names = |args: &[&str]| -> Vec<String> {
        let page = cli.json(args);
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["client_name"].as_str().unwrap().to_string())
            .collect()
    };
    // (WSO2 names a client after its owner: "admin_…".)
    assert_eq!(
        names(&["list", "--sort", "name"]),
        ["admin_billing api", "admin_billing batch", "admin_search portal"]
    );
    assert_eq!(
        names(&["list", "--sort", "name", "--desc"]),
        ["admin_search portal", "admin_billing batch", "admin_billing api"]
    );
    let by_id = cli.json(&["list", "--sort", "client-id", "--desc"]);
    let ids: Vec<&str> = by_id["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["client_id"].as_str().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(ids, sorted);
    assert!(stderr_of(&cli.run(&["list", "--desc"]).code(2)).contains("--sort"));
    let bad = cli.run(&["list", "--expiring", "soon"]).code(2);
    assert!(stderr_of(&bad).contains("soon"));
}
