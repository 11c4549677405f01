//! An in-memory keychain for tests, with switches that make it fail as a locked or missing
//! keychain, refuse writes, refuse values too big for Windows, or not list (as the macOS and
//! Windows stores cannot), so the fail-safe paths can be tested. It counts round trips.

use crate::{utf16_len, EntryName, KeychainError, Secret, SecretStore, MAX_VALUE_UNITS};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::Mutex;

/// The keychain in memory, with switches to make it fail (see the module doc).
#[derive(Debug)]
pub struct MemoryStore {
    entries: Mutex<BTreeMap<String, Stored>>,
    failing: AtomicBool,
    /// Writes still allowed before the store refuses them; negative means no limit.
    writes_left: AtomicI64,
    /// Refuse values over [`MAX_VALUE_UNITS`], as Windows Credential Manager does.
    limited: AtomicBool,
    listing: AtomicBool,
    reads: AtomicUsize,
}

#[derive(Debug, Clone)]
struct Stored {
    value: Secret,
    label: String,
    group: Option<String>,
}

/// What a test may see of an entry: everything but its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryInfo {
    pub name: String,
    pub label: String,
    pub group: Option<String>,
    /// The value's length in UTF-16 code units.
    pub units: usize,
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self {
            entries: Mutex::default(),
            failing: AtomicBool::new(false),
            writes_left: AtomicI64::new(-1),
            limited: AtomicBool::new(false),
            listing: AtomicBool::new(true),
            reads: AtomicUsize::new(0),
        }
    }
}

impl MemoryStore {
    /// An empty store that works, lists, and takes values of any size.
    pub fn new() -> Self {
        Self::default()
    }

    /// A store that refuses any value over [`MAX_VALUE_UNITS`], as Windows does.
    pub fn limited() -> Self {
        let store = Self::default();
        store.limited.store(true, Ordering::SeqCst);
        store
    }

    /// A store that cannot list a group and refuses big values: Windows Credential Manager.
    pub fn without_listing() -> Self {
        let store = Self::limited();
        store.listing.store(false, Ordering::SeqCst);
        store
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

    /// Reads so far (`get` and `list` calls): the store's round trips.
    pub fn reads(&self) -> usize {
        self.reads.load(Ordering::SeqCst)
    }

    /// How many entries it holds.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether it holds no entry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every entry's name, label, group and size (never its value).
    pub fn entries(&self) -> Vec<EntryInfo> {
        self.lock()
            .iter()
            .map(|(name, stored)| EntryInfo {
                name: name.clone(),
                label: stored.label.clone(),
                group: stored.group.clone(),
                units: utf16_len(stored.value.expose()),
            })
            .collect()
    }

    /// Puts an entry in place as another program (or an older Registrar) would have.
    pub fn insert_raw(&self, name: &str, value: &str) {
        self.lock().insert(
            name.to_string(),
            Stored {
                value: Secret::new(value),
                label: name.to_string(),
                group: None,
            },
        );
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

    fn check(&self) -> Result<(), KeychainError> {
        if self.failing.load(Ordering::SeqCst) {
            Err(KeychainError::Unavailable("the test keychain is switched off".into()))
        } else {
            Ok(())
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Stored>> {
        // A poisoned map is still a valid map: a panicking test must not hide secrets.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl SecretStore for MemoryStore {
    fn get(&self, name: &str) -> Result<Option<Secret>, KeychainError> {
        self.check()?;
        self.reads.fetch_add(1, Ordering::SeqCst);
        Ok(self.lock().get(name).map(|s| s.value.clone()))
    }

    /// One read for all of them, as the Secret Service's batch is one round trip.
    fn get_many(&self, names: &[&str]) -> Result<Vec<Option<Secret>>, KeychainError> {
        self.check()?;
        self.reads.fetch_add(1, Ordering::SeqCst);
        let entries = self.lock();
        Ok(names
            .iter()
            .map(|name| entries.get(*name).map(|s| s.value.clone()))
            .collect())
    }

    fn set(&self, entry: EntryName<'_>, value: &Secret) -> Result<(), KeychainError> {
        self.check_write()?;
        let units = utf16_len(value.expose());
        if self.limited.load(Ordering::SeqCst) && units > MAX_VALUE_UNITS {
            return Err(KeychainError::Refused(format!(
                "the test keychain takes at most {MAX_VALUE_UNITS} UTF-16 units, as Windows does; {} has {units}",
                entry.name
            )));
        }
        self.lock().insert(
            entry.name.to_string(),
            Stored {
                value: value.clone(),
                label: entry.label.to_string(),
                group: entry.group.map(str::to_string),
            },
        );
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<(), KeychainError> {
        self.check_write()?;
        self.lock().remove(name);
        Ok(())
    }

    fn list(&self, group: &str) -> Result<Option<Vec<Secret>>, KeychainError> {
        self.check()?;
        if !self.listing.load(Ordering::SeqCst) {
            return Ok(None);
        }
        self.reads.fetch_add(1, Ordering::SeqCst);
        Ok(Some(
            self.lock()
                .values()
                .filter(|s| s.group.as_deref() == Some(group))
                .map(|s| s.value.clone())
                .collect(),
        ))
    }
}
