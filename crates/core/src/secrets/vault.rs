//! How Registrar's credentials are laid out in the keychain: one entry per credential.
//!
//! - **Small entries.** Windows Credential Manager refuses a value over 1,280 UTF-16 units,
//!   so no entry ever holds more ([`MAX_VALUE_UNITS`]); a longer credential (a big JWT) is
//!   split over parts.
//! - **No read-modify-write.** Writing a credential replaces that credential's entry and
//!   nothing else, so a read that wrongly came back empty (a locked KeePassXC database)
//!   can never make a write drop other credentials.
//! - **Recognisable.** Each entry's label names the profile, the client and the credential
//!   ("Registrar — Keycloak prod — billing-app — registration access token").
//! - **Read together.** Entries carry their profile as a group, and the Secret Service lists
//!   a group in two calls, so bulk refresh of 1,000 clients reads the keychain a constant
//!   number of times. Each value is kept in an envelope naming its key, since a listing
//!   gives values without names.
//!
//! A decrypted copy of a profile's listing answers reads for a few seconds at most and only
//! while the generation in `keychain.lock` is unchanged: every writer, in any process (the
//! app and the CLI on one data directory), bumps it under an exclusive lock before it writes.

use super::{KeychainError, SecretKey, SecretStore, MAX_VALUE_UNITS};
use crate::secret::Secret;
use crate::ProfileId;
use registrar_keychain::{EntryName, Previous};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::{Read, Seek, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long a decrypted copy may answer reads without asking the keychain again.
const COPY_LIFETIME: Duration = Duration::from_secs(3);

/// How many of a profile's credentials a process reads each from its own entry before it
/// lists the profile instead (see [`Vault::get`]): more than a command about one client
/// reads (an update reads three or four), far fewer than a bulk operation.
const READS_ALONE: u32 = 8;

/// Writes of every vault in the process, one at a time (two `Registrar`s may share one
/// keychain, as tests do); between processes the lock file does the same.
static CHANGES: Mutex<()> = Mutex::new(());

/// Who the credentials being written belong to, in words, for the entries' labels.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    profile: Option<String>,
    client: Option<String>,
    /// Where the client is managed (its `registration_client_uri`), kept beside its
    /// credentials so a client whose database row a crash lost can be adopted from them.
    managed_at: Option<String>,
}

impl Labels {
    /// A profile's own credentials (initial access token, admin password).
    pub fn profile(profile_name: &str) -> Self {
        Self {
            profile: Some(profile_name.to_string()),
            ..Self::default()
        }
    }

    /// A client's credentials: its name where it has one, always its id.
    pub fn client(profile_name: &str, client_id: &str, client_name: Option<&str>) -> Self {
        let client = match client_name.map(str::trim).filter(|n| !n.is_empty() && *n != client_id) {
            Some(name) => format!("{name} ({client_id})"),
            None => client_id.to_string(),
        };
        Self {
            profile: Some(profile_name.to_string()),
            client: Some(client),
            managed_at: None,
        }
    }

    /// The client's `registration_client_uri`, kept in its entries (not a secret).
    pub fn managed_at(mut self, uri: Option<&str>) -> Self {
        self.managed_at = uri.map(str::to_string);
        self
    }

    fn label(&self, key: &SecretKey) -> String {
        let what = key.describe();
        let client = self.client.as_deref().or(key.client_id());
        let mut parts = vec!["Registrar"];
        parts.extend(self.profile.as_deref());
        parts.extend(client);
        parts.push(&what);
        parts.join(" — ")
    }
}

/// Registrar's credentials in a keychain, one entry per credential (see the module): what
/// every operation reads and writes secrets through.
#[derive(Debug)]
pub struct Vault {
    inner: Arc<dyn SecretStore>,
    /// The cross-process lock and generation; `None` keeps no copies (in-memory tests).
    lock_path: Option<PathBuf>,
    copies: Mutex<HashMap<ProfileId, Copy>>,
    /// Profiles whose pre-split entry this process has already looked for.
    migrated: Mutex<HashSet<ProfileId>>,
    /// Entries read ahead for [`Vault::get_one`] ([`Vault::read_ahead`]), each taken once.
    ahead: Mutex<HashMap<SecretKey, Ahead>>,
    /// How many credentials of each profile [`Vault::get`] has read alone.
    read_alone: Mutex<HashMap<ProfileId, u32>>,
}

/// Drops what [`Vault::read_ahead`] read and nobody took, when the operation ends.
#[derive(Debug)]
pub struct AheadGuard<'v> {
    vault: &'v Vault,
    keys: Vec<SecretKey>,
}

impl Drop for AheadGuard<'_> {
    fn drop(&mut self) {
        let mut ahead = self.vault.ahead.lock().unwrap_or_else(|e| e.into_inner());
        for key in &self.keys {
            ahead.remove(key);
        }
    }
}

/// An entry read ahead: its stored text, and the generation and time of the read.
#[derive(Debug)]
struct Ahead {
    stored: Secret,
    generation: Option<u64>,
    read_at: Instant,
}

/// A profile's credentials as one listing found them.
#[derive(Debug, Clone, Default)]
struct Listing {
    values: HashMap<SecretKey, Secret>,
    managed_at: HashMap<SecretKey, String>,
    /// The names of each credential's extra parts (none for a value that fits one entry).
    parts: HashMap<SecretKey, Vec<String>>,
}

#[derive(Debug)]
struct Copy {
    generation: u64,
    read_at: Instant,
    listing: Arc<Listing>,
}

/// What an entry holds: the credential's key as its parts (a listing gives values without
/// names, and names are never parsed back), and the value or one part of it. Part 1 is the entry named by the key; it says how many parts
/// there are and the `write` they share, so a part left by an interrupted write is ignored.
#[derive(Debug, Serialize, Deserialize)]
struct Envelope<'a> {
    registrar: u32,
    profile: std::borrow::Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client: Option<std::borrow::Cow<'a, str>>,
    credential: std::borrow::Cow<'a, str>,
    /// A private key's `kid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<std::borrow::Cow<'a, str>>,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    part: usize,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    parts: usize,
    #[serde(default, skip_serializing_if = "str::is_empty")]
    write: std::borrow::Cow<'a, str>,
    /// Part 1 only: where the client is managed, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    managed_at: Option<std::borrow::Cow<'a, str>>,
    value: std::borrow::Cow<'a, str>,
}

impl Envelope<'_> {
    /// The credential this entry is (part of); `None` for one this version does not know.
    fn key(&self) -> Option<SecretKey> {
        let credential = serde_json::Value::String(self.credential.to_string());
        let profile = ProfileId::from(&*self.profile);
        if self.credential == super::key::PRIVATE_KEY {
            return Some(SecretKey::private_key(&profile, self.key.as_deref()?));
        }
        Some(match &self.client {
            Some(client) => SecretKey::client(&profile, client, serde_json::from_value(credential).ok()?),
            None => SecretKey::profile(&profile, serde_json::from_value(credential).ok()?),
        })
    }
}

fn one() -> usize {
    1
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

impl Vault {
    /// A vault over `inner`. `lock_path` is the data directory's `keychain.lock`, shared by
    /// every process on it; with `None` nothing is cached (for one-process tests).
    pub fn new(inner: Arc<dyn SecretStore>, lock_path: Option<PathBuf>) -> Self {
        Self {
            inner,
            lock_path,
            copies: Mutex::new(HashMap::new()),
            migrated: Mutex::new(HashSet::new()),
            ahead: Mutex::new(HashMap::new()),
            read_alone: Mutex::new(HashMap::new()),
        }
    }

    /// Reads the entries of `keys` (private keys an operation is about to use) together,
    /// with the pre-split entry of their profiles not yet looked for: on the Secret Service
    /// two round trips for all of them instead of two each. [`Vault::get_one`] then takes
    /// each once, while the generation is unchanged and for [`COPY_LIFETIME`] at most.
    /// Only what fits one entry is kept; the rest is read as before.
    /// What was read ahead and not taken is dropped (wiped) with the returned guard, so no
    /// private key outlives the operation that asked for it.
    pub fn read_ahead(&self, keys: &[SecretKey]) -> Result<AheadGuard<'_>, KeychainError> {
        let lock = self.lock_path.as_ref().map(GenerationLock::shared).transpose()?;
        let generation = lock.as_ref().and_then(GenerationLock::generation);
        let legacy: Vec<(ProfileId, String)> = {
            let migrated = self.migrated.lock().unwrap_or_else(|e| e.into_inner());
            keys.iter()
                .map(SecretKey::profile_id)
                .filter(|p| !migrated.contains(*p))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .map(|p| (p.clone(), SecretKey::legacy_clients_of(p).name()))
                .collect()
        };
        let key_names: Vec<String> = keys.iter().map(SecretKey::name).collect();
        let names: Vec<&str> = key_names
            .iter()
            .chain(legacy.iter().map(|(_, name)| name))
            .map(String::as_str)
            .collect();
        let values = self.inner.get_many(&names)?;
        let (key_values, legacy_values) = values.split_at(keys.len());
        let mut ahead = self.ahead.lock().unwrap_or_else(|e| e.into_inner());
        for (key, value) in keys.iter().zip(key_values) {
            let Some(stored) = value else { continue };
            if open(stored).is_some_and(|first| first.parts > 1) {
                continue;
            }
            ahead.insert(
                key.clone(),
                Ahead {
                    stored: stored.clone(),
                    generation,
                    read_at: Instant::now(),
                },
            );
        }
        drop(ahead);
        let mut migrated = self.migrated.lock().unwrap_or_else(|e| e.into_inner());
        for ((profile, _), value) in legacy.iter().zip(legacy_values) {
            // Found, it is moved by the next change, which looks again (`migrate_once`).
            if value.is_none() {
                migrated.insert(profile.clone());
            }
        }
        Ok(AheadGuard {
            vault: self,
            keys: keys.to_vec(),
        })
    }

    /// The entry read ahead for `key`, if still current.
    fn take_ahead(&self, key: &SecretKey, generation: Option<u64>) -> Option<Secret> {
        let taken = self.ahead.lock().unwrap_or_else(|e| e.into_inner()).remove(key)?;
        // (Both `None` when there is no lock file, or no writer has numbered it yet: no
        // write came between, as a writer numbers it first.)
        let current = taken.generation == generation;
        (current && taken.read_at.elapsed() < COPY_LIFETIME).then_some(taken.stored)
    }

    /// The credential, or `None` when the keychain has none; an error when the keychain is
    /// locked or absent, never `None` for that.
    ///
    /// A process's first few reads of a profile ([`READS_ALONE`]) read the credential's own
    /// entry; later ones list the profile, two keychain calls for all its credentials, and
    /// keep the copy: a bulk operation over 1,000 clients reads the keychain a constant
    /// number of times, and a command about one client does not decrypt every entry of a
    /// profile of thousands (with 300 clients, listing made `registrar get --show-secret`
    /// 110 ms instead of 18).
    pub fn get(&self, key: &SecretKey) -> Result<Option<Secret>, KeychainError> {
        let profile = key.profile_id();
        self.migrate_once(profile)?;
        if self.reads_alone(profile) {
            return self.read_one(key);
        }
        match self.listing(profile)? {
            Some(listing) => Ok(listing.values.get(key).cloned()),
            None => self.read_one(key),
        }
    }

    /// Whether [`Vault::get`] reads the next credential of `profile` alone: not once a copy
    /// of its listing was made (a bulk operation is under way), nor after [`READS_ALONE`].
    fn reads_alone(&self, profile: &ProfileId) -> bool {
        if self.copies().contains_key(profile) {
            return false;
        }
        let mut counts = self.read_alone.lock().unwrap_or_else(|e| e.into_inner());
        let count = counts.entry(profile.clone()).or_insert(0);
        *count += 1;
        *count <= READS_ALONE
    }

    /// One credential read from its own entry (and parts), without listing the profile:
    /// for a value read once per use (a private key), where decrypting every entry of a
    /// profile with many clients would cost more than the one read. Private keys never
    /// lived in the pre-split layout, so no migration is needed first.
    pub fn get_one(&self, key: &SecretKey) -> Result<Option<Secret>, KeychainError> {
        let lock = self.lock_path.as_ref().map(GenerationLock::shared).transpose()?;
        let generation = lock.as_ref().and_then(GenerationLock::generation);
        match self.take_ahead(key, generation) {
            Some(stored) => self.finish_one(key, Some(stored)),
            None => self.read_one(key),
        }
    }

    /// Whether the keychain answers a read of `name` (an entry nobody writes): `Ok` when
    /// it answered at all, its error otherwise. Nothing is cached or migrated.
    pub fn check(&self, name: &str) -> Result<(), KeychainError> {
        self.inner.get(name).map(drop)
    }

    /// Stores one credential, replacing its entry (and any parts) and nothing else.
    pub fn set(&self, key: &SecretKey, value: &Secret, labels: &Labels) -> Result<(), KeychainError> {
        self.set_all(&[(key.clone(), value.clone())], labels)
    }

    /// Writes several credentials under one lock and one generation (a new client's token
    /// and secret), the first first: callers put the one that must not be lost there.
    pub fn set_all(&self, items: &[(SecretKey, Secret)], labels: &Labels) -> Result<(), KeychainError> {
        self.change(items.iter().map(|(k, _)| k), |vault, listing| {
            for (key, value) in items {
                let old = vault.stored_parts(key, listing)?;
                let absent = old.is_none();
                let new = vault.write(key, value, labels, |inner, entry, envelope| match absent {
                    true => inner.create(entry, envelope),
                    false => inner.set(entry, envelope),
                })?;
                let old = old.unwrap_or_default();
                vault.delete_names(old.iter().filter(|name| !new.contains(name)))?;
            }
            Ok(())
        })
    }

    /// As [`Vault::set_all`], for credentials of a client the provider has just created,
    /// which should have no entry yet: written without reading their entries first (the
    /// Secret Service searches in the same round trip as it writes,
    /// [`SecretStore::create_expecting_none`]). Should an entry be there after all (a
    /// provider that issued a client id again), what its old value left is removed as
    /// `set_all` would: the parts it names, or, when it was replaced unread, every part of
    /// the credential but the new value's.
    pub fn set_new(&self, items: &[(SecretKey, Secret)], labels: &Labels) -> Result<(), KeychainError> {
        self.change(items.iter().map(|(k, _)| k), |vault, _| {
            for (key, value) in items {
                let mut previous = Previous::None;
                let new = vault.write(key, value, labels, |inner, entry, envelope| {
                    previous = inner.create_expecting_none(entry, envelope)?;
                    Ok(())
                })?;
                match previous {
                    Previous::None => {}
                    Previous::Was(old) => {
                        let old = parts_of(key, Some(&old));
                        vault.delete_names(old.iter().filter(|name| !new.contains(name)))?;
                    }
                    Previous::Unknown => vault.delete_parts_but(key, &new)?,
                }
            }
            Ok(())
        })
    }

    /// Deleting an absent credential succeeds.
    pub fn delete(&self, key: &SecretKey) -> Result<(), KeychainError> {
        self.delete_all(std::slice::from_ref(key))
    }

    /// Deletes each credential and its parts under one lock; absent ones are no error.
    pub fn delete_all(&self, keys: &[SecretKey]) -> Result<(), KeychainError> {
        self.change(keys.iter(), |vault, listing| {
            for key in keys {
                let parts = vault.stored_parts(key, listing)?.unwrap_or_default();
                vault.inner.delete(&key.name())?;
                vault.delete_names(parts.iter())?;
            }
            Ok(())
        })
    }

    /// Every credential of a profile: the keys given (its clients, as the database knows
    /// them), and whatever else a listing finds (a credential written by a process that died
    /// before its database insert).
    pub fn delete_profile(&self, profile_id: &ProfileId, known: &[SecretKey]) -> Result<(), KeychainError> {
        let mut keys: BTreeSet<SecretKey> = known.iter().cloned().collect();
        keys.extend([
            SecretKey::initial_access_token(profile_id),
            SecretKey::admin_password(profile_id),
            SecretKey::client_credentials_secret(profile_id),
        ]);
        if let Some(listing) = self.listing(profile_id)? {
            keys.extend(listing.values.keys().cloned());
        }
        let keys: Vec<SecretKey> = keys.into_iter().collect();
        self.delete_all(&keys)?;
        self.inner.delete(&SecretKey::legacy_clients_of(profile_id).name())
    }

    /// The clients of a profile that have a credential in the keychain, where the keychain
    /// can list (the Secret Service); `None` where it cannot.
    pub fn clients_with_credentials(&self, profile_id: &ProfileId) -> Result<Option<BTreeSet<String>>, KeychainError> {
        self.migrate_once(profile_id)?;
        Ok(self.listing(profile_id)?.map(|listing| {
            listing
                .values
                .keys()
                .filter_map(|k| k.client_id().map(str::to_string))
                .collect()
        }))
    }

    /// Where the client whose credential this is is managed, as kept with it.
    pub fn managed_at(&self, key: &SecretKey) -> Result<Option<String>, KeychainError> {
        let profile = key.profile_id();
        if let Some(listing) = self.listing(profile)? {
            return Ok(listing.managed_at.get(key).cloned());
        }
        Ok(self
            .inner
            .get(&key.name())?
            .and_then(|stored| open(&stored).and_then(|e| e.managed_at.map(|uri| uri.to_string()))))
    }

    /// Runs `edit` with the profile's writes serialised and the generation bumped first. A
    /// copy current before the change is handed to `edit` (it names the parts stored now)
    /// and then dropped: the next read lists the keychain again rather than guess.
    fn change<'k>(
        &self,
        keys: impl Iterator<Item = &'k SecretKey>,
        edit: impl FnOnce(&Self, Option<&Listing>) -> Result<(), KeychainError>,
    ) -> Result<(), KeychainError> {
        let profiles: BTreeSet<&ProfileId> = keys.map(SecretKey::profile_id).collect();
        for profile in &profiles {
            self.migrate_once(profile)?;
        }
        let _in_process = CHANGES.lock().unwrap_or_else(|e| e.into_inner());
        let lock = self.lock_path.as_ref().map(GenerationLock::exclusive).transpose()?;
        let generation = lock.as_ref().and_then(GenerationLock::generation);
        // The part names of what is stored now, from a copy still current (saves reads).
        let current = match profiles.iter().next() {
            Some(profile) if profiles.len() == 1 => self.copy(profile, generation, false),
            _ => None,
        };
        if let Some(lock) = &lock {
            // Before the write: a crash between the two leaves others re-reading entries
            // that did not change, never trusting a copy of ones that did.
            lock.set_generation(generation.map_or(1, |g| g.wrapping_add(1)))?;
        }
        for profile in &profiles {
            self.drop_copy(profile);
        }
        self.ahead
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|key, _| !profiles.contains(key.profile_id()));
        edit(self, current.as_deref())
    }

    /// Writes `value` as the key's entry (and parts, written first, always new: their names
    /// are), the first entry through `first`; the part names used.
    fn write(
        &self,
        key: &SecretKey,
        value: &Secret,
        labels: &Labels,
        first: impl FnOnce(&dyn SecretStore, EntryName<'_>, &Secret) -> Result<(), KeychainError>,
    ) -> Result<Vec<String>, KeychainError> {
        let label = labels.label(key);
        let group = Some(key.profile_id().as_str());
        let name = key.name();
        let managed_at = labels.managed_at.as_deref();
        let chunks = split(key, managed_at, value.expose())?;
        if chunks.len() == 1 {
            let envelope = seal(key, 1, 1, "", managed_at, value.expose());
            first(self.inner.as_ref(), entry(&name, &label, group), &envelope)?;
            return Ok(Vec::new());
        }
        let write = uuid::Uuid::new_v4().simple().to_string();
        let parts = chunks.len();
        let names: Vec<String> = (2..=parts).map(|n| part_name(key, &write, n)).collect();
        for (n, (name, chunk)) in names.iter().zip(&chunks[1..]).enumerate() {
            let part_label = format!("{label} (part {} of {parts})", n + 2);
            let envelope = seal(key, n + 2, parts, &write, None, chunk);
            self.inner.create(entry(name, &part_label, group), &envelope)?;
        }
        let envelope = seal(key, 1, parts, &write, managed_at, &chunks[0]);
        first(self.inner.as_ref(), entry(&name, &label, group), &envelope)?;
        Ok(names)
    }

    /// Removes every part of `key`'s credential but those named in `keep`, found by listing
    /// the profile's entries: after an old value was replaced unread. A store that cannot
    /// list never replaces unread.
    fn delete_parts_but(&self, key: &SecretKey, keep: &[String]) -> Result<(), KeychainError> {
        let Some(values) = self.inner.list(key.profile_id())? else {
            return Ok(());
        };
        let stale: BTreeSet<String> = values
            .iter()
            .filter_map(open)
            .filter(|part| part.part > 1 && part.key().as_ref() == Some(key))
            .map(|part| part_name(key, &part.write, part.part))
            .filter(|name| !keep.contains(name))
            .collect();
        self.delete_names(stale.iter())
    }

    /// The names of the extra parts the key's stored value has now; `None` only when a read
    /// of its name found no entry at all (a listing cannot say: it leaves out entries it
    /// cannot attribute, such as an older version's).
    fn stored_parts(&self, key: &SecretKey, listing: Option<&Listing>) -> Result<Option<Vec<String>>, KeychainError> {
        if let Some(listing) = listing {
            return Ok(Some(listing.parts.get(key).cloned().unwrap_or_default()));
        }
        let Some(stored) = self.inner.get(&key.name())? else {
            return Ok(None);
        };
        Ok(Some(parts_of(key, Some(&stored))))
    }

    fn delete_names<'n>(&self, names: impl Iterator<Item = &'n String>) -> Result<(), KeychainError> {
        for name in names {
            self.inner.delete(name)?;
        }
        Ok(())
    }

    /// One credential, read entry by entry (a store that cannot list).
    fn read_one(&self, key: &SecretKey) -> Result<Option<Secret>, KeychainError> {
        self.finish_one(key, self.inner.get(&key.name())?)
    }

    /// The credential from its first entry as stored (reading its other parts, if any).
    fn finish_one(&self, key: &SecretKey, stored: Option<Secret>) -> Result<Option<Secret>, KeychainError> {
        let Some(stored) = stored else {
            return Ok(None);
        };
        let Some(first) = open(&stored) else {
            // An entry of a version before envelopes: the value itself.
            return Ok(Some(stored));
        };
        let mut value = zeroize::Zeroizing::new(first.value.to_string());
        for n in 2..=first.parts {
            let name = part_name(key, &first.write, n);
            let part = self.inner.get(&name)?.ok_or_else(|| incomplete(key))?;
            match open(&part) {
                Some(p) if p.part == n && p.write == first.write && p.key().as_ref() == Some(key) => {
                    value.push_str(&p.value)
                }
                _ => return Err(incomplete(key)),
            }
        }
        Ok(Some(Secret::new(value.as_str())))
    }

    /// The profile's credentials from one listing (or a current copy of one); `None` where
    /// the store cannot list.
    fn listing(&self, profile: &ProfileId) -> Result<Option<Arc<Listing>>, KeychainError> {
        let lock = self.lock_path.as_ref().map(GenerationLock::shared).transpose()?;
        let generation = lock.as_ref().and_then(GenerationLock::generation);
        if let Some(copy) = self.copy(profile, generation, true) {
            return Ok(Some(copy));
        }
        let Some(values) = self.inner.list(profile)? else {
            return Ok(None);
        };
        let listing = Arc::new(assemble(&values));
        self.keep_copy(profile, generation, &listing);
        Ok(Some(listing))
    }

    /// Moves the profile's credentials out of the single entry that held them all before
    /// (a layout Windows cannot store), once per process: each gets its own entry, then the
    /// old entry goes.
    fn migrate_once(&self, profile: &ProfileId) -> Result<(), KeychainError> {
        let mut migrated = self.migrated.lock().unwrap_or_else(|e| e.into_inner());
        if migrated.contains(profile) {
            return Ok(());
        }
        let legacy = SecretKey::legacy_clients_of(profile);
        if self.inner.get(&legacy.name())?.is_some() {
            // As any change: serialised, generation first, and the entry read again under
            // the lock (another process may have moved it meanwhile).
            let _in_process = CHANGES.lock().unwrap_or_else(|e| e.into_inner());
            let lock = self.lock_path.as_ref().map(GenerationLock::exclusive).transpose()?;
            if let Some(lock) = &lock {
                lock.set_generation(lock.generation().map_or(1, |g| g.wrapping_add(1)))?;
            }
            self.drop_copy(profile);
            if let Some(text) = self.inner.get(&legacy.name())? {
                self.move_legacy(profile, &legacy, &text)?;
            }
        }
        migrated.insert(profile.clone());
        Ok(())
    }

    fn move_legacy(&self, profile: &ProfileId, legacy: &SecretKey, text: &Secret) -> Result<(), KeychainError> {
        let old: BTreeMap<String, BTreeMap<String, String>> = serde_json::from_str(text.expose())
            .map_err(|e| KeychainError::Refused(format!("the keychain entry {legacy} is not readable ({e})")))?;
        for (client, credentials) in old {
            for (name, value) in credentials {
                let key = match name.as_str() {
                    "client_secret" => SecretKey::client_secret(profile, &client),
                    _ => SecretKey::registration_access_token(profile, &client),
                };
                // Never over a value this version wrote: it is newer.
                if self.read_one(&key)?.is_none() {
                    self.write(
                        &key,
                        &Secret::new(value),
                        &Labels::default(),
                        |inner, entry, envelope| inner.create(entry, envelope),
                    )?;
                }
            }
        }
        self.inner.delete(&legacy.name())
    }

    fn copy(&self, profile: &ProfileId, generation: Option<u64>, fresh_only: bool) -> Option<Arc<Listing>> {
        let generation = generation?;
        let copies = self.copies();
        let copy = copies.get(profile)?;
        let fresh = copy.read_at.elapsed() < COPY_LIFETIME;
        (copy.generation == generation && (fresh || !fresh_only)).then(|| Arc::clone(&copy.listing))
    }

    fn keep_copy(&self, profile: &ProfileId, generation: Option<u64>, listing: &Arc<Listing>) {
        let (Some(_), Some(generation)) = (&self.lock_path, generation) else {
            return;
        };
        self.copies().insert(
            profile.clone(),
            Copy {
                generation,
                read_at: Instant::now(),
                listing: Arc::clone(listing),
            },
        );
    }

    fn drop_copy(&self, profile: &ProfileId) {
        self.copies().remove(profile);
    }

    fn copies(&self) -> MutexGuard<'_, HashMap<ProfileId, Copy>> {
        self.copies.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn entry<'a>(name: &'a str, label: &'a str, group: Option<&'a str>) -> EntryName<'a> {
    EntryName { name, label, group }
}

/// The names of the extra parts `stored` (a key's first entry) names; none for a value in
/// one entry, or for one of a version before envelopes.
fn parts_of(key: &SecretKey, stored: Option<&Secret>) -> Vec<String> {
    match stored.and_then(open) {
        Some(first) if first.parts > 1 => (2..=first.parts).map(|n| part_name(key, &first.write, n)).collect(),
        _ => Vec::new(),
    }
}

fn part_name(key: &SecretKey, write: &str, n: usize) -> String {
    format!("{key}#{write}.{n}")
}

fn incomplete(key: &SecretKey) -> KeychainError {
    KeychainError::Refused(format!(
        "the keychain entry {key} is incomplete (a part is missing or from another write)"
    ))
}

fn seal(key: &SecretKey, part: usize, parts: usize, write: &str, managed_at: Option<&str>, value: &str) -> Secret {
    let envelope = Envelope {
        registrar: 1,
        profile: key.profile_id().as_str().into(),
        client: key.client_id().map(Into::into),
        credential: key.credential().into(),
        key: key.kid().map(Into::into),
        part,
        parts,
        write: write.into(),
        managed_at: managed_at.map(Into::into),
        value: value.into(),
    };
    Secret::new(serde_json::to_string(&envelope).unwrap_or_default())
}

fn open(stored: &Secret) -> Option<Envelope<'_>> {
    serde_json::from_str::<Envelope<'_>>(stored.expose())
        .ok()
        .filter(|e| e.registrar == 1 && e.part >= 1 && e.part <= e.parts)
}

/// `value` cut so each piece's envelope stays within [`MAX_VALUE_UNITS`], counting what JSON
/// escaping adds. One piece when it fits.
fn split(key: &SecretKey, managed_at: Option<&str>, value: &str) -> Result<Vec<String>, KeychainError> {
    // The envelope of part 1 (the largest) with room for the largest numbers it may carry.
    let overhead = seal(key, 99_999, 99_999, &"0".repeat(32), managed_at, "")
        .expose()
        .encode_utf16()
        .count();
    let budget = MAX_VALUE_UNITS
        .checked_sub(overhead)
        .filter(|b| *b >= 64)
        .ok_or_else(|| KeychainError::Refused(format!("the keychain entry name {key} is too long to store")))?;
    let mut chunks = vec![String::new()];
    let mut used = 0;
    for c in value.chars() {
        let cost = escaped_units(c);
        if used + cost > budget {
            chunks.push(String::new());
            used = 0;
        }
        used += cost;
        if let Some(chunk) = chunks.last_mut() {
            chunk.push(c);
        }
    }
    Ok(chunks)
}

/// The UTF-16 units `c` takes inside a JSON string as serde_json writes it.
fn escaped_units(c: char) -> usize {
    match c {
        '"' | '\\' | '\u{8}' | '\u{c}' | '\n' | '\r' | '\t' => 2,
        c if (c as u32) < 0x20 => 6,
        c => c.len_utf16(),
    }
}

/// A listing's envelopes as credentials: each key's parts joined, those of an interrupted
/// write (a part from another write, or missing) left out.
fn assemble(values: &[Secret]) -> Listing {
    let envelopes: Vec<Envelope<'_>> = values.iter().filter_map(open).collect();
    let mut parts: HashMap<(SecretKey, &str, usize), &str> = HashMap::new();
    for e in envelopes.iter().filter(|e| e.part > 1) {
        if let Some(key) = e.key() {
            parts.insert((key, &e.write, e.part), &e.value);
        }
    }
    let mut listing = Listing::default();
    for first in envelopes.iter().filter(|e| e.part == 1) {
        let Some(key) = first.key() else {
            continue;
        };
        let mut value = zeroize::Zeroizing::new(first.value.to_string());
        let complete = (2..=first.parts).all(|n| match parts.get(&(key.clone(), &*first.write, n)) {
            Some(part) => {
                value.push_str(part);
                true
            }
            None => false,
        });
        if complete {
            if let Some(uri) = &first.managed_at {
                listing.managed_at.insert(key.clone(), uri.to_string());
            }
            let names = (2..=first.parts).map(|n| part_name(&key, &first.write, n)).collect();
            listing.parts.insert(key.clone(), names);
            listing.values.insert(key, Secret::new(value.as_str()));
        }
    }
    listing
}

/// `keychain.lock`: a file lock between processes, holding the vault's generation.
struct GenerationLock {
    file: std::fs::File,
}

impl GenerationLock {
    fn open(path: &PathBuf) -> Result<std::fs::File, KeychainError> {
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| KeychainError::Unavailable(format!("cannot open {}: {e}", path.display())))
    }

    fn shared(path: &PathBuf) -> Result<Self, KeychainError> {
        let file = Self::open(path)?;
        file.lock_shared().map_err(|e| lock_error(path, e))?;
        Ok(Self { file })
    }

    fn exclusive(path: &PathBuf) -> Result<Self, KeychainError> {
        let file = Self::open(path)?;
        file.lock().map_err(|e| lock_error(path, e))?;
        Ok(Self { file })
    }

    /// `None` when the file holds no number (new, or cut short): no copy is then trusted.
    fn generation(&self) -> Option<u64> {
        let mut text = String::new();
        (&self.file).rewind().ok()?;
        (&self.file).read_to_string(&mut text).ok()?;
        text.trim().parse().ok()
    }

    /// Written over the old number at a fixed width (a u64's 20 digits, zero-padded, which
    /// every version reads): never shorter than what it replaces, so the file needs no
    /// truncating first, a metadata change the filesystem journals on every credential write.
    fn set_generation(&self, generation: u64) -> Result<(), KeychainError> {
        let mut file = &self.file;
        file.rewind()
            .and_then(|()| file.write_all(format!("{generation:020}").as_bytes()))
            .map_err(|e| KeychainError::Unavailable(format!("cannot write keychain.lock: {e}")))
    }
}

fn lock_error(path: &std::path::Path, e: std::io::Error) -> KeychainError {
    KeychainError::Unavailable(format!("cannot lock {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::MemoryStore;
    use registrar_keychain::{utf16_len, EntryName};

    #[test]
    fn the_generation_is_rewritten_in_place_and_read_in_both_forms() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keychain.lock");
        for (before, next) in [("7", 8u64), ("123456789", 123456790), ("", 1)] {
            std::fs::write(&path, before).unwrap();
            let lock = GenerationLock::exclusive(&path).unwrap();
            assert_eq!(
                lock.generation(),
                before.parse().ok(),
                "{before:?} as an older version wrote it"
            );
            lock.set_generation(next).unwrap();
            assert_eq!(lock.generation(), Some(next));
            drop(lock);
            let text = std::fs::read_to_string(&path).unwrap();
            assert_eq!(text.len(), 20, "{text:?}");
            assert_eq!(text.trim().parse::<u64>().unwrap(), next, "as any version reads it");
        }
        let lock = GenerationLock::exclusive(&path).unwrap();
        lock.set_generation(u64::MAX).unwrap();
        assert_eq!(lock.generation(), Some(u64::MAX));
        lock.set_generation(u64::MAX.wrapping_add(1)).unwrap();
        assert_eq!(lock.generation(), Some(0));
    }

    fn vault(inner: &Arc<MemoryStore>, lock: Option<PathBuf>) -> Vault {
        Vault::new(Arc::clone(inner) as Arc<dyn SecretStore>, lock)
    }

    fn labels(client: &str) -> Labels {
        Labels::client("Keycloak prod", client, Some("Billing"))
    }

    /// A JWT-sized token with what JSON escapes and what UTF-16 counts twice.
    fn long_token(units: usize) -> String {
        let unit = "eyJhbGciOi\"\\\n\u{1}é😀";
        unit.repeat(units / utf16_len(unit) + 1)
    }

    /// A private key (an RSA PEM is longer than one entry holds) is listed back by its kid,
    /// beside the client credentials of the same profile, and goes with the profile.
    #[test]
    fn private_keys_are_entries_found_by_their_kid() {
        for listing in [true, false] {
            let inner = Arc::new(if listing {
                MemoryStore::limited()
            } else {
                MemoryStore::without_listing()
            });
            let v = vault(&inner, None);
            let p = ProfileId::from("p");
            let pem = format!(
                "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
                "A".repeat(2_400)
            );
            let key = SecretKey::private_key(&p, "kid-1");
            v.set(&key, &Secret::new(pem.as_str()), &Labels::profile("OB sandbox"))
                .unwrap();
            v.set(&SecretKey::client_secret(&p, "c"), &Secret::new("s"), &labels("c"))
                .unwrap();
            assert_eq!(v.get(&key).unwrap().unwrap().expose(), pem, "listing: {listing}");
            assert_eq!(
                v.get_one(&key).unwrap().unwrap().expose(),
                pem,
                "read alone, listing: {listing}"
            );
            assert!(v.get(&SecretKey::private_key(&p, "kid-2")).unwrap().is_none());
            assert!(inner.entries().iter().all(|e| e.units <= MAX_VALUE_UNITS));
            v.delete_profile(&p, std::slice::from_ref(&key)).unwrap();
            assert!(v.get(&key).unwrap().is_none());
        }
    }

    #[test]
    fn each_credential_is_an_entry_of_its_own_named_for_people() {
        let inner = Arc::new(MemoryStore::limited());
        let v = vault(&inner, None);
        for c in ["a", "b/with/slashes"] {
            v.set_all(
                &[
                    (
                        SecretKey::registration_access_token(&ProfileId::from("p1"), c),
                        Secret::new(format!("t-{c}")),
                    ),
                    (
                        SecretKey::client_secret(&ProfileId::from("p1"), c),
                        Secret::new(format!("s-{c}")),
                    ),
                ],
                &labels(c),
            )
            .unwrap();
        }
        v.set(
            &SecretKey::initial_access_token(&ProfileId::from("p1")),
            &Secret::new("iat"),
            &Labels::profile("Keycloak prod"),
        )
        .unwrap();
        let entries = inner.entries();
        assert_eq!(entries.len(), 5, "{entries:?}");
        let labels: BTreeSet<&str> = entries.iter().map(|e| e.label.as_str()).collect();
        assert!(labels.contains("Registrar — Keycloak prod — Billing (b/with/slashes) — registration access token"));
        assert!(labels.contains("Registrar — Keycloak prod — Billing (a) — client secret"));
        assert!(labels.contains("Registrar — Keycloak prod — initial access token"));
        assert!(entries.iter().all(|e| e.group.as_deref() == Some("p1")));
        let got = v
            .get(&SecretKey::registration_access_token(
                &ProfileId::from("p1"),
                "b/with/slashes",
            ))
            .unwrap();
        assert_eq!(got.unwrap().expose(), "t-b/with/slashes");
        assert!(
            v.get(&SecretKey::client_secret(&ProfileId::from("p2"), "a"))
                .unwrap()
                .is_none(),
            "profiles apart"
        );

        v.delete(&SecretKey::client_secret(&ProfileId::from("p1"), "a"))
            .unwrap();
        assert!(v
            .get(&SecretKey::client_secret(&ProfileId::from("p1"), "a"))
            .unwrap()
            .is_none());
        assert!(v
            .get(&SecretKey::registration_access_token(&ProfileId::from("p1"), "a"))
            .unwrap()
            .is_some());
        v.delete_profile(&ProfileId::from("p1"), &[]).unwrap();
        assert!(
            inner.is_empty(),
            "a listing finds every credential of the profile: {:?}",
            inner.entries()
        );
    }

    /// Windows Credential Manager takes at most 1,280 UTF-16 units per entry: forty INDIGO
    /// clients (whose JWT tokens made the old one-entry layout 22,961 characters) and a
    /// credential four times that size each round trip, on a store that enforces the limit,
    /// listing (the Secret Service) or not (macOS, Windows).
    #[test]
    fn no_entry_holds_more_than_windows_takes() {
        for inner in [
            Arc::new(MemoryStore::limited()),
            Arc::new(MemoryStore::without_listing()),
        ] {
            let v = vault(&inner, None);
            let token = |i: usize| format!("{}-{i}", long_token(280));
            for i in 0..40 {
                let id = format!("indigo-{i:04}-7f3e9c1a-5b2d-4e8f-9a6c-3d1b0e7f2a4c");
                v.set_all(
                    &[
                        (
                            SecretKey::registration_access_token(&ProfileId::from("p"), &id),
                            Secret::new(token(i)),
                        ),
                        (
                            SecretKey::client_secret(&ProfileId::from("p"), &id),
                            Secret::new(format!("secret-{i}")),
                        ),
                    ],
                    &labels(&id),
                )
                .unwrap();
            }
            let big = long_token(5_000);
            let key = SecretKey::registration_access_token(&ProfileId::from("p"), "big");
            v.set(&key, &Secret::new(big.as_str()), &labels("big")).unwrap();
            let longest = inner.entries().iter().map(|e| e.units).max().unwrap();
            assert!(longest <= MAX_VALUE_UNITS, "an entry of {longest} units");
            assert_eq!(v.get(&key).unwrap().unwrap().expose(), big);
            let id = "indigo-0007-7f3e9c1a-5b2d-4e8f-9a6c-3d1b0e7f2a4c";
            let got = v
                .get(&SecretKey::registration_access_token(&ProfileId::from("p"), id))
                .unwrap();
            assert_eq!(got.unwrap().expose(), token(7));

            // A shorter value replaces it: its parts go.
            v.set(&key, &Secret::new("short"), &labels("big")).unwrap();
            assert_eq!(v.get(&key).unwrap().unwrap().expose(), "short");
            assert_eq!(inner.len(), 81, "two entries per client and one for the short value");
        }
    }

    #[test]
    fn keys_read_ahead_cost_one_read_and_are_taken_once_while_current() {
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join("keychain.lock");
        let inner = Arc::new(MemoryStore::limited());
        let p = ProfileId::from("p");
        let writer = vault(&inner, Some(lock.clone()));
        let (a, b, big) = (
            SecretKey::private_key(&p, "a"),
            SecretKey::private_key(&p, "b"),
            SecretKey::private_key(&p, "big"),
        );
        let big_value = "B".repeat(3_000);
        for (key, value) in [(&a, "key a"), (&b, "key b"), (&big, big_value.as_str())] {
            writer.set(key, &Secret::new(value), &Labels::profile("P")).unwrap();
        }
        let reader = vault(&inner, Some(lock.clone()));
        let before = inner.reads();
        let batch = reader.read_ahead(&[a.clone(), b.clone(), big.clone()]).unwrap();
        assert_eq!(
            inner.reads() - before,
            1,
            "the keys and the pre-split entry in one batch"
        );
        assert_eq!(reader.get_one(&a).unwrap().unwrap().expose(), "key a");
        assert_eq!(reader.get_one(&b).unwrap().unwrap().expose(), "key b");
        assert_eq!(inner.reads() - before, 1, "both taken from the read ahead");
        // A value over several entries is read as before, whole.
        assert_eq!(reader.get_one(&big).unwrap().unwrap().expose(), big_value);
        // Taken once: the next read asks the keychain.
        let before = inner.reads();
        assert_eq!(reader.get_one(&a).unwrap().unwrap().expose(), "key a");
        assert!(inner.reads() > before);
        drop(batch);
        // What the operation did not take goes with it.
        let untaken = reader.read_ahead(std::slice::from_ref(&b)).unwrap();
        drop(untaken);
        let before = inner.reads();
        assert_eq!(reader.get_one(&b).unwrap().unwrap().expose(), "key b");
        assert!(inner.reads() > before, "nothing is left over from an ended operation");
        // A write by another process in between makes the read ahead stale.
        let _stale = reader.read_ahead(std::slice::from_ref(&a)).unwrap();
        writer
            .set(&a, &Secret::new("key a, rotated"), &Labels::profile("P"))
            .unwrap();
        assert_eq!(reader.get_one(&a).unwrap().unwrap().expose(), "key a, rotated");
        // The pre-split entry was found absent in the batch: a change does not look again.
        let before = inner.reads();
        reader
            .set(&SecretKey::client_secret(&p, "c"), &Secret::new("s"), &labels("c"))
            .unwrap();
        let after_ahead = inner.reads() - before;
        let fresh = vault(&inner, Some(lock));
        let before = inner.reads();
        fresh
            .set(&SecretKey::client_secret(&p, "d"), &Secret::new("s"), &labels("d"))
            .unwrap();
        assert_eq!(
            inner.reads() - before,
            after_ahead + 1,
            "one read fewer: the pre-split check"
        );
    }

    #[test]
    fn bulk_reads_cost_a_constant_number_of_keychain_reads() {
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join("keychain.lock");
        let inner = Arc::new(MemoryStore::limited());
        let writer = vault(&inner, Some(lock.clone()));
        let keys: Vec<SecretKey> = (0..1_000)
            .flat_map(|i| {
                let c = format!("client-{i}");
                [
                    SecretKey::registration_access_token(&ProfileId::from("p"), &c),
                    SecretKey::client_secret(&ProfileId::from("p"), &c),
                ]
            })
            .collect();
        for key in &keys {
            writer.set(key, &Secret::new(key.name()), &Labels::default()).unwrap();
        }
        // Another process: no copy of its own yet.
        let reader = vault(&inner, Some(lock));
        let before = inner.reads();
        for key in &keys {
            assert_eq!(reader.get(key).unwrap().unwrap().expose(), key.name());
        }
        let reads = inner.reads() - before;
        // The pre-split entry looked for, the first few alone, then one listing.
        let most = 3 + READS_ALONE as usize;
        assert!(reads <= most, "2,000 credentials read in {reads} keychain reads");
    }

    /// A command about one client reads its credentials alone, not every entry of a big
    /// profile; a process that goes on reading the profile lists it once.
    #[test]
    fn a_few_reads_go_alone_and_many_list_the_profile() {
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join("keychain.lock");
        let inner = Arc::new(MemoryStore::new());
        let writer = vault(&inner, Some(lock.clone()));
        let profile = ProfileId::from("p");
        let keys: Vec<SecretKey> = (0..200)
            .map(|i| SecretKey::registration_access_token(&profile, &format!("client-{i}")))
            .collect();
        for key in &keys {
            writer.set(key, &Secret::new(key.name()), &Labels::default()).unwrap();
        }
        let reader = vault(&inner, Some(lock));
        for key in &keys[..3] {
            assert_eq!(reader.get(key).unwrap().unwrap().expose(), key.name());
        }
        assert!(!reader.copies().contains_key(&profile), "three reads list nothing");
        for key in &keys[3..] {
            assert_eq!(reader.get(key).unwrap().unwrap().expose(), key.name());
        }
        assert!(reader.copies().contains_key(&profile), "a bulk read lists the profile");
    }

    /// A keychain that hides what it holds (a locked KeePassXC database answers "nothing")
    /// must not make a write lose other credentials: a write replaces its own entry only.
    #[test]
    fn a_write_replaces_only_its_own_credential() {
        #[derive(Debug)]
        struct Hiding(Arc<MemoryStore>);
        impl SecretStore for Hiding {
            fn get(&self, _: &str) -> Result<Option<Secret>, KeychainError> {
                Ok(None)
            }
            fn set(&self, entry: EntryName<'_>, value: &Secret) -> Result<(), KeychainError> {
                self.0.set(entry, value)
            }
            fn delete(&self, name: &str) -> Result<(), KeychainError> {
                self.0.delete(name)
            }
            fn list(&self, _: &str) -> Result<Option<Vec<Secret>>, KeychainError> {
                Ok(Some(Vec::new()))
            }
        }
        let inner = Arc::new(MemoryStore::new());
        let v = vault(&inner, None);
        for c in ["a", "b"] {
            v.set(
                &SecretKey::client_secret(&ProfileId::from("p"), c),
                &Secret::new(format!("s-{c}")),
                &labels(c),
            )
            .unwrap();
        }
        let hiding = Vault::new(Arc::new(Hiding(Arc::clone(&inner))), None);
        hiding
            .set(
                &SecretKey::registration_access_token(&ProfileId::from("p"), "a"),
                &Secret::new("t-a"),
                &labels("a"),
            )
            .unwrap();
        for c in ["a", "b"] {
            assert_eq!(
                v.get(&SecretKey::client_secret(&ProfileId::from("p"), c))
                    .unwrap()
                    .unwrap()
                    .expose(),
                format!("s-{c}")
            );
        }
    }

    #[test]
    fn an_interrupted_write_of_a_long_value_leaves_the_old_one() {
        for inner in [
            Arc::new(MemoryStore::limited()),
            Arc::new(MemoryStore::without_listing()),
        ] {
            let v = vault(&inner, None);
            let key = SecretKey::registration_access_token(&ProfileId::from("p"), "c");
            let old = long_token(3_000);
            v.set(&key, &Secret::new(old.as_str()), &labels("c")).unwrap();
            // The new value's first part is written, then the keychain stops.
            inner.refuse_writes_after(1);
            assert!(v
                .set(&key, &Secret::new(long_token(2_500) + "new"), &labels("c"))
                .is_err());
            inner.set_refusing_writes(false);
            assert_eq!(v.get(&key).unwrap().unwrap().expose(), old);
        }
    }

    #[test]
    fn the_one_entry_layout_is_moved_to_entries_of_their_own() {
        for inner in [Arc::new(MemoryStore::new()), Arc::new(MemoryStore::without_listing())] {
            inner.insert_raw(
                "profile/p/clients",
                r#"{"a":{"client_secret":"s-a","registration_access_token":"t-a"},"b/x":{"registration_access_token":"t-b"}}"#,
            );
            let v = vault(&inner, None);
            assert_eq!(
                v.get(&SecretKey::client_secret(&ProfileId::from("p"), "a"))
                    .unwrap()
                    .unwrap()
                    .expose(),
                "s-a"
            );
            assert_eq!(
                v.get(&SecretKey::registration_access_token(&ProfileId::from("p"), "b/x"))
                    .unwrap()
                    .unwrap()
                    .expose(),
                "t-b"
            );
            let names: Vec<String> = inner.entries().into_iter().map(|e| e.name).collect();
            assert!(!names.contains(&"profile/p/clients".to_string()), "{names:?}");
            assert_eq!(names.len(), 3);
        }
    }

    #[test]
    fn a_copy_is_not_trusted_after_another_process_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join("keychain.lock");
        let inner = Arc::new(MemoryStore::new());
        // Two vaults on one keychain and one lock file: two processes.
        let (app, cli) = (vault(&inner, Some(lock.clone())), vault(&inner, Some(lock)));
        let key = SecretKey::registration_access_token(&ProfileId::from("p"), "c");
        app.set(&key, &Secret::new("first"), &labels("c")).unwrap();
        assert_eq!(app.get(&key).unwrap().unwrap().expose(), "first");
        cli.set(&key, &Secret::new("rotated"), &labels("c")).unwrap();
        assert_eq!(app.get(&key).unwrap().unwrap().expose(), "rotated", "the app re-reads");
    }

    #[test]
    fn a_copy_answers_reads_only_while_the_keychain_would() {
        let dir = tempfile::tempdir().unwrap();
        let inner = Arc::new(MemoryStore::new());
        let v = vault(&inner, Some(dir.path().join("keychain.lock")));
        let key = SecretKey::client_secret(&ProfileId::from("p"), "c");
        v.set(&key, &Secret::new("s"), &labels("c")).unwrap();
        for _ in 0..=READS_ALONE {
            assert!(v.get(&key).is_ok());
        }
        assert!(
            v.copies().contains_key(&ProfileId::from("p")),
            "read often: the copy is made"
        );
        inner.set_failing(true);
        assert!(v.get(&key).is_ok(), "a fresh copy answers");
        v.copies().get_mut(&ProfileId::from("p")).unwrap().read_at -= COPY_LIFETIME;
        assert!(
            v.get(&key).is_err(),
            "an old copy does not: the keychain is asked, and fails"
        );
        assert!(
            v.set(&key, &Secret::new("t"), &labels("c")).is_err(),
            "nor is a write kept when the keychain fails"
        );
        inner.set_failing(false);
        assert_eq!(v.get(&key).unwrap().unwrap().expose(), "s");
    }

    #[test]
    fn concurrent_changes_from_two_vaults_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join("keychain.lock");
        let inner = Arc::new(MemoryStore::new());
        let vaults = [vault(&inner, Some(lock.clone())), vault(&inner, Some(lock))];
        std::thread::scope(|s| {
            for (i, v) in vaults.iter().enumerate() {
                s.spawn(move || {
                    for n in 0..50 {
                        let key = SecretKey::registration_access_token(&ProfileId::from("p"), &format!("{i}-{n}"));
                        v.set(&key, &Secret::new(format!("{i}-{n}")), &Labels::default())
                            .unwrap();
                    }
                });
            }
        });
        let clients = vaults[0]
            .clients_with_credentials(&ProfileId::from("p"))
            .unwrap()
            .unwrap();
        assert_eq!(clients.len(), 100, "every client of both writers is kept");
    }
}
