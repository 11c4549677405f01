//! `Registrar`: the narrow context every operation runs against (store, keychain, HTTP),
//! so the CLI, the desktop shell and the tests share one implementation and a test can
//! swap any part.

use super::client_locks::ClientLocks;
use crate::data_dir::DataDir;
use crate::error::Result;
use crate::http::{ReqwestFactory, TransportFactory};
use crate::secret::Secret;
use crate::secrets::{OsKeychain, SecretStore, Vault};
use crate::store::Store;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The engine: every operation is a method on it, over one database, one keychain and one
/// way to reach providers. The shells hold one each.
#[derive(Debug)]
pub struct Registrar {
    pub(crate) store: Store,
    pub(crate) secrets: Vault,
    pub(crate) transports: Arc<dyn TransportFactory>,
    /// client_credentials tokens per profile id, reused until shortly before expiry.
    pub(crate) tokens: Mutex<HashMap<crate::ProfileId, (Secret, Instant)>>,
    pub(crate) client_locks: ClientLocks,
}

impl Registrar {
    /// The real thing: the database in `dir`, the OS keychain under `dir`'s namespace.
    pub fn open(dir: &DataDir) -> Result<Self> {
        let store = Store::open(&dir.database_path())?;
        let keychain = Arc::new(
            OsKeychain::new(dir.keychain_namespace().as_deref())
                .remember_items_in(dir.path().join("keychain-items.json")),
        );
        let secrets = Vault::new(keychain, Some(dir.path().join("keychain.lock")));
        let registrar = Self::with_vault(store, secrets, Arc::new(ReqwestFactory::new()));
        let flagged = registrar.reconcile()?;
        if flagged > 0 {
            tracing::warn!(
                flagged,
                "operations cut short by an earlier crash were flagged for recovery"
            );
        }
        Ok(registrar)
    }

    /// Parts a test chooses; the keychain's client credentials are read through each time.
    pub fn with_parts(store: Store, secrets: Arc<dyn SecretStore>, transports: Arc<dyn TransportFactory>) -> Self {
        Self::with_vault(store, Vault::new(secrets, None), transports)
    }

    /// Parts with the keychain behind a vault of the caller's making (its lock file).
    pub fn with_vault(store: Store, secrets: Vault, transports: Arc<dyn TransportFactory>) -> Self {
        Self {
            store,
            secrets,
            transports,
            tokens: Mutex::new(HashMap::new()),
            client_locks: ClientLocks::default(),
        }
    }

    /// The keychain as the engine sees it: credentials by id, laid out over entries.
    pub fn secrets(&self) -> &Vault {
        &self.secrets
    }
}
