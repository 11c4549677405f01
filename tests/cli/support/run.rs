//! Running the CLI as a user would: the built binary, in a private data directory, with
//! no inherited profile or data-dir variables, stdin closed (so never a terminal).

use super::registrar_bin;
use assert_cmd::assert::Assert;
use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

#[derive(Debug)]
pub struct Cli {
    pub dir: tempfile::TempDir,
}

impl Cli {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("a temporary data directory"),
        }
    }

    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// `registrar --data-dir <tmp>`, ready for arguments.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(registrar_bin());
        cmd.env_remove("REGISTRAR_DATA_DIR")
            .env_remove("REGISTRAR_PROFILE")
            .arg("--data-dir")
            .arg(self.data_dir())
            .timeout(std::time::Duration::from_secs(60));
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Assert {
        self.cmd().args(args).assert()
    }

    /// Runs with `--json`, expects success, and parses stdout.
    pub fn json(&self, args: &[&str]) -> Value {
        let assert = self.cmd().arg("--json").args(args).assert();
        let output = assert.get_output();
        assert!(
            output.status.success(),
            "registrar {args:?} failed ({:?}): {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        );
        json_of(&assert)
    }
}

pub fn stdout_of(assert: &Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

pub fn stderr_of(assert: &Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

pub fn json_of(assert: &Assert) -> Value {
    let text = stdout_of(assert);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {text}"))
}
