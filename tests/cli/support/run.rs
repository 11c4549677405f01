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
    // A name twice in one object is valid to serde_json (the last one wins) and ambiguous
    // to every other reader (RFC 8259 §4): what the CLI prints has each name once.
    serde_json::from_str::<UniqueNames>(&text)
        .unwrap_or_else(|e| panic!("stdout is not JSON with unique names ({e}): {text}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {text}"))
}

/// Any JSON value, refused when an object names a member twice.
struct UniqueNames;

impl<'de> serde::Deserialize<'de> for UniqueNames {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(UniqueNamesVisitor)
    }
}

struct UniqueNamesVisitor;

impl<'de> serde::de::Visitor<'de> for UniqueNamesVisitor {
    type Value = UniqueNames;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<UniqueNames, E> {
        Ok(UniqueNames)
    }
    fn visit_i64<E>(self, _: i64) -> Result<UniqueNames, E> {
        Ok(UniqueNames)
    }
    fn visit_u64<E>(self, _: u64) -> Result<UniqueNames, E> {
        Ok(UniqueNames)
    }
    fn visit_f64<E>(self, _: f64) -> Result<UniqueNames, E> {
        Ok(UniqueNames)
    }
    fn visit_str<E>(self, _: &str) -> Result<UniqueNames, E> {
        Ok(UniqueNames)
    }
    fn visit_unit<E>(self) -> Result<UniqueNames, E> {
        Ok(UniqueNames)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<UniqueNames, A::Error> {
        while seq.next_element::<UniqueNames>()?.is_some() {}
        Ok(UniqueNames)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<UniqueNames, A::Error> {
        let mut seen = std::collections::HashSet::new();
        while let Some(name) = map.next_key::<String>()? {
            if !seen.insert(name.clone()) {
                return Err(serde::de::Error::custom(format!("the member {name:?} appears twice")));
            }
            map.next_value::<UniqueNames>()?;
        }
        Ok(UniqueNames)
    }
}
