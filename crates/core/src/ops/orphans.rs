//! Orphans both ways: clients on the provider that Registrar does not know (from a
//! provider listing or an import file), and local records whose client is gone from the
//! provider (a read answers 401 or 404). Each comes with its one action: adopt or forget.

use super::Registrar;
use crate::error::{Error, Result};
use crate::http::{provider_error_masked, HttpRequest};
use crate::metadata::ClientMetadata;
use crate::profile::Operation;
use crate::store::registrations::{Registration, RegistrationStatus};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashSet;

/// Clients known on one side only: on the provider but not here, or here but gone there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct OrphanReport {
    /// On the provider, unknown here (secrets stripped): adopt with `import`.
    pub on_provider_only: Vec<ClientMetadata>,
    /// Known here, gone from the provider: forget with `forget`.
    pub local_only: Vec<LocalOrphan>,
    /// Whether the provider side could be listed at all.
    pub provider_listed: bool,
    /// Credentials the checking reads brought that the keychain could not keep.
    pub unstored: Vec<super::UnstoredCredentials>,
}

/// A local record whose client the provider no longer has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct LocalOrphan {
    /// The record as stored.
    pub registration: Registration,
    /// How that was told, in words ("the provider answers 404: the client is gone").
    pub reason: String,
}

impl Registrar {
    /// `clients` is what the provider holds when it came from a file; otherwise the
    /// profile's `list_endpoint` is asked, if it has one.
    pub async fn orphans(&self, profile: &str, clients: Option<Vec<ClientMetadata>>) -> Result<OrphanReport> {
        let profile = self.store.profile(profile)?;
        let listed = match clients {
            Some(c) => Some(c),
            None => self.list_provider_clients(&profile).await?,
        };
        let local = self.store.list_registrations(&profile.id)?;
        let active: Vec<&Registration> = local
            .iter()
            .filter(|r| r.status != RegistrationStatus::Deleted)
            .collect();

        let mut on_provider_only = Vec::new();
        if let Some(listed) = &listed {
            let known: HashSet<&str> = local.iter().map(|r| r.client_id.as_str()).collect();
            for client in listed {
                if client.client_id().is_some_and(|id| !known.contains(id)) {
                    on_provider_only.push(client.without_secrets());
                }
            }
        }

        let mut local_only = Vec::new();
        let listed_ids: Option<HashSet<&str>> = listed
            .as_ref()
            .map(|l| l.iter().filter_map(|c| c.client_id()).collect());
        let can_read = profile.settings.operations.offers(Operation::Read);
        let mut unstored = Vec::new();
        for reg in active {
            if let Some(ids) = &listed_ids {
                if !ids.contains(reg.client_id.as_str()) {
                    local_only.push(LocalOrphan {
                        registration: reg.clone(),
                        reason: "not in the provider's list".into(),
                    });
                    continue;
                }
            }
            if listed_ids.is_none() && can_read {
                match self.read_with(&profile, &reg.client_id).await {
                    Ok(read) => unstored.extend(read.unstored(&profile.id)),
                    Err(Error::Auth { status: 401, .. }) => local_only.push(LocalOrphan {
                        registration: reg.clone(),
                        reason: "the provider answers 401: the client or its token is gone".into(),
                    }),
                    Err(Error::Provider { status: 404, .. }) => local_only.push(LocalOrphan {
                        registration: reg.clone(),
                        reason: "the provider answers 404: the client is gone".into(),
                    }),
                    Err(_) => {}
                }
            }
        }
        Ok(OrphanReport {
            on_provider_only,
            local_only,
            provider_listed: listed.is_some(),
            unstored,
        })
    }

    /// Forgets every client of a profile (records and secrets); the provider is not asked.
    /// For a provider whose clients are gone with it (the app's own local mock restarted).
    pub fn forget_all(&self, profile: &str) -> Result<Vec<String>> {
        let profile = self.store.profile(profile)?;
        let mut warnings = Vec::new();
        for reg in self.store.list_registrations(&profile.id)? {
            self.store.delete_registration(&profile.id, &reg.client_id)?;
            warnings.extend(self.forget_credentials(&profile.id, &reg.client_id));
        }
        Ok(warnings)
    }

    /// Forgets a local record and its secrets; the provider is not asked.
    pub fn forget(&self, profile: &str, client_id: &str) -> Result<Vec<String>> {
        let profile = self.store.profile(profile)?;
        if !self.store.delete_registration(&profile.id, client_id)? {
            return Err(Error::not_found(format!("client \"{client_id}\" in this profile")));
        }
        Ok(self.forget_credentials(&profile.id, client_id))
    }

    async fn list_provider_clients(&self, profile: &crate::profile::Profile) -> Result<Option<Vec<ClientMetadata>>> {
        let Some(list) = &profile.settings.list_endpoint else {
            return Ok(None);
        };
        let url =
            url::Url::parse(list).map_err(|e| Error::config("settings.list_endpoint", format!("is not a URL: {e}")))?;
        let loopback = crate::profile::is_loopback_host(&url);
        if url.scheme() != "https" && !loopback {
            return Err(Error::config("settings.list_endpoint", "must use https off loopback"));
        }
        let transport = self.transport(profile)?;
        // A list that says which clients are gone leads to forgetting them: it is trusted
        // only from the provider itself, asked with the profile's credentials (the
        // loopback mock's admin view excepted).
        let auth = self.registration_authorization(profile, transport.as_ref()).await?;
        if auth.is_none() && !loopback {
            return Err(Error::config(
                "settings.list_endpoint",
                "is asked without credentials (the profile's registration is open), so anyone could have served its list; give the profile credentials, or check orphans from a file you trust",
            ));
        }
        let info = super::call::CallInfo {
            profile_id: Some(&profile.id),
            client_id: None,
            operation: super::call::CallKind::List,
        };
        let mut request = HttpRequest::new(http::Method::GET, url);
        if let Some(auth) = &auth {
            request = request.header("Authorization", auth.expose());
        }
        let known: Vec<&str> = auth.iter().map(|a| a.expose()).collect();
        let response = self.send(info, transport.as_ref(), request, &known).await?;
        if !response.is_success() {
            return Err(provider_error_masked(&response, &known));
        }
        parse_client_list(&response.body).map(Some)
    }
}

/// A list of clients: a JSON array, or an object with a `clients` array.
pub fn parse_client_list(body: &[u8]) -> Result<Vec<ClientMetadata>> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Error::InvalidResponse(format!("the client list is not JSON: {e}")))?;
    let items = match value {
        Value::Array(items) => items,
        Value::Object(mut map) => match map.remove("clients") {
            Some(Value::Array(items)) => items,
            _ => {
                return Err(Error::InvalidResponse(
                    "the client list has no \"clients\" array".into(),
                ))
            }
        },
        _ => return Err(Error::InvalidResponse("the client list is not a list".into())),
    };
    Ok(items
        .into_iter()
        .filter_map(|v| v.as_object().cloned())
        .map(ClientMetadata::from_map)
        .collect())
}
