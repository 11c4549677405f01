//! Building a stored client from validated metadata: the server-assigned fields first, then
//! what the client sent.

use serde_json::{Map, Value};

/// Fields only the server sets. Ignored at registration; refused on update (RFC 7592 §2.2).
pub(crate) const SERVER_ONLY: &[&str] = &[
    "registration_access_token",
    "registration_client_uri",
    "client_secret_expires_at",
    "client_id_issued_at",
];

/// Whether the client authenticates with a secret at all.
pub(crate) fn uses_secret(meta: &Map<String, Value>) -> bool {
    meta.get("token_endpoint_auth_method").and_then(Value::as_str) != Some("none")
}

/// Copies what the client sent after the server fields, skipping the ones it may not set.
pub(super) fn append_sent(meta: &mut Map<String, Value>, sent: Map<String, Value>) {
    for (key, value) in sent {
        if key != "client_id" && key != "client_secret" && !SERVER_ONLY.contains(&key.as_str()) {
            meta.insert(key, value);
        }
    }
}
