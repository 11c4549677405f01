//! What the two secret scans (the CLI's, `tests/cli/secret_scan.rs`, and the window's,
//! `src-tauri/tests/secret_scan.rs`) share: secrets long and random enough to find by
//! substring, the metadata they register, and a watcher that keeps every credential a
//! provider holds while a command runs (the probe creates and deletes a client within one).

use registrar_mock_op::{AdminHandle, Dialect};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// A secret no output could hold by chance: `tag` then 64 random hex digits.
pub fn long_secret(tag: &str) -> String {
    format!(
        "{tag}-{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// Metadata each dialect accepts, named `name` (SimpleIdServer registers machine clients).
pub fn scan_metadata(dialect: Dialect, name: &str) -> Value {
    let redirect = format!("https://{}.example.org/callback", name.replace(' ', "-"));
    match dialect {
        Dialect::SimpleIdServer => json!({
            "client_name": name,
            "redirect_uris": [redirect],
            "grant_types": ["client_credentials"],
            "response_types": [],
            "scope": "openid profile"
        }),
        _ => json!({
            "client_name": name,
            "redirect_uris": [redirect],
            "grant_types": ["authorization_code", "client_credentials"],
            "response_types": ["code"],
            "contacts": ["ops@example.org"],
            "scope": "openid profile"
        }),
    }
}

/// A client on the provider: its id, client secret and registration access token.
pub type ProviderSecrets = (String, Option<String>, Option<String>);

/// Every client the provider holds now, with its credentials.
pub fn provider_secrets(admin: &AdminHandle) -> Vec<ProviderSecrets> {
    admin
        .list_clients()
        .iter()
        .map(|c| {
            let id = c["client_id"].as_str().unwrap_or_default().to_string();
            let secret = c["client_secret"].as_str().map(str::to_string);
            let rat = admin.registration_access_token(&id);
            (id, secret, rat)
        })
        .collect()
}

/// Watches a provider while a command runs, keeping every credential it sees.
#[derive(Debug)]
pub struct ProviderWatcher {
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Vec<ProviderSecrets>>>,
    thread: std::thread::JoinHandle<()>,
}

impl ProviderWatcher {
    pub fn start(admin: AdminHandle) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (s, v) = (stop.clone(), seen.clone());
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                let now = provider_secrets(&admin);
                v.lock().expect("the watcher's list").extend(now);
                std::thread::sleep(std::time::Duration::from_micros(200));
            }
        });
        Self { stop, seen, thread }
    }

    /// Stops watching: each credential seen, with what it is (`{name} probe client secret
    /// of {id}`), to be looked for in everything the command left behind.
    pub fn finish(self, name: &str) -> Vec<(String, String)> {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().expect("the watcher ends");
        let seen = std::mem::take(&mut *self.seen.lock().expect("the watcher's list"));
        let mut found = Vec::new();
        for (id, secret, rat) in seen {
            if let Some(s) = secret {
                found.push((s, format!("{name} probe client secret of {id}")));
            }
            if let Some(t) = rat {
                found.push((t, format!("{name} probe registration access token of {id}")));
            }
        }
        found
    }
}
