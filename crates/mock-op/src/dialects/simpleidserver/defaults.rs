//! The metadata SimpleIdServer adds to every client (values from its document), and its
//! reordering of `scope`. These are changes the provider makes, not the user: a client that
//! compares what it sent with what it got back must tolerate them.

use serde_json::{json, Map, Value};

use crate::clock;

/// Applied on registration (`previous` is `None`) and on every update.
pub(super) fn apply(meta: &mut Map<String, Value>, previous: Option<&Map<String, Value>>) {
    if let Some(scope) = meta.get("scope").and_then(Value::as_str) {
        let reordered = reorder_scope(scope);
        meta.insert("scope".into(), reordered.into());
    }
    let now = clock::iso8601_ticks();
    let created = previous
        .and_then(|p| p.get("create_datetime"))
        .cloned()
        .unwrap_or_else(|| now.clone().into());
    meta.insert("update_datetime".into(), now.into());
    meta.insert("create_datetime".into(), created);
    let has_jwks_uri = meta.contains_key("jwks_uri");
    for (key, value) in vendor_defaults() {
        // A default `jwks` next to a registered `jwks_uri` would make the record invalid.
        if key == "jwks" && has_jwks_uri {
            continue;
        }
        if !meta.contains_key(&key) {
            meta.insert(key, value);
        }
    }
}

/// The provider keeps scopes in a set; its order is not the client's. Descending order
/// reproduces the document's example ("openid profile" comes back "profile openid") and is
/// stable, so sending the result back does not change it again.
fn reorder_scope(scope: &str) -> String {
    let mut values: Vec<&str> = scope.split_whitespace().collect();
    values.sort_unstable_by(|a, b| b.cmp(a));
    values.dedup();
    values.join(" ")
}

fn vendor_defaults() -> Map<String, Value> {
    let defaults = json!({
        "token_endpoint_auth_method": "client_secret_post",
        "response_types": ["code"],
        "contacts": [],
        "token_expiration_time_seconds": 1800,
        "refresh_token_expiration_time_seconds": 1800,
        "jwks": {"keys": []},
        "token_signed_response_alg": "RS256",
        "token_encrypted_response_alg": "RSA1_5",
        "token_encrypted_response_enc": "A128CBC-HS256",
        "post_logout_redirect_uris": [],
        "preferred_token_profile": "Bearer",
        "subject_type": "public",
        "id_token_signed_response_alg": "RS256",
        "backchannel_user_code_parameter": false,
        "frontchannel_logout_session_required": false,
        "backchannel_logout_session_required": false,
        "tls_client_certificate_bound_access_token": false,
        "application_type": "web",
        "require_auth_time": false,
        "authorization_signed_response_alg": "RS256",
        "authorization_data_types": [],
        "is_consent_disabled": false,
        "default_acr_values": [],
    });
    match defaults {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::reorder_scope;

    #[test]
    fn reorders_like_the_document_and_is_stable() {
        assert_eq!(reorder_scope("openid profile"), "profile openid");
        assert_eq!(reorder_scope("profile openid"), "profile openid");
        assert_eq!(reorder_scope("a  b a"), "b a");
    }
}
