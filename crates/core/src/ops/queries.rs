//! Read-only views of the local state for the shells: search pages, expiring secrets,
//! the history, unresolved journal entries.

use super::Registrar;
use crate::error::Result;
use crate::store::exchanges::{Exchange, HistoryFilter};
use crate::store::journal::JournalEntry;
use crate::store::registrations::Registration;
use crate::store::search::{Page, Query};

impl Registrar {
    pub fn search(&self, query: &Query) -> Result<Page> {
        self.store.search(query)
    }

    /// Clients whose secret expires within `within_secs` (or already has), soonest first.
    pub fn expiring(&self, profile: Option<&str>, within_secs: i64) -> Result<Page> {
        let profile_id = profile.map(|p| self.store.profile(p)).transpose()?.map(|p| p.id);
        self.store.search(&Query {
            profile_id,
            expiring_within_secs: Some(within_secs),
            limit: 1000,
            ..Query::default()
        })
    }

    /// The local record of one client.
    pub fn registration(&self, profile: &str, client_id: &str) -> Result<Registration> {
        let profile = self.store.profile(profile)?;
        self.store.registration(&profile.id, client_id)
    }

    pub fn history(&self, filter: &HistoryFilter) -> Result<Vec<Exchange>> {
        self.store.history(filter)
    }

    /// Operations whose outcome is unknown (a crash, a lost answer): what to recover.
    pub fn unresolved(&self) -> Result<Vec<JournalEntry>> {
        self.store.journal_unresolved()
    }
}
