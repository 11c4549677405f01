//! Real third-party DCR servers for the tests: node-oidc-provider (npm) and Authlib
//! (PyPI), installed at pinned versions by `tests/providers/install.sh` into the build
//! area (`target/real-providers`), started here on 127.0.0.1 with a free port, and
//! stopped by pid when the handle is dropped (the MCP server of `real_mcp.rs` too). A
//! test that needs one and cannot start it fails: a skipped real-provider test would make
//! a green run mean nothing.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, OnceLock};
use std::time::Duration;

/// How long a server may take to print its ready line (node loads its modules first).
const READY_WITHIN: Duration = Duration::from_secs(60);

/// A running real provider; dropping it stops the process.
#[derive(Debug)]
pub struct RealProvider {
    pub name: &'static str,
    pub issuer: String,
    pub registration_endpoint: String,
    pub port: u16,
    child: Child,
}

impl RealProvider {
    /// node-oidc-provider with `config` (the keys documented at the top of
    /// `tests/providers/node-oidc/server.mjs`; `port` is set here).
    pub fn node_oidc(config: Value) -> Self {
        let dir = installed().join("node-oidc");
        let mut config = config;
        config["port"] = Value::from(0);
        config["exitOnStdinClose"] = Value::Bool(true);
        Self::start("node-oidc-provider", || {
            let mut command = Command::new("node");
            command.arg(dir.join("server.mjs")).arg(config.to_string());
            command
        })
    }

    /// Authlib's RFC 7591/7592 endpoints with the flags of
    /// `tests/providers/authlib/server.py` (`--port` is set here).
    pub fn authlib(flags: &[&str]) -> Self {
        let python = installed().join("authlib-venv/bin/python");
        Self::start("Authlib", || {
            let mut command = Command::new(&python);
            command
                .arg(repository().join("tests/providers/authlib/server.py"))
                .args(["--port", "0"])
                .args(flags);
            command
        })
    }

    /// Starts the server `command` makes and waits for its ready line.
    fn start(name: &'static str, command: impl Fn() -> Command) -> Self {
        let (child, ready) = start_ready(name, command);
        let text = |k: &str| {
            ready[k]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: no {k} in {ready}"))
                .to_string()
        };
        Self {
            name,
            issuer: text("issuer"),
            registration_endpoint: text("registration_endpoint"),
            port: ready["port"].as_u64().expect("a port") as u16,
            child,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

/// Starts the server `command` makes and waits for its ready line (one JSON object on
/// stdout), returning the running child and that object. A server that dies or stays
/// silent is started once more (a machine busy with two builds has been seen to starve
/// one) before the test fails with what it printed.
pub fn start_ready(name: &str, command: impl Fn() -> Command) -> (Child, Value) {
    match try_start(name, command()) {
        Ok(started) => started,
        Err(why) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("{name}: {why}; starting it once more");
            }
            try_start(name, command()).unwrap_or_else(|why| panic!("{name}: {why}; its stderr is above"))
        }
    }
}

fn try_start(name: &str, mut command: Command) -> Result<(Child, Value), String> {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("{name} does not start: {e}"));
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = match rx.recv_timeout(READY_WITHIN) {
        Ok(line) if !line.trim().is_empty() => line,
        other => {
            let _ = child.kill();
            let status = child.wait().ok();
            return Err(format!("printed no ready line ({other:?}; exit {status:?})"));
        }
    };
    let ready: Value =
        serde_json::from_str(line.trim()).unwrap_or_else(|e| panic!("{name}'s ready line is not JSON ({e}): {line}"));
    Ok((child, ready))
}

impl Drop for RealProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The repository's root (this crate is `tests/`).
pub fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Where the servers are installed, installing them the first time (the test command
/// installs them first; this keeps `cargo test` alone working too).
pub fn installed() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::var_os("REGISTRAR_REAL_PROVIDERS")
            .map(PathBuf::from)
            .unwrap_or_else(|| repository().join("target/real-providers"));
        let status = Command::new("bash")
            .arg(repository().join("tests/providers/install.sh"))
            .arg(&dir)
            .stdout(Stdio::null())
            .status()
            .expect("bash runs tests/providers/install.sh");
        assert!(status.success(), "tests/providers/install.sh failed: {status}");
        dir
    })
    .clone()
}
