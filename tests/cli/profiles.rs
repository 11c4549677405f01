//! `registrar profile ...` in every dialect: the flags map onto the right registration
//! and management authentication, secrets reach the keychain (proved by a registration
//! that needs them), edits keep what is not given, and removal forgets local state only.

use crate::support::{add_profile, profile_flags, stderr_of, Cli, Mock, SECRET_ENV};
use registrar_mock_op::Dialect;
use serde_json::json;

fn expected_auth(dialect: Dialect) -> (&'static str, &'static str) {
    match dialect {
        Dialect::OpenBanking => unreachable!("openbanking is tested on its own (mutual TLS, signed requests)"),
        Dialect::Generic | Dialect::Indigo => ("none", "rat"),
        Dialect::Soffid => ("bearer", "rat"),
        Dialect::Wso2 | Dialect::Liberty => ("basic", "admin"),
        Dialect::SimpleIdServer => ("client-credentials", "rat"),
    }
}

#[test]
fn add_list_show_edit_remove_in_every_dialect() {
    for dialect in Dialect::PLAIN {
        let mock = Mock::start(dialect);
        let cli = Cli::new();
        let added = add_profile(&cli, &mock, "first");
        let (registration, management) = expected_auth(dialect);
        assert_eq!(added["kind"], dialect.to_string());
        assert_eq!(added["registration_auth"], registration, "{dialect}");
        assert_eq!(added["management_auth"], management, "{dialect}");
        assert_eq!(added["registration_endpoint"], mock.server.registration_endpoint());

        let listed = cli.json(&["profile", "list"]);
        assert_eq!(listed.as_array().map(Vec::len), Some(1), "{dialect}");
        assert_eq!(listed[0]["name"], "first");

        let edited = cli.json(&[
            "profile",
            "edit",
            "first",
            "--rename",
            "second",
            "--param",
            "applicationName=app_x",
            "--timeout",
            "7",
        ]);
        assert_eq!(edited["name"], "second");
        assert_eq!(edited["id"], added["id"], "same profile, same keychain entries");
        assert_eq!(edited["params"], json!({"applicationName": "app_x"}));
        assert_eq!(edited["timeout_secs"], 7);
        assert_eq!(edited["registration_auth"], registration, "{dialect}: kept");

        // The secret given at `add` survived the edit: registration authenticates.
        cli.run(&[
            "register",
            "-p",
            "second",
            "--file",
            crate::support::client_file(&cli, dialect, "p").to_str().unwrap(),
        ])
        .success();
        let shown = cli.json(&["profile", "show", "second"]);
        assert_eq!(shown["clients"], 1, "{dialect}");

        cli.run(&["profile", "show", "first"]).code(3);
        let removed = cli.json(&["profile", "remove", "second", "--yes"]);
        assert_eq!(removed["clients_forgotten"], 1);
        assert_eq!(cli.json(&["profile", "list"]), json!([]));
        assert_eq!(
            mock.admin().client_count(),
            1,
            "{dialect}: the provider keeps the client"
        );
    }
}

#[test]
fn the_secret_can_come_from_stdin_and_a_wrong_one_is_refused_by_the_provider() {
    let mock = Mock::start(Dialect::Soffid);
    let cli = Cli::new();
    let (mut args, secret) = profile_flags(&mock, "soffid");
    args.retain(|a| a != "--secret-env" && a != SECRET_ENV);
    let mut cmd = cli.cmd();
    cmd.args(&args)
        .arg("--secret-stdin")
        .write_stdin(format!("{}\n", secret.unwrap()));
    cmd.assert().success();
    let file = crate::support::client_file(&cli, Dialect::Soffid, "stdin");
    cli.run(&["register", "-p", "soffid", "--file", file.to_str().unwrap()])
        .success();

    // A wrong token, through edit: the provider refuses with its error code.
    cli.cmd()
        .args(["profile", "edit", "soffid", "--secret-env", SECRET_ENV])
        .env(SECRET_ENV, "not-the-token")
        .assert()
        .success();
    let refused = cli
        .run(&["register", "-p", "soffid", "--file", file.to_str().unwrap()])
        .code(4);
    let err = stderr_of(&refused);
    assert!(err.contains("invalid_token") && err.contains("401"), "{err}");
    assert_eq!(mock.admin().client_count(), 1);
    assert_eq!(cli.json(&["list"])["total"], 1, "the first client is still listed");
}

#[test]
fn a_profile_needing_a_secret_refuses_to_guess_without_a_terminal() {
    let mock = Mock::start(Dialect::Wso2);
    let cli = Cli::new();
    let (mut args, _) = profile_flags(&mock, "wso2");
    args.retain(|a| a != "--secret-env" && a != SECRET_ENV);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let refused = cli.run(&args).code(2);
    let err = stderr_of(&refused);
    assert!(
        err.contains("password of admin") && err.contains("--secret-stdin"),
        "{err}"
    );
    assert_eq!(cli.json(&["profile", "list"]), json!([]), "nothing saved");
}

#[test]
fn bad_profile_settings_name_the_setting_and_save_nothing() {
    let cli = Cli::new();
    let refused = cli
        .run(&[
            "profile",
            "add",
            "x",
            "--registration-endpoint",
            "http://op.example.com/register",
        ])
        .code(2);
    assert!(
        stderr_of(&refused).contains("registration_endpoint must use https"),
        "{}",
        stderr_of(&refused)
    );
    let refused = cli
        .run(&[
            "profile",
            "add",
            "x",
            "--registration-endpoint",
            "https://op.example.com/r",
            "--registration-auth",
            "basic",
        ])
        .code(2);
    assert!(stderr_of(&refused).contains("--username"), "{}", stderr_of(&refused));
    let refused = cli
        .run(&[
            "profile",
            "add",
            "x",
            "--kind",
            "nonsense",
            "--registration-endpoint",
            "https://a.example",
        ])
        .code(2);
    assert!(stderr_of(&refused).contains("nonsense"));
    assert_eq!(cli.json(&["profile", "list"]), json!([]));
}

#[test]
fn a_profile_exported_for_a_colleague_has_no_secret_and_imports_with_one() {
    let mock = Mock::start(Dialect::Liberty);
    let alice = Cli::new();
    add_profile(&alice, &mock, "liberty");
    let exported = alice.run(&["profile", "export", "liberty"]).success();
    let text = crate::support::stdout_of(&exported);
    let password = mock.server.credentials().admin_password.clone().unwrap();
    assert!(!text.contains(&password), "{text}");
    let bob = Cli::new();
    let file = bob.data_dir().join("profile.json");
    std::fs::write(&file, &text).unwrap();
    bob.cmd()
        .args([
            "--json",
            "profile",
            "import",
            file.to_str().unwrap(),
            "--name",
            "from-alice",
            "--secret-env",
            SECRET_ENV,
        ])
        .env(SECRET_ENV, &password)
        .assert()
        .success();
    let client = crate::support::client_file(&bob, Dialect::Liberty, "bob");
    bob.run(&["register", "-p", "from-alice", "--file", client.to_str().unwrap()])
        .success();
    assert_eq!(mock.admin().client_count(), 1);
}
