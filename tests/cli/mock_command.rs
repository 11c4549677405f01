//! `registrar mock` as a child process in every dialect: it prints (as one JSON line) a
//! `profile add` command that works as printed, serves until Ctrl-C, then exits cleanly.

use crate::support::{client_file, registrar_bin, Cli};
use registrar_mock_op::Dialect;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(cli: &Cli, kind: &str, extra: &[&str]) -> (Running, serde_json::Value) {
    let mut child = Command::new(registrar_bin())
        .arg("--data-dir")
        .arg(cli.data_dir())
        .args(["--json", "mock", "--kind", kind, "--port", "0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .stdin(Stdio::null())
        .spawn()
        .expect("registrar mock starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let running = Running(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the mock announces itself");
    let announced = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
    (running, announced)
}

fn interrupt_and_wait(mut running: Running) -> std::process::ExitStatus {
    let pid = running.0.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().expect("kill runs");
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = running.0.try_wait().expect("wait works") {
            return status;
        }
        assert!(Instant::now() < deadline, "the mock did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_printed_profile_line_works_in_every_dialect() {
    for dialect in Dialect::PLAIN {
        let cli = Cli::new();
        let (running, announced) = start(&cli, dialect.name(), &[]);
        assert_eq!(announced["kind"], dialect.name());
        let argv: Vec<String> = serde_json::from_value(announced["profile_add_argv"].clone()).expect("argv");
        assert_eq!(argv[0], "registrar");
        assert!(
            announced["profile_add"].as_str().unwrap().contains("profile add"),
            "{announced}"
        );
        let mut add = cli.cmd();
        add.args(&argv[3..]); // past `registrar --data-dir DIR`: cli.cmd() adds those
        if let (Some(env), Some(secret)) = (announced["secret_env"].as_str(), announced["secret"].as_str()) {
            add.env(env, secret);
        }
        add.assert().success();
        let name = format!("mock-{}", dialect.name());
        let file = client_file(&cli, dialect, "from the printed line");
        let registered = cli.json(&["register", "-p", &name, "--file", file.to_str().unwrap()]);
        assert!(registered["client_id"].is_string(), "{dialect}");
        assert_eq!(
            cli.json(&["orphans", "-p", &name])["provider_listed"],
            true,
            "{dialect}: the list endpoint works"
        );
        assert!(
            interrupt_and_wait(running).success(),
            "{dialect}: a clean exit on Ctrl-C"
        );
    }
}

#[test]
fn mock_flags_reach_the_provider() {
    let cli = Cli::new();
    let (running, announced) = start(
        &cli,
        "generic",
        &["--rotate-on-read", "--require-initial-token", "--seed", "3"],
    );
    assert!(
        announced["secret"].is_string(),
        "an initial access token is required and printed: {announced}"
    );
    let argv: Vec<String> = serde_json::from_value(announced["profile_add_argv"].clone()).unwrap();
    assert!(
        argv.windows(2)
            .any(|w| w[0] == "--registration-auth" && w[1] == "bearer"),
        "{argv:?}"
    );
    let mut add = cli.cmd();
    add.args(&argv[3..])
        .env("REGISTRAR_MOCK_SECRET", announced["secret"].as_str().unwrap());
    add.assert().success();
    let file = client_file(&cli, Dialect::Generic, "rotating");
    let id = cli.json(&["register", "-p", "mock-generic", "--file", file.to_str().unwrap()])["client_id"]
        .as_str()
        .unwrap()
        .to_string();
    let refreshed = cli.json(&["refresh", &id]);
    assert_eq!(refreshed["rotated_registration_access_token"], true);
    cli.run(&["refresh", &id]).success();
    assert_eq!(
        cli.json(&["orphans", "-p", "mock-generic"])["on_provider_only"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
    drop(running);
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let cli = Cli::new();
    let failed = cli.run(&["mock", "--kind", "generic", "--port", &port]).code(5);
    let err = crate::support::stderr_of(&failed);
    assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
}

#[test]
fn the_human_announcement_has_the_export_and_the_profile_line() {
    let cli = Cli::new();
    let mut child = Command::new(registrar_bin())
        .arg("--data-dir")
        .arg(cli.data_dir())
        .args(["mock", "--kind", "soffid"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .stdin(Stdio::null())
        .spawn()
        .expect("registrar mock starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let running = Running(child);
    let mut text = String::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("a line");
        text.push_str(&line);
        text.push('\n');
        if line.starts_with("Press Ctrl-C") {
            break;
        }
    }
    assert!(
        text.contains("export REGISTRAR_MOCK_SECRET=soffid-initial-access-token"),
        "{text}"
    );
    assert!(
        text.contains("registrar --data-dir") && text.contains("profile add mock-soffid --kind soffid"),
        "{text}"
    );
    assert!(interrupt_and_wait(running).success());
}
