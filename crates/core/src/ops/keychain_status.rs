//! Whether the keychain answers, asked once when a shell starts: the window shows a banner
//! and the CLI's commands that need a secret say so, instead of the first registration
//! failing with the provider's client already made.

use super::Registrar;
use crate::secrets::KeychainError;
use serde::{Deserialize, Serialize};

/// What the keychain said to a read of an entry that never exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum KeychainStatus {
    /// It answered: secrets can be stored and read.
    Available,
    /// Nothing answers (no Secret Service on the session bus): `advice` says what to start.
    Unavailable {
        /// The keychain's error in words, with what to start.
        advice: String,
    },
    /// It answered but is locked and was not unlocked.
    Locked {
        /// The keychain's error in words, with how to unlock it.
        advice: String,
    },
    /// It answered with something unusable.
    Refused {
        /// The keychain's error in words.
        advice: String,
    },
}

/// An entry name no credential ever has (credentials are named by profile and client).
const CANARY: &str = "registrar.keychain-check";

impl Registrar {
    /// Asks the keychain for an entry that never exists: an answer of "none" means it works.
    pub fn keychain_status(&self) -> KeychainStatus {
        match self.secrets.check(CANARY) {
            Ok(()) => KeychainStatus::Available,
            Err(e @ KeychainError::Unavailable(_)) => KeychainStatus::Unavailable { advice: e.to_string() },
            Err(e @ KeychainError::Locked) => KeychainStatus::Locked { advice: e.to_string() },
            Err(e @ KeychainError::Refused(_)) => KeychainStatus::Refused { advice: e.to_string() },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::ReqwestFactory;
    use crate::secret::Secret;
    use crate::secrets::{EntryName, MemoryStore, SecretStore};
    use crate::store::Store;
    use std::sync::Arc;

    /// A keychain that fails every call the same way.
    #[derive(Debug)]
    struct Failing(KeychainError);
    impl SecretStore for Failing {
        fn get(&self, _: &str) -> Result<Option<Secret>, KeychainError> {
            Err(self.0.clone())
        }
        fn set(&self, _: EntryName<'_>, _: &Secret) -> Result<(), KeychainError> {
            Err(self.0.clone())
        }
        fn delete(&self, _: &str) -> Result<(), KeychainError> {
            Err(self.0.clone())
        }
    }

    fn registrar(keychain: Arc<dyn SecretStore>) -> Registrar {
        Registrar::with_parts(
            Store::open_in_memory().unwrap(),
            keychain,
            Arc::new(ReqwestFactory::new()),
        )
    }

    #[test]
    fn the_keychains_answer_becomes_a_status_with_advice() {
        assert_eq!(
            registrar(Arc::new(MemoryStore::default())).keychain_status(),
            KeychainStatus::Available
        );
        let KeychainStatus::Unavailable { advice } =
            registrar(Arc::new(Failing(KeychainError::Unavailable("no bus".into())))).keychain_status()
        else {
            panic!("an absent keychain is unavailable");
        };
        assert!(
            advice.contains("gnome-keyring") && advice.contains("KeePassXC"),
            "{advice}"
        );
        assert!(matches!(
            registrar(Arc::new(Failing(KeychainError::Locked))).keychain_status(),
            KeychainStatus::Locked { .. }
        ));
    }
}
