//! Adopting many clients made elsewhere from one JSON file: each is checked with a read
//! (where the provider can read) before it is adopted, and each gets its own result.

use super::import::ImportRequest;
use super::Registrar;
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::ProfileId;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What importing one client of a file came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct ImportResult {
    /// The client, as the file named it.
    pub client_id: String,
    /// None when adopted.
    pub error: Option<String>,
    /// A token the adopting read rotated (or a secret) that the keychain could not keep.
    pub unstored: Option<super::UnstoredCredentials>,
}

impl ImportResult {
    /// What importing one client came to.
    pub(crate) fn of(client_id: String, profile_id: &ProfileId, result: Result<super::SyncOutcome>) -> Self {
        match result {
            Ok(outcome) => Self {
                client_id,
                error: None,
                unstored: outcome.unstored(profile_id),
            },
            Err(e) => Self {
                client_id,
                error: Some(e.to_string()),
                unstored: None,
            },
        }
    }
}

/// Parses `[{"client_id", "registration_client_uri", "registration_access_token",
/// "client_secret"?, ...}]`; other fields are kept as the client's known metadata.
pub fn parse_import_file(text: &str) -> Result<Vec<ImportRequest>> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| Error::field("file", format!("is not valid JSON: {e}")))?;
    let Value::Array(items) = value else {
        return Err(Error::field("file", "must be a JSON list of clients"));
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let Value::Object(mut map) = item else {
                return Err(Error::field(format!("[{i}]"), "must be an object"));
            };
            let mut take = |k: &str| match map.shift_remove(k) {
                Some(Value::String(s)) if !s.is_empty() => Some(s),
                _ => None,
            };
            let client_id = take("client_id").ok_or_else(|| Error::field(format!("[{i}].client_id"), "is missing"))?;
            let registration_client_uri = take("registration_client_uri");
            let registration_access_token = take("registration_access_token").map(Secret::new);
            let client_secret = take("client_secret").map(Secret::new);
            Ok(ImportRequest {
                client_id,
                registration_client_uri,
                registration_access_token,
                client_secret,
                metadata: (!map.is_empty()).then(|| crate::ClientMetadata::from_map(map)),
            })
        })
        .collect()
}

impl Registrar {
    /// Imports each client in turn (see [`Registrar::import`]) into `profile` (its id or name);
    /// one failing does not stop the others. An error only when the profile is unknown.
    pub async fn import_many(&self, profile: &str, requests: Vec<ImportRequest>) -> Result<Vec<ImportResult>> {
        let profile_id = self.store.profile(profile)?.id;
        let mut results = Vec::with_capacity(requests.len());
        for request in requests {
            let client_id = request.client_id.clone();
            let result = self.import(profile, request).await;
            results.push(ImportResult::of(client_id, &profile_id, result));
        }
        Ok(results)
    }
}
