//! What a try starts from: the client as stored, how it authenticates, what the provider
//! offers — and a refusal, in words, of a grant that cannot work, before anything opens.

use crate::error::{Error, Result};
use crate::metadata::FieldError;
use crate::oauth::{AuthMethod, ClientAuth, Grant, ProviderMetadata};
use crate::ops::Registrar;
use crate::profile::Profile;
use crate::secrets::SecretKey;
use crate::store::registrations::Registration;
use serde::{Deserialize, Serialize};

/// The grants a try can use. Refreshing is an action on a session, not a start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum), value(rename_all = "snake_case"))]
pub enum TryGrant {
    /// The authorization code grant with PKCE (S256), a user in a browser.
    AuthorizationCode,
    /// The device authorization grant (RFC 8628): a user code typed on another device.
    DeviceCode,
    /// `client_credentials`: the client alone.
    ClientCredentials,
}

impl TryGrant {
    /// The protocol grant.
    pub fn grant(self) -> Grant {
        match self {
            TryGrant::AuthorizationCode => Grant::AuthorizationCode,
            TryGrant::DeviceCode => Grant::DeviceCode,
            TryGrant::ClientCredentials => Grant::ClientCredentials,
        }
    }

    /// The first grant of the client's registered `grant_types` a try can use, preferring
    /// one without a user (quickest to prove), then the device grant, then the browser.
    pub fn default_for(registered: &[&str]) -> Option<Self> {
        [
            TryGrant::ClientCredentials,
            TryGrant::AuthorizationCode,
            TryGrant::DeviceCode,
        ]
        .into_iter()
        .find(|g| registered.contains(&g.grant().as_str()))
    }
}

/// A client ready to be tried with one grant.
#[derive(Clone)]
pub struct TryTarget {
    /// The client's profile.
    pub profile: Profile,
    /// The client as stored locally.
    pub registration: Registration,
    /// The grant chosen.
    pub grant: TryGrant,
    /// How the client authenticates (its secret, when it has one).
    pub auth: ClientAuth,
    /// What the provider advertises.
    pub provider: ProviderMetadata,
    /// Things that may go wrong but need not (a list the provider does not advertise).
    pub warnings: Vec<String>,
}

impl std::fmt::Debug for TryTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TryTarget")
            .field("profile", &self.profile.id)
            .field("client_id", &self.registration.client_id)
            .field("grant", &self.grant)
            .field("auth", &self.auth.method())
            .finish_non_exhaustive()
    }
}

/// The grant types a client is registered for: the provider's answer; where the provider
/// left `grant_types` out of it (WSO2 does), what was sent for the client; only when
/// neither says, RFC 7591's default (`authorization_code`).
pub(crate) fn registered_grants(registration: &Registration) -> Vec<&str> {
    registration
        .metadata_returned
        .strings("grant_types")
        .or_else(|| {
            registration
                .metadata_sent
                .as_ref()
                .and_then(|m| m.strings("grant_types"))
        })
        .unwrap_or_else(|| vec!["authorization_code"])
}

impl Registrar {
    /// Prepares a try of `client_id` with `grant` (`None`: the first the client is
    /// registered for, see [`TryGrant::default_for`]). Refuses, before anything opens, a
    /// grant the client is not registered for, a provider that does not offer it, and an
    /// authentication method Registrar cannot perform. Fetches the provider's discovery
    /// document when the profile has an issuer.
    pub async fn try_target(&self, profile: &str, client_id: &str, grant: Option<TryGrant>) -> Result<TryTarget> {
        let profile = self.store.profile(profile)?;
        let registration = self.store.registration(&profile.id, client_id)?;
        let meta = &registration.metadata_returned;
        let registered = registered_grants(&registration);
        // What the client is registered for, not the provider, rules these out.
        let refuse_grant = |why: String| Error::Validation(vec![FieldError::new("grant_types", why)]);
        let refuse = |why: String| Error::Unsupported {
            operation: "trying the client".into(),
            provider: why,
        };
        let grant = match grant {
            Some(g) => g,
            None => TryGrant::default_for(&registered).ok_or_else(|| {
                refuse_grant(format!(
                    "of the client ({}) hold none Registrar can try (authorization_code, device_code, client_credentials); nothing was sent",
                    registered.join(", ")
                ))
            })?,
        };
        if !registered.contains(&grant.grant().as_str()) {
            return Err(refuse_grant(format!(
                "of the client are {}: it cannot be tried with {}; nothing was sent",
                registered.join(", "),
                grant.grant().as_str()
            )));
        }
        let method =
            AuthMethod::from_registered(Some(meta.token_endpoint_auth_method())).map_err(|e| refuse(e.to_string()))?;
        if grant == TryGrant::ClientCredentials && method == AuthMethod::None {
            return Err(refuse(
                "a public client (token_endpoint_auth_method none) cannot use client_credentials".into(),
            ));
        }
        let secret = if method.needs_secret() {
            self.secrets.get(&SecretKey::client_secret(&profile.id, client_id))?
        } else {
            None
        };
        let mut provider = self.provider_metadata(&profile).await?;
        let auth = if method.needs_key() {
            self.key_client_auth(&profile, client_id, method, Some(&provider))?
        } else {
            method.client_auth(secret).map_err(|e| refuse(e.to_string()))?
        };
        let mut warnings = Vec::new();
        if method == AuthMethod::PrivateKeyJwt {
            warnings.extend(self.check_published_key(&profile, client_id).await?);
        }
        if method.is_mutual_tls() {
            warnings.extend(provider.use_mtls_aliases());
        }
        warnings.extend(provider.check(grant.grant())?);
        warnings.extend(provider.problems.iter().cloned());
        Ok(TryTarget {
            profile,
            registration,
            grant,
            auth,
            provider,
            warnings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_grant_prefers_one_without_a_user() {
        assert_eq!(
            TryGrant::default_for(&["authorization_code", "client_credentials"]),
            Some(TryGrant::ClientCredentials)
        );
        assert_eq!(
            TryGrant::default_for(&["refresh_token", "authorization_code"]),
            Some(TryGrant::AuthorizationCode)
        );
        assert_eq!(
            TryGrant::default_for(&["urn:ietf:params:oauth:grant-type:device_code"]),
            Some(TryGrant::DeviceCode)
        );
        assert_eq!(TryGrant::default_for(&["implicit"]), None);
    }
}
