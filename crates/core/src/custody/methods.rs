//! Which `token_endpoint_auth_method` a new client of a profile can use, given the keys and
//! certificates in custody, the profile's FAPI rule and what the provider advertises: what
//! the register form offers, and why a method is not offered.

use super::keys::now;
use crate::error::Result;
use crate::oauth::AuthMethod;
use crate::ops::Registrar;
use serde::{Deserialize, Serialize};

/// One method, as a form offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct AuthMethodChoice {
    /// The registered name (`private_key_jwt`, …).
    pub method: String,
    /// Whether a client registered now could use it.
    pub available: bool,
    /// Whether the provider lists it in `token_endpoint_auth_methods_supported`; `None`
    /// when it lists nothing (or discovery failed).
    pub advertised: Option<bool>,
    /// The profile's keys (kids) a new client could take for it: unbound and active, with
    /// the certificate the method needs.
    pub keys: Vec<String>,
    /// What it needs, or why it is not available, in words.
    pub note: Option<String>,
}

impl Registrar {
    /// The methods a new client of `profile` can authenticate with, in the order a form
    /// lists them.
    pub async fn auth_method_choices(&self, profile: &str) -> Result<Vec<AuthMethodChoice>> {
        let profile = self.store.profile(profile)?;
        let advertised = self
            .provider_metadata(&profile)
            .await
            .ok()
            .and_then(|m| m.token_endpoint_auth_methods_supported);
        let t = now();
        let free: Vec<super::KeyRecord> = self
            .keys(&profile.id, None)?
            .into_iter()
            .filter(|k| k.client_id.is_none() && k.is_active(t))
            .filter(|k| !profile.signing.fapi || k.algorithm().is_ok_and(|a| a.is_fapi()))
            .collect();
        let certified = |self_signed: bool| -> Vec<String> {
            free.iter()
                .filter(|k| {
                    k.certificate
                        .as_ref()
                        .is_some_and(|c| c.not_after > t && c.self_signed == self_signed)
                })
                .map(|k| k.kid.clone())
                .collect()
        };
        let fapi_refusal = Some("a FAPI profile does not use shared secrets or public clients".to_string());
        let mut choices = Vec::new();
        for method in [
            AuthMethod::PrivateKeyJwt,
            AuthMethod::TlsClientAuth,
            AuthMethod::SelfSignedTlsClientAuth,
            AuthMethod::ClientSecretBasic,
            AuthMethod::ClientSecretPost,
            AuthMethod::None,
            AuthMethod::ClientSecretJwt,
        ] {
            let (available, keys, note) = match method {
                AuthMethod::PrivateKeyJwt => {
                    let keys: Vec<String> = free.iter().map(|k| k.kid.clone()).collect();
                    let note = keys
                        .is_empty()
                        .then(|| "no free key in custody: one is generated for the client at registration".to_string());
                    (true, keys, note)
                }
                AuthMethod::TlsClientAuth => {
                    let mut keys = certified(false);
                    if keys.is_empty() {
                        keys.extend(profile.tls.client_certificate.clone());
                    }
                    let note = keys.is_empty().then(|| {
                        "needs a certificate issued by a CA: create a CSR for a key and import the answer".to_string()
                    });
                    (!keys.is_empty(), keys, note)
                }
                AuthMethod::SelfSignedTlsClientAuth => {
                    let keys = certified(true);
                    let note = keys
                        .is_empty()
                        .then(|| "needs a key with a self-signed certificate: make one for a key".to_string());
                    (!keys.is_empty(), keys, note)
                }
                AuthMethod::ClientSecretJwt => (
                    false,
                    vec![],
                    Some("Registrar does not perform client_secret_jwt".to_string()),
                ),
                _ if profile.signing.fapi => (false, vec![], fapi_refusal.clone()),
                _ => (true, vec![], None),
            };
            choices.push(AuthMethodChoice {
                method: method.as_str().to_string(),
                available,
                advertised: advertised
                    .as_ref()
                    .map(|list| list.iter().any(|m| m == method.as_str())),
                keys,
                note,
            });
        }
        Ok(choices)
    }
}
