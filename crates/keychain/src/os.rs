//! The OS keychain: the Secret Service on Linux (over one connection per process, see
//! `secret_service`), the `keyring` crate's native stores on macOS and Windows. Each data
//! directory gets its own service name, so `--data-dir` demos and tests never read or
//! overwrite a user's real entries.

use crate::{EntryName, KeychainError, Secret, SecretStore};

/// The operating system's keychain, under one service name.
#[derive(Debug)]
pub struct OsKeychain {
    service: String,
    #[cfg(target_os = "linux")]
    backend: crate::secret_service::SecretServiceStore,
}

impl OsKeychain {
    /// `namespace` separates data directories; `None` is the user's default one.
    pub fn new(namespace: Option<&str>) -> Self {
        let service = match namespace {
            None => "registrar".to_string(),
            Some(ns) => format!("registrar:{ns}"),
        };
        Self {
            #[cfg(target_os = "linux")]
            backend: crate::secret_service::SecretServiceStore::new(service.clone()),
            service,
        }
    }

    /// Keeps where entries were found in `file` (non-secret: entry names and the Secret
    /// Service's object paths), so that a later process reads several entries in one round
    /// trip instead of two. Only the Secret Service uses it; elsewhere nothing is written.
    pub fn remember_items_in(self, file: std::path::PathBuf) -> Self {
        #[cfg(target_os = "linux")]
        {
            let mut this = self;
            this.backend.remember_items_in(file);
            this
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = file;
            self
        }
    }

    /// The service name its entries are filed under (`registrar`, or `registrar:<namespace>`).
    pub fn service(&self) -> &str {
        &self.service
    }
}

#[cfg(target_os = "linux")]
impl SecretStore for OsKeychain {
    fn get(&self, name: &str) -> Result<Option<Secret>, KeychainError> {
        self.backend.get(name)
    }

    fn get_many(&self, names: &[&str]) -> Result<Vec<Option<Secret>>, KeychainError> {
        self.backend.get_many(names)
    }

    fn set(&self, entry: EntryName<'_>, value: &Secret) -> Result<(), KeychainError> {
        self.backend.set(entry, value)
    }

    fn create(&self, entry: EntryName<'_>, value: &Secret) -> Result<(), KeychainError> {
        self.backend.create(entry, value)
    }

    fn create_expecting_none(&self, entry: EntryName<'_>, value: &Secret) -> Result<crate::Previous, KeychainError> {
        self.backend.create_expecting_none(entry, value)
    }

    fn delete(&self, name: &str) -> Result<(), KeychainError> {
        self.backend.delete(name)
    }

    fn list(&self, group: &str) -> Result<Option<Vec<Secret>>, KeychainError> {
        self.backend.list(group).map(Some)
    }
}

/// The `keyring` crate names an entry by (service, user): the user is the entry's name, which
/// holds the client id, so Keychain Access and Credential Manager show which client an entry
/// is for. These stores cannot list, and cannot take a label of their own.
#[cfg(not(target_os = "linux"))]
impl SecretStore for OsKeychain {
    fn get(&self, name: &str) -> Result<Option<Secret>, KeychainError> {
        match self.entry(name)?.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e)),
        }
    }

    fn set(&self, entry: EntryName<'_>, value: &Secret) -> Result<(), KeychainError> {
        self.entry(entry.name)?.set_password(value.expose()).map_err(map_error)
    }

    fn delete(&self, name: &str) -> Result<(), KeychainError> {
        match self.entry(name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_error(e)),
        }
    }
}

#[cfg(not(target_os = "linux"))]
impl OsKeychain {
    fn entry(&self, name: &str) -> Result<keyring::Entry, KeychainError> {
        keyring::Entry::new(&self.service, name).map_err(map_error)
    }
}

#[cfg(not(target_os = "linux"))]
fn map_error(e: keyring::Error) -> KeychainError {
    match e {
        keyring::Error::NoStorageAccess(inner) => {
            let text = inner.to_string();
            if text.to_ascii_lowercase().contains("lock") {
                KeychainError::Locked
            } else {
                KeychainError::Unavailable(text)
            }
        }
        keyring::Error::PlatformFailure(inner) => KeychainError::Unavailable(inner.to_string()),
        other => KeychainError::Refused(other.to_string()),
    }
}
