//! Many clients of one profile at once, as the desktop list's bulk selection asks: every
//! client a query matches (the selection "all", resolved here rather than from the rows a
//! list happens to have loaded), a refresh of the chosen ones, and a delete of them with a
//! result per client. Nothing is lost: a client that fails stays as it was and is listed
//! with why; a client already deleted is not sent again.

use super::bulk_refresh::{BulkError, BulkProgress, BulkReport, Cancel};
use super::Registrar;
use crate::error::Result;
use crate::profile::{Operation, Profile};
use crate::store::registrations::RegistrationStatus;
use crate::store::search::{Query, Summary};
use crate::ProfileId;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// One client's result in a bulk delete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct DeleteItem {
    /// The client asked for.
    pub client_id: String,
    /// Its name, when known, to list it by.
    pub client_name: Option<String>,
    /// None when it was deleted on the provider (and its credentials forgotten).
    pub error: Option<BulkError>,
    /// Credentials the keychain could not remove; the delete itself worked.
    pub warnings: Vec<String>,
}

/// What a bulk delete did: one item per client asked for, in the order asked, and the
/// clients not started because the run was cancelled.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct DeleteReport {
    /// One per client started.
    pub items: Vec<DeleteItem>,
    /// The ids of those skipped after a cancel, still as they were.
    pub skipped: Vec<String>,
}

impl DeleteReport {
    /// How many were deleted.
    pub fn deleted(&self) -> usize {
        self.items.iter().filter(|i| i.error.is_none()).count()
    }

    /// The clients that failed, each with why.
    pub fn failures(&self) -> impl Iterator<Item = &DeleteItem> {
        self.items.iter().filter(|i| i.error.is_some())
    }
}

impl Registrar {
    /// Every row `query` matches, in its order, whatever its offset and limit: what "select
    /// all" means in a list of 100,000 (a text's count is not capped here).
    pub fn search_every(&self, query: &Query) -> Result<Vec<Summary>> {
        self.store.search_every(query)
    }

    /// The chosen clients of `profile` a refresh can read: not deleted, and only when the
    /// provider offers reads (an empty list otherwise). Unknown ids are left out.
    pub fn refresh_targets_of(&self, profile: &str, client_ids: &[String]) -> Result<Vec<(ProfileId, String)>> {
        let profile = self.store.profile(profile)?;
        if !profile.settings.operations.offers(Operation::Read) {
            return Ok(Vec::new());
        }
        let mut targets = Vec::with_capacity(client_ids.len());
        for client_id in client_ids {
            if let Some(reg) = self.store.find_registration(&profile.id, client_id)? {
                if reg.status != RegistrationStatus::Deleted {
                    targets.push((profile.id.clone(), reg.client_id));
                }
            }
        }
        Ok(targets)
    }

    /// Refreshes the chosen clients of `profile` (see [`Registrar::refresh_targets_of`]).
    pub async fn refresh_chosen(
        &self,
        profile: &str,
        client_ids: &[String],
        progress: &(dyn Fn(&BulkProgress) + Send + Sync),
    ) -> Result<BulkReport> {
        let targets = self.refresh_targets_of(profile, client_ids)?;
        self.refresh_many(&targets, 8, progress, &Cancel::new()).await
    }

    /// Deletes each of `client_ids` of `profile` on the provider, `concurrency` at a time,
    /// with a result per client: one that fails (the provider refused, it is unknown, it
    /// was deleted already) stays as it was and says why. Fails as a whole only when the
    /// profile is unknown or offers no delete, before anything is sent.
    pub async fn delete_many(
        &self,
        profile: &str,
        client_ids: &[String],
        concurrency: usize,
        progress: &(dyn Fn(&BulkProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<DeleteReport> {
        let profile = self.store.profile(profile)?;
        self.ensure_offered(&profile, Operation::Delete)?;
        let run = DeleteRun {
            registrar: self,
            profile: &profile,
            client_ids,
            progress,
            cancel,
            next: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            items: Mutex::new(vec![None; client_ids.len()]),
        };
        let workers = concurrency.clamp(1, client_ids.len().max(1));
        futures_util::future::join_all((0..workers).map(|_| run.work())).await;
        let mut report = DeleteReport::default();
        let items = run.items.into_inner().unwrap_or_else(|e| e.into_inner());
        for (client_id, item) in client_ids.iter().zip(items) {
            match item {
                Some(item) => report.items.push(item),
                None => report.skipped.push(client_id.clone()),
            }
        }
        Ok(report)
    }

    /// One client of a bulk delete: refused locally when it is unknown or already deleted.
    async fn delete_one(&self, profile: &Profile, client_id: &str) -> DeleteItem {
        let known = self.store.find_registration(&profile.id, client_id);
        let client_name = known
            .as_ref()
            .ok()
            .and_then(|r| r.as_ref())
            .and_then(|r| r.client_name.clone());
        let refused = |code, message: String| DeleteItem {
            client_id: client_id.to_owned(),
            client_name: client_name.clone(),
            error: Some(BulkError { code, message }),
            warnings: Vec::new(),
        };
        match known {
            Err(e) => return refused(e.code(), e.to_string()),
            Ok(None) => {
                return refused(
                    crate::ErrorCode::NotFound,
                    format!("client \"{client_id}\" is not known in this profile"),
                )
            }
            Ok(Some(reg)) if reg.status == RegistrationStatus::Deleted => {
                return refused(
                    crate::ErrorCode::Validation,
                    "already deleted: it is kept only as history".to_owned(),
                )
            }
            Ok(Some(_)) => {}
        }
        match self.delete_with(profile, client_id).await {
            Ok(outcome) => DeleteItem {
                client_id: client_id.to_owned(),
                client_name,
                error: None,
                warnings: outcome.warnings,
            },
            Err(e) => refused(e.code(), e.to_string()),
        }
    }
}

/// One bulk delete: workers take the next client until none is left (as a bulk refresh's).
struct DeleteRun<'a> {
    registrar: &'a Registrar,
    profile: &'a Profile,
    client_ids: &'a [String],
    progress: &'a (dyn Fn(&BulkProgress) + Send + Sync),
    cancel: &'a Cancel,
    next: AtomicUsize,
    done: AtomicUsize,
    items: Mutex<Vec<Option<DeleteItem>>>,
}

impl DeleteRun<'_> {
    async fn work(&self) {
        loop {
            let i = self.next.fetch_add(1, Ordering::SeqCst);
            let Some(client_id) = self.client_ids.get(i) else {
                return;
            };
            if self.cancel.is_cancelled() {
                continue;
            }
            let item = self.registrar.delete_one(self.profile, client_id).await;
            let ok = item.error.is_none();
            self.items.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(item);
            let done = self.done.fetch_add(1, Ordering::SeqCst) + 1;
            (self.progress)(&BulkProgress {
                done,
                total: self.client_ids.len(),
                client_id: client_id.clone(),
                ok,
            });
        }
    }
}
