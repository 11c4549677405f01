//! What register, refresh, update, import and delete report: the client as it now is,
//! plus what the call changed (drift, rotated credentials, a secret shown once) and
//! warnings.

use super::client::{metadata_table, ClientView};
use super::drift::drift_table;
use super::Human;
use registrar_core::drift::FieldChange;
use registrar_core::SecretInAnswer;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct RegisterView {
    #[serde(flatten)]
    pub client: ClientView,
    /// The provider's answer (RFC 7591 says 201; some answer 200).
    pub http_status: u16,
    /// What the provider added, dropped or rewrote of what was sent; reported this once.
    pub provider_changes: Vec<FieldChange>,
    /// Only when the keychain could not keep it: then this is the one chance to copy it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_access_token: Option<String>,
    pub warnings: Vec<String>,
}

impl Human for RegisterView {
    fn human(&self) -> String {
        let mut out = format!(
            "Registered client {} with profile {} (HTTP {}).\n\n{}",
            self.client.client_id,
            self.client.profile,
            self.http_status,
            self.client.summary()
        );
        if self.client.client_secret.is_some() {
            out.push_str(
                "\n\nThe client secret is shown once; it is kept in the keychain \
                 (`registrar get --show-secret` shows it again).",
            );
        }
        if let Some(token) = &self.registration_access_token {
            out.push_str(&format!(
                "\n\nThe keychain could not keep the registration access token; copy it now: {token}"
            ));
        }
        if !self.provider_changes.is_empty() {
            out.push_str("\n\nThe provider changed what was sent (shown this once):\n");
            out.push_str(&drift_table(&self.provider_changes));
        }
        out
    }
}

/// A refresh, an update or an import.
#[derive(Debug, Serialize)]
pub struct SyncView {
    #[serde(skip)]
    pub action: Action,
    #[serde(flatten)]
    pub client: ClientView,
    pub http_status: u16,
    /// Refresh: what changed on the provider since the last known state. Update: what the
    /// provider made differently from what was sent.
    pub drift: Vec<FieldChange>,
    /// How the answer showed the client secret: absent, masked or shown.
    pub secret_in_answer: SecretInAnswer,
    pub rotated_registration_access_token: bool,
    pub rotated_client_secret: bool,
    /// A rotated token the keychain could not keep: this is the one chance to copy it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_access_token: Option<String>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Refreshed,
    Updated,
    Imported,
}

impl Human for SyncView {
    fn human(&self) -> String {
        let verb = match self.action {
            Action::Refreshed => "Refreshed",
            Action::Updated => "Updated",
            Action::Imported => "Imported",
        };
        let mut out = format!("{verb} client {} (HTTP {}).\n", self.client.client_id, self.http_status);
        match (&self.registration_access_token, self.rotated_registration_access_token) {
            (Some(token), _) => out.push_str(&format!(
                "The keychain could not keep the provider's new registration access token; copy it now: {token}\n"
            )),
            (None, true) => {
                out.push_str("The provider rotated the registration access token; the new one is stored.\n")
            }
            (None, false) => {}
        }
        if self.rotated_client_secret {
            out.push_str(
                "The provider issued a new client secret; it is stored (`registrar get --show-secret` shows it).\n",
            );
        }
        match (self.action, self.drift.is_empty()) {
            (Action::Updated, true) => out.push_str("The provider kept the metadata as sent.\n"),
            (Action::Updated, false) => {
                out.push_str("The provider made these differ from what was sent:\n");
                out.push_str(&drift_table(&self.drift));
                out.push('\n');
            }
            (_, true) => out.push_str("No drift: the provider's copy matches the last known state.\n"),
            (_, false) => {
                out.push_str("Drift since the last known state:\n");
                out.push_str(&drift_table(&self.drift));
                out.push('\n');
            }
        }
        out.push('\n');
        out.push_str(&self.client.summary());
        out.push_str("\n\nMetadata, as the provider returned it:\n");
        out.push_str(&metadata_table(&self.client.metadata));
        out
    }
}

#[derive(Debug, Serialize)]
pub struct DeleteView {
    pub profile: String,
    pub client_id: String,
    pub status: &'static str,
    /// The provider's answer to the DELETE.
    pub http_status: u16,
    pub warnings: Vec<String>,
}

impl Human for DeleteView {
    fn human(&self) -> String {
        format!(
            "Deleted client {} on the provider of profile {} (HTTP {}); its credentials are removed and \
             the local record is kept with status deleted.",
            self.client_id, self.profile, self.http_status
        )
    }
}
