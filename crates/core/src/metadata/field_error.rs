//! A problem with one named field, so forms can show it next to that field.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A problem with one named field, for a form to show next to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct FieldError {
    /// The metadata or profile field, e.g. `redirect_uris[1]` or `registration_endpoint`.
    pub field: String,
    /// What is wrong, in words that follow the field's name ("must not be empty").
    pub message: String,
}

impl FieldError {
    /// A problem with `field`; shown as "`field` `message`".
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.field, self.message)
    }
}
