//! Keycloak's `kcreg` configuration (`~/.keycloak/kcreg.config`, written by Keycloak's
//! client-registration CLI; `ConfigData` / `RealmConfigData` in its source): per server
//! URL and realm, an optional initial access token and, under `clients`, each client id
//! with its registration access token. Nothing else in it (the CLI's own login tokens)
//! is read.

use crate::error::{Error, Result};
use crate::secret::Secret;
use serde_json::Value;

/// One realm of one server, with the clients kcreg holds tokens for.
#[derive(Debug, Clone)]
pub struct KcregRealm {
    /// The server's base URL (without `/realms`; older servers include `/auth`).
    pub server_url: String,
    /// The realm's name.
    pub realm: String,
    /// The realm's initial access token (`initialToken`), when kcreg holds one.
    pub initial_token: Option<Secret>,
    /// `(client_id, registration access token)`, in the file's order.
    pub clients: Vec<(String, Secret)>,
}

impl KcregRealm {
    /// The realm's issuer, `{server_url}/realms/{realm}`.
    pub fn issuer(&self) -> String {
        format!("{}/realms/{}", self.server_url.trim_end_matches('/'), self.realm)
    }

    /// The OpenID Connect flavour of Keycloak's client registration service.
    pub fn registration_endpoint(&self) -> String {
        format!("{}/clients-registrations/openid-connect", self.issuer())
    }

    /// The name a profile made for this realm gets: "keycloak REALM (HOST)".
    pub fn profile_name(&self) -> String {
        let host = url::Url::parse(&self.server_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_else(|| self.server_url.clone());
        format!("keycloak {} ({host})", self.realm)
    }
}

/// The realms of a kcreg configuration that hold an initial token or clients.
pub fn parse_kcreg_config(text: &str) -> Result<Vec<KcregRealm>> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| Error::field("kcreg.config", format!("is not valid JSON: {e}")))?;
    let Some(endpoints) = value.get("endpoints").and_then(Value::as_object) else {
        return Err(Error::field(
            "kcreg.config",
            "has no \"endpoints\": is this Keycloak's kcreg configuration?",
        ));
    };
    let mut realms = Vec::new();
    for (server_url, by_realm) in endpoints {
        let Some(by_realm) = by_realm.as_object() else {
            return Err(Error::field(
                format!("endpoints.{server_url}"),
                "must be an object of realms",
            ));
        };
        if url::Url::parse(server_url).is_err() {
            return Err(Error::field(format!("endpoints.{server_url}"), "is not a server URL"));
        }
        for (realm, data) in by_realm {
            let text = |k: &str| data.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
            let mut clients = Vec::new();
            if let Some(map) = data.get("clients").and_then(Value::as_object) {
                for (client_id, token) in map {
                    // kcreg writes "" to forget a client; such an entry has no token.
                    if let Some(token) = token.as_str().filter(|t| !t.is_empty()) {
                        clients.push((client_id.clone(), Secret::new(token)));
                    }
                }
            }
            let initial_token = text("initialToken").map(Secret::new);
            if clients.is_empty() && initial_token.is_none() {
                continue;
            }
            realms.push(KcregRealm {
                server_url: server_url.trim_end_matches('/').to_string(),
                realm: realm.clone(),
                initial_token,
                clients,
            });
        }
    }
    Ok(realms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn realms_with_clients_or_an_initial_token_are_read() {
        let text = r#"{
          "serverUrl": "https://sso.example.com", "realm": "demo",
          "endpoints": {
            "https://sso.example.com": {
              "demo": {"clientId": "admin-cli", "token": "login-token", "expiresAt": 1735689660000,
                       "initialToken": "iat", "clients": {"my-app": "rat-1", "gone": ""}},
              "empty": {"token": "x"}
            },
            "https://old.example.com/auth/": {"master": {"clients": {"a": "rat-2"}}}
          }
        }"#;
        let realms = parse_kcreg_config(text).unwrap();
        assert_eq!(realms.len(), 2);
        let demo = &realms[0];
        assert_eq!(
            demo.registration_endpoint(),
            "https://sso.example.com/realms/demo/clients-registrations/openid-connect"
        );
        assert_eq!(demo.initial_token.as_ref().map(Secret::expose), Some("iat"));
        assert_eq!(demo.clients.len(), 1, "a forgotten client has no token");
        assert_eq!(demo.profile_name(), "keycloak demo (sso.example.com)");
        assert_eq!(realms[1].issuer(), "https://old.example.com/auth/realms/master");
    }

    #[test]
    fn other_files_are_refused_with_a_reason() {
        assert!(parse_kcreg_config("nope")
            .unwrap_err()
            .to_string()
            .contains("not valid JSON"));
        assert!(parse_kcreg_config("{}")
            .unwrap_err()
            .to_string()
            .contains("kcreg configuration"));
        let bad_url = r#"{"endpoints": {"not a url": {"r": {"clients": {"a": "t"}}}}}"#;
        assert!(parse_kcreg_config(bad_url)
            .unwrap_err()
            .to_string()
            .contains("not a server URL"));
    }
}
