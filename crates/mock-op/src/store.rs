//! The registered clients. Sharded `RwLock<HashMap>`s keyed by client_id: every access is a
//! short synchronous critical section (never across an await), and concurrent registrations
//! mostly land on different shards. A client is kept as one block of bytes: its metadata's
//! JSON text, id, token, ETag and registration number (about 50 bytes beyond the text and
//! the id, plus a pointer in the table).

use std::collections::HashSet;
use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::secret;

const SHARDS: usize = 32;

/// A client's metadata: an open JSON object, so vendor fields round-trip untouched.
pub(crate) type Metadata = Map<String, Value>;

/// One client as the provider keeps it (packed into one block in the [`Store`]).
///
/// The metadata is kept as its compact JSON text, encoded once per change, rather than as a
/// parsed [`Metadata`]: a parsed map of a typical client costs about 4 KiB of small
/// allocations (an `IndexMap` with its index table, a `String` per key and value, a `Vec`
/// per array, each `Value` 80 bytes), the text about 500 bytes. Handlers parse it when they
/// need fields ([`ClientRecord::metadata`], [`ClientRecord::field`]), as a provider with a
/// database would; answers that show the record use the text as it is.
#[derive(Clone)]
pub(crate) struct ClientRecord {
    /// Everything the provider would show in its admin console, including `client_id`,
    /// `client_secret` and the server-assigned fields: a JSON object, in field order.
    json: Box<str>,
    /// The current registration access token, for dialects that issue them.
    pub(crate) rat: Option<Box<str>>,
    /// Changes whenever the client does (Liberty sends it; the admin API changes it too).
    etag: [u8; 16],
    /// Registration order, for stable listings.
    seq: u64,
}

impl ClientRecord {
    pub(crate) fn new(metadata: &Metadata, rat: Option<String>) -> Self {
        ClientRecord {
            json: encode(metadata),
            rat: rat.map(String::into_boxed_str),
            etag: fresh_etag(),
            seq: 0,
        }
    }

    /// The stored metadata, parsed.
    pub(crate) fn metadata(&self) -> Metadata {
        // The text is this store's own encoding of a map, so it always parses back.
        serde_json::from_str(&self.json).expect("a stored record is a JSON object")
    }

    /// Replaces the stored metadata (without [`ClientRecord::touch`]ing the record).
    pub(crate) fn set_metadata(&mut self, metadata: &Metadata) {
        self.json = encode(metadata);
    }

    /// Changes the metadata through `edit` (without [`ClientRecord::touch`]ing the record).
    pub(crate) fn edit_metadata(&mut self, edit: impl FnOnce(&mut Metadata)) {
        let mut metadata = self.metadata();
        edit(&mut metadata);
        self.set_metadata(&metadata);
    }

    /// The metadata as compact JSON text.
    pub(crate) fn json(&self) -> &str {
        &self.json
    }

    /// The metadata's JSON text with one more string field at the end, as inserting it
    /// into the parsed map would give; without parsing the record when the field is new.
    pub(crate) fn json_with(&self, key: &str, value: &str) -> String {
        let quoted_key = Value::from(key).to_string();
        // serde_json writes a key literally unless it holds quotes, backslashes or control
        // characters, so a key that is present appears as this text (a value might too,
        // which only costs the slower path).
        if self.json.contains(quoted_key.as_str()) {
            let mut metadata = self.metadata();
            metadata.insert(key.to_owned(), value.into());
            return encode(&metadata).into();
        }
        let quoted_value = Value::from(value).to_string();
        let body = self.json.strip_suffix('}').unwrap_or(&self.json);
        let separator = if body.trim_end() == "{" { "" } else { "," };
        let mut out = String::with_capacity(body.len() + separator.len() + quoted_key.len() + quoted_value.len() + 2);
        out.push_str(body);
        out.push_str(separator);
        out.push_str(&quoted_key);
        out.push(':');
        out.push_str(&quoted_value);
        out.push('}');
        out
    }

    /// One field of the metadata (its last occurrence), without building the whole map.
    pub(crate) fn field(&self, name: &str) -> Option<Value> {
        let mut de = serde_json::Deserializer::from_str(&self.json);
        FindField(name).deserialize(&mut de).ok().flatten()
    }

    pub(crate) fn secret(&self) -> Option<String> {
        match self.field("client_secret")? {
            Value::String(secret) => Some(secret),
            _ => None,
        }
    }

    /// Whether `presented` is this client's current registration access token.
    pub(crate) fn rat_matches(&self, presented: &str) -> bool {
        self.rat.as_deref().is_some_and(|rat| secret::same(presented, rat))
    }

    pub(crate) fn set_rat(&mut self, rat: String) {
        self.rat = Some(rat.into_boxed_str());
    }

    /// A quoted strong entity tag in the style of Liberty's (base64 of 16 bytes).
    pub(crate) fn etag(&self) -> String {
        use base64::engine::general_purpose::STANDARD;
        use base64::Engine;
        format!("\"{}\"", STANDARD.encode(self.etag))
    }

    /// Marks the client as changed.
    pub(crate) fn touch(&mut self) {
        self.etag = fresh_etag();
    }
}

impl fmt::Debug for ClientRecord {
    // The text holds the client's secret; the token is left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientRecord")
            .field("json", &self.json)
            .field("etag", &self.etag())
            .field("seq", &self.seq)
            .finish_non_exhaustive()
    }
}

/// Compact JSON text, allocated to its exact length.
fn encode(metadata: &Metadata) -> Box<str> {
    serde_json::to_string(metadata)
        .expect("a JSON map always serializes")
        .into_boxed_str()
}

fn fresh_etag() -> [u8; 16] {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

/// Deserializes one field's value out of a JSON object, skipping the others.
struct FindField<'n>(&'n str);

impl<'de> DeserializeSeed<'de> for FindField<'_> {
    type Value = Option<Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FindField<'_> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(is_it) = map.next_key_seed(KeyIs(self.0))? {
            if is_it {
                found = Some(map.next_value::<Value>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// Whether an object key is the wanted one, without allocating it.
struct KeyIs<'n>(&'n str);

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E>(self, key: &str) -> Result<bool, E> {
        Ok(key == self.0)
    }
}

/// A stored client in one allocation: registration number, ETag, id, token and metadata
/// text, one after the other. The table then holds one pointer per client and the
/// allocator one block, where separate strings cost a 72-byte table entry and three
/// blocks; handlers work on a [`ClientRecord`] made from it.
#[derive(Clone)]
struct Packed(Box<[u8]>);

/// Registration number (8 bytes), ETag (16), id length (4), token length (4).
const HEADER: usize = 32;
const NO_TOKEN: u32 = u32::MAX;

impl Packed {
    fn new(id: &str, record: &ClientRecord) -> Self {
        let rat = record.rat.as_deref();
        let length = |text: &str| u32::try_from(text.len()).unwrap_or(NO_TOKEN - 1);
        let mut bytes = Vec::with_capacity(HEADER + id.len() + rat.map_or(0, str::len) + record.json.len());
        bytes.extend_from_slice(&record.seq.to_le_bytes());
        bytes.extend_from_slice(&record.etag);
        bytes.extend_from_slice(&length(id).to_le_bytes());
        bytes.extend_from_slice(&rat.map_or(NO_TOKEN, length).to_le_bytes());
        bytes.extend_from_slice(id.as_bytes());
        bytes.extend_from_slice(rat.unwrap_or_default().as_bytes());
        bytes.extend_from_slice(record.json.as_bytes());
        Packed(bytes.into_boxed_slice())
    }

    fn number(&self, at: usize) -> u32 {
        let mut word = [0u8; 4];
        word.copy_from_slice(&self.0[at..at + 4]);
        u32::from_le_bytes(word)
    }

    fn text(&self, from: usize, to: usize) -> &str {
        // Written from `&str`s above, so always UTF-8.
        std::str::from_utf8(&self.0[from..to]).unwrap_or_default()
    }

    fn id(&self) -> &str {
        self.text(HEADER, HEADER + self.number(24) as usize)
    }

    fn record(&self) -> ClientRecord {
        let mut seq = [0u8; 8];
        seq.copy_from_slice(&self.0[..8]);
        let mut etag = [0u8; 16];
        etag.copy_from_slice(&self.0[8..24]);
        let rat_at = HEADER + self.number(24) as usize;
        let (rat, json_at) = match self.number(28) {
            NO_TOKEN => (None, rat_at),
            n => (Some(self.text(rat_at, rat_at + n as usize).into()), rat_at + n as usize),
        };
        ClientRecord {
            json: self.text(json_at, self.0.len()).into(),
            rat,
            etag,
            seq: u64::from_le_bytes(seq),
        }
    }
}

// Keyed by the client id inside: lookups take a `&str`.
impl std::borrow::Borrow<str> for Packed {
    fn borrow(&self) -> &str {
        self.id()
    }
}

impl std::hash::Hash for Packed {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.id().hash(state);
    }
}

impl PartialEq for Packed {
    fn eq(&self, other: &Self) -> bool {
        self.id() == other.id()
    }
}

impl Eq for Packed {}

impl fmt::Debug for Packed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Packed").field(&self.id()).finish()
    }
}

type Shard = RwLock<HashSet<Packed>>;

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
            shards: (0..SHARDS).map(|_| RwLock::new(HashSet::new())).collect(),
            hasher: RandomState::new(),
            seq: AtomicU64::new(0),
        }
    }

    /// Adds a client unless its id is taken; false if it is.
    #[must_use]
    pub(crate) fn insert(&self, id: String, mut record: ClientRecord) -> bool {
        let mut shard = self.write(&id);
        if shard.contains(id.as_str()) {
            return false;
        }
        record.seq = self.seq.fetch_add(1, Ordering::Relaxed);
        shard.insert(Packed::new(&id, &record))
    }

    pub(crate) fn read<R>(&self, id: &str, f: impl FnOnce(&ClientRecord) -> R) -> Option<R> {
        let record = self.read_shard(id).get(id)?.record();
        Some(f(&record))
    }

    /// Changes a client in place: `f` sees it and changes it inside the shard's lock.
    pub(crate) fn update<R>(&self, id: &str, f: impl FnOnce(&mut ClientRecord) -> R) -> Option<R> {
        let mut shard = self.write(id);
        let mut record = shard.get(id)?.record();
        let out = f(&mut record);
        shard.replace(Packed::new(id, &record));
        Some(out)
    }

    /// Removes the client if `check` allows it; `None` when there is no such client.
    pub(crate) fn remove_if<E>(
        &self,
        id: &str,
        check: impl FnOnce(&ClientRecord) -> Result<(), E>,
    ) -> Option<Result<ClientRecord, E>> {
        let mut shard = self.write(id);
        let record = shard.get(id)?.record();
        if let Err(refusal) = check(&record) {
            return Some(Err(refusal));
        }
        shard.remove(id);
        Some(Ok(record))
    }

    pub(crate) fn remove(&self, id: &str) -> Option<ClientRecord> {
        self.write(id).take(id).map(|packed| packed.record())
    }

    /// Every client, in registration order.
    pub(crate) fn snapshot(&self) -> Vec<ClientRecord> {
        let mut all: Vec<ClientRecord> = self
            .shards
            .iter()
            .flat_map(|shard| {
                let guard = shard.read().unwrap_or_else(PoisonError::into_inner);
                guard.iter().map(Packed::record).collect::<Vec<_>>()
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
    fn read_shard(&self, id: &str) -> RwLockReadGuard<'_, HashSet<Packed>> {
        self.shard(id).read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self, id: &str) -> RwLockWriteGuard<'_, HashSet<Packed>> {
        self.shard(id).write().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(value: Value) -> ClientRecord {
        let Value::Object(map) = value else {
            unreachable!("tests pass objects")
        };
        ClientRecord::new(&map, Some("rat".into()))
    }

    /// What inserting into the parsed map gives, the reference for `json_with`.
    fn inserted(record: &ClientRecord, key: &str, value: &str) -> String {
        let mut map = record.metadata();
        map.insert(key.into(), value.into());
        Value::Object(map).to_string()
    }

    #[test]
    fn keeps_the_metadata_as_given_in_its_order() {
        let value = json!({"z": 1, "a": [true, null, 1.5], "m": {"k": "v\"\\\n"}, "é": -3});
        let stored = record(value.clone());
        assert_eq!(stored.json(), value.to_string());
        assert_eq!(Value::Object(stored.metadata()), value);
        let keys: Vec<String> = stored.metadata().keys().cloned().collect();
        assert_eq!(keys, ["z", "a", "m", "é"]);
    }

    #[test]
    fn an_added_field_goes_last_or_replaces_the_one_there() {
        let key = "registration_access_token";
        for value in [
            json!({}),
            json!({"client_id": "a", "client_secret": "s"}),
            json!({"client_id": "a", "registration_access_token": "old", "scope": "x"}),
            json!({"client_id": "a", "note": "registration_access_token"}),
        ] {
            let stored = record(value);
            for token in ["t0k3n", "with \"quotes\" and \\ and \u{1}"] {
                let spliced = stored.json_with(key, token);
                assert_eq!(spliced, inserted(&stored, key, token));
                assert!(serde_json::from_str::<Value>(&spliced).is_ok());
            }
        }
    }

    #[test]
    fn finds_one_field_without_the_others() {
        let stored = record(json!({"a": {"client_secret": "inner"}, "client_secret": "outer", "b": [1, 2]}));
        assert_eq!(stored.secret().as_deref(), Some("outer"));
        assert_eq!(stored.field("b"), Some(json!([1, 2])));
        assert_eq!(stored.field("missing"), None);
        // Keys are compared unescaped.
        let escaped = ClientRecord {
            json: r#"{"client\u005fsecret":"s"}"#.into(),
            ..record(json!({}))
        };
        assert_eq!(escaped.secret().as_deref(), Some("s"));
        // A secret that is not a string is no secret.
        assert_eq!(record(json!({"client_secret": 7})).secret(), None);
    }

    #[test]
    fn edits_and_touches_change_what_they_say() {
        let mut stored = record(json!({"client_id": "a"}));
        let etag = stored.etag();
        stored.edit_metadata(|map| {
            map.insert("scope".into(), "openid".into());
        });
        assert_eq!(stored.json(), r#"{"client_id":"a","scope":"openid"}"#);
        assert_eq!(stored.etag(), etag, "editing alone is not a new version");
        stored.touch();
        assert_ne!(stored.etag(), etag);
        assert!(stored.etag().starts_with('"') && stored.etag().ends_with('"'));
        assert!(stored.rat_matches("rat") && !stored.rat_matches("other"));
    }

    #[test]
    fn a_packed_client_unpacks_as_it_was() {
        let mut with_token = record(json!({"client_id": "é1", "client_name": "Ünïcode ☃"}));
        with_token.seq = 7;
        let mut without = ClientRecord::new(&Map::new(), None);
        without.seq = u64::MAX;
        let empty_token = ClientRecord::new(&Map::new(), Some(String::new()));
        for (id, stored) in [("é1", with_token), ("", without), ("x", empty_token)] {
            let packed = Packed::new(id, &stored);
            assert_eq!(packed.id(), id);
            let back = packed.record();
            assert_eq!(
                (back.json(), back.rat.as_deref(), back.etag(), back.seq),
                (stored.json(), stored.rat.as_deref(), stored.etag(), stored.seq)
            );
        }
    }

    #[test]
    fn updates_stay_and_removals_answer_what_was_there() {
        let store = Store::new();
        assert!(store.insert("a".into(), record(json!({"n": 1}))));
        let etag = store.read("a", ClientRecord::etag).unwrap_or_default();
        store.update("a", |r| {
            r.set_rat("new".into());
            r.edit_metadata(|m| {
                m.insert("n".into(), 2.into());
            });
            r.touch();
        });
        assert_eq!(store.read("a", |r| r.rat_matches("new")), Some(true));
        assert_eq!(store.read("a", |r| r.field("n")), Some(Some(json!(2))));
        assert_ne!(store.read("a", ClientRecord::etag).unwrap_or_default(), etag);
        assert_eq!(
            store
                .remove_if("a", |_| Err::<(), _>("no"))
                .map(|r| r.map(|r| r.json().to_owned())),
            Some(Err("no"))
        );
        let removed = store.remove_if("a", |_| Ok::<(), ()>(()));
        assert_eq!(
            removed.map(|r| r.map(|r| r.json().to_owned())),
            Some(Ok(r#"{"n":2}"#.to_owned()))
        );
        assert_eq!(store.len(), 0);
        assert!(store.update("a", |_| ()).is_none());
    }

    #[test]
    fn lists_in_registration_order_and_refuses_a_taken_id() {
        let store = Store::new();
        for n in 0..100 {
            assert!(store.insert(format!("id{n}"), record(json!({"n": n}))));
        }
        assert!(!store.insert("id7".into(), record(json!({"n": "again"}))));
        let order: Vec<Value> = store
            .snapshot()
            .iter()
            .map(|r| r.field("n").unwrap_or_default())
            .collect();
        assert_eq!(order, (0..100).map(Value::from).collect::<Vec<_>>());
        assert_eq!(store.read("id7", |r| r.field("n")), Some(Some(json!(7))));
        assert!(store.remove("id7").is_some());
        assert_eq!(store.len(), 99);
    }
}
