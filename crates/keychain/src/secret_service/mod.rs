//! The Secret Service (gnome-keyring, KeePassXC) over one D-Bus connection per process,
//! which a command can open ahead of its first use ([`connect_ahead`]).
//!
//! The `keyring` crate connects and negotiates an encrypted session for every call, and a
//! write searches twice; a refresh reads two entries, so that set the speed of every command
//! and of bulk refresh (figures: `registrar-bench keychain`, in docs/benchmarks.md). Here the
//! session is negotiated once and reused, and renegotiated when the daemon went away. The
//! client is our own (`client`) rather than `dbus-secret-service`, whose Diffie-Hellman
//! exponentiation cost a noticeable share of a short command's CPU (docs/benchmarks.md).
//!
//! Items carry the attributes the `keyring` crate gives them (`service`, `username`,
//! `target`, `application`), so entries written by earlier versions of Registrar, or read by
//! other keyring-based tools, are the same entries; and a group attribute, so a profile's
//! entries are read in two calls (`SearchItems`, `GetSecrets`) however many there are.

mod cipher;
mod client;
mod dh;
mod error;
mod hints;
mod prompt;

use crate::{EntryName, KeychainError, Previous, Secret};
use client::{Attributes, Client};
use dbus::Path;
use std::sync::Mutex;

/// How long an unlock prompt may wait for the person at the desktop, by default.
const PROMPT_SECONDS: u64 = 120;
/// Tries of one call when the service goes away, and the pause before the next (times the try).
const ATTEMPTS: u32 = 3;
const RETRY_PAUSE: std::time::Duration = std::time::Duration::from_millis(50);
/// The attribute that groups a profile's entries, so they are found in one search.
const GROUP_ATTRIBUTE: &str = "registrar-group";

/// The process's connection and session, shared by every store (the service name is an
/// attribute of each item, not of the connection), opened on first use or ahead of it.
static CONNECTION: Mutex<Option<Client>> = Mutex::new(None);

/// Opens the process's connection and session ahead of their first use, so that the few
/// milliseconds the daemon spends on the session's key agreement overlap the caller's own
/// start (its arguments, its database) instead of delaying its first read. The bus
/// connection is made here, on the caller's thread, while the process has a core to itself:
/// made on the session's thread, its round trips to the bus daemon waited behind the
/// caller's work for a core (2 ms where it takes 0.3). The session is then opened on a
/// thread of its own, and the caller yields once so that thread starts at once: a new
/// thread is queued on its parent's busy core, and was seen to wait there 1 to 3 ms for the
/// parent's time slice to end while the other core was idle. A call that needs the keychain
/// before the session is open waits for it; one made after it uses it. A failure is left
/// for that call to meet (and retry, and report).
pub(crate) fn connect_ahead() {
    let Ok(bus) = Client::bus() else { return };
    let _ = std::thread::Builder::new().name("keychain-connect".into()).spawn(|| {
        let mut conn = CONNECTION.lock().unwrap_or_else(|e| e.into_inner());
        if conn.is_none() {
            *conn = Client::open(bus, prompt_seconds()).ok();
        }
    });
    std::thread::yield_now();
}

/// A headless script can say it will never answer a prompt (0: fail at once as locked).
fn prompt_seconds() -> u64 {
    std::env::var("REGISTRAR_KEYCHAIN_PROMPT_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(PROMPT_SECONDS)
}

#[derive(Debug)]
pub(super) struct SecretServiceStore {
    service: String,
    /// Where entries were last found, when the caller keeps that ([`hints`]).
    hints: Option<hints::ItemHints>,
}

impl SecretServiceStore {
    pub(super) fn new(service: String) -> Self {
        Self { service, hints: None }
    }

    /// Keeps where entries were found in `file`, so that a later process reads them in one
    /// round trip instead of two ([`SecretServiceStore::get_many`]).
    pub(super) fn remember_items_in(&mut self, file: std::path::PathBuf) {
        self.hints = Some(hints::ItemHints::new(file));
    }

    pub(super) fn get(&self, name: &str) -> Result<Option<Secret>, KeychainError> {
        self.with(|client| self.get_with(client, name))
    }

    fn get_with(&self, client: &Client, name: &str) -> Result<Option<Secret>, KeychainError> {
        let items = self.search(client, &self.by_name(name))?;
        let Some(item) = items.first() else {
            return Ok(None);
        };
        text(client.get_secret(item)?).map(Some)
    }

    /// Several entries in two round trips (every search at once, then every secret), where
    /// [`SecretServiceStore::get`] takes two each; in one when the items are where the last
    /// process found them ([`hints`]): their secrets are asked for with the searches.
    pub(super) fn get_many(&self, names: &[&str]) -> Result<Vec<Option<Secret>>, KeychainError> {
        let hinted = match &self.hints {
            Some(hints) => hints::distinct(&hints.paths(names)),
            None => Vec::new(),
        };
        self.with(|client| {
            let queries: Vec<Attributes<'_>> = names.iter().map(|name| self.by_name(name)).collect();
            let batch = client.search_many(&queries, &hinted)?;
            let (found, default) = (batch.found, batch.alias);
            let locked: Vec<Path<'static>> = found.iter().flat_map(|(_, locked)| locked.iter().cloned()).collect();
            if !locked.is_empty() {
                client.unlock(&locked)?;
            }
            let firsts: Vec<Option<Path<'static>>> = found
                .into_iter()
                .map(|(unlocked, locked)| unlocked.into_iter().chain(locked).next())
                .collect();
            // An absent entry is trusted as absent only as `search` trusts it: the default
            // collection unlocked, which an item found in it shows without asking; after an
            // unlock, what the locked collection hid is searched for again, one by one.
            if let Some(default) =
                default.filter(|d| firsts.iter().flatten().any(|i| collection_of(i).as_ref() == Some(d)))
            {
                client.seen_unlocked(default);
            }
            if firsts.iter().any(Option::is_none) && client.unlocked_default()?.1 {
                return names.iter().map(|name| self.get_with(client, name)).collect();
            }
            if let Some(hints) = &self.hints {
                hints.remember(names.iter().copied().zip(firsts.iter().map(Option::as_ref)));
            }
            // Only the secrets of the items the searches found first are used: a hint that
            // named another item (the entry rewritten since) brought nothing usable.
            let mut secrets = batch.prefetched.unwrap_or_default();
            let items: Vec<Path<'static>> = firsts
                .iter()
                .flatten()
                .filter(|item| !secrets.contains_key(*item))
                .cloned()
                .collect();
            secrets.extend(client.get_secrets_by_item(&items)?);
            firsts
                .iter()
                .map(|item| match item {
                    Some(item) => match secrets.remove(item) {
                        Some(bytes) => text(bytes).map(Some),
                        // Deleted between the search and the read.
                        None => Ok(None),
                    },
                    None => Ok(None),
                })
                .collect()
        })
    }

    pub(super) fn list(&self, group: &str) -> Result<Vec<Secret>, KeychainError> {
        self.with(|client| {
            let items = self.search(client, &self.by_group(group))?;
            client.get_secrets(&items)?.into_iter().map(text).collect()
        })
    }

    /// Writes into the collection that already holds the entry, else the default one, then
    /// removes any other item of the same name (one left in another collection, or one an
    /// older version wrote with other attributes): one entry per name, so no read can find
    /// an older value than the last write.
    pub(super) fn set(&self, entry: EntryName<'_>, value: &Secret) -> Result<(), KeychainError> {
        self.with(|client| {
            let by_name = self.by_name(entry.name);
            // The search unlocks what it finds, so the collection of an item it returns is
            // unlocked; only the default collection needs asking.
            let existing = self.search(client, &by_name)?;
            let collection = match existing.first().and_then(collection_of) {
                Some(collection) => collection,
                None => client.unlocked_default()?.0,
            };
            let item = self.create_in(client, &collection, entry, value)?;
            // "/" when a prompt created it: its path is unknown, so nothing is removed.
            if &*item != "/" {
                for old in existing.iter().filter(|old| **old != item) {
                    client.delete(old)?;
                }
            }
            Ok(())
        })
    }

    /// An entry known to be absent: created in the default collection without a search
    /// first. `CreateItem` still replaces an item of the same attributes there.
    pub(super) fn create(&self, entry: EntryName<'_>, value: &Secret) -> Result<(), KeychainError> {
        self.with(|client| {
            let collection = client.unlocked_default()?.0;
            self.create_in(client, &collection, entry, value).map(drop)
        })
    }

    /// An entry expected to be new, written in the default collection with the search for
    /// its name in the same batch: one round trip where there was none (a new client's
    /// token; [`SecretServiceStore::set`] searches first, then writes). What the search
    /// found anyway is dealt with as `set` deals with it: an item the write replaced in
    /// place is gone unread ([`Previous::Unknown`]); others of the name are read, then
    /// removed, so one item of the name is left.
    pub(super) fn create_expecting_none(
        &self,
        entry: EntryName<'_>,
        value: &Secret,
    ) -> Result<Previous, KeychainError> {
        self.with(|client| {
            let collection = client.unlocked_default()?.0;
            let ((unlocked, locked), item) = client.search_then_create(
                &self.by_name(entry.name),
                &collection,
                entry.label,
                &self.item_attributes(entry),
                value.expose().as_bytes(),
                "text/plain",
            )?;
            if unlocked.is_empty() && locked.is_empty() {
                return Ok(Previous::None);
            }
            // "/" when a prompt created it: which item is new is unknown, so nothing is
            // removed, and what was there is said to be unknown.
            if &*item == "/" {
                return Ok(Previous::Unknown);
            }
            let others: Vec<&Path<'static>> = unlocked.iter().chain(&locked).filter(|old| **old != item).collect();
            let replaced_in_place = others.len() < unlocked.len() + locked.len();
            if !locked.is_empty() {
                client.unlock(&locked)?;
            }
            let previous = match (replaced_in_place, others.first()) {
                (false, Some(first)) => Previous::Was(text(client.get_secret(first)?)?),
                _ => Previous::Unknown,
            };
            for old in others {
                client.delete(old)?;
            }
            Ok(previous)
        })
    }

    fn create_in(
        &self,
        client: &Client,
        collection: &Path<'static>,
        entry: EntryName<'_>,
        value: &Secret,
    ) -> Result<Path<'static>, KeychainError> {
        client.create_item(
            collection,
            entry.label,
            &self.item_attributes(entry),
            value.expose().as_bytes(),
            "text/plain",
        )
    }

    /// The attributes of a new item: its name's, the `keyring` crate's `application`, and
    /// its group's.
    fn item_attributes<'a>(&'a self, entry: EntryName<'a>) -> Attributes<'a> {
        let mut attributes = self.by_name(entry.name);
        attributes.insert("application", "rust-keyring");
        if let Some(group) = entry.group {
            attributes.insert(GROUP_ATTRIBUTE, group);
        }
        attributes
    }

    pub(super) fn delete(&self, name: &str) -> Result<(), KeychainError> {
        self.with(|client| {
            let (unlocked, locked) = client.search_items(&self.by_name(name))?;
            for item in locked.iter().chain(&unlocked) {
                client.delete(item)?;
            }
            Ok(())
        })
    }

    /// The items with these attributes, unlocked. "None" is only trusted once the default
    /// collection is known to be unlocked (asked, or seen so in the last two seconds): a
    /// locked KeePassXC database shows no items at all, and reading "absent" there would let
    /// the next write shadow what it holds.
    fn search(&self, client: &Client, attributes: &Attributes<'_>) -> Result<Vec<Path<'static>>, KeychainError> {
        let (mut unlocked, locked) = client.search_items(attributes)?;
        if !locked.is_empty() {
            client.unlock(&locked)?;
            unlocked.extend(locked);
        }
        if unlocked.is_empty() {
            let (_, was_locked) = client.unlocked_default()?;
            if was_locked {
                let (again, still_locked) = client.search_items(attributes)?;
                if !still_locked.is_empty() {
                    return Err(KeychainError::Locked);
                }
                return Ok(again);
            }
        }
        Ok(unlocked)
    }

    /// The attributes that name an entry; they are the ones the `keyring` crate gives it
    /// (`service`, `username`, `target`), so entries of earlier versions are the same entries.
    fn by_name<'a>(&'a self, name: &'a str) -> Attributes<'a> {
        Attributes::from([
            ("service", self.service.as_str()),
            ("username", name),
            ("target", "default"),
        ])
    }

    fn by_group<'a>(&'a self, group: &'a str) -> Attributes<'a> {
        Attributes::from([("service", self.service.as_str()), (GROUP_ATTRIBUTE, group)])
    }

    /// Runs `op` on the process's connection ([`CONNECTION`]), opening it on first use. When the bus or the
    /// daemon went away (since the last call, or during this one, connecting included),
    /// reconnects and runs `op` again, up to `ATTEMPTS` times with a short pause: a daemon the
    /// bus restarts serves the retry. Every `op` is safe to repeat (`CreateItem` replaces,
    /// reads change nothing, `Delete` searches again first).
    fn with<T>(&self, op: impl Fn(&Client) -> Result<T, KeychainError>) -> Result<T, KeychainError> {
        let mut conn = CONNECTION.lock().unwrap_or_else(|e| e.into_inner());
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = match conn.as_ref() {
                Some(client) => op(client),
                None => Client::connect(prompt_seconds()).and_then(|client| op(conn.insert(client))),
            };
            if let (Err(KeychainError::Locked), Some(client)) = (&result, conn.as_ref()) {
                client.forget_unlocked();
            }
            match result {
                Err(KeychainError::Unavailable(_)) if attempt < ATTEMPTS => {
                    *conn = None;
                    std::thread::sleep(RETRY_PAUSE * attempt);
                }
                Err(e @ KeychainError::Unavailable(_)) => {
                    *conn = None;
                    return Err(e);
                }
                other => return other,
            }
        }
    }
}

/// The collection an item lives in: its path's parent (`…/collection/login/12`).
fn collection_of(item: &Path<'static>) -> Option<Path<'static>> {
    let (parent, _) = item.rsplit_once('/')?;
    Path::new(parent.to_string()).ok()
}

fn text(bytes: zeroize::Zeroizing<Vec<u8>>) -> Result<Secret, KeychainError> {
    std::str::from_utf8(&bytes)
        .map(Secret::new)
        .map_err(|_| KeychainError::Refused("a keychain entry does not hold text".into()))
}
