//! [`Secret`]: a string that is never printed and wiped when dropped. It lives with the
//! keychain (`registrar-keychain`), which stores it; the engine uses it everywhere.

pub use registrar_keychain::{reveal, Secret};
