//! Finishing what a crash cut short. Every operation journals its intent before it
//! sends; an intent left open by a process that is gone means the provider may have
//! acted without Registrar storing the result. `reconcile` (run when a Registrar opens)
//! turns such intents into flagged, visible work; `recover` then says, per intent, what
//! was found and how to finish it.

use super::Registrar;
use crate::error::{Error, Result};
use crate::metadata::ClientMetadata;
use crate::store::journal::{JournalEntry, JournalState};
use crate::store::registrations::RegistrationStatus;
use serde::{Deserialize, Serialize};

/// One operation a crash cut short: what was found, and how to finish it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct RecoveryItem {
    /// The journal entry of the interrupted operation.
    pub entry: JournalEntry,
    /// What happened, as far as can be told now.
    pub finding: String,
    /// What to do about it.
    pub action: String,
    /// For an interrupted registration: the client on the provider that matches it.
    pub candidate: Option<ClientMetadata>,
    /// True when nothing is left to do (the journal entry was closed).
    pub resolved: bool,
    /// A token (or secret) the recovering read brought that the keychain could not keep.
    pub unstored: Option<super::UnstoredCredentials>,
}

impl Registrar {
    /// Flags the operations that processes no longer running left open: their journal
    /// entries become uncertain and their clients pending recovery. Returns how many.
    pub fn reconcile(&self) -> Result<usize> {
        let abandoned = self.store.journal_abandoned()?;
        for entry in &abandoned {
            self.store
                .journal_uncertain(entry.id, &entry.profile_id, entry.client_id.as_deref())?;
        }
        Ok(abandoned.len())
    }

    /// Works through the unresolved intents of a profile: reads what can be read again,
    /// and matches interrupted registrations against the provider's client list.
    pub async fn recover(&self, profile: &str) -> Result<Vec<RecoveryItem>> {
        let profile = self.store.profile(profile)?;
        self.reconcile()?;
        let entries: Vec<JournalEntry> = self
            .store
            .journal_unresolved()?
            .into_iter()
            .filter(|e| e.profile_id == profile.id && e.state == JournalState::Uncertain)
            .collect();
        // The provider's own list (where it has one) answers "is it still there" better
        // than a refused token, which may only mean a rotated token was lost.
        let listing = if entries.iter().any(|e| e.client_id.is_none() || e.operation == "delete") {
            self.orphans(&profile.name, None)
                .await
                .ok()
                .filter(|r| r.provider_listed)
        } else {
            None
        };
        // A registration cut short after its credentials reached the keychain but before the
        // database insert: the client exists and its token is kept. Adopt it.
        let adopted = if entries
            .iter()
            .any(|e| e.client_id.is_none() && e.operation == "register")
        {
            self.adopt_stray_credentials(&profile, listing.as_ref()).await
        } else {
            Vec::new()
        };
        let mut items = Vec::new();
        for entry in entries {
            let sent = entry.detail.as_deref().and_then(|d| ClientMetadata::from_json(d).ok());
            let found = sent
                .as_ref()
                .and_then(|sent| adopted.iter().find(|r| same_client(&r.metadata_returned, sent)));
            if let (None, Some(registration)) = (&entry.client_id, found) {
                self.store
                    .journal_finish(entry.id, JournalState::Done, Some("adopted from the keychain"))?;
                items.push(RecoveryItem {
                    entry,
                    finding: format!(
                        "the registration had completed: client {} was created and its credentials were in the keychain; it is adopted",
                        registration.client_id
                    ),
                    action: "nothing to do".into(),
                    candidate: Some(registration.metadata_returned.clone()),
                    resolved: true,
                    unstored: None,
                });
                continue;
            }
            let item = match &entry.client_id {
                Some(client_id) => {
                    self.recover_client(&profile.name, entry.clone(), client_id, listing.as_ref())
                        .await?
                }
                None => {
                    let candidate = match (&listing, &sent) {
                        (Some(report), Some(sent)) => {
                            report.on_provider_only.iter().find(|c| same_client(c, sent)).cloned()
                        }
                        _ => None,
                    };
                    let (finding, action) = match (&candidate, &listing) {
                        (Some(c), _) => (
                            format!("the provider holds a client that matches: {}", c.client_id().unwrap_or("?")),
                            "import it with its registration access token from the provider's console, then dismiss this entry".to_string(),
                        ),
                        (None, Some(_)) => (
                            "no client on the provider matches: the registration did not happen".to_string(),
                            "nothing to recover; dismiss this entry".to_string(),
                        ),
                        (None, None) => (
                            "this provider cannot list its clients, so it is unknown whether the client was created".to_string(),
                            "look in the provider's console for a client with this name and redirect URIs, and import it".to_string(),
                        ),
                    };
                    RecoveryItem {
                        entry,
                        finding,
                        action,
                        candidate,
                        resolved: false,
                        unstored: None,
                    }
                }
            };
            items.push(item);
        }
        Ok(items)
    }

    /// Clients whose credentials the keychain holds but the database does not know, found by
    /// listing the keychain (the Secret Service) or by asking it for each client only the
    /// provider lists; each is imported with them, which reads it first (a token the
    /// provider refuses is not adopted). The registrations adopted.
    async fn adopt_stray_credentials(
        &self,
        profile: &crate::profile::Profile,
        listing: Option<&super::OrphanReport>,
    ) -> Vec<crate::store::registrations::Registration> {
        let mut ids: std::collections::BTreeSet<String> = match self.secrets.clients_with_credentials(&profile.id) {
            Ok(Some(ids)) => ids,
            Ok(None) => Default::default(),
            Err(e) => {
                tracing::warn!(error = %e, "the keychain could not be listed for credentials to adopt");
                Default::default()
            }
        };
        if let Some(report) = listing {
            ids.extend(
                report
                    .on_provider_only
                    .iter()
                    .filter_map(|c| c.client_id().map(str::to_string)),
            );
        }
        let mut adopted = Vec::new();
        for client_id in ids {
            if !matches!(self.store.find_registration(&profile.id, &client_id), Ok(None)) {
                continue;
            }
            let token = self.registration_access_token(&profile.id, &client_id).ok().flatten();
            let secret = self.client_secret(&profile.id, &client_id).ok().flatten();
            if token.is_none() && secret.is_none() {
                continue;
            }
            let managed_at = self
                .secrets
                .managed_at(&crate::secrets::SecretKey::registration_access_token(
                    &profile.id,
                    &client_id,
                ))
                .ok()
                .flatten();
            let request = super::ImportRequest {
                client_id: client_id.clone(),
                registration_client_uri: managed_at,
                registration_access_token: token,
                client_secret: secret,
                ..Default::default()
            };
            match self.import(&profile.name, request).await {
                Ok(outcome) => adopted.push(outcome.registration),
                Err(e) => {
                    tracing::warn!(client_id, error = %e, "credentials found in the keychain could not be adopted")
                }
            }
        }
        adopted
    }

    /// Closes an unresolved journal entry the user has dealt with.
    pub fn dismiss(&self, journal_id: i64) -> Result<()> {
        self.store
            .journal_finish(journal_id, JournalState::Failed, Some("dismissed by the user"))
    }

    async fn recover_client(
        &self,
        profile: &str,
        entry: JournalEntry,
        client_id: &str,
        listing: Option<&super::OrphanReport>,
    ) -> Result<RecoveryItem> {
        let known = self.store.find_registration(&entry.profile_id, client_id)?;
        if known.as_ref().is_some_and(|r| r.status == RegistrationStatus::Deleted) {
            // Deleted on the provider since (a later call succeeded): nothing left to recover.
            self.store
                .journal_finish(entry.id, JournalState::Done, Some("the client was deleted since"))?;
            return Ok(RecoveryItem {
                entry,
                finding: "the client was deleted from the provider since".into(),
                action: "nothing to do".into(),
                candidate: None,
                resolved: true,
                unstored: None,
            });
        }
        if known.is_none() {
            self.dismiss(entry.id)?;
            return Ok(RecoveryItem {
                entry,
                finding: "the client is no longer known locally".into(),
                action: "nothing to do".into(),
                candidate: None,
                resolved: true,
                unstored: None,
            });
        }
        let outcome = self.read(profile, client_id).await;
        let gone = match listing {
            Some(report) => report.local_only.iter().any(|o| o.registration.client_id == client_id),
            None => matches!(
                outcome,
                Err(Error::Auth { status: 401, .. }) | Err(Error::Provider { status: 404 | 410, .. })
            ),
        };
        if entry.operation == "delete" && gone {
            // The delete reached the provider before the answer was lost.
            self.store
                .set_registration_status(&entry.profile_id, client_id, RegistrationStatus::Deleted)?;
            self.forget_credentials(&entry.profile_id, client_id);
            self.store.journal_finish(
                entry.id,
                JournalState::Done,
                Some("the delete had reached the provider"),
            )?;
            return Ok(RecoveryItem {
                entry,
                finding: "the interrupted delete had reached the provider: the client is gone".into(),
                action: "nothing to do; the local record now says deleted".into(),
                candidate: None,
                resolved: true,
                unstored: None,
            });
        }
        match outcome {
            Ok(read) => {
                let unstored = read.unstored(&entry.profile_id);
                if unstored.is_some() {
                    // Not done: the journal stays open until the credentials are kept.
                    return Ok(RecoveryItem {
                        entry,
                        finding: "a read works, but the credentials it brought could not be stored in the keychain"
                            .into(),
                        action: "copy the credentials shown now, fix the keychain, and import the client with them"
                            .into(),
                        candidate: None,
                        resolved: false,
                        unstored,
                    });
                }
                self.store
                    .journal_finish(entry.id, JournalState::Done, Some("recovered by a read"))?;
                Ok(RecoveryItem {
                    entry,
                    finding: "a read works: the client and its stored credentials are current".into(),
                    action: "nothing to do".into(),
                    candidate: None,
                    resolved: true,
                    unstored: None,
                })
            }
            Err(e @ Error::Unsupported { .. }) => Ok(RecoveryItem {
                entry,
                finding: e.to_string(),
                action: "check the client in the provider's console".into(),
                candidate: None,
                resolved: false,
                unstored: None,
            }),
            Err(e) => Ok(RecoveryItem {
                entry,
                finding: format!("a read fails: {e}"),
                action: if matches!(e, Error::Auth { .. }) {
                    "the stored token was rotated and the new one lost: get a new registration access token from the provider's console and import the client again".into()
                } else {
                    "try again when the provider answers".into()
                },
                candidate: None,
                resolved: false,
                unstored: None,
            }),
        }
    }
}

/// Whether a client on the provider is the one an interrupted registration sent.
fn same_client(on_provider: &ClientMetadata, sent: &ClientMetadata) -> bool {
    let names = (on_provider.client_name(), sent.client_name());
    let name_ok = match names {
        (Some(a), Some(b)) => a == b || a.ends_with(&format!("_{b}")),
        _ => true,
    };
    let mut a = on_provider.redirect_uris();
    let mut b = sent.redirect_uris();
    a.sort_unstable();
    b.sort_unstable();
    name_ok && a == b
}
