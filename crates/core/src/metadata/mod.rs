//! Client metadata as an open JSON object. Providers add vendor fields (SimpleIdServer sends
//! dozens, Liberty has `preauthorized_scope`, WSO2 `ext_param_owner`): every field is kept
//! and sent back untouched, and the RFC 7591 / OIDC DCR fields get typed accessors.

mod edit;
mod field_error;
mod fields;
mod update_check;
mod validate;

pub use edit::{apply_edits, Edit};
pub use field_error::FieldError;
pub use fields::{is_known_field, KNOWN_FIELDS, RESPONSE_ONLY_FIELDS, SECRET_FIELDS};
pub use update_check::{check_update, MetadataCheck};
pub(crate) use validate::TLS_SUBJECT_FIELDS;
pub use validate::{validate, ValidationRules};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
/// A client's metadata (RFC 7591 §2, OpenID Connect DCR 1.0 §2): a JSON object whose
/// fields, vendor ones included, are kept in order and sent back as they came.
#[serde(transparent)]
pub struct ClientMetadata(Map<String, Value>);

impl ClientMetadata {
    /// No fields at all.
    pub fn new() -> Self {
        Self::default()
    }

    /// The fields of `map`, as they are (nothing is checked here; see [`validate`]).
    pub fn from_map(map: Map<String, Value>) -> Self {
        Self(map)
    }

    /// Parses a JSON document that must be an object.
    pub fn from_json(text: &str) -> Result<Self, FieldError> {
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => Ok(Self(map)),
            Ok(_) => Err(FieldError::new("metadata", "must be a JSON object")),
            Err(e) => Err(FieldError::new("metadata", format!("is not valid JSON: {e}"))),
        }
    }

    /// Every field, in order.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }

    /// Every field, in order, taken out.
    pub fn into_map(self) -> Map<String, Value> {
        self.0
    }

    /// The value of `key`, of whatever JSON type; `None` when absent.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }

    /// Sets `key`, replacing any value; a new key goes last.
    pub fn set(&mut self, key: impl Into<String>, value: Value) {
        self.0.insert(key.into(), value);
    }

    /// Removes `key`, keeping the other fields' order; its value, if it was there.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.0.shift_remove(key)
    }

    /// The value of `key` when it is a string; `None` when absent or of another type.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(Value::as_str)
    }

    /// A list of strings; `None` when absent or not a list of strings.
    pub fn strings(&self, key: &str) -> Option<Vec<&str>> {
        let items = self.0.get(key)?.as_array()?;
        items.iter().map(Value::as_str).collect()
    }

    /// `client_id`: the id the provider issued (RFC 7591 §3.2.1); `None` before registration.
    pub fn client_id(&self) -> Option<&str> {
        self.str("client_id")
    }

    /// `client_name`, the name shown to users; `None` when absent (it is optional).
    pub fn client_name(&self) -> Option<&str> {
        self.str("client_name")
    }

    /// `registration_client_uri`: where the provider manages the client (RFC 7592 §3), when it said.
    pub fn registration_client_uri(&self) -> Option<&str> {
        self.str("registration_client_uri")
    }

    /// `redirect_uris`; empty when absent or not a list of strings.
    pub fn redirect_uris(&self) -> Vec<&str> {
        self.strings("redirect_uris").unwrap_or_default()
    }

    /// `contacts` (e-mail addresses); empty when absent or not a list of strings.
    pub fn contacts(&self) -> Vec<&str> {
        self.strings("contacts").unwrap_or_default()
    }

    /// `grant_types`, with RFC 7591's default when absent.
    pub fn grant_types(&self) -> Vec<&str> {
        self.strings("grant_types")
            .unwrap_or_else(|| vec!["authorization_code"])
    }

    /// `response_types`, with RFC 7591's default when absent.
    pub fn response_types(&self) -> Vec<&str> {
        self.strings("response_types").unwrap_or_else(|| vec!["code"])
    }

    /// `application_type`, with OpenID Connect DCR's default `web` when absent.
    pub fn application_type(&self) -> &str {
        self.str("application_type").unwrap_or("web")
    }

    /// `token_endpoint_auth_method`, with RFC 7591's default `client_secret_basic` when absent.
    pub fn token_endpoint_auth_method(&self) -> &str {
        self.str("token_endpoint_auth_method").unwrap_or("client_secret_basic")
    }

    /// The value of `key` when it is an integer (`client_secret_expires_at`, in seconds since
    /// the epoch); `None` when absent or not one.
    pub fn int(&self, key: &str) -> Option<i64> {
        self.0.get(key).and_then(Value::as_i64)
    }

    /// Fields this tool has no form for: shown and kept as they are.
    pub fn vendor_fields(&self) -> Map<String, Value> {
        self.0
            .iter()
            .filter(|(k, _)| !is_known_field(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// A copy with the secret fields removed: what may be written to disk or shown.
    pub fn without_secrets(&self) -> Self {
        let mut copy = self.clone();
        for field in SECRET_FIELDS {
            copy.0.shift_remove(*field);
        }
        copy
    }
}

impl From<Map<String, Value>> for ClientMetadata {
    fn from(map: Map<String, Value>) -> Self {
        Self(map)
    }
}
