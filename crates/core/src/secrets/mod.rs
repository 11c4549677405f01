//! Secrets live only in the OS keychain (Secret Service, macOS Keychain, Windows Credential
//! Manager) behind this small trait, so unit tests use memory and nothing secret ever
//! reaches SQLite. Keys are derived from ids, never from user-typed names.

mod key;
mod keyring_store;
mod memory;
#[cfg(target_os = "linux")]
mod secret_service;
mod vault;

pub use key::SecretKey;
pub use keyring_store::KeyringStore;
pub use memory::MemoryStore;
pub use vault::Vault;

use crate::secret::Secret;

pub trait SecretStore: Send + Sync + std::fmt::Debug {
    fn get(&self, key: &SecretKey) -> Result<Option<Secret>, KeychainError>;
    fn set(&self, key: &SecretKey, value: &Secret) -> Result<(), KeychainError>;
    /// Deleting an absent entry succeeds.
    fn delete(&self, key: &SecretKey) -> Result<(), KeychainError>;
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum KeychainError {
    #[error("no keychain is available ({0}); on Linux start and unlock a Secret Service provider such as gnome-keyring or KeePassXC, then retry")]
    Unavailable(String),
    #[error("the keychain is locked; unlock it (for example by logging in to the desktop session), then retry")]
    Locked,
    #[error("the keychain refused the operation: {0}")]
    Refused(String),
}
