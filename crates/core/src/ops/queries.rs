//! Read-only views of the local state for the shells: search pages, expiring secrets,
//! the history, unresolved journal entries, and the checks forms show live.

use super::Registrar;
use crate::error::Result;
use crate::metadata::{check_update, validate, ClientMetadata, MetadataCheck};
use crate::store::exchanges::{Exchange, HistoryFilter};
use crate::store::journal::JournalEntry;
use crate::store::registrations::Registration;
use crate::store::search::{Page, Query};

impl Registrar {
    /// One page of the client list, as [`Query`] asks (see [`Page::total_capped`] for text searches).
    pub fn search(&self, query: &Query) -> Result<Page> {
        self.store.search(query)
    }

    /// Clients whose secret expires within `within_secs` (or already has), soonest first.
    pub fn expiring(&self, profile: Option<&str>, within_secs: i64) -> Result<Page> {
        let profile_id = profile.map(|p| self.store.profile(p)).transpose()?.map(|p| p.id);
        self.store.search(&Query {
            profile_id,
            expiring_within_secs: Some(within_secs),
            // A deleted client's secret is gone with it: nothing there to renew.
            exclude_deleted: true,
            limit: 1000,
            ..Query::default()
        })
    }

    /// The checks a form shows live: for a new client (`client_id` None) every problem is
    /// an error; for an edit, only what differs from the provider's last known state is,
    /// as [`Registrar::update`] decides.
    pub fn check_metadata(
        &self,
        profile: &str,
        client_id: Option<&str>,
        metadata: &ClientMetadata,
    ) -> Result<MetadataCheck> {
        let profile = self.store.profile(profile)?;
        let Some(client_id) = client_id else {
            return Ok(MetadataCheck::all_errors(validate(
                metadata,
                &profile.validation_rules(),
            )));
        };
        let before = self.store.registration(&profile.id, client_id)?.metadata_returned;
        let mut desired = metadata.clone();
        Ok(check_update(&mut desired, &before, &profile.validation_rules()))
    }

    /// The local record of one client.
    pub fn registration(&self, profile: &str, client_id: &str) -> Result<Registration> {
        let profile = self.store.profile(profile)?;
        self.store.registration(&profile.id, client_id)
    }

    /// The HTTP history, newest first, redacted; 200 exchanges unless the filter says (at most 10,000).
    pub fn history(&self, filter: &HistoryFilter) -> Result<Vec<Exchange>> {
        self.store.history(filter)
    }

    /// Operations whose outcome is unknown (a crash, a lost answer): what to recover.
    pub fn unresolved(&self) -> Result<Vec<JournalEntry>> {
        self.store.journal_unresolved()
    }
}
