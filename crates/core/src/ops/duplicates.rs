//! Duplicate registrations: MCP clients (and other installers) register again on every
//! install, so a profile fills with clients of the same name and redirect URIs. Each group
//! keeps its newest client; the others are stale, to delete at the provider or forget
//! locally in one action.

use super::Registrar;
use crate::error::Result;
use crate::store::registrations::{Registration, RegistrationStatus};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Clients that look like one client registered several times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct DuplicateGroup {
    /// Their `client_name` (`None`: registered without one).
    pub client_name: Option<String>,
    /// Their redirect URIs, sorted.
    pub redirect_uris: Vec<String>,
    /// The newest, kept.
    pub keep: DuplicateMember,
    /// The older ones, newest first.
    pub stale: Vec<DuplicateMember>,
}

/// One client of a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct DuplicateMember {
    /// Its id.
    pub client_id: String,
    /// When Registrar recorded it (unix seconds).
    pub created_at: i64,
    /// When the provider says it was issued, if it said.
    pub client_id_issued_at: Option<i64>,
}

/// What to do with stale clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum CleanupAction {
    /// Delete each at the provider (RFC 7592) and then locally.
    Delete,
    /// Drop the local records and secrets only; the provider is not asked.
    Forget,
}

/// What became of one client of a cleanup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct CleanupResult {
    /// The client.
    pub client_id: String,
    /// `None` when it is gone; else why it is not.
    pub error: Option<String>,
    /// What else to know (a keychain entry that could not be removed).
    pub warnings: Vec<String>,
}

impl Registrar {
    /// The profile's duplicate groups, largest first.
    pub fn duplicate_registrations(&self, profile: &str) -> Result<Vec<DuplicateGroup>> {
        let profile = self.store.profile(profile)?;
        Ok(group(self.store.list_registrations(&profile.id)?))
    }

    /// Deletes or forgets `client_ids` of `profile`, one after the other; one that fails
    /// does not stop the others. The shell has asked the user first.
    pub async fn clean_up(
        &self,
        profile: &str,
        client_ids: &[String],
        action: CleanupAction,
    ) -> Result<Vec<CleanupResult>> {
        let profile = self.store.profile(profile)?;
        let mut out = Vec::with_capacity(client_ids.len());
        for client_id in client_ids {
            let (error, warnings) = match action {
                CleanupAction::Delete => match self.delete(profile.id.as_str(), client_id).await {
                    Ok(outcome) => (None, outcome.warnings),
                    Err(e) => (Some(e.to_string()), Vec::new()),
                },
                CleanupAction::Forget => match self.forget(profile.id.as_str(), client_id) {
                    Ok(warnings) => (None, warnings),
                    Err(e) => (Some(e.to_string()), Vec::new()),
                },
            };
            out.push(CleanupResult {
                client_id: client_id.clone(),
                error,
                warnings,
            });
        }
        Ok(out)
    }
}

/// Groups active registrations by name and redirect URIs; groups of one are not
/// duplicates. Clients already deleted, or whose last operation is unresolved, are left
/// out: the first are gone, the second need recovery, not removal.
fn group(registrations: Vec<Registration>) -> Vec<DuplicateGroup> {
    let mut by_key: BTreeMap<(Option<String>, Vec<String>), Vec<DuplicateMember>> = BTreeMap::new();
    for reg in registrations {
        if reg.status != RegistrationStatus::Active {
            continue;
        }
        let mut uris: Vec<String> = reg
            .metadata_returned
            .redirect_uris()
            .into_iter()
            .map(str::to_string)
            .collect();
        uris.sort();
        let name = reg
            .client_name
            .clone()
            .or_else(|| reg.metadata_returned.str("client_name").map(str::to_string));
        by_key.entry((name, uris)).or_default().push(DuplicateMember {
            client_id: reg.client_id,
            created_at: reg.created_at,
            client_id_issued_at: reg.client_id_issued_at,
        });
    }
    let mut groups: Vec<DuplicateGroup> = by_key
        .into_iter()
        .filter(|(_, members)| members.len() > 1)
        .map(|((client_name, redirect_uris), mut members)| {
            // Newest first: the provider's issue time when it said, else Registrar's.
            members.sort_by_key(|m| std::cmp::Reverse((m.client_id_issued_at.unwrap_or(m.created_at), m.created_at)));
            let keep = members.remove(0);
            DuplicateGroup {
                client_name,
                redirect_uris,
                keep,
                stale: members,
            }
        })
        .collect();
    groups.sort_by_key(|g| std::cmp::Reverse(g.stale.len()));
    groups
}
