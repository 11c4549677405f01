// The commit a binary is built from, for `--version` and the window's About box: included
// by the build scripts of crates/cli and src-tauri (`include!`), so both say the same.
// REGISTRAR_COMMIT, when set, wins (a build from a source tarball has no git); otherwise
// `git rev-parse`, and "unknown" without git. The script reruns when HEAD moves.

fn emit_commit() {
    println!("cargo:rerun-if-env-changed=REGISTRAR_COMMIT");
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|out| out.status.success())
            .and_then(|out| String::from_utf8(out.stdout).ok())
            .map(|text| text.trim().to_string())
            .filter(|text| !text.is_empty())
    };
    if let Some(dir) = git(&["rev-parse", "--absolute-git-dir"]) {
        let dir = std::path::Path::new(&dir);
        // Only files that exist: cargo reruns a script whose watched file is missing every time.
        let mut watched = vec![dir.join("HEAD"), dir.join("packed-refs")];
        if let Some(head) = git(&["symbolic-ref", "-q", "HEAD"]) {
            watched.push(dir.join(head));
        }
        for path in watched.iter().filter(|path| path.is_file()) {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    let commit = std::env::var("REGISTRAR_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=REGISTRAR_COMMIT={}", commit.trim());
}
