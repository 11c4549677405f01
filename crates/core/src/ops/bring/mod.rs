//! Bringing what people already have: Keycloak's `kcreg` configuration and oidc-agent
//! accounts become profiles and clients. Every client is read before it is adopted (the
//! same `import` as one by one), so a stale token is refused, not stored, and a token the
//! read rotates is stored at once.

mod kcreg;
mod oidc_agent;

pub use kcreg::{parse_kcreg_config, KcregRealm};
pub use oidc_agent::{parse_oidc_agent_account, OidcAgentAccount};

use super::bulk_import::ImportResult;
use super::import::ImportRequest;
use super::Registrar;
use crate::error::Result;
use crate::profile::{Profile, ProfileSecrets, ProviderKind, RegistrationAuth, TlsOptions};
use crate::secret::Secret;
use serde::{Deserialize, Serialize};

/// What bringing a file in did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct BroughtIn {
    /// Profiles made for providers no profile had yet (names).
    pub profiles_created: Vec<String>,
    /// Profiles the clients went into (names), in order.
    pub profiles_used: Vec<String>,
    /// One per client; `error` says why one was not adopted.
    pub clients: Vec<ImportResult>,
}

impl Registrar {
    /// Adopts every client of a `kcreg.config`, each realm a Keycloak profile (found by
    /// its registration endpoint, or made).
    pub async fn bring_kcreg(&self, realms: Vec<KcregRealm>) -> Result<BroughtIn> {
        let mut out = BroughtIn::default();
        for realm in realms {
            let mut secrets = ProfileSecrets::default();
            let mut wanted = Profile::new(
                realm.profile_name(),
                ProviderKind::Keycloak,
                realm.registration_endpoint(),
            );
            wanted.issuer = Some(realm.issuer());
            match &realm.initial_token {
                Some(token) => secrets.initial_access_token = Some(Secret::new(token.expose())),
                None => wanted.registration_auth = RegistrationAuth::None,
            }
            let profile = self.profile_for(wanted, &secrets, &mut out)?;
            let endpoint = realm.registration_endpoint();
            for (client_id, token) in realm.clients {
                let request = ImportRequest {
                    registration_client_uri: management_uri(&endpoint, &client_id),
                    client_id: client_id.clone(),
                    registration_access_token: Some(token),
                    ..ImportRequest::default()
                };
                out.clients.push(self.adopt(&profile, request).await);
            }
        }
        Ok(out)
    }

    /// Adopts the client of an oidc-agent account, into the profile whose issuer is the
    /// account's, or a new one made from the issuer's discovery.
    pub async fn bring_oidc_agent(&self, account: OidcAgentAccount, tls: &TlsOptions) -> Result<BroughtIn> {
        let mut out = BroughtIn::default();
        let issuer = account.issuer.trim_end_matches('/');
        let existing = self
            .profiles()?
            .into_iter()
            .find(|p| p.issuer.as_deref().map(|i| i.trim_end_matches('/')) == Some(issuer));
        let profile = match existing {
            Some(p) => {
                out.profiles_used.push(p.name.clone());
                p
            }
            None => {
                let discovery = self.discover(&account.issuer, tls).await?;
                let mut wanted = discovery.propose_profile(&format!("oidc-agent {}", account.name))?;
                wanted.tls = tls.clone();
                // The account holds no registration credentials of the provider's.
                wanted.registration_auth = RegistrationAuth::None;
                self.profile_for(wanted, &ProfileSecrets::default(), &mut out)?
            }
        };
        let request = ImportRequest {
            client_id: account.client_id.clone(),
            registration_client_uri: account.registration_client_uri.clone(),
            registration_access_token: account.registration_access_token.clone(),
            client_secret: account.client_secret.clone(),
            metadata: Some(account.metadata.clone()),
        };
        out.clients.push(self.adopt(&profile, request).await);
        Ok(out)
    }

    /// The saved profile with `wanted`'s name, or `wanted` saved anew.
    fn profile_for(&self, wanted: Profile, secrets: &ProfileSecrets, out: &mut BroughtIn) -> Result<Profile> {
        let same_endpoint = self
            .profiles()?
            .into_iter()
            .find(|p| p.registration_endpoint == wanted.registration_endpoint);
        let profile = match same_endpoint {
            Some(p) => p,
            None => {
                let saved = self.save_profile(&wanted, secrets)?;
                out.profiles_created.push(saved.name.clone());
                saved
            }
        };
        out.profiles_used.push(profile.name.clone());
        Ok(profile)
    }

    async fn adopt(&self, profile: &Profile, request: ImportRequest) -> ImportResult {
        let client_id = request.client_id.clone();
        let result = self.import(&profile.id, request).await;
        ImportResult::of(client_id, &profile.id, result)
    }
}

/// Keycloak's management URL for `client_id`, the id encoded as one path segment.
fn management_uri(endpoint: &str, client_id: &str) -> Option<String> {
    let mut url = url::Url::parse(endpoint).ok()?;
    url.path_segments_mut().ok()?.push(client_id);
    Some(url.to_string())
}
