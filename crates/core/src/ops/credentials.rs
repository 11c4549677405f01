//! Storing the credentials a provider hands back. Runs before anything else touches the
//! answer: a rotated registration access token that is not stored means a lost client.

use super::Registrar;
use crate::metadata::ClientMetadata;
use crate::profile::Profile;
use crate::secret::Secret;
use crate::secrets::SecretKey;
use crate::store::registrations::CredentialState;

/// What a provider's answer did to a client's credentials.
#[derive(Debug, Default)]
pub(crate) struct CredentialUpdate {
    pub rotated_token: bool,
    pub rotated_secret: bool,
    pub new_secret: Option<Secret>,
    pub new_token: Option<Secret>,
    pub state: Option<CredentialState>,
    pub warnings: Vec<String>,
}

impl Registrar {
    /// Writes any new `registration_access_token` and `client_secret` in `answer` to the
    /// keychain. A masked secret (Liberty's `*`) is not a new secret.
    pub(crate) fn store_credentials(
        &self,
        profile: &Profile,
        client_id: &str,
        answer: &ClientMetadata,
    ) -> CredentialUpdate {
        let mut update = CredentialUpdate::default();
        let mask = profile.settings.secret_mask.as_deref();
        let token = answer.str("registration_access_token").filter(|t| !t.is_empty());
        let secret = answer.str("client_secret").filter(|s| !is_masked(s, mask));
        let pairs = [
            (
                SecretKey::registration_access_token(&profile.id, client_id),
                token,
                true,
            ),
            (SecretKey::client_secret(&profile.id, client_id), secret, false),
        ];
        for (key, value, is_token) in pairs {
            let Some(value) = value else { continue };
            let value = Secret::new(value);
            let current = self.secrets.get(&key).ok().flatten();
            let changed = current.as_ref() != Some(&value);
            if changed {
                if let Err(e) = self.secrets.set(&key, &value) {
                    update.state = Some(CredentialState::NotStored);
                    let what = if is_token {
                        "registration access token"
                    } else {
                        "client secret"
                    };
                    update.warnings.push(format!(
                        "the new {what} could not be stored in the keychain ({e}); it is shown now and only now: keep it safe"
                    ));
                }
                if current.is_some() {
                    if is_token {
                        update.rotated_token = true;
                    } else {
                        update.rotated_secret = true;
                    }
                }
            }
            if is_token {
                update.new_token = Some(value);
            } else if changed {
                update.new_secret = Some(value);
            }
        }
        update
    }

    /// Removes a client's credentials; failures become warnings (the client is gone anyway).
    pub(crate) fn forget_credentials(&self, profile_id: &str, client_id: &str) -> Vec<String> {
        let mut warnings = Vec::new();
        for key in [
            SecretKey::registration_access_token(profile_id, client_id),
            SecretKey::client_secret(profile_id, client_id),
        ] {
            if let Err(e) = self.secrets.delete(&key) {
                warnings.push(format!("could not remove {key} from the keychain: {e}"));
            }
        }
        warnings
    }

    /// The client's current secret, when one is stored.
    pub fn client_secret(&self, profile_id: &str, client_id: &str) -> crate::Result<Option<Secret>> {
        Ok(self.secrets.get(&SecretKey::client_secret(profile_id, client_id))?)
    }

    /// The client's current registration access token, when one is stored.
    pub fn registration_access_token(&self, profile_id: &str, client_id: &str) -> crate::Result<Option<Secret>> {
        Ok(self
            .secrets
            .get(&SecretKey::registration_access_token(profile_id, client_id))?)
    }
}

/// A secret that is a mask, not a value: the profile's mask, or nothing but asterisks
/// (a provider that masks without the profile knowing must not overwrite the real one).
pub(crate) fn is_masked(value: &str, mask: Option<&str>) -> bool {
    value.is_empty() || Some(value) == mask || value.chars().all(|c| c == '*')
}
