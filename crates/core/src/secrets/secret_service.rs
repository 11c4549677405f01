//! The Secret Service (gnome-keyring, KeePassXC) over one D-Bus connection per process.
//!
//! The `keyring` crate connects and negotiates an encrypted session for every call, and a
//! write searches twice: about 5 ms per read and 13 ms per write on gnome-keyring
//! (`registrar-bench keychain`). A refresh reads two entries, so that set the speed of
//! every command and of bulk refresh. Here the session is negotiated once and reused; a
//! broken connection is reopened once per call.
//!
//! Items carry the attributes the `keyring` crate gives them (`service`, `username`,
//! `target`, `application`), so entries written by earlier versions of Registrar, or read by
//! other keyring-based tools, are the same entries.

use super::{KeychainError, SecretKey};
use crate::secret::Secret;
use dbus_secret_service::{EncryptionType, Error as SsError, Item, SecretService};
use std::collections::HashMap;
use std::sync::Mutex;

/// How long an unlock prompt may wait for the person at the desktop, by default.
const PROMPT_SECONDS: u64 = 120;

#[derive(Debug)]
pub(super) struct SecretServiceStore {
    service: String,
    prompt_seconds: u64,
    conn: Mutex<Option<Connection>>,
}

/// `SecretService` has no `Debug`; this wrapper keeps the store printable (without content).
struct Connection(SecretService);

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretService connection")
    }
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
        self.with(|ss| {
            let Some(item) = self.find(ss, key)? else {
                return Ok(None);
            };
            let bytes = item.get_secret().map_err(map_error)?;
            String::from_utf8(bytes)
                .map(|s| Some(Secret::new(s)))
                .map_err(|_| KeychainError::Refused(format!("the entry {key} does not hold text")))
        })
    }

    pub(super) fn set(&self, key: &SecretKey, value: &Secret) -> Result<(), KeychainError> {
        self.with(|ss| {
            let collection = ss.get_default_collection().map_err(map_error)?;
            if collection.is_locked().map_err(map_error)? {
                collection.unlock().map_err(map_error)?;
            }
            // `replace` overwrites the item with the same attributes in one call.
            collection
                .create_item(
                    &format!("Registrar: {key}"),
                    self.attributes(key, true),
                    value.expose().as_bytes(),
                    true,
                    "text/plain",
                )
                .map(|_| ())
                .map_err(map_error)
        })
    }

    pub(super) fn delete(&self, key: &SecretKey) -> Result<(), KeychainError> {
        self.with(|ss| {
            let found = ss.search_items(self.attributes(key, false)).map_err(map_error)?;
            for item in found.locked.iter().chain(&found.unlocked) {
                item.delete().map_err(map_error)?;
            }
            Ok(())
        })
    }

    /// The entry for `key`, unlocked (which may show the desktop's unlock prompt).
    fn find<'a>(&self, ss: &'a SecretService, key: &SecretKey) -> Result<Option<Item<'a>>, KeychainError> {
        let mut found = ss.search_items(self.attributes(key, false)).map_err(map_error)?;
        if let Some(item) = found.unlocked.pop() {
            return Ok(Some(item));
        }
        match found.locked.pop() {
            Some(item) => {
                item.unlock().map_err(map_error)?;
                Ok(Some(item))
            }
            None => Ok(None),
        }
    }

    fn attributes<'a>(&'a self, key: &'a SecretKey, for_create: bool) -> HashMap<&'a str, &'a str> {
        let mut attributes = HashMap::from([
            ("service", self.service.as_str()),
            ("username", key.as_str()),
            ("target", "default"),
        ]);
        if for_create {
            attributes.insert("application", "rust-keyring");
        }
        attributes
    }

    /// Runs `op` on the process's connection, opening it on first use; when the bus or the
    /// daemon went away since, reopens once and runs `op` again.
    fn with<T>(&self, op: impl Fn(&SecretService) -> Result<T, KeychainError>) -> Result<T, KeychainError> {
        let mut conn = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        for attempt in 0..2 {
            if conn.is_none() {
                let ss = SecretService::connect_with_max_prompt_timeout(EncryptionType::Dh, self.prompt_seconds)
                    .map_err(|e| KeychainError::Unavailable(e.to_string()))?;
                *conn = Some(Connection(ss));
            }
            let Some(Connection(ss)) = conn.as_ref() else {
                unreachable!("connected above")
            };
            match op(ss) {
                Err(KeychainError::Unavailable(_)) if attempt == 0 => *conn = None,
                other => return other,
            }
        }
        Err(KeychainError::Unavailable("the Secret Service went away".into()))
    }
}

fn map_error(e: SsError) -> KeychainError {
    match &e {
        SsError::Locked => KeychainError::Locked,
        // Not prompted (a zero prompt timeout), or the prompt dismissed or left unanswered.
        SsError::Prompt => KeychainError::Locked,
        SsError::Unavailable => KeychainError::Unavailable(e.to_string()),
        SsError::Dbus(d) => match d.name().unwrap_or_default() {
            "org.freedesktop.Secret.Error.IsLocked" => KeychainError::Locked,
            "org.freedesktop.DBus.Error.ServiceUnknown"
            | "org.freedesktop.DBus.Error.NoReply"
            | "org.freedesktop.DBus.Error.NoServer"
            | "org.freedesktop.DBus.Error.Disconnected"
            | "org.freedesktop.DBus.Error.UnknownObject"
            | "org.freedesktop.DBus.Error.Timeout" => KeychainError::Unavailable(e.to_string()),
            _ => KeychainError::Refused(e.to_string()),
        },
        _ => KeychainError::Refused(e.to_string()),
    }
}
