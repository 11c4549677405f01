//! A Secret Service of one test's own: a private D-Bus session with an unlocked
//! gnome-keyring in a temporary HOME. The states a real keychain can be in — locked,
//! refusing writes — are then made for real (through the Secret Service's own D-Bus
//! methods) without disturbing the keychain the other tests share.

use assert_cmd::Command;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Stdio};

pub struct PrivateKeychain {
    bus: Child,
    address: String,
    home: tempfile::TempDir,
}

impl PrivateKeychain {
    pub fn start() -> Self {
        let home = tempfile::tempdir().expect("a home for the keyring");
        for dir in ["home", "data", "config", "cache", "run"] {
            std::fs::create_dir_all(home.path().join(dir)).unwrap();
        }
        let mut bus = std::process::Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--nopidfile", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon (scripts/setup.sh installs it)");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut address)
            .expect("the bus address");
        let this = Self {
            bus,
            address: address.trim().to_string(),
            home,
        };
        let mut keyring = std::process::Command::new("gnome-keyring-daemon")
            .args(["--unlock", "--components=secrets"])
            .envs(this.env())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon (scripts/setup.sh installs it)");
        keyring
            .stdin
            .take()
            .unwrap()
            .write_all(b"test-keyring-password")
            .unwrap();
        // It forks the daemon and exits once the keyring is unlocked.
        assert!(keyring.wait().unwrap().success(), "gnome-keyring-daemon started");
        this.wait_for_default_collection();
        this
    }

    /// The environment that points a process at this keychain (and at nothing of the user's).
    pub fn env(&self) -> Vec<(String, String)> {
        let p = |d: &str| self.home.path().join(d).to_string_lossy().into_owned();
        vec![
            ("DBUS_SESSION_BUS_ADDRESS".into(), self.address.clone()),
            ("HOME".into(), p("home")),
            ("XDG_DATA_HOME".into(), p("data")),
            ("XDG_CONFIG_HOME".into(), p("config")),
            ("XDG_CACHE_HOME".into(), p("cache")),
            ("XDG_RUNTIME_DIR".into(), p("run")),
        ]
    }

    /// Locks the default collection, as a screen lock or a keychain timeout does. Unlocking
    /// needs the desktop's prompt, which has no display here and so is dismissed.
    pub fn lock(&self) {
        let collection = self.default_collection().expect("a default collection");
        self.call("Lock", &[&format!("array:objpath:{collection}")]);
    }

    fn default_collection(&self) -> Option<String> {
        let out = self.call("ReadAlias", &["string:default"]);
        let path = out.split('"').nth(1)?.to_string();
        (path != "/").then_some(path)
    }

    fn wait_for_default_collection(&self) {
        for _ in 0..100 {
            if self.default_collection().is_some() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("the private keyring has no default collection");
    }

    fn call(&self, method: &str, args: &[&str]) -> String {
        let out = Command::new("dbus-send")
            .envs(self.env())
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.secrets",
                "/org/freedesktop/secrets",
                &format!("org.freedesktop.Secret.Service.{method}"),
            ])
            .args(args)
            .output()
            .expect("dbus-send");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for PrivateKeychain {
    fn drop(&mut self) {
        // The keyring daemon leaves with its bus.
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}
