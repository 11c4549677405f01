//! [`Secret`]: a string that is never printed and wiped when dropped. It lives with the
//! keychain (`registrar-keychain`), which stores it; the engine uses it everywhere.

pub use registrar_keychain::{reveal, Secret};
use serde::Deserialize;

/// Reads any value as `None`: a secret an outcome carries out to a shell is never read
/// back in from JSON. (Not `skip_deserializing`, which would also drop the field from the
/// TypeScript type the window is given.)
pub fn never_read<'de, D: serde::Deserializer<'de>>(input: D) -> Result<Option<Secret>, D::Error> {
    serde::de::IgnoredAny::deserialize(input)?;
    Ok(None)
}
