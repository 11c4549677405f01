//! Adopting clients made elsewhere, in every dialect: one from flags (the token through
//! --secret-env), many from a file; a wrong token is refused and nothing is adopted.

use crate::support::{add_profile, capabilities, client_file, stderr_of, Cli, Mock, SECRET_ENV};
use registrar_mock_op::Dialect;
use serde_json::json;

/// A client registered with another data directory (a colleague's), exported with its
/// secrets: what a user would be handed.
fn made_elsewhere(mock: &Mock) -> serde_json::Value {
    let colleague = Cli::new();
    add_profile(&colleague, mock, "theirs");
    let file = client_file(&colleague, mock.dialect(), "made elsewhere");
    let id = colleague.json(&["register", "-p", "theirs", "--file", file.to_str().unwrap()])["client_id"]
        .as_str()
        .unwrap()
        .to_string();
    let out = colleague.run(&["export", &id, "--with-secrets"]).success();
    serde_json::from_slice(&out.get_output().stdout).expect("JSON")
}

#[test]
fn one_client_in_every_dialect() {
    for dialect in Dialect::PLAIN {
        let mock = Mock::start(dialect);
        let exported = made_elsewhere(&mock);
        let id = exported["client_id"].as_str().unwrap();
        let cli = Cli::new();
        add_profile(&cli, &mock, "mine");
        let caps = capabilities(dialect);

        let mut args = vec![
            "--json".to_string(),
            "import".into(),
            "-p".into(),
            "mine".into(),
            id.into(),
        ];
        if let Some(uri) = exported["registration_client_uri"].as_str() {
            args.extend(["--registration-client-uri".into(), uri.into()]);
        }
        if !caps.read {
            let known = cli.data_dir().join("known.json");
            let mut metadata = exported.clone();
            metadata.as_object_mut().unwrap().remove("client_secret");
            std::fs::write(&known, metadata.to_string()).unwrap();
            args.extend(["--file".into(), known.to_str().unwrap().into()]);
        }
        let mut cmd = cli.cmd();
        cmd.args(&args).arg("--client-secret-env").arg("CLIENT_SECRET");
        cmd.env("CLIENT_SECRET", exported["client_secret"].as_str().unwrap());
        if caps.rat {
            cmd.arg("--secret-env").arg(SECRET_ENV);
            cmd.env(SECRET_ENV, exported["registration_access_token"].as_str().unwrap());
        }
        let assert = cmd.assert();
        let output = assert.get_output();
        assert!(
            output.status.success(),
            "{dialect}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let imported = crate::support::json_of(&assert);
        assert_eq!(imported["client_id"], id, "{dialect}");
        if !caps.read {
            assert!(
                stderr_of(&assert).contains("was not checked"),
                "{dialect}: the user is told"
            );
        }
        assert_eq!(cli.json(&["list"])["items"][0]["client_id"], id, "{dialect}");
        assert_eq!(
            cli.json(&["get", id, "--show-secret"])["client_secret"],
            exported["client_secret"]
        );
        if caps.read {
            cli.run(&["refresh", id]).success();
        }
        if caps.delete {
            cli.run(&["delete", id, "--yes"]).success();
            assert!(mock.client(id).is_none(), "{dialect}: managed after the import");
        }
    }
}

#[test]
fn a_wrong_token_is_refused_and_nothing_is_adopted() {
    let mock = Mock::start(Dialect::Indigo);
    let exported = made_elsewhere(&mock);
    let id = exported["client_id"].as_str().unwrap();
    let cli = Cli::new();
    add_profile(&cli, &mock, "mine");
    let failed = cli
        .cmd()
        .args([
            "import",
            "-p",
            "mine",
            id,
            "--registration-client-uri",
            exported["registration_client_uri"].as_str().unwrap(),
        ])
        .args(["--secret-env", SECRET_ENV])
        .env(SECRET_ENV, "a-wrong-token")
        .assert()
        .code(4);
    assert!(stderr_of(&failed).contains("invalid_token"), "{}", stderr_of(&failed));
    assert_eq!(cli.json(&["list"])["total"], 0);
    // Without a token and without a terminal, it asks for one rather than guessing.
    let failed = cli.run(&["import", "-p", "mine", id]).code(2);
    assert!(
        stderr_of(&failed).contains("registration access token"),
        "{}",
        stderr_of(&failed)
    );
}

#[test]
fn many_clients_from_a_file_each_with_its_result() {
    let mock = Mock::start(Dialect::Generic);
    let good = made_elsewhere(&mock);
    let cli = Cli::new();
    add_profile(&cli, &mock, "mine");
    let file = cli.data_dir().join("clients.json");
    let list = json!([
        {
            "client_id": good["client_id"],
            "registration_client_uri": good["registration_client_uri"],
            "registration_access_token": good["registration_access_token"],
        },
        {
            "client_id": "no-such-client",
            "registration_client_uri": format!("{}/register/no-such-client", mock.server.base_url()),
            "registration_access_token": "whatever",
        }
    ]);
    std::fs::write(&file, list.to_string()).unwrap();
    let assert = cli
        .cmd()
        .args(["--json", "import", "-p", "mine", "--from", file.to_str().unwrap()])
        .assert()
        .code(4);
    let report = crate::support::json_of(&assert);
    assert_eq!(
        (report["imported"].clone(), report["failed"].clone()),
        (json!(1), json!(1)),
        "{report}"
    );
    assert!(report["items"][1]["error"].is_string());
    assert!(stderr_of(&assert).contains("1 of 2"));
    let listed = cli.json(&["list"]);
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["client_id"], good["client_id"]);
}
