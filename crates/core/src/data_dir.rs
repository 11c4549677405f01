//! Where Registrar keeps its state. The user's default directory comes from the OS
//! conventions; any other directory (`--data-dir`, tests, demos) also gets a keychain
//! namespace of its own, so it never touches the user's real entries.

use std::path::{Path, PathBuf};

/// A directory holding Registrar's database and lock files; anything but the user's
/// default also gets its own keychain namespace ([`DataDir::keychain_namespace`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    path: PathBuf,
    is_default: bool,
}

impl DataDir {
    /// The OS-appropriate user data directory (XDG on Linux, Application Support on macOS).
    pub fn default_location() -> Option<Self> {
        let dirs = directories::ProjectDirs::from("dev", "registrar", "Registrar")?;
        Some(Self {
            path: dirs.data_dir().to_path_buf(),
            is_default: true,
        })
    }

    /// A directory of the caller's choosing (`--data-dir`, tests): never the user's keychain
    /// entries, even when the path is the default one.
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            is_default: false,
        }
    }

    /// The directory itself (it may not exist yet).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The SQLite database in it, `registrar.sqlite3`.
    pub fn database_path(&self) -> PathBuf {
        self.path.join("registrar.sqlite3")
    }

    /// `None` for the default directory; otherwise a stable name derived from the path.
    pub fn keychain_namespace(&self) -> Option<String> {
        if self.is_default {
            return None;
        }
        let canonical = std::fs::canonicalize(&self.path).unwrap_or_else(|_| self.path.clone());
        Some(format!("{:016x}", fnv1a(canonical.to_string_lossy().as_bytes())))
    }
}

/// A small stable hash (FNV-1a); std's hasher is randomly seeded per process.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_directories_get_their_own_stable_namespace() {
        let a = DataDir::at("/tmp/registrar-a");
        let b = DataDir::at("/tmp/registrar-b");
        assert_ne!(a.keychain_namespace(), b.keychain_namespace());
        assert_eq!(
            a.keychain_namespace(),
            DataDir::at("/tmp/registrar-a").keychain_namespace()
        );
        assert!(a.keychain_namespace().is_some());
    }
}
