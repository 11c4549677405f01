//! The `registrar-mock-op` binary as a person starts it: what it prints up to its
//! `admin_api:` line, read as `name: value` fields; stopped when dropped.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub struct Binary {
    child: Child,
    /// The lines printed, up to and with `admin_api:`.
    pub printed: Vec<String>,
}

impl Binary {
    /// Starts the binary with `args` and reads its announcement.
    pub fn start<I, S>(args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut child = Command::new(env!("CARGO_BIN_EXE_registrar-mock-op"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("binary starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut printed = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("line");
            let done = line.starts_with("admin_api:");
            printed.push(line);
            if done {
                break;
            }
        }
        Self { child, printed }
    }

    /// The value printed after `name:`.
    pub fn field(&self, name: &str) -> String {
        self.printed
            .iter()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .map(|v| v.trim().to_owned())
            .unwrap_or_else(|| panic!("{name} printed in {:?}", self.printed))
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
