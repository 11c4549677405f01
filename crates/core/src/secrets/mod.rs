//! Secrets live only in the OS keychain (`registrar-keychain`: the Secret Service, macOS
//! Keychain, Windows Credential Manager), never in SQLite. The engine reaches it through the
//! [`Vault`], which names entries by id ([`SecretKey`]) and lays credentials out over them.

mod key;
mod vault;

pub use key::SecretKey;
pub use registrar_keychain::{
    connect_ahead, EntryName, KeychainError, MemoryStore, OsKeychain, Previous, SecretStore, MAX_VALUE_UNITS,
};
pub use vault::{AheadGuard, Labels, Vault};
