//! The OS keychain: the Secret Service on Linux (over one connection per process, see
//! `secret_service`), the `keyring` crate's native stores on macOS and Windows. Each data
//! directory gets its own service name, so `--data-dir` demos and tests never read or
//! overwrite a user's real entries.

use super::{KeychainError, SecretKey, SecretStore};
use crate::secret::Secret;

#[derive(Debug)]
pub struct KeyringStore {
    service: String,
    #[cfg(target_os = "linux")]
    backend: super::secret_service::SecretServiceStore,
}

impl KeyringStore {
    /// `namespace` separates data directories; `None` is the user's default one.
    pub fn new(namespace: Option<&str>) -> Self {
        let service = match namespace {
            None => "registrar".to_string(),
            Some(ns) => format!("registrar:{ns}"),
        };
        Self {
            #[cfg(target_os = "linux")]
            backend: super::secret_service::SecretServiceStore::new(service.clone()),
            service,
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }
}

#[cfg(target_os = "linux")]
impl SecretStore for KeyringStore {
    fn get(&self, key: &SecretKey) -> Result<Option<Secret>, KeychainError> {
        self.backend.get(key)
    }

    fn set(&self, key: &SecretKey, value: &Secret) -> Result<(), KeychainError> {
        self.backend.set(key, value)
    }

    fn delete(&self, key: &SecretKey) -> Result<(), KeychainError> {
        self.backend.delete(key)
    }
}

#[cfg(not(target_os = "linux"))]
impl SecretStore for KeyringStore {
    fn get(&self, key: &SecretKey) -> Result<Option<Secret>, KeychainError> {
        match self.entry(key)?.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e)),
        }
    }

    fn set(&self, key: &SecretKey, value: &Secret) -> Result<(), KeychainError> {
        self.entry(key)?.set_password(value.expose()).map_err(map_error)
    }

    fn delete(&self, key: &SecretKey) -> Result<(), KeychainError> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_error(e)),
        }
    }
}

#[cfg(not(target_os = "linux"))]
impl KeyringStore {
    fn entry(&self, key: &SecretKey) -> Result<keyring::Entry, KeychainError> {
        keyring::Entry::new(&self.service, key.as_str()).map_err(map_error)
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
