//! The desktop app and the CLI on one database at the same time: CLI processes register
//! while a Registrar in this process (what the app holds) registers and refreshes. Nothing
//! is lost, nothing is corrupted.

use crate::support::{add_profile, client_file, Cli, Mock};
use registrar_core::{ClientMetadata, DataDir, Registrar};
use registrar_mock_op::Dialect;
use serde_json::json;
use std::process::Child;

#[test]
fn the_app_and_the_cli_write_one_database_at_once() {
    let mock = Mock::start(Dialect::Indigo);
    let cli = Cli::new();
    add_profile(&cli, &mock, "shared");
    let file = client_file(&cli, Dialect::Indigo, "from the cli");

    // The app's side: the same data directory, so the same database and keychain namespace.
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let app = Registrar::open(&DataDir::at(cli.data_dir())).expect("the app opens the same database");

    let spawn = || -> Child {
        std::process::Command::new(crate::support::registrar_bin())
            .env_remove("REGISTRAR_DATA_DIR")
            .arg("--data-dir")
            .arg(cli.data_dir())
            .args(["--json", "register", "--profile", "shared", "--file"])
            .arg(&file)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the CLI starts")
    };
    let mut children: Vec<Child> = (0..6).map(|_| spawn()).collect();
    let mut app_ids = Vec::new();
    runtime.block_on(async {
        for i in 0..15 {
            let meta = ClientMetadata::from_map(
                json!({"client_name": format!("from the app {i}"), "redirect_uris": ["https://app.example.org/cb"]})
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            );
            let out = app
                .register("shared", meta)
                .await
                .expect("the app registers while the CLI does");
            app_ids.push(out.registration.client_id);
            if i % 3 == 0 {
                children.push(spawn());
            }
        }
        for id in &app_ids {
            app.read("shared", id)
                .await
                .expect("the app reads while the CLI writes");
        }
    });
    let spawned = children.len();
    for child in children {
        let out = child.wait_with_output().expect("the CLI ends");
        assert!(
            out.status.success(),
            "a CLI register failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let expected = spawned + app_ids.len();
    assert_eq!(mock.admin().client_count(), expected);
    let listed = cli.json(&["list", "--profile", "shared", "--limit", "1000"]);
    assert_eq!(listed["total"], json!(expected), "every client is known locally");
    let conn = rusqlite::Connection::open(cli.data_dir().join("registrar.sqlite3")).expect("the database");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity");
    assert_eq!(check, "ok");
    let unresolved: i64 = conn
        .query_row(
            "SELECT count(*) FROM journal WHERE state IN ('open', 'uncertain')",
            [],
            |r| r.get(0),
        )
        .expect("journal");
    assert_eq!(unresolved, 0, "every intent was closed");
}
