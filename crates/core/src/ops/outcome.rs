//! What the lifecycle operations return. Secrets that the user must see once (a new
//! client secret) travel as `Secret`; the shells decide how to show them.

use crate::drift::Drift;
use crate::metadata::ClientMetadata;
use crate::secret::Secret;
use crate::store::registrations::Registration;
use crate::ProfileId;

/// What a registration returns: the stored record, what the provider made of the request,
/// and credentials a shell must show once.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct RegisterOutcome {
    /// The client as stored locally, the provider's answer without its secrets.
    pub registration: Registration,
    /// The provider's HTTP status (RFC 7591 says 201; some answer 200).
    pub status: u16,
    /// What the provider added, dropped or rewrote of what was sent: shown once.
    pub provider_changes: Drift,
    /// The new client's secret, for the shell to show once; `None` for a public client or a
    /// provider that issued none. Already in the keychain unless a warning says otherwise.
    #[serde(serialize_with = "crate::secret::reveal")]
    #[cfg_attr(feature = "ts", specta(type = Option<String>))]
    pub client_secret: Option<Secret>,
    /// Never serialized: the UI and scripts have no use for it, so it stays in the core.
    #[serde(skip)]
    pub registration_access_token: Option<Secret>,
    /// The registration access token, only when the keychain could not keep it: the one
    /// chance for the person to copy it, so a shell must show it.
    #[serde(serialize_with = "crate::secret::reveal")]
    #[cfg_attr(feature = "ts", specta(type = Option<String>))]
    pub unstored_registration_access_token: Option<Secret>,
    /// Things the user must know, such as "the keychain failed: copy the secret now".
    pub warnings: Vec<String>,
}

/// The result of a read (refresh) or an update.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct SyncOutcome {
    /// The client as now stored locally.
    pub registration: Registration,
    /// The provider's HTTP status; 0 when it was not asked (an import it cannot read).
    pub status: u16,
    /// The provider's metadata as it was known before this call.
    pub previous: ClientMetadata,
    /// For a read: what changed on the provider since the last known state. For an
    /// update: what the provider made differently from what was sent.
    pub drift: Drift,
    /// How the answer showed the client secret.
    pub secret_in_answer: SecretInAnswer,
    /// The answer carried a registration access token other than the stored one (stored now).
    pub rotated_registration_access_token: bool,
    /// The answer carried a client secret other than the stored one (stored now).
    pub rotated_client_secret: bool,
    /// The client secret, when this call issued a new one. Never serialized: a shell shows
    /// a secret only when the keychain could not keep it (`unstored_client_secret`).
    #[serde(skip)]
    pub new_client_secret: Option<Secret>,
    /// The registration access token, when this call rotated it: only for a shell to show
    /// once when the keychain could not store it. Never serialized.
    #[serde(skip)]
    pub new_registration_access_token: Option<Secret>,
    /// The rotated registration access token, only when the keychain could not keep it:
    /// the one chance for the person to copy it, so a shell must show it.
    #[serde(serialize_with = "crate::secret::reveal")]
    #[cfg_attr(feature = "ts", specta(type = Option<String>))]
    pub unstored_registration_access_token: Option<Secret>,
    /// A new client secret, only when the keychain could not keep it: shown as above.
    #[serde(serialize_with = "crate::secret::reveal")]
    #[cfg_attr(feature = "ts", specta(type = Option<String>))]
    pub unstored_client_secret: Option<Secret>,
    /// Things the user must know, such as a credential the keychain could not keep.
    pub warnings: Vec<String>,
}

impl SyncOutcome {
    /// What this answer brought that the keychain could not keep, if anything.
    pub fn unstored(&self, profile_id: &ProfileId) -> Option<UnstoredCredentials> {
        if self.unstored_registration_access_token.is_none() && self.unstored_client_secret.is_none() {
            return None;
        }
        Some(UnstoredCredentials {
            profile_id: profile_id.clone(),
            client_id: self.registration.client_id.clone(),
            registration_access_token: self.unstored_registration_access_token.clone(),
            client_secret: self.unstored_client_secret.clone(),
            why: self.warnings.join("; "),
        })
    }
}

/// Credentials a provider handed over that the keychain could not keep. Every path that
/// can receive credentials (one client or many, recovery, orphans, imports) hands these
/// up, so a shell shows them: it is the only chance to copy them, and a command that got
/// some ends with a failure status.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct UnstoredCredentials {
    /// The profile the client belongs to.
    pub profile_id: ProfileId,
    /// The client the credentials are for.
    pub client_id: String,
    /// The registration access token the keychain refused, if it was one of them.
    #[serde(
        default,
        serialize_with = "crate::secret::reveal",
        deserialize_with = "crate::secret::never_read"
    )]
    #[cfg_attr(feature = "ts", specta(type = Option<String>))]
    pub registration_access_token: Option<Secret>,
    /// The client secret the keychain refused, if it was one of them.
    #[serde(
        default,
        serialize_with = "crate::secret::reveal",
        deserialize_with = "crate::secret::never_read"
    )]
    #[cfg_attr(feature = "ts", specta(type = Option<String>))]
    pub client_secret: Option<Secret>,
    /// The keychain's refusal, in words.
    pub why: String,
}

/// What a delete returns; locally the record is marked deleted and its credentials forgotten.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct DeleteOutcome {
    /// The deleted client.
    pub client_id: String,
    /// The provider's HTTP status (RFC 7592 §2.3 says 204).
    pub status: u16,
    /// Credentials the keychain could not remove, in words; the delete itself succeeded.
    pub warnings: Vec<String>,
}

/// How a provider's answer showed the client secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum SecretInAnswer {
    /// No `client_secret` in it, or an empty one.
    Absent,
    /// Replaced by the provider's mask (Liberty's `*`).
    Masked,
    /// The secret itself.
    Shown,
}
