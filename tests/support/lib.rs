//! Shared fixtures for the cross-crate tests: a mock provider in a given dialect, a
//! Registrar on a temporary database, and a profile that points at the mock with the
//! right credentials. Nothing here touches the user's data directory or keychain.

pub mod browser;
pub mod custody;
pub mod keychain_daemon;
pub mod local;
pub mod raw_server;
pub mod real_mcp;
pub mod real_provider;
pub mod recording_server;
pub mod secret_scan;
pub mod tls_proxy;

use registrar_core::secrets::{MemoryStore, OsKeychain, SecretStore};
use registrar_core::Store;
use registrar_core::{http::ReqwestFactory, ClientMetadata, Profile, ProfileSecrets, Registrar};
use registrar_mock_op::{Dialect, MockConfig, MockServer};
use serde_json::Value;
use std::sync::Arc;

/// Which keychain the Registrar under test uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keychain {
    Memory,
    /// The OS Secret Service, in a namespace of its own (run under scripts/with-keychain.sh).
    Real,
}

#[derive(Debug)]
pub struct Harness {
    pub registrar: Registrar,
    pub mock: MockServer,
    pub profile: Profile,
    pub memory: Option<Arc<MemoryStore>>,
    pub dir: tempfile::TempDir,
}

/// How the harness reaches its mock: plain HTTP, or HTTPS with a CA made for the test
/// (the profile trusts it), so every fault can be seen through TLS too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    Http,
    Https,
}

impl Wire {
    pub const BOTH: [Wire; 2] = [Wire::Http, Wire::Https];
}

impl Harness {
    pub async fn start(dialect: Dialect) -> Self {
        Self::with(dialect, Keychain::Memory, |_| {}).await
    }

    /// A harness whose mock speaks `wire`.
    pub async fn on(dialect: Dialect, wire: Wire, configure: impl FnOnce(&mut MockConfig)) -> Self {
        let mut ca = None;
        let mut h = Self::with(dialect, Keychain::Memory, |c| {
            if wire == Wire::Https {
                let (config, ca_pem) = tls_proxy::test_server_config();
                c.tls = Some(config);
                ca = Some(ca_pem);
            }
            configure(c);
        })
        .await;
        if let Some(ca) = ca {
            h.profile.tls.ca_certificate_pem = Some(ca);
            h.profile = h
                .registrar
                .save_profile(&h.profile, &Default::default())
                .expect("the profile trusts the test CA");
        }
        let scheme = if wire == Wire::Https { "https://" } else { "http://" };
        assert!(
            h.profile.registration_endpoint.starts_with(scheme),
            "{wire:?}: {}",
            h.profile.registration_endpoint
        );
        h
    }

    pub async fn with(dialect: Dialect, keychain: Keychain, configure: impl FnOnce(&mut MockConfig)) -> Self {
        let mut config = MockConfig::new(dialect);
        configure(&mut config);
        let mock = MockServer::start(config).await.expect("the mock provider starts");
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = Store::open(&dir.path().join("registrar.sqlite3")).expect("the database opens");
        let (secrets, memory): (Arc<dyn SecretStore>, _) = match keychain {
            Keychain::Memory => {
                let m = Arc::new(MemoryStore::new());
                (m.clone(), Some(m))
            }
            Keychain::Real => (
                Arc::new(OsKeychain::new(Some(&format!("test-{}", uuid::Uuid::new_v4())))),
                None,
            ),
        };
        let registrar = Registrar::with_parts(store, secrets, Arc::new(ReqwestFactory::new()));
        let (profile, profile_secrets) = profile_for(&mock, &format!("{dialect} mock"));
        let profile = registrar
            .save_profile(&profile, &profile_secrets)
            .expect("the mock's profile is valid");
        Self {
            registrar,
            mock,
            profile,
            memory,
            dir,
        }
    }

    pub fn database_path(&self) -> std::path::PathBuf {
        self.dir.path().join("registrar.sqlite3")
    }

    /// The profile's name, as operations take it.
    pub fn p(&self) -> &str {
        &self.profile.name
    }
}

/// A profile for a running mock, with the credentials it prints.
pub fn profile_for(mock: &MockServer, name: &str) -> (Profile, ProfileSecrets) {
    let (mut profile, secrets) = registrar_local_mock::profile_for(name, mock);
    // Orphan tests opt in to the admin listing themselves.
    profile.settings.list_endpoint = None;
    (profile, secrets)
}

/// Metadata that every dialect accepts.
pub fn web_client(name: &str) -> ClientMetadata {
    meta(serde_json::json!({
        "client_name": name,
        "redirect_uris": ["https://app.example.org/callback", "https://app.example.org/callback2"],
        "grant_types": ["authorization_code", "client_credentials"],
        "response_types": ["code"],
        "contacts": ["ops@example.org"],
        "scope": "openid profile"
    }))
}

pub fn meta(v: Value) -> ClientMetadata {
    ClientMetadata::from_map(v.as_object().cloned().expect("an object"))
}

/// Every text column of every table in the database file, for secret scans.
pub fn database_text(path: &std::path::Path) -> String {
    let conn = rusqlite::Connection::open(path).expect("the database opens");
    let mut out = String::new();
    let tables: Vec<String> = {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
            .expect("tables");
        stmt.query_map([], |r| r.get(0)).expect("tables").flatten().collect()
    };
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).expect("select");
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).expect("rows");
        while let Ok(Some(row)) = rows.next() {
            for i in 0..columns {
                if let Ok(rusqlite::types::ValueRef::Text(t)) = row.get_ref(i) {
                    out.push_str(&String::from_utf8_lossy(t));
                    out.push('\n');
                }
            }
        }
    }
    // The WAL may hold pages not yet checkpointed: read the raw files too.
    for suffix in ["", "-wal"] {
        if let Ok(bytes) = std::fs::read(format!("{}{suffix}", path.display())) {
            out.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    out
}

/// Fails when a `.rs` file in `dir` (a test binary's folder) is not declared as a module in
/// its `main.rs`: such a file would compile into nothing and its tests would never run.
pub fn assert_every_test_file_is_declared(dir: &std::path::Path) {
    let main = std::fs::read_to_string(dir.join("main.rs")).expect("main.rs");
    for entry in std::fs::read_dir(dir).expect("the tests folder") {
        let name = entry.expect("an entry").file_name().to_string_lossy().into_owned();
        if let Some(module) = name.strip_suffix(".rs").filter(|m| *m != "main") {
            assert!(
                main.lines().any(|l| l.trim() == format!("mod {module};")),
                "{}/{name} is not declared in main.rs",
                dir.display()
            );
        }
    }
}
