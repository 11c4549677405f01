//! Ctrl-C during a provider call: the first waits for the answer so a rotated token is
//! stored, not lost; a second abandons the call (exit 130) and leaves a journal entry
//! that `registrar pending` shows. Signals are sent once the request reached the mock.

use crate::support::{add_profile, client_file, registrar_bin, Cli, Mock};
use registrar_mock_op::{Dialect, Fault};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn spawn_refresh(cli: &Cli, id: &str) -> Child {
    Command::new(registrar_bin())
        .arg("--data-dir")
        .arg(cli.data_dir())
        .args(["--json", "refresh", id])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("registrar starts")
}

fn wait_for_request(mock: &Mock, before: u64) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while mock.admin().request_count() == before {
        assert!(Instant::now() < deadline, "the request never reached the mock");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn interrupt(child: &Child) {
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

fn rotating_client() -> (Mock, Cli, String) {
    let mock = Mock::with(Dialect::Generic, |c| c.rotate_rat_on_read = true);
    let cli = Cli::new();
    add_profile(&cli, &mock, "op");
    let file = client_file(&cli, Dialect::Generic, "slow");
    let id = cli.json(&["register", "-p", "op", "--file", file.to_str().unwrap()])["client_id"]
        .as_str()
        .unwrap()
        .to_string();
    mock.admin().inject(Fault::Latency { millis: 1500 });
    (mock, cli, id)
}

#[test]
fn the_first_ctrl_c_waits_for_the_answer_and_keeps_the_rotated_token() {
    let (mock, cli, id) = rotating_client();
    let before = mock.admin().request_count();
    let child = spawn_refresh(&cli, &id);
    wait_for_request(&mock, before);
    interrupt(&child);
    let output = child.wait_with_output().expect("registrar finishes");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("waiting for the provider's answer"), "{stderr}");
    mock.admin().clear_faults();
    let exported = cli.run(&["export", &id, "--with-secrets"]).success();
    let exported: serde_json::Value = serde_json::from_slice(&exported.get_output().stdout).unwrap();
    assert_eq!(
        exported["registration_access_token"].as_str(),
        mock.admin().registration_access_token(&id).as_deref(),
        "the token rotated during the interrupted call is the one stored"
    );
    cli.run(&["refresh", &id]).success();
}

#[test]
fn a_second_ctrl_c_abandons_and_the_call_is_pending() {
    let (mock, cli, id) = rotating_client();
    let before = mock.admin().request_count();
    let child = spawn_refresh(&cli, &id);
    wait_for_request(&mock, before);
    interrupt(&child);
    std::thread::sleep(Duration::from_millis(200));
    interrupt(&child);
    let output = child.wait_with_output().expect("registrar finishes");
    assert_eq!(
        output.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let pending = cli.json(&["pending"]);
    assert_eq!(pending[0]["operation"], "read", "{pending}");
    assert_eq!(pending[0]["client_id"], id.as_str());
    assert_eq!(
        cli.json(&["list"])["items"][0]["client_id"],
        id.as_str(),
        "the client is still listed"
    );

    // `recover` reads the client again and says what it found.
    mock.admin().clear_faults();
    let recovery = cli.json(&["recover", "-p", "op"]);
    assert_eq!(recovery["items"][0]["operation"], "read", "{recovery}");
    assert_eq!(recovery["items"][0]["client_id"], id.as_str());
    if recovery["items"][0]["resolved"] == false {
        cli.run(&["dismiss", &pending[0]["id"].to_string()]).success();
    }
    assert_eq!(cli.json(&["pending"]), serde_json::json!([]));
}
