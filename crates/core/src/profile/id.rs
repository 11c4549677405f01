//! A profile's stable id. Keychain entries, registrations and history rows are keyed by it,
//! so renaming a profile keeps all of them. A type of its own so a profile's *name* (which
//! the CLI accepts as a convenience) cannot be passed where the id is meant: the window
//! always sends ids, and the store and the vault only take ids.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::Deref;

/// The id of a profile: a UUID for profiles made here; any non-empty
/// text for profiles imported from older versions.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct ProfileId(String);

impl ProfileId {
    /// A fresh random id.
    pub fn generate() -> Self {
        Self(uuid::Uuid::new_v4().to_string())
    }

    /// The id as text, for SQL parameters and keychain attributes.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An id read back from the database, the keychain or the window.
impl From<String> for ProfileId {
    fn from(id: String) -> Self {
        Self(id)
    }
}

impl From<&str> for ProfileId {
    fn from(id: &str) -> Self {
        Self(id.to_string())
    }
}

impl From<ProfileId> for String {
    fn from(id: ProfileId) -> Self {
        id.0
    }
}

/// Reads as text, so lookups that take a name *or* an id accept `&profile.id`.
impl Deref for ProfileId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for ProfileId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for ProfileId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for ProfileId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl fmt::Display for ProfileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl rusqlite::ToSql for ProfileId {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        self.0.to_sql()
    }
}

impl rusqlite::types::FromSql for ProfileId {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        String::column_result(value).map(Self)
    }
}
