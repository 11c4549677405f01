//! An oidc-agent account, as `oidc-gen -p NAME` prints it: oidc-agent's own fields
//! (`name`, `issuer_url`, `client_id`, `client_secret`, `refresh_token`, ...) merged with
//! the provider's registration answer, which brings `registration_access_token` and
//! `registration_client_uri` (indigo-dc/oidc-agent, `account.c` and `gen_handler.c`).

use crate::error::{Error, Result};
use crate::metadata::ClientMetadata;
use crate::secret::Secret;
use serde_json::{Map, Value};

/// What of an account Registrar adopts.
#[derive(Debug, Clone)]
pub struct OidcAgentAccount {
    /// The account's short name (`name`), or the client id when it has none.
    pub name: String,
    /// The provider's issuer URL (`issuer_url`, or `issuer`).
    pub issuer: String,
    /// The client oidc-agent registered.
    pub client_id: String,
    /// Its secret; `None` for a public client.
    pub client_secret: Option<Secret>,
    /// Its registration access token (RFC 7592 §3); always present in a parsed account.
    pub registration_access_token: Option<Secret>,
    /// Where it is managed, when the provider said.
    pub registration_client_uri: Option<String>,
    /// The registration metadata the file carries (oidc-agent's own fields left out).
    pub metadata: ClientMetadata,
}

/// oidc-agent's fields, never client metadata. The refresh token and the password are
/// the user's, not the client's, and are never kept.
const AGENT_FIELDS: &[&str] = &[
    "name",
    "issuer_url",
    "issuer",
    "mytoken_url",
    "config_endpoint",
    "device_authorization_endpoint",
    "daeSetByUser",
    "refresh_token",
    "cert_path",
    "auth_scope",
    "refresh_scope",
    "audience",
    "oauth",
    "uses_pub_client",
    "mytoken_profile",
    "username",
    "password",
];

/// Reads what `oidc-gen -p NAME` prints. An error names the field when the JSON is not an
/// object, has no usable issuer or client id, or has no registration access token (a client
/// not registered dynamically cannot be managed).
pub fn parse_oidc_agent_account(text: &str) -> Result<OidcAgentAccount> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| Error::field("account", format!("is not valid JSON (oidc-gen -p prints it): {e}")))?;
    let Value::Object(mut map) = value else {
        return Err(Error::field("account", "must be a JSON object"));
    };
    let text = |map: &Map<String, Value>, k: &str| {
        map.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let issuer = text(&map, "issuer_url")
        .or_else(|| text(&map, "issuer"))
        .ok_or_else(|| Error::field("issuer_url", "is missing: the account names no provider"))?;
    url::Url::parse(&issuer).map_err(|e| Error::field("issuer_url", format!("is not a URL: {e}")))?;
    let client_id = text(&map, "client_id").ok_or_else(|| Error::field("client_id", "is missing"))?;
    let name = text(&map, "name").unwrap_or_else(|| client_id.clone());
    let client_secret = text(&map, "client_secret").map(Secret::new);
    let registration_access_token = text(&map, "registration_access_token").map(Secret::new);
    let registration_client_uri = text(&map, "registration_client_uri");
    if registration_access_token.is_none() {
        return Err(Error::field(
            "registration_access_token",
            "is not in the account: oidc-agent registered no client for it dynamically (a public or manual client cannot be managed)",
        ));
    }
    for field in AGENT_FIELDS {
        map.shift_remove(*field);
    }
    // oidc-agent writes "" for what it does not know.
    map.retain(|_, v| v.as_str() != Some(""));
    let metadata = ClientMetadata::from_map(map).without_secrets();
    Ok(OidcAgentAccount {
        name,
        issuer,
        client_id,
        client_secret,
        registration_access_token,
        registration_client_uri,
        metadata,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_gives_its_client_and_keeps_no_user_secret() {
        let text = r#"{"name": "kc-demo", "client_name": "oidc-agent:kc-demo-laptop",
          "issuer_url": "https://sso.example.com/realms/demo", "client_id": "c1", "client_secret": "s",
          "refresh_token": "user-refresh", "password": "", "auth_scope": "openid", "daeSetByUser": 0,
          "redirect_uris": ["http://localhost:4242"], "registration_access_token": "rat",
          "registration_client_uri": "https://sso.example.com/realms/demo/clients-registrations/openid-connect/c1",
          "grant_types": ["authorization_code", "refresh_token"], "scope": "openid profile"}"#;
        let a = parse_oidc_agent_account(text).unwrap();
        assert_eq!(a.issuer, "https://sso.example.com/realms/demo");
        assert_eq!(a.client_secret.as_ref().map(Secret::expose), Some("s"));
        assert_eq!(a.metadata.str("client_name"), Some("oidc-agent:kc-demo-laptop"));
        let kept = serde_json::to_string(&a.metadata).unwrap();
        for gone in ["user-refresh", "\"rat\"", "auth_scope", "daeSetByUser", "password"] {
            assert!(!kept.contains(gone), "{gone} kept: {kept}");
        }
    }

    #[test]
    fn accounts_without_a_registration_are_refused_with_a_reason() {
        let public = r#"{"name": "p", "issuer_url": "https://op.example", "client_id": "c", "uses_pub_client": 1}"#;
        let e = parse_oidc_agent_account(public).unwrap_err().to_string();
        assert!(e.contains("registered no client"), "{e}");
        let e = parse_oidc_agent_account(r#"{"client_id": "c"}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("issuer_url"), "{e}");
    }
}
