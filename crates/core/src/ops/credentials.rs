//! Storing the credentials a provider hands back. Runs before anything else touches the
//! answer: a rotated registration access token that is not stored means a lost client.

use super::Registrar;
use crate::metadata::ClientMetadata;
use crate::profile::Profile;
use crate::secret::Secret;
use crate::secrets::{Labels, SecretKey};
use crate::store::registrations::CredentialState;
use crate::ProfileId;

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

impl CredentialUpdate {
    /// The new token, when the keychain failed to keep what this answer brought.
    pub fn unstored_token(&self) -> Option<Secret> {
        self.new_token
            .clone()
            .filter(|_| self.state == Some(CredentialState::NotStored))
    }

    /// The new secret, when the keychain failed to keep what this answer brought.
    pub fn unstored_secret(&self) -> Option<Secret> {
        self.new_secret
            .clone()
            .filter(|_| self.state == Some(CredentialState::NotStored))
    }
}

/// What the caller knows of the registration access token before the answer.
#[derive(Debug, Clone, Copy)]
pub(crate) enum TokenBefore<'a> {
    /// The token this call authenticated with: the current one.
    Sent(&'a Secret),
    /// Not known to the caller (the call used admin credentials): ask the keychain.
    Unknown,
}

impl Registrar {
    /// Writes any new `registration_access_token` and `client_secret` in `answer` to the
    /// keychain. The token goes first and, where the caller knows the current one, without
    /// a keychain read before it: every moment between a rotation and its write is a
    /// moment in which a crash loses the client. A masked secret (Liberty's `*`) is not a
    /// new secret. A client the provider just created goes to
    /// [`Registrar::store_new_client_credentials`] instead.
    pub(crate) fn store_credentials(
        &self,
        profile: &Profile,
        client_id: &str,
        answer: &ClientMetadata,
        token_before: TokenBefore<'_>,
    ) -> CredentialUpdate {
        let mut update = CredentialUpdate::default();
        let labels = labels_for(profile, client_id, answer);
        if let Some(token) = answer.str("registration_access_token").filter(|t| !t.is_empty()) {
            let key = SecretKey::registration_access_token(&profile.id, client_id);
            let value = Secret::new(token);
            let (changed, rotated) = match token_before {
                TokenBefore::Sent(current) => (*current != value, *current != value),
                TokenBefore::Unknown => {
                    let current = self.secrets.get(&key).ok().flatten();
                    (
                        current.as_ref() != Some(&value),
                        current.is_some() && current.as_ref() != Some(&value),
                    )
                }
            };
            if changed {
                self.keep(&key, &value, &labels, "registration access token", &mut update);
            }
            update.rotated_token = rotated;
            update.new_token = Some(value);
        }
        let mask = profile.settings.secret_mask.as_deref();
        if let Some(secret) = answer.str("client_secret").filter(|s| !is_masked(s, mask)) {
            let key = SecretKey::client_secret(&profile.id, client_id);
            let value = Secret::new(secret);
            let current = self.secrets.get(&key).ok().flatten();
            if current.as_ref() != Some(&value) {
                self.keep(&key, &value, &labels, "client secret", &mut update);
                update.rotated_secret = current.is_some();
                update.new_secret = Some(value);
            }
        }
        update
    }

    /// A client the provider just created: nothing is stored for it to compare with, so
    /// its token and secret go to the keychain together, in one write (half the keychain's
    /// cost of a registration, and the token no later than alone).
    pub(crate) fn store_new_client_credentials(
        &self,
        profile: &Profile,
        client_id: &str,
        answer: &ClientMetadata,
    ) -> CredentialUpdate {
        let mut update = CredentialUpdate::default();
        let mut writes = Vec::new();
        if let Some(token) = answer.str("registration_access_token").filter(|t| !t.is_empty()) {
            let value = Secret::new(token);
            writes.push((
                SecretKey::registration_access_token(&profile.id, client_id),
                value.clone(),
            ));
            update.new_token = Some(value);
        }
        let mask = profile.settings.secret_mask.as_deref();
        if let Some(secret) = answer.str("client_secret").filter(|s| !is_masked(s, mask)) {
            let value = Secret::new(secret);
            writes.push((SecretKey::client_secret(&profile.id, client_id), value.clone()));
            update.new_secret = Some(value);
        }
        if writes.is_empty() {
            return update;
        }
        let labels = labels_for(profile, client_id, answer);
        // The provider has just issued this client id: its entries are new.
        if let Err(e) = self.secrets.set_new(&writes, &labels) {
            update.state = Some(CredentialState::NotStored);
            for what in [
                update.new_token.as_ref().map(|_| "registration access token"),
                update.new_secret.as_ref().map(|_| "client secret"),
            ]
            .into_iter()
            .flatten()
            {
                update.warnings.push(unstored_warning(what, &e));
            }
        }
        update
    }

    /// Stores one credential; a failure becomes a warning and marks the client's
    /// credentials as not stored (the caller shows the value once).
    fn keep(&self, key: &SecretKey, value: &Secret, labels: &Labels, what: &str, update: &mut CredentialUpdate) {
        if let Err(e) = self.secrets.set(key, value, labels) {
            update.state = Some(CredentialState::NotStored);
            update.warnings.push(unstored_warning(what, &e));
        }
    }

    /// Removes a client's credentials; failures become warnings (the client is gone anyway).
    pub(crate) fn forget_credentials(&self, profile_id: &ProfileId, client_id: &str) -> Vec<String> {
        let keys = [
            SecretKey::registration_access_token(profile_id, client_id),
            SecretKey::client_secret(profile_id, client_id),
        ];
        match self.secrets.delete_all(&keys) {
            Ok(()) => Vec::new(),
            Err(e) => vec![format!(
                "could not remove the credentials of {client_id} from the keychain: {e}"
            )],
        }
    }

    /// The client's current secret, when one is stored.
    pub fn client_secret(&self, profile_id: &ProfileId, client_id: &str) -> crate::Result<Option<Secret>> {
        Ok(self.secrets.get(&SecretKey::client_secret(profile_id, client_id))?)
    }

    /// The client's current registration access token, when one is stored.
    pub fn registration_access_token(&self, profile_id: &ProfileId, client_id: &str) -> crate::Result<Option<Secret>> {
        Ok(self
            .secrets
            .get(&SecretKey::registration_access_token(profile_id, client_id))?)
    }
}

fn unstored_warning(what: &str, e: &crate::secrets::KeychainError) -> String {
    format!("the new {what} could not be stored in the keychain ({e}); it is shown now and only now: keep it safe")
}

/// A secret that is a mask, not a value: the profile's mask, or nothing but asterisks
/// (a provider that masks without the profile knowing must not overwrite the real one).
pub(crate) fn is_masked(value: &str, mask: Option<&str>) -> bool {
    value.is_empty() || Some(value) == mask || value.chars().all(|c| c == '*')
}

/// How the keychain names a client's credentials, and where the answer says it is managed
/// (kept with them, so a client whose database row a crash lost can be adopted).
fn labels_for(profile: &Profile, client_id: &str, answer: &ClientMetadata) -> Labels {
    Labels::client(&profile.name, client_id, answer.client_name()).managed_at(answer.str("registration_client_uri"))
}
