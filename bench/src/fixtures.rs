//! An in-process world for the criterion benches: a mock provider on 127.0.0.1:0, a
//! Registrar on a temporary database, a profile pointing at the mock, and a keychain that
//! is either memory or the real Secret Service in a namespace of its own.

use registrar_core::http::ReqwestFactory;
use registrar_core::secrets::{MemoryStore, OsKeychain, SecretStore, Vault};
use registrar_core::Store;
use registrar_core::{ClientMetadata, Profile, Registrar, Secret};
use registrar_mock_op::{Dialect, MockConfig, MockServer};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keychain {
    Memory,
    /// The OS Secret Service under a fresh `registrar:bench-<uuid>` service name.
    Real,
}

#[derive(Debug)]
pub struct World {
    pub registrar: Registrar,
    pub mock: MockServer,
    pub profile: Profile,
    /// Every registered client, as bulk refresh takes them: (profile id, client id).
    pub targets: Vec<(registrar_core::ProfileId, String)>,
    _dir: tempfile::TempDir,
}

impl World {
    /// Starts the mock and registers `clients` clients through the core (so the database
    /// and the keychain hold what a user's would).
    pub async fn start(keychain: Keychain, clients: usize) -> Self {
        let mock = MockServer::start(MockConfig::new(Dialect::Generic))
            .await
            .expect("the mock provider starts");
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = Store::open(&dir.path().join("registrar.sqlite3")).expect("the database opens");
        let secrets: Arc<dyn SecretStore> = match keychain {
            Keychain::Memory => Arc::new(MemoryStore::new()),
            Keychain::Real => Arc::new(OsKeychain::new(Some(&format!("bench-{}", uuid::Uuid::new_v4())))),
        };
        // As the app and the CLI have it: the vault keeps its copy under the lock file.
        let vault = Vault::new(secrets, Some(dir.path().join("keychain.lock")));
        let registrar = Registrar::with_vault(store, vault, Arc::new(ReqwestFactory::new()));
        let (profile, secrets) = registrar_local_mock::profile_for("bench", &mock);
        let profile = registrar.save_profile(&profile, &secrets).expect("the profile saves");
        for i in 0..clients {
            let outcome = registrar
                .register(&profile.id, web_client(&format!("bench client {i}")))
                .await
                .expect("registration works");
            // A keychain that fails (locked, its daemon gone) would make every later
            // figure measure error paths: stop here instead.
            assert!(outcome.warnings.is_empty(), "registration {i}: {:?}", outcome.warnings);
        }
        let targets = registrar.refresh_targets(Some(&profile.id)).expect("targets");
        Self {
            registrar,
            mock,
            profile,
            targets,
            _dir: dir,
        }
    }
}

/// Whether a real keychain may be used: a Secret Service answers, and we run inside the
/// private session of scripts/with-keychain.sh. A benchmark writes thousands of entries,
/// which have no business in the user's own login keychain; the private one is thrown away
/// with its session, so they are not deleted one by one (that would take minutes).
pub fn real_keychain_available() -> bool {
    if std::env::var_os("REGISTRAR_KEYCHAIN_SESSION").is_none() {
        return false;
    }
    let store = OsKeychain::new(Some(&format!("bench-probe-{}", uuid::Uuid::new_v4())));
    let entry = registrar_core::secrets::EntryName {
        name: "probe",
        label: "Registrar benchmark probe",
        group: None,
    };
    let works = store.set(entry, &Secret::new("probe")).is_ok() && store.get("probe").ok().flatten().is_some();
    let _ = store.delete("probe");
    works
}

/// A typical web client: what people register most.
pub fn web_client(name: &str) -> ClientMetadata {
    let value = client_json(name);
    ClientMetadata::from_map(value.as_object().cloned().unwrap_or_default())
}

pub fn client_json(name: &str) -> serde_json::Value {
    serde_json::json!({
        "client_name": name,
        "redirect_uris": ["https://billing.example.org/callback", "https://billing.example.org/silent-renew"],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "contacts": ["ops@example.org"],
        "scope": "openid profile email"
    })
}
