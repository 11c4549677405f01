//! Client credentials kept as one keychain entry per profile, not one per credential.
//!
//! Secret Service daemons pay per item: gnome-keyring compares every item on a lookup and
//! rewrites its whole file on a change (with 2,000 items: 1 ms per read, 140 ms per write;
//! `registrar-bench keychain --prefill 2000`). A bulk refresh needs every client's token
//! and secret; with one entry per profile they are one read, and a keychain holding
//! thousands of clients stays a keychain of a few items. Profile credentials (initial
//! access token, admin password) stay entries of their own.
//!
//! A change is a read-modify-write of the profile's entry, so changes are serialised: in
//! the process by a lock, between processes (the app and the CLI on one data directory) by
//! an exclusive lock on `keychain.lock`. That file also holds a generation number, bumped
//! before each write: a process keeps a decrypted copy only while the generation it read
//! is unchanged, and for a few seconds at most (a keychain locked meanwhile is respected
//! soon after), so no process trusts a copy older than the keychain.

use super::{KeychainError, SecretKey, SecretStore};
use crate::secret::Secret;
use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Seek, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long a decrypted copy may answer reads without asking the keychain again.
const COPY_LIFETIME: Duration = Duration::from_secs(3);

/// Client id -> credential name (`client_secret`, `registration_access_token`) -> value.
type Entries = BTreeMap<String, BTreeMap<String, Secret>>;

/// Read-modify-writes of every vault in the process, one at a time (two `Registrar`s may
/// share one keychain, as tests do).
static CHANGES: Mutex<()> = Mutex::new(());

#[derive(Debug)]
pub struct Vault {
    inner: Arc<dyn SecretStore>,
    /// The cross-process lock and generation; `None` keeps no copies (in-memory tests).
    lock_path: Option<PathBuf>,
    copies: Mutex<HashMap<String, Copy>>,
}

#[derive(Debug)]
struct Copy {
    generation: u64,
    read_at: Instant,
    entries: Arc<Entries>,
}

impl Vault {
    pub fn new(inner: Arc<dyn SecretStore>, lock_path: Option<PathBuf>) -> Self {
        Self {
            inner,
            lock_path,
            copies: Mutex::new(HashMap::new()),
        }
    }

    /// Sets several credentials at once: each profile's client credentials among them in
    /// one read-modify-write of its entry, so a new client's token and secret cost one
    /// keychain write, not two.
    pub fn set_all(&self, items: &[(SecretKey, Secret)]) -> Result<(), KeychainError> {
        let mut by_profile: BTreeMap<&str, Vec<(&str, &str, &Secret)>> = BTreeMap::new();
        for (key, value) in items {
            match key.client_parts() {
                Some((profile, client, name)) => by_profile.entry(profile).or_default().push((client, name, value)),
                None => self.inner.set(key, value)?,
            }
        }
        for (profile, credentials) in by_profile {
            self.change(profile, |entries| {
                for (client, name, value) in credentials {
                    entries
                        .entry(client.to_string())
                        .or_default()
                        .insert(name.to_string(), value.clone());
                }
            })?;
        }
        Ok(())
    }

    fn entries(&self, profile: &str) -> Result<Arc<Entries>, KeychainError> {
        let Some(path) = &self.lock_path else {
            return self.read(profile).map(Arc::new);
        };
        let lock = GenerationLock::shared(path)?;
        let generation = lock.generation();
        if let Some(entries) = self.copy(profile, generation, true) {
            return Ok(entries);
        }
        let entries = Arc::new(self.read(profile)?);
        self.keep_copy(profile, generation, &entries);
        Ok(entries)
    }

    fn change(&self, profile: &str, edit: impl FnOnce(&mut Entries)) -> Result<(), KeychainError> {
        let _in_process = CHANGES.lock().unwrap_or_else(|e| e.into_inner());
        let lock = self.lock_path.as_ref().map(GenerationLock::exclusive).transpose()?;
        let generation = lock.as_ref().and_then(GenerationLock::generation);
        let mut entries = match self.copy(profile, generation, false) {
            Some(current) => (*current).clone(),
            None => self.read(profile)?,
        };
        edit(&mut entries);
        let next = generation.map_or(1, |g| g.wrapping_add(1));
        if let Some(lock) = &lock {
            // Before the write: a crash between the two leaves others re-reading an entry
            // that did not change, never trusting a copy of one that did.
            lock.set_generation(next)?;
        }
        let key = SecretKey::clients_of(profile);
        let written = if entries.is_empty() {
            self.inner.delete(&key)
        } else {
            self.inner.set(&key, &encode(&entries))
        };
        match written {
            Ok(()) => self.keep_copy(profile, Some(next), &Arc::new(entries)),
            Err(_) => self.drop_copy(profile),
        }
        written
    }

    /// The profile's entry as the keychain holds it.
    fn read(&self, profile: &str) -> Result<Entries, KeychainError> {
        match self.inner.get(&SecretKey::clients_of(profile))? {
            None => Ok(Entries::new()),
            Some(text) => decode(&text),
        }
    }

    fn copy(&self, profile: &str, generation: Option<u64>, fresh_only: bool) -> Option<Arc<Entries>> {
        let generation = generation?;
        let copies = self.copies();
        let copy = copies.get(profile)?;
        let fresh = copy.read_at.elapsed() < COPY_LIFETIME;
        (copy.generation == generation && (fresh || !fresh_only)).then(|| Arc::clone(&copy.entries))
    }

    fn keep_copy(&self, profile: &str, generation: Option<u64>, entries: &Arc<Entries>) {
        let (Some(_), Some(generation)) = (&self.lock_path, generation) else {
            return;
        };
        self.copies().insert(
            profile.to_string(),
            Copy {
                generation,
                read_at: Instant::now(),
                entries: Arc::clone(entries),
            },
        );
    }

    fn drop_copy(&self, profile: &str) {
        self.copies().remove(profile);
    }

    fn copies(&self) -> MutexGuard<'_, HashMap<String, Copy>> {
        self.copies.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl SecretStore for Vault {
    fn get(&self, key: &SecretKey) -> Result<Option<Secret>, KeychainError> {
        match key.client_parts() {
            Some((profile, client, name)) => Ok(self
                .entries(profile)?
                .get(client)
                .and_then(|credentials| credentials.get(name))
                .cloned()),
            None => self.inner.get(key),
        }
    }

    fn set(&self, key: &SecretKey, value: &Secret) -> Result<(), KeychainError> {
        self.set_all(&[(key.clone(), value.clone())])
    }

    fn delete(&self, key: &SecretKey) -> Result<(), KeychainError> {
        match key.client_parts() {
            Some((profile, client, name)) => {
                let present = self
                    .entries(profile)?
                    .get(client)
                    .is_some_and(|credentials| credentials.contains_key(name));
                if !present {
                    return Ok(());
                }
                self.change(profile, |entries| {
                    if let Some(credentials) = entries.get_mut(client) {
                        credentials.remove(name);
                        if credentials.is_empty() {
                            entries.remove(client);
                        }
                    }
                })
            }
            None => {
                if let Some(profile) = key.clients_profile() {
                    return self.change(profile, Entries::clear);
                }
                self.inner.delete(key)
            }
        }
    }
}

fn encode(entries: &Entries) -> Secret {
    let plain: BTreeMap<&str, BTreeMap<&str, &str>> = entries
        .iter()
        .map(|(client, credentials)| {
            let credentials = credentials.iter().map(|(k, v)| (k.as_str(), v.expose())).collect();
            (client.as_str(), credentials)
        })
        .collect();
    Secret::new(serde_json::to_string(&plain).unwrap_or_default())
}

fn decode(text: &Secret) -> Result<Entries, KeychainError> {
    let plain: BTreeMap<String, BTreeMap<String, String>> = serde_json::from_str(text.expose()).map_err(|e| {
        KeychainError::Refused(format!(
            "the keychain entry of this profile's client credentials is not readable ({e})"
        ))
    })?;
    Ok(plain
        .into_iter()
        .map(|(client, credentials)| {
            (
                client,
                credentials.into_iter().map(|(k, v)| (k, Secret::new(v))).collect(),
            )
        })
        .collect())
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

    fn set_generation(&self, generation: u64) -> Result<(), KeychainError> {
        let mut file = &self.file;
        file.set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(generation.to_string().as_bytes()))
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

    fn vault(inner: &Arc<MemoryStore>, lock: Option<PathBuf>) -> Vault {
        Vault::new(Arc::clone(inner) as Arc<dyn SecretStore>, lock)
    }

    #[test]
    fn a_profiles_client_credentials_are_one_entry() {
        let inner = Arc::new(MemoryStore::new());
        let v = vault(&inner, None);
        for c in ["a", "b/with/slashes", "c"] {
            v.set(&SecretKey::client_secret("p1", c), &Secret::new(format!("s-{c}")))
                .unwrap();
            v.set(
                &SecretKey::registration_access_token("p1", c),
                &Secret::new(format!("t-{c}")),
            )
            .unwrap();
        }
        v.set(&SecretKey::initial_access_token("p1"), &Secret::new("iat"))
            .unwrap();
        assert_eq!(inner.len(), 2, "one entry for the clients, one for the profile's token");
        let got = v
            .get(&SecretKey::registration_access_token("p1", "b/with/slashes"))
            .unwrap();
        assert_eq!(got.unwrap().expose(), "t-b/with/slashes");
        assert!(
            v.get(&SecretKey::client_secret("p2", "a")).unwrap().is_none(),
            "profiles apart"
        );

        v.delete(&SecretKey::client_secret("p1", "a")).unwrap();
        assert!(v.get(&SecretKey::client_secret("p1", "a")).unwrap().is_none());
        assert!(v
            .get(&SecretKey::registration_access_token("p1", "a"))
            .unwrap()
            .is_some());
        v.delete(&SecretKey::clients_of("p1")).unwrap();
        assert_eq!(inner.len(), 1, "the clients' entry is gone with the last of them");
    }

    #[test]
    fn credentials_set_together_are_one_write_per_profile() {
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join("keychain.lock");
        let inner = Arc::new(MemoryStore::new());
        let v = vault(&inner, Some(lock.clone()));
        let generation = || std::fs::read_to_string(&lock).unwrap().trim().parse::<u64>().unwrap();
        v.set_all(&[
            (SecretKey::registration_access_token("p", "c"), Secret::new("t")),
            (SecretKey::client_secret("p", "c"), Secret::new("s")),
            (SecretKey::initial_access_token("p"), Secret::new("iat")),
        ])
        .unwrap();
        assert_eq!(
            generation(),
            1,
            "one change of the profile's entry for both credentials"
        );
        assert_eq!(inner.len(), 2, "the clients' entry and the profile's own token");
        v.set_all(&[
            (SecretKey::client_secret("p", "d"), Secret::new("s-d")),
            (SecretKey::client_secret("q", "e"), Secret::new("s-e")),
        ])
        .unwrap();
        assert_eq!(generation(), 3, "one change per profile");
        for (key, want) in [
            (SecretKey::registration_access_token("p", "c"), "t"),
            (SecretKey::client_secret("p", "c"), "s"),
            (SecretKey::client_secret("p", "d"), "s-d"),
            (SecretKey::client_secret("q", "e"), "s-e"),
            (SecretKey::initial_access_token("p"), "iat"),
        ] {
            assert_eq!(vault(&inner, None).get(&key).unwrap().unwrap().expose(), want, "{key}");
        }
    }

    #[test]
    fn a_copy_is_not_trusted_after_another_process_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join("keychain.lock");
        let inner = Arc::new(MemoryStore::new());
        // Two vaults on one keychain and one lock file: two processes.
        let (app, cli) = (vault(&inner, Some(lock.clone())), vault(&inner, Some(lock)));
        let key = SecretKey::registration_access_token("p", "c");
        app.set(&key, &Secret::new("first")).unwrap();
        assert_eq!(app.get(&key).unwrap().unwrap().expose(), "first");
        cli.set(&key, &Secret::new("rotated")).unwrap();
        assert_eq!(app.get(&key).unwrap().unwrap().expose(), "rotated", "the app re-reads");
        // And the app's next change starts from the CLI's, not from its own old copy.
        app.set(&SecretKey::client_secret("p", "c"), &Secret::new("secret"))
            .unwrap();
        assert_eq!(cli.get(&key).unwrap().unwrap().expose(), "rotated");
    }

    #[test]
    fn a_copy_answers_reads_only_while_the_keychain_would() {
        let dir = tempfile::tempdir().unwrap();
        let inner = Arc::new(MemoryStore::new());
        let v = vault(&inner, Some(dir.path().join("keychain.lock")));
        let key = SecretKey::client_secret("p", "c");
        v.set(&key, &Secret::new("s")).unwrap();
        inner.set_failing(true);
        assert!(v.get(&key).is_ok(), "a fresh copy answers");
        v.copies().get_mut("p").unwrap().read_at -= COPY_LIFETIME;
        assert!(
            v.get(&key).is_err(),
            "an old copy does not: the keychain is asked, and fails"
        );
        assert!(
            v.set(&key, &Secret::new("t")).is_err(),
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
                        let key = SecretKey::registration_access_token("p", &format!("{i}-{n}"));
                        v.set(&key, &Secret::new(format!("{i}-{n}"))).unwrap();
                    }
                });
            }
        });
        let entries = vaults[0].read("p").unwrap();
        assert_eq!(entries.len(), 100, "every client of both writers is kept");
    }
}
