//! Adopt a client made elsewhere: its id, where it is managed, and its registration
//! access token (or the profile's admin credentials). Where the provider can read, the
//! client is read before it is adopted, so a wrong token is refused, not stored.

use super::outcome::SyncOutcome;
use super::Registrar;
use crate::error::{Error, Result};
use crate::metadata::ClientMetadata;
use crate::profile::{ManagementAuth, Operation};
use crate::secret::Secret;
use crate::secrets::{Labels, SecretKey};
use crate::store::registrations::{CredentialState, ProviderState};
use serde_json::Value;

/// A client made elsewhere, as the user knows it, to adopt into a profile.
#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    /// The id the provider issued; must not be empty or already in the profile.
    pub client_id: String,
    /// Where the client is managed (RFC 7592 §3); `None` uses the profile's template.
    pub registration_client_uri: Option<String>,
    /// The client's registration access token; required where the profile manages clients with it.
    pub registration_access_token: Option<Secret>,
    /// The client's secret, to keep in the keychain; `None` for a public client or when unknown.
    pub client_secret: Option<Secret>,
    /// What is known of the client where the provider cannot read it (WSO2).
    pub metadata: Option<ClientMetadata>,
}

impl Registrar {
    /// Adopts a client into `profile` (its id or name): its credentials go to the keychain first,
    /// then it is read (where the provider can) and kept only if the read works.
    pub async fn import(&self, profile: &str, request: ImportRequest) -> Result<SyncOutcome> {
        let profile = self.store.profile(profile)?;
        let client_id = request.client_id.trim().to_string();
        if client_id.is_empty() {
            return Err(Error::field("client_id", "must not be empty"));
        }
        if profile.management_auth == ManagementAuth::RegistrationAccessToken
            && request.registration_access_token.is_none()
        {
            return Err(Error::field(
                "registration_access_token",
                "is needed: this provider manages clients with their registration access token",
            ));
        }
        if let Some(uri) = &request.registration_client_uri {
            url::Url::parse(uri).map_err(|e| Error::field("registration_client_uri", format!("is not a URL: {e}")))?;
        }
        if self.store.find_registration(&profile.id, &client_id)?.is_some() {
            return Err(Error::field(
                "client_id",
                format!("{client_id} is already in this profile"),
            ));
        }

        // The token goes to the keychain before the read, which may rotate it.
        let mut writes = Vec::new();
        if let Some(token) = &request.registration_access_token {
            writes.push((
                SecretKey::registration_access_token(&profile.id, &client_id),
                token.clone(),
            ));
        }
        if let Some(secret) = &request.client_secret {
            writes.push((SecretKey::client_secret(&profile.id, &client_id), secret.clone()));
        }
        let client_name = request.metadata.as_ref().and_then(|m| m.client_name());
        self.secrets.set_all(
            &writes,
            &Labels::client(&profile.name, &client_id, client_name)
                .managed_at(request.registration_client_uri.as_deref()),
        )?;
        let mut known = request.metadata.clone().unwrap_or_default().without_secrets();
        known.set("client_id", Value::String(client_id.clone()));
        let state = ProviderState {
            client_id: client_id.clone(),
            registration_client_uri: request.registration_client_uri.clone(),
            metadata_returned: known,
            etag: None,
        };
        let registration =
            self.store
                .insert_registration(&profile.id, &state, None, CredentialState::Stored, None, None)?;

        if !profile.settings.operations.offers(Operation::Read) {
            return Ok(SyncOutcome {
                previous: registration.metadata_returned.clone(),
                registration,
                status: 0,
                drift: Default::default(),
                secret_in_answer: super::outcome::SecretInAnswer::Absent,
                rotated_registration_access_token: false,
                rotated_client_secret: false,
                new_client_secret: None,
                new_registration_access_token: None,
                unstored_registration_access_token: None,
                unstored_client_secret: None,
                warnings: vec!["this provider cannot read clients, so the import was not checked against it".into()],
            });
        }
        match self.read(&profile.id, &client_id).await {
            Ok(outcome) => Ok(outcome),
            Err(e) => {
                // Not adopted: leave no trace of a client that could not be read.
                self.store.delete_registration(&profile.id, &client_id)?;
                self.forget_credentials(&profile.id, &client_id);
                Err(e)
            }
        }
    }
}
