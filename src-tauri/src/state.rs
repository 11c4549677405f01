//! What the app holds while it runs: the core, and the mock providers it started.

use registrar_core::custody::JwksServer;
use registrar_core::{DataDir, MetadataDocumentServer, PendingAuthorization, PendingDevice, Registrar, TrySession};
use registrar_mock_op::{Dialect, MockServer};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use tokio::sync::{oneshot, watch, Mutex};

pub struct AppState {
    pub registrar: Arc<Registrar>,
    pub data_dir: DataDir,
    pub mocks: Mutex<BTreeMap<Dialect, MockServer>>,
    /// The window's tries by attempt id, their tokens in memory only.
    tries: std::sync::Mutex<HashMap<String, Attempt>>,
    /// True once the local mock provider has started (or failed to, or is not wanted).
    local_mock_settled: watch::Sender<bool>,
    /// Public JWK Sets served on loopback URLs (`commands::custody::serve_public_jwks`), by
    /// profile id and client id; each stops when removed or when the app ends.
    pub jwks_served: Mutex<HashMap<(String, Option<String>), JwksServer>>,
    /// The Client ID Metadata Document served on loopback (`commands::cimd::cimd_serve`):
    /// one at a time; it stops when replaced, removed, or when the app ends.
    pub cimd_served: Mutex<Option<MetadataDocumentServer>>,
}

impl AppState {
    /// Opens the data directory (`REGISTRAR_DATA_DIR`, else the user's). The local mock
    /// provider is not started here: see [`AppState::start_local_mock`].
    pub fn open() -> Result<Self, Box<dyn std::error::Error>> {
        let data_dir = match std::env::var_os("REGISTRAR_DATA_DIR") {
            Some(dir) => DataDir::at(dir),
            None => DataDir::default_location().ok_or("no user data directory is known on this system")?,
        };
        let registrar = Arc::new(Registrar::open(&data_dir)?);
        Ok(Self {
            registrar,
            data_dir,
            mocks: Mutex::new(BTreeMap::new()),
            tries: std::sync::Mutex::new(HashMap::new()),
            local_mock_settled: watch::Sender::new(false),
            jwks_served: Mutex::new(HashMap::new()),
            cimd_served: Mutex::new(None),
        })
    }

    /// Starts the local mock provider behind the ready "Local mock" profile (unless
    /// `REGISTRAR_NO_LOCAL_MOCK` is set). The app runs this beside the window's start, not
    /// before it: the window and its first screen do not wait for a server to bind and for
    /// the profile's secrets to reach the keychain. What shows the local mock or its
    /// profile waits for it with [`AppState::local_mock_settled`].
    pub async fn start_local_mock(&self) {
        if std::env::var_os("REGISTRAR_NO_LOCAL_MOCK").is_none() {
            if let Err(e) = crate::local_mock::start(self, Dialect::Generic).await {
                tracing::warn!(error = %e.message, "the local mock provider did not start");
            }
        }
        self.local_mock_settled.send_replace(true);
    }

    /// The tries, locked for a moment (never across an await).
    pub fn tries(&self) -> std::sync::MutexGuard<'_, HashMap<String, Attempt>> {
        self.tries.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Resolves once the start-up's local mock has started or failed to: the profiles and
    /// the running mocks are then what the user should see.
    pub async fn local_mock_settled(&self) {
        let mut settled = self.local_mock_settled.subscribe();
        // The sender lives as long as `self`, so this only ends when it is true.
        let _ = settled.wait_for(|done| *done).await;
    }
}

/// A try in the window (`commands::tryout`), under its attempt id in [`AppState::tries`].
pub enum Attempt {
    /// An authorization request shown to the user.
    Authorization(Box<PendingAuthorization>),
    /// A device code shown to the user.
    Device(Box<PendingDevice>),
    /// Taken out by `try_wait`, which is waiting for the user; `cancel` stops it.
    Waiting {
        cancel: oneshot::Sender<()>,
        url: Option<String>,
    },
    /// A finished try: its tokens, in memory only.
    Session(Box<TrySession>),
}

impl Attempt {
    /// The URL the user opens: the authorization URL, or the device's verification URL.
    pub fn browser_url(&self) -> Option<String> {
        match self {
            Attempt::Authorization(pending) => Some(pending.url().to_string()),
            Attempt::Device(pending) => Some(
                pending
                    .verification_uri_complete()
                    .unwrap_or(pending.verification_uri())
                    .to_string(),
            ),
            Attempt::Waiting { url, .. } => url.clone(),
            Attempt::Session(_) => None,
        }
    }
}
