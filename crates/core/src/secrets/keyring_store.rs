//! The OS keychain through the `keyring` crate. Each data directory gets its own service
//! name, so `--data-dir` demos and tests never read or overwrite a user's real entries.

use super::{KeychainError, SecretKey, SecretStore};
use crate::secret::Secret;

#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
}

impl KeyringStore {
    /// `namespace` separates data directories; `None` is the user's default one.
    pub fn new(namespace: Option<&str>) -> Self {
        let service = match namespace {
            None => "registrar".to_string(),
            Some(ns) => format!("registrar:{ns}"),
        };
        Self { service }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    fn entry(&self, key: &SecretKey) -> Result<keyring::Entry, KeychainError> {
        keyring::Entry::new(&self.service, key.as_str()).map_err(map_error)
    }
}

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
