//! What the app holds while it runs: the core, and the mock providers it started.

use registrar_core::{DataDir, Registrar};
use registrar_mock_op::{Dialect, MockServer};
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::Mutex;

pub struct AppState {
    pub registrar: Arc<Registrar>,
    pub data_dir: DataDir,
    pub mocks: Mutex<BTreeMap<Dialect, MockServer>>,
}

impl AppState {
    /// Opens the data directory (`REGISTRAR_DATA_DIR`, else the user's) and starts the
    /// local mock provider behind the ready "Local mock" profile.
    pub async fn open() -> Result<Self, Box<dyn std::error::Error>> {
        let data_dir = match std::env::var_os("REGISTRAR_DATA_DIR") {
            Some(dir) => DataDir::at(dir),
            None => DataDir::default_location().ok_or("no user data directory is known on this system")?,
        };
        let registrar = Arc::new(Registrar::open(&data_dir)?);
        let state = Self {
            registrar,
            data_dir,
            mocks: Mutex::new(BTreeMap::new()),
        };
        if std::env::var_os("REGISTRAR_NO_LOCAL_MOCK").is_none() {
            if let Err(e) = crate::local_mock::start(&state, Dialect::Generic).await {
                tracing::warn!(error = %e.message, "the local mock provider did not start");
            }
        }
        Ok(state)
    }
}
