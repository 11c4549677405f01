//! What the app holds while it runs: the core, and the mock providers it started.

use registrar_core::{DataDir, Registrar};
use registrar_mock_op::{Dialect, MockServer};
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::{watch, Mutex};

pub struct AppState {
    pub registrar: Arc<Registrar>,
    pub data_dir: DataDir,
    pub mocks: Mutex<BTreeMap<Dialect, MockServer>>,
    /// True once the local mock provider has started (or failed to, or is not wanted).
    local_mock_settled: watch::Sender<bool>,
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
            local_mock_settled: watch::Sender::new(false),
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

    /// Resolves once the start-up's local mock has started or failed to: the profiles and
    /// the running mocks are then what the user should see.
    pub async fn local_mock_settled(&self) {
        let mut settled = self.local_mock_settled.subscribe();
        // The sender lives as long as `self`, so this only ends when it is true.
        let _ = settled.wait_for(|done| *done).await;
    }
}
