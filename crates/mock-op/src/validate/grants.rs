//! The link between `response_types` and `grant_types` (RFC 7591 §2.1): a server should not
//! let a client register itself into an inconsistent state.

use serde_json::{Map, Value};

use crate::error::ApiError;

/// The grant types in force: the registered ones, or RFC 7591's default.
pub(super) fn effective(meta: &Map<String, Value>) -> Vec<&str> {
    match meta.get("grant_types").and_then(Value::as_array) {
        Some(grants) => grants.iter().filter_map(Value::as_str).collect(),
        None => vec!["authorization_code"],
    }
}

/// Each registered response type needs the grant it belongs to: `code` needs
/// `authorization_code`, `token` and `id_token` need `implicit` (hybrid types need both).
/// Only explicitly sent response types are checked, so a `client_credentials`-only client
/// is not caught out by the `code` default.
pub(super) fn check_consistency(meta: &Map<String, Value>, grants: &[&str]) -> Result<(), ApiError> {
    let Some(response_types) = meta.get("response_types").and_then(Value::as_array) else {
        return Ok(());
    };
    for response_type in response_types.iter().filter_map(Value::as_str) {
        for part in response_type.split_whitespace() {
            let needed = match part {
                "code" => "authorization_code",
                "token" | "id_token" => "implicit",
                _ => continue,
            };
            if !grants.contains(&needed) {
                return Err(ApiError::invalid_client_metadata(format!(
                    "response type `{response_type}` needs the `{needed}` grant type"
                )));
            }
        }
    }
    Ok(())
}
