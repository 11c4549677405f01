//! registrar-keychain: the OS keychain as Registrar stores secrets in it, behind one trait.
//!
//! - [`OsKeychain`]: the Secret Service (gnome-keyring, KeePassXC) on Linux, over one D-Bus
//!   connection and one encrypted session per process (`secret_service`); the `keyring`
//!   crate's native stores on macOS (Keychain) and Windows (Credential Manager).
//! - [`MemoryStore`]: the same contract in memory, with switches that make it fail as a
//!   locked, missing or size-limited keychain, for tests.
//!
//! The store knows entries by name and nothing of what they hold: how Registrar lays its
//! credentials out over entries (one per credential, split where an entry would be too big
//! for Windows) is the core's `Vault`.

#![warn(missing_docs)]

mod memory;
mod os;
mod secret;
#[cfg(target_os = "linux")]
mod secret_service;

pub use memory::MemoryStore;
pub use os::OsKeychain;
pub use secret::{reveal, Secret};

/// The most a value may hold, in UTF-16 code units, on every platform: Windows Credential
/// Manager refuses a secret over 2,560 bytes of UTF-16. Writers split longer values.
pub const MAX_VALUE_UNITS: usize = 1280;

/// One entry as a writer names it.
#[derive(Debug, Clone, Copy)]
pub struct EntryName<'a> {
    /// The entry's identity in the store (unique within the store's service name).
    pub name: &'a str,
    /// What a person sees in the OS's keychain viewer (Seahorse, Keychain Access).
    pub label: &'a str,
    /// Entries of one group can be read together, where the store can list ([`SecretStore::list`]).
    pub group: Option<&'a str>,
}

/// A keychain: entries by name, each holding one secret string.
pub trait SecretStore: Send + Sync + std::fmt::Debug {
    /// The entry's value; `None` only when the store says it has no such entry, never
    /// because a collection it might be in is locked.
    fn get(&self, name: &str) -> Result<Option<Secret>, KeychainError>;
    /// Several entries' values, in the order of `names`: as [`SecretStore::get`] each, in
    /// fewer round trips where the store can (the Secret Service: two for all of them).
    fn get_many(&self, names: &[&str]) -> Result<Vec<Option<Secret>>, KeychainError> {
        names.iter().map(|name| self.get(name)).collect()
    }
    /// Creates the entry or replaces its value (and label).
    fn set(&self, entry: EntryName<'_>, value: &Secret) -> Result<(), KeychainError>;
    /// As [`SecretStore::set`], for an entry the caller knows there is none of (it just read
    /// it as absent, under its writers' lock, or the name is new): a store may skip looking
    /// for others of the same name (the Secret Service: one round trip fewer).
    fn create(&self, entry: EntryName<'_>, value: &Secret) -> Result<(), KeychainError> {
        self.set(entry, value)
    }
    /// Writes an entry the caller expects to be new (a new client's credential), and says
    /// what was there after all. The Secret Service does it in one round trip: the search
    /// for the name goes in one batch with the new item, which replaces an item of the same
    /// attributes in place, so no reader ever finds two (elsewhere: a read and a write).
    fn create_expecting_none(&self, entry: EntryName<'_>, value: &Secret) -> Result<Previous, KeychainError> {
        let old = self.get(entry.name)?;
        self.set(entry, value)?;
        Ok(old.map_or(Previous::None, Previous::Was))
    }
    /// Deleting an absent entry succeeds.
    fn delete(&self, name: &str) -> Result<(), KeychainError>;
    /// The values of every entry of `group`, in a number of round trips that does not grow
    /// with the group; `None` where the store cannot list (the macOS and Windows stores).
    fn list(&self, group: &str) -> Result<Option<Vec<Secret>>, KeychainError> {
        let _ = group;
        Ok(None)
    }
}

/// What an entry held before [`SecretStore::create_expecting_none`] wrote it.
#[derive(Debug)]
pub enum Previous {
    /// Nothing: the expected case.
    None,
    /// This value, now replaced.
    Was(Secret),
    /// Something, replaced in place before it could be read: a caller that lays values out
    /// over several entries looks for what the old value left.
    Unknown,
}

/// Why the keychain did not do what was asked: what the caller can act on.
#[derive(Debug, Clone, thiserror::Error)]
pub enum KeychainError {
    /// No keychain answers (no Secret Service on the bus, its daemon gone).
    #[error("no keychain is available ({0}); on Linux start and unlock a Secret Service provider (gnome-keyring, KeePassXC with its Secret Service integration on, or KWallet 5.97 or newer), then retry")]
    Unavailable(String),
    /// Locked, and not unlocked (the prompt was dismissed, or could not be shown).
    #[error("the keychain is locked; unlock it (for example by logging in to the desktop session), then retry")]
    Locked,
    /// It answered, and said no (or gave something unusable).
    #[error("the keychain refused the operation: {0}")]
    Refused(String),
}

/// Starts opening the OS keychain's connection in the background (the Secret Service's
/// connection and encrypted session on Linux; nothing elsewhere, where opening costs
/// nothing), for a process that will read or write the keychain soon: a command calls this
/// as it starts, and its first keychain call finds the session open, or waits for it.
pub fn connect_ahead() {
    #[cfg(target_os = "linux")]
    secret_service::connect_ahead();
}

/// The length of `text` as Windows counts it (UTF-16 code units).
pub fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}
