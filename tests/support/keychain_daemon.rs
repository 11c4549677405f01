//! The private Secret Service daemon of scripts/with-keychain.sh, for tests of what happens
//! when it dies. Only ever called inside that session (`REGISTRAR_KEYCHAIN_SESSION`): the pid
//! comes from the session bus, so the user's own daemon is never the one killed.

use std::process::Command;
use std::time::{Duration, Instant};

/// The pid of the process owning `org.freedesktop.secrets` on the session bus.
pub fn pid() -> Option<u32> {
    assert!(
        std::env::var_os("REGISTRAR_KEYCHAIN_SESSION").is_some(),
        "only inside scripts/with-keychain.sh"
    );
    let out = Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.GetConnectionUnixProcessID",
            "string:org.freedesktop.secrets",
        ])
        .output()
        .expect("dbus-send runs");
    // The reply's last line is `   uint32 12345`.
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .last()
        .and_then(|n| n.parse().ok())
}

/// Kills the daemon with SIGKILL and waits until it is gone; the bus starts a new one (unlocked,
/// with the same keyring file) on the next call to the service.
pub fn kill() {
    let pid = pid().expect("the Secret Service is running");
    let status = Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -9 {pid}");
    let started = Instant::now();
    while std::path::Path::new(&format!("/proc/{pid}")).exists() {
        // A zombie until the bus reaps it: gone as far as D-Bus is concerned.
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        if stat.split_whitespace().nth(2) == Some("Z") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the daemon {pid} did not die"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
