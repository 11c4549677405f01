//! Bad input and failures: each with its exit code, one sentence on stderr that names
//! the problem, and nothing lost (the client registered before is still listed and
//! still on the provider).

use crate::support::{add_profile, client_file, stderr_of, Cli, Mock};
use registrar_mock_op::{Dialect, Fault};
use serde_json::json;

/// A CLI with one registered client, to check that failures lose nothing.
fn with_one_client(dialect: Dialect) -> (Mock, Cli, String) {
    let mock = Mock::start(dialect);
    let cli = Cli::new();
    add_profile(&cli, &mock, "op");
    let file = client_file(&cli, dialect, "kept");
    let id = cli.json(&["register", "-p", "op", "--file", file.to_str().unwrap()])["client_id"]
        .as_str()
        .unwrap()
        .to_string();
    (mock, cli, id)
}

fn still_there(mock: &Mock, cli: &Cli, id: &str) {
    let listed = cli.json(&["list"]);
    assert_eq!(listed["items"][0]["client_id"], id, "still listed: {listed}");
    assert_eq!(listed["items"][0]["status"], "active");
    assert!(mock.client(id).is_some(), "still on the provider");
    assert!(
        cli.json(&["get", id, "--show-secret"])["client_secret"].is_string(),
        "credentials kept"
    );
}

fn one_sentence(stderr: &str) {
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line on stderr: {stderr}");
    assert!(
        lines[0].starts_with("error: ") && !lines[0].contains("Error {"),
        "no Debug dump: {stderr}"
    );
}

#[test]
fn a_missing_profile_is_exit_3_in_every_command() {
    let (mock, cli, id) = with_one_client(Dialect::Generic);
    for args in [
        vec!["register", "--profile", "nope", "--set", "client_name=x"],
        vec!["get", "--profile", "nope", id.as_str()],
        vec!["refresh", "--profile", "nope", id.as_str()],
        vec!["delete", "--profile", "nope", id.as_str(), "--yes"],
        vec!["list", "--profile", "nope"],
        vec!["profile", "show", "nope"],
    ] {
        let failed = cli.run(&args).code(3);
        let err = stderr_of(&failed);
        one_sentence(&err);
        assert!(err.contains("profile \"nope\" not found"), "{args:?}: {err}");
    }
    let failed = cli.run(&["get", "not-a-client"]).code(3);
    assert!(stderr_of(&failed).contains("no profile knows a client not-a-client"));
    still_there(&mock, &cli, &id);
}

#[test]
fn a_bad_file_is_exit_2_and_sends_nothing() {
    let (mock, cli, id) = with_one_client(Dialect::Generic);
    let before = mock.admin().request_count();
    let failed = cli
        .run(&["register", "-p", "op", "--file", "/nonexistent/client.json"])
        .code(2);
    let err = stderr_of(&failed);
    one_sentence(&err);
    assert!(err.contains("cannot read /nonexistent/client.json"), "{err}");

    let broken = cli.data_dir().join("broken.json");
    std::fs::write(&broken, "{\"client_name\": ").unwrap();
    let failed = cli
        .run(&["register", "-p", "op", "--file", broken.to_str().unwrap()])
        .code(2);
    assert!(
        stderr_of(&failed).contains("is not valid JSON"),
        "{}",
        stderr_of(&failed)
    );
    let list = cli.data_dir().join("list.json");
    std::fs::write(&list, "[1, 2]").unwrap();
    let failed = cli
        .run(&["update", "-p", "op", &id, "--file", list.to_str().unwrap()])
        .code(2);
    assert!(
        stderr_of(&failed).contains("must be a JSON object"),
        "{}",
        stderr_of(&failed)
    );
    let failed = cli.run(&["update", "-p", "op", &id, "--set", "nonsense"]).code(2);
    assert!(stderr_of(&failed).contains("--set nonsense"), "{}", stderr_of(&failed));

    assert_eq!(mock.admin().request_count(), before, "nothing was sent");
    still_there(&mock, &cli, &id);
}

#[test]
fn invalid_metadata_is_exit_2_with_the_field_named() {
    let (mock, cli, id) = with_one_client(Dialect::Generic);
    let before = mock.admin().request_count();
    let failed = cli
        .run(&[
            "register",
            "-p",
            "op",
            "--set",
            "redirect_uris=[\"https://a.example.org/cb#frag\"]",
        ])
        .code(2);
    let err = stderr_of(&failed);
    one_sentence(&err);
    assert!(
        err.contains("invalid metadata, nothing was sent") && err.contains("redirect_uris[0]"),
        "{err}"
    );
    let failed = cli
        .run(&["update", "-p", "op", &id, "--set", "contacts+=not-an-email"])
        .code(2);
    assert!(stderr_of(&failed).contains("contacts[1]"), "{}", stderr_of(&failed));
    assert_eq!(mock.admin().request_count(), before, "nothing was sent");
    still_there(&mock, &cli, &id);
}

#[test]
fn a_provider_error_is_exit_4_with_its_error_code() {
    let (mock, cli, id) = with_one_client(Dialect::Generic);
    mock.admin().inject(Fault::Status { status: 400, count: 1 });
    let failed = cli
        .run(&["update", "-p", "op", &id, "--set", "client_name=refused"])
        .code(4);
    let err = stderr_of(&failed);
    one_sentence(&err);
    assert!(err.contains("HTTP 400") && err.contains("invalid_request"), "{err}");
    assert_ne!(mock.client(&id).unwrap()["client_name"], "refused");
    assert_eq!(
        cli.json(&["get", &id])["client_name"],
        "kept",
        "the local record is unchanged"
    );
    still_there(&mock, &cli, &id);
}

#[test]
fn a_real_provider_refusal_carries_the_providers_code() {
    let (mock, cli, id) = with_one_client(Dialect::Liberty);
    // Liberty lets a client choose its id, and refuses one that is taken.
    let failed = cli
        .run(&[
            "register",
            "-p",
            "op",
            "--set",
            &format!("client_id={id}"),
            "--set",
            "redirect_uris=[\"https://b.example.org/cb\"]",
        ])
        .code(4);
    let err = stderr_of(&failed);
    assert!(
        err.contains("invalid_client_metadata") && err.contains("already registered"),
        "{err}"
    );
    still_there(&mock, &cli, &id);
}

#[test]
fn a_closed_port_is_exit_5_and_loses_nothing() {
    let (mock, cli, id) = with_one_client(Dialect::Generic);
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    cli.run(&[
        "profile",
        "add",
        "closed",
        "--registration-endpoint",
        &format!("http://127.0.0.1:{port}/register"),
        "--timeout",
        "5",
    ])
    .success();
    let failed = cli
        .run(&[
            "register",
            "-p",
            "closed",
            "--set",
            "redirect_uris=[\"https://a.example.org/cb\"]",
        ])
        .code(5);
    let err = stderr_of(&failed);
    one_sentence(&err);
    assert!(
        err.contains("could not reach the provider") && err.contains(&port.to_string()),
        "{err}"
    );
    assert_eq!(cli.json(&["list", "-p", "closed"])["total"], 0);
    still_there(&mock, &cli, &id);

    // The provider goes away: a refresh fails with 5 and the record stays as it was.
    drop(mock);
    let failed = cli.run(&["refresh", "-p", "op", &id]).code(5);
    assert!(stderr_of(&failed).contains("could not reach"), "{}", stderr_of(&failed));
    let kept = cli.json(&["get", &id, "--show-secret"]);
    assert_eq!(kept["status"], "active");
    assert!(kept["client_secret"].is_string());
}

#[test]
fn a_secret_on_the_command_line_is_refused_and_never_echoed() {
    let cli = Cli::new();
    for flag in [
        "--password",
        "--token",
        "--client-secret",
        "--initial-access-token",
        "--secret",
    ] {
        let failed = cli
            .run(&[
                "profile",
                "add",
                "x",
                "--registration-endpoint",
                "https://op.example.com/r",
                flag,
                "hunter2-secret",
            ])
            .code(2);
        let err = stderr_of(&failed);
        one_sentence(&err);
        assert!(
            err.contains(flag) && err.contains("--secret-stdin") && err.contains("--secret-env"),
            "{err}"
        );
        assert!(!err.contains("hunter2") && !String::from_utf8_lossy(&failed.get_output().stdout).contains("hunter2"));
    }
    assert_eq!(cli.json(&["profile", "list"]), json!([]), "no profile was saved");
}

#[test]
fn delete_without_a_terminal_and_without_yes_refuses() {
    let (mock, cli, id) = with_one_client(Dialect::Generic);
    let failed = cli.run(&["delete", "-p", "op", &id]).code(2);
    assert!(stderr_of(&failed).contains("--yes"), "{}", stderr_of(&failed));
    still_there(&mock, &cli, &id);
    let failed = cli.run(&["profile", "remove", "op"]).code(2);
    assert!(stderr_of(&failed).contains("--yes"));
    still_there(&mock, &cli, &id);
}

#[test]
fn an_ambiguous_client_id_asks_for_the_profile() {
    let mock = Mock::start(Dialect::Liberty);
    let cli = Cli::new();
    add_profile(&cli, &mock, "a");
    let other = Mock::start(Dialect::Liberty);
    add_profile(&cli, &other, "b");
    for profile in ["a", "b"] {
        cli.run(&[
            "register",
            "-p",
            profile,
            "--set",
            "client_id=same",
            "--set",
            "redirect_uris=[\"https://a.example.org/cb\"]",
        ])
        .success();
    }
    let failed = cli.run(&["get", "same"]).code(2);
    assert!(
        stderr_of(&failed).contains("several profiles (a, b)"),
        "{}",
        stderr_of(&failed)
    );
    assert_eq!(cli.json(&["get", "same", "-p", "b"])["profile"], "b");
}

#[test]
fn no_keychain_or_an_unusable_data_dir_is_exit_6_and_saves_nothing() {
    let cli = Cli::new();
    let failed = cli
        .cmd()
        .args([
            "profile",
            "add",
            "s",
            "--kind",
            "soffid",
            "--registration-endpoint",
            "http://127.0.0.1:9/register",
        ])
        .args(["--secret-env", "MOCK_SECRET"])
        .env("MOCK_SECRET", "a-token")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("DISPLAY")
        .assert()
        .code(6);
    let err = stderr_of(&failed);
    one_sentence(&err);
    assert!(err.contains("keychain") && !err.contains("a-token"), "{err}");
    assert_eq!(
        cli.json(&["profile", "list"]),
        json!([]),
        "a profile is never saved without its secret"
    );

    let file = cli.data_dir().join("not-a-directory");
    std::fs::write(&file, "").unwrap();
    let failed = assert_cmd::Command::new(crate::support::registrar_bin())
        .arg("--data-dir")
        .arg(file.join("data"))
        .args(["profile", "list"])
        .assert()
        .code(6);
    assert!(stderr_of(&failed).contains("cannot create"), "{}", stderr_of(&failed));
}
