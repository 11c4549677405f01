//! An in-memory keychain for unit tests, with a switch that makes it fail like a locked
//! or missing keychain so the fail-safe paths can be tested.

use super::{KeychainError, SecretKey, SecretStore};
use crate::secret::Secret;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

#[derive(Debug, Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<SecretKey, Secret>>,
    failing: AtomicBool,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// From now on every call fails as if the keychain were unavailable.
    pub fn set_failing(&self, failing: bool) {
        self.failing.store(failing, Ordering::SeqCst);
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn check(&self) -> Result<(), KeychainError> {
        if self.failing.load(Ordering::SeqCst) {
            Err(KeychainError::Unavailable("the test keychain is switched off".into()))
        } else {
            Ok(())
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SecretKey, Secret>> {
        // A poisoned map is still a valid map: a panicking test must not hide secrets.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, key: &SecretKey) -> Result<Option<Secret>, KeychainError> {
        self.check()?;
        Ok(self.lock().get(key).cloned())
    }

    fn set(&self, key: &SecretKey, value: &Secret) -> Result<(), KeychainError> {
        self.check()?;
        self.lock().insert(key.clone(), value.clone());
        Ok(())
    }

    fn delete(&self, key: &SecretKey) -> Result<(), KeychainError> {
        self.check()?;
        self.lock().remove(key);
        Ok(())
    }
}
