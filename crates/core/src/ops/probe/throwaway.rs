//! The throw-away client's metadata, chosen from what discovery advertises, most telling
//! first: the first set carries a field no specification defines (to see whether unknown
//! metadata is kept); the last is the smallest client RFC 7591's defaults make valid.

use crate::metadata::ClientMetadata;
use crate::Discovery;
use serde_json::{json, Value};

/// The field no specification defines, sent to see whether a provider keeps it.
pub(super) const UNKNOWN_FIELD: &str = "x_registrar_probe";
pub(super) const REDIRECT_URI: &str = "https://registrar.invalid/probe";

/// The metadata sets to try, in order, for a client named `name`.
pub(super) fn candidates(name: &str, discovery: Option<&Discovery>) -> Vec<ClientMetadata> {
    let advertised = advertised(name, discovery);
    let mut with_unknown = advertised.clone();
    with_unknown.set(UNKNOWN_FIELD, Value::String("kept?".into()));
    let smallest = object(json!({"client_name": name, "redirect_uris": [REDIRECT_URI]}));
    let mut sets = vec![with_unknown, advertised, smallest];
    sets.dedup();
    sets
}

/// A client the provider says it supports: a grant, response type, authentication
/// method and scope from its discovery document (RFC 7591's defaults where it is silent).
fn advertised(name: &str, discovery: Option<&Discovery>) -> ClientMetadata {
    let supports =
        |list: Option<&Vec<String>>, value: &str| list.is_none_or(|l| l.is_empty() || l.iter().any(|v| v == value));
    let grants = discovery.map(|d| &d.grant_types_supported);
    let responses = discovery.map(|d| &d.response_types_supported);
    let methods = discovery.map(|d| &d.token_endpoint_auth_methods_supported);
    let scopes = discovery.map(|d| &d.scopes_supported);

    let mut m = object(json!({"client_name": name}));
    if supports(grants, "authorization_code") && supports(responses, "code") {
        m.set("redirect_uris", json!([REDIRECT_URI]));
        m.set("grant_types", json!(["authorization_code"]));
        m.set("response_types", json!(["code"]));
    } else if supports(grants, "client_credentials") {
        m.set("grant_types", json!(["client_credentials"]));
        m.set("response_types", json!([]));
    } else {
        m.set("redirect_uris", json!([REDIRECT_URI]));
    }
    // A secret-based method first: the others need keys or certificates the probe lacks.
    if let Some(method) = ["client_secret_basic", "client_secret_post", "none"]
        .into_iter()
        .find(|m| supports(methods, m))
    {
        m.set("token_endpoint_auth_method", Value::String(method.into()));
    }
    if scopes.is_some_and(|s| s.iter().any(|v| v == "openid")) {
        m.set("scope", Value::String("openid".into()));
    }
    m
}

/// Metadata from a `json!` object (anything else is empty metadata).
pub(super) fn object(v: Value) -> ClientMetadata {
    ClientMetadata::from_map(v.as_object().cloned().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::ProviderKind;
    use crate::DocumentFetch;

    fn discovery(grants: &[&str], methods: &[&str], scopes: &[&str]) -> Discovery {
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Discovery {
            issuer: "https://op.example".into(),
            document_url: "https://op.example/.well-known/openid-configuration".into(),
            documents: Vec::<DocumentFetch>::new(),
            endpoints: Vec::new(),
            registration_endpoint: Some("https://op.example/reg".into()),
            token_endpoint: None,
            token_endpoint_auth_methods_supported: strings(methods),
            grant_types_supported: strings(grants),
            response_types_supported: strings(&["code", "id_token"]),
            scopes_supported: strings(scopes),
            suggested_kind: ProviderKind::Generic,
            suggested_kind_reason: None,
            warnings: Vec::new(),
            document: Default::default(),
        }
    }

    #[test]
    fn the_first_client_asks_only_for_what_discovery_advertises() {
        // node-oidc-provider's defaults: no client_credentials unless enabled.
        let d = discovery(
            &["implicit", "authorization_code", "refresh_token"],
            &["private_key_jwt", "client_secret_post"],
            &["openid", "offline_access"],
        );
        let sets = candidates("p", Some(&d));
        assert_eq!(sets.len(), 3);
        let first = &sets[0];
        assert_eq!(first.get("grant_types"), Some(&json!(["authorization_code"])));
        assert_eq!(first.str("token_endpoint_auth_method"), Some("client_secret_post"));
        assert_eq!(first.str("scope"), Some("openid"));
        assert!(first.get(UNKNOWN_FIELD).is_some());
        assert!(sets[1].get(UNKNOWN_FIELD).is_none());
        assert_eq!(sets[2].as_map().len(), 2, "the smallest valid client: {:?}", sets[2]);
    }

    #[test]
    fn a_machine_only_provider_gets_a_machine_client() {
        let d = discovery(&["client_credentials"], &[], &[]);
        let first = &candidates("p", Some(&d))[0];
        assert_eq!(first.get("grant_types"), Some(&json!(["client_credentials"])));
        assert!(first.get("redirect_uris").is_none());
        assert!(first.get("scope").is_none(), "no scope when none is advertised");
    }

    #[test]
    fn without_discovery_rfc7591_defaults_are_used() {
        let sets = candidates("p", None);
        assert_eq!(sets[1].get("grant_types"), Some(&json!(["authorization_code"])));
        assert_eq!(sets[1].str("token_endpoint_auth_method"), Some("client_secret_basic"));
    }
}
