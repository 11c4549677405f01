//! The registered clients. Sharded `RwLock<HashMap>`s keyed by client_id: every access is a
//! short synchronous critical section (never across an await), and concurrent registrations
//! mostly land on different shards.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use serde_json::{Map, Value};

use crate::secret;

const SHARDS: usize = 32;

/// A client's metadata: an open JSON object, so vendor fields round-trip untouched.
pub(crate) type Metadata = Map<String, Value>;

/// One client as the provider stores it.
#[derive(Clone, Debug)]
pub(crate) struct ClientRecord {
    /// Everything the provider would show in its admin console, including `client_id`,
    /// `client_secret` and the server-assigned fields.
    pub(crate) metadata: Map<String, Value>,
    /// The current registration access token, for dialects that issue them.
    pub(crate) rat: Option<String>,
    /// Changes whenever the client does (Liberty sends it; the admin API changes it too).
    pub(crate) etag: String,
    /// Registration order, for stable listings.
    seq: u64,
}

impl ClientRecord {
    pub(crate) fn new(metadata: Map<String, Value>, rat: Option<String>) -> Self {
        ClientRecord {
            metadata,
            rat,
            etag: fresh_etag(),
            seq: 0,
        }
    }

    pub(crate) fn secret(&self) -> Option<&str> {
        self.metadata.get("client_secret").and_then(Value::as_str)
    }

    /// Whether `presented` is this client's current registration access token.
    pub(crate) fn rat_matches(&self, presented: &str) -> bool {
        self.rat.as_deref().is_some_and(|rat| secret::same(presented, rat))
    }

    /// Marks the client as changed.
    pub(crate) fn touch(&mut self) {
        self.etag = fresh_etag();
    }
}

/// A quoted strong entity tag in the style of Liberty's (base64 of 16 bytes).
fn fresh_etag() -> String {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    format!("\"{}\"", STANDARD.encode(bytes))
}

type Shard = RwLock<HashMap<String, ClientRecord>>;

/// All clients of one mock.
#[derive(Debug)]
pub(crate) struct Store {
    shards: Box<[Shard]>,
    hasher: RandomState,
    seq: AtomicU64,
}

impl Store {
    pub(crate) fn new() -> Self {
        Store {
            shards: (0..SHARDS).map(|_| RwLock::new(HashMap::new())).collect(),
            hasher: RandomState::new(),
            seq: AtomicU64::new(0),
        }
    }

    /// Adds a client unless its id is taken; false if it is.
    #[must_use]
    pub(crate) fn insert(&self, id: String, mut record: ClientRecord) -> bool {
        let mut shard = self.write(&id);
        if shard.contains_key(&id) {
            return false;
        }
        record.seq = self.seq.fetch_add(1, Ordering::Relaxed);
        shard.insert(id, record);
        true
    }

    pub(crate) fn read<R>(&self, id: &str, f: impl FnOnce(&ClientRecord) -> R) -> Option<R> {
        self.read_shard(id).get(id).map(f)
    }

    pub(crate) fn update<R>(&self, id: &str, f: impl FnOnce(&mut ClientRecord) -> R) -> Option<R> {
        self.write(id).get_mut(id).map(f)
    }

    /// Removes the client if `check` allows it; `None` when there is no such client.
    pub(crate) fn remove_if<E>(
        &self,
        id: &str,
        check: impl FnOnce(&ClientRecord) -> Result<(), E>,
    ) -> Option<Result<ClientRecord, E>> {
        let mut shard = self.write(id);
        if let Err(refusal) = check(shard.get(id)?) {
            return Some(Err(refusal));
        }
        shard.remove(id).map(Ok)
    }

    pub(crate) fn remove(&self, id: &str) -> Option<ClientRecord> {
        self.write(id).remove(id)
    }

    /// Every client, in registration order.
    pub(crate) fn snapshot(&self) -> Vec<ClientRecord> {
        let mut all: Vec<ClientRecord> = self
            .shards
            .iter()
            .flat_map(|shard| {
                let guard = shard.read().unwrap_or_else(PoisonError::into_inner);
                guard.values().cloned().collect::<Vec<_>>()
            })
            .collect();
        all.sort_by_key(|r| r.seq);
        all
    }

    pub(crate) fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.read().unwrap_or_else(PoisonError::into_inner).len())
            .sum()
    }

    fn shard(&self, id: &str) -> &Shard {
        // The modulo keeps the index in range whatever the hash is.
        let index = (self.hasher.hash_one(id) % SHARDS as u64) as usize;
        &self.shards[index]
    }

    // A panic inside a critical section cannot leave a record half-written in a way that
    // matters to a mock, so a poisoned lock is simply taken over.
    fn read_shard(&self, id: &str) -> RwLockReadGuard<'_, HashMap<String, ClientRecord>> {
        self.shard(id).read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self, id: &str) -> RwLockWriteGuard<'_, HashMap<String, ClientRecord>> {
        self.shard(id).write().unwrap_or_else(PoisonError::into_inner)
    }
}
