//! Where the `registrar` binary is. Cargo builds binaries only for their own package's
//! tests (a dev-dependency on a bin-only package builds nothing), so the first test
//! asks cargo to build it (a no-op when it is fresh, so a stale binary is never run),
//! then finds it next to this test binary. `REGISTRAR_BIN` points at another build.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub fn registrar_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(path) = std::env::var_os("REGISTRAR_BIN") {
            return PathBuf::from(path);
        }
        let exe = std::env::current_exe().expect("the test binary knows its path");
        // target/<profile>/deps/cli-<hash> -> target/<profile>
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("the test binary lives in target/<profile>/deps");
        build(profile_dir);
        let bin = profile_dir.join(format!("registrar{}", std::env::consts::EXE_SUFFIX));
        assert!(
            bin.is_file(),
            "the registrar binary is missing at {}; build it with `cargo build -p registrar-cli`",
            bin.display()
        );
        bin
    })
}

fn build(profile_dir: &Path) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(["build", "--quiet", "-p", "registrar-cli", "--bin", "registrar"])
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    if let Some(target_dir) = profile_dir.parent() {
        command.env("CARGO_TARGET_DIR", target_dir);
    }
    if profile_dir.file_name().is_some_and(|n| n == "release") {
        command.arg("--release");
    }
    let output = command.output().expect("cargo runs");
    assert!(
        output.status.success(),
        "building the registrar binary failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
