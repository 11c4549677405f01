//! The Secret Service (gnome-keyring, KeePassXC) over one D-Bus connection per process.
//!
//! The `keyring` crate connects and negotiates an encrypted session for every call, and a
//! write searches twice: about 5 ms per read and 13 ms per write on gnome-keyring
//! (`registrar-bench keychain`). A refresh reads two entries, so that set the speed of
//! every command and of bulk refresh. Here the session is negotiated once and reused; a
//! broken connection is reopened once per call. The client is our own (`client`) rather than
//! `dbus-secret-service`, whose Diffie-Hellman exponentiation cost ~10 ms of CPU per process.
//!
//! Items carry the attributes the `keyring` crate gives them (`service`, `username`,
//! `target`, `application`), so entries written by earlier versions of Registrar, or read by
//! other keyring-based tools, are the same entries.

mod cipher;
mod client;
mod dh;
mod error;
mod prompt;

use super::{KeychainError, SecretKey};
use crate::secret::Secret;
use client::{Attributes, Client};
use std::sync::Mutex;

/// How long an unlock prompt may wait for the person at the desktop, by default.
const PROMPT_SECONDS: u64 = 120;
/// Tries of one call when the service goes away, and the pause before the next (times the try).
const ATTEMPTS: u32 = 3;
const RETRY_PAUSE: std::time::Duration = std::time::Duration::from_millis(50);

#[derive(Debug)]
pub(super) struct SecretServiceStore {
    service: String,
    prompt_seconds: u64,
    conn: Mutex<Option<Client>>,
}

impl SecretServiceStore {
    pub(super) fn new(service: String) -> Self {
        // A headless script can say it will never answer a prompt (0: fail at once as locked).
        let prompt_seconds = std::env::var("REGISTRAR_KEYCHAIN_PROMPT_SECONDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(PROMPT_SECONDS);
        Self {
            service,
            prompt_seconds,
            conn: Mutex::new(None),
        }
    }

    pub(super) fn get(&self, key: &SecretKey) -> Result<Option<Secret>, KeychainError> {
        self.with(|client| {
            let Some(item) = self.find(client, key)? else {
                return Ok(None);
            };
            let bytes = client.get_secret(&item)?;
            std::str::from_utf8(&bytes)
                .map(|s| Some(Secret::new(s)))
                .map_err(|_| KeychainError::Refused(format!("the entry {key} does not hold text")))
        })
    }

    pub(super) fn set(&self, key: &SecretKey, value: &Secret) -> Result<(), KeychainError> {
        self.with(|client| {
            let collection = client.default_collection()?;
            if client.is_locked(&collection)? {
                client.unlock(&collection)?;
            }
            // `replace` overwrites the item with the same attributes in one call.
            client.create_item(
                &collection,
                &format!("Registrar: {key}"),
                &self.attributes(key, true),
                value.expose().as_bytes(),
                "text/plain",
            )
        })
    }

    pub(super) fn delete(&self, key: &SecretKey) -> Result<(), KeychainError> {
        self.with(|client| {
            let (unlocked, locked) = client.search_items(&self.attributes(key, false))?;
            for item in locked.iter().chain(&unlocked) {
                client.delete(item)?;
            }
            Ok(())
        })
    }

    /// The entry for `key`, unlocked (which may show the desktop's unlock prompt).
    fn find(&self, client: &Client, key: &SecretKey) -> Result<Option<dbus::Path<'static>>, KeychainError> {
        let (unlocked, locked) = client.search_items(&self.attributes(key, false))?;
        if let Some(item) = unlocked.into_iter().next() {
            return Ok(Some(item));
        }
        match locked.into_iter().next() {
            Some(item) => {
                client.unlock(&item)?;
                Ok(Some(item))
            }
            None => Ok(None),
        }
    }

    fn attributes<'a>(&'a self, key: &'a SecretKey, for_create: bool) -> Attributes<'a> {
        let mut attributes = Attributes::from([
            ("service", self.service.as_str()),
            ("username", key.as_str()),
            ("target", "default"),
        ]);
        if for_create {
            attributes.insert("application", "rust-keyring");
        }
        attributes
    }

    /// Runs `op` on the process's connection, opening it on first use. When the bus or the
    /// daemon went away (since the last call, or during this one, connecting included),
    /// reconnects and runs `op` again, up to `ATTEMPTS` times with a short pause: a daemon the
    /// bus restarts serves the retry. Every `op` is safe to repeat (`CreateItem` replaces,
    /// reads change nothing, `Delete` searches again first).
    fn with<T>(&self, op: impl Fn(&Client) -> Result<T, KeychainError>) -> Result<T, KeychainError> {
        let mut conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = match conn.as_ref() {
                Some(client) => op(client),
                None => Client::connect(self.prompt_seconds).and_then(|client| op(conn.insert(client))),
            };
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
