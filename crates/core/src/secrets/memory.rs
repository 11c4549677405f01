//! An in-memory keychain for unit tests, with a switch that makes it fail like a locked
//! or missing keychain so the fail-safe paths can be tested.

use super::{KeychainError, SecretKey, SecretStore};
use crate::secret::Secret;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

#[derive(Debug)]
pub struct MemoryStore {
    entries: Mutex<HashMap<SecretKey, Secret>>,
    failing: AtomicBool,
    /// Writes still allowed before the store refuses them; negative means no limit.
    writes_left: std::sync::atomic::AtomicI64,
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self {
            entries: Mutex::default(),
            failing: AtomicBool::new(false),
            writes_left: std::sync::atomic::AtomicI64::new(-1),
        }
    }
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// From now on every call fails as if the keychain were unavailable.
    pub fn set_failing(&self, failing: bool) {
        self.failing.store(failing, Ordering::SeqCst);
    }

    /// From now on reads work and every write fails: a keychain that refuses to store
    /// what a provider just handed over (a full disk, a policy, a cancelled prompt).
    pub fn set_refusing_writes(&self, refusing: bool) {
        self.writes_left.store(if refusing { 0 } else { -1 }, Ordering::SeqCst);
    }

    /// Allows `n` more writes, then refuses every one after.
    pub fn refuse_writes_after(&self, n: u32) {
        self.writes_left.store(i64::from(n), Ordering::SeqCst);
    }

    fn check_write(&self) -> Result<(), KeychainError> {
        self.check()?;
        let allowed = self
            .writes_left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| match left {
                l if l < 0 => Some(l),
                0 => None,
                l => Some(l - 1),
            })
            .is_ok();
        if allowed {
            Ok(())
        } else {
            Err(KeychainError::Unavailable("the test keychain refuses writes".into()))
        }
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
        self.check_write()?;
        self.lock().insert(key.clone(), value.clone());
        Ok(())
    }

    fn delete(&self, key: &SecretKey) -> Result<(), KeychainError> {
        self.check_write()?;
        self.lock().remove(key);
        Ok(())
    }
}
