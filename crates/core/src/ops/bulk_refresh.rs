//! Refresh many registrations at once: bounded concurrency, a result per client, progress
//! through a callback, cancellable between clients. The per-client lock in `read` keeps
//! two calls on one client from racing with a rotating token.

use super::Registrar;
use crate::error::Result;
use crate::profile::{Operation, Profile};
use crate::store::registrations::RegistrationStatus;
use crate::ProfileId;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Cancels a bulk operation: clients not yet started are skipped; started ones finish.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A switch not yet thrown.
    pub fn new() -> Self {
        Self::default()
    }
    /// Throws the switch, for every clone of it.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    /// Whether [`Cancel::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Reported after each client of a bulk refresh, in the order they finish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct BulkProgress {
    /// Clients finished so far, this one included.
    pub done: usize,
    /// Clients in the run, skipped ones included.
    pub total: usize,
    /// The client just finished.
    pub client_id: String,
    /// Whether its refresh worked.
    pub ok: bool,
}

/// One client's result in a bulk refresh.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct BulkItem {
    /// The client's profile.
    pub profile_id: ProfileId,
    /// The client refreshed.
    pub client_id: String,
    /// None when it worked.
    pub error: Option<BulkError>,
    /// The read brought a new registration access token (already stored, unless `unstored`).
    pub rotated_token: bool,
    /// How many fields changed on the provider since the last known state; 0 on error.
    pub drift_fields: usize,
    /// A rotated token or new secret the keychain could not keep: show it, now or never.
    pub unstored: Option<super::UnstoredCredentials>,
}

/// Why one client's refresh failed, as a [`crate::ErrorView`] says it, without the fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct BulkError {
    /// The kind of failure.
    pub code: crate::ErrorCode,
    /// The failure in words.
    pub message: String,
}

/// What a bulk refresh did: a result per client started, and a count of those skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct BulkReport {
    /// One per client refreshed, in the order they finished.
    pub items: Vec<BulkItem>,
    /// Clients skipped because the run was cancelled.
    pub skipped: usize,
}

impl BulkReport {
    /// How many clients failed.
    pub fn failed(&self) -> usize {
        self.items.iter().filter(|i| i.error.is_some()).count()
    }

    /// Every credential the keychain could not keep during the run.
    pub fn unstored(&self) -> Vec<super::UnstoredCredentials> {
        self.items.iter().filter_map(|i| i.unstored.clone()).collect()
    }
}

impl Registrar {
    /// The active registrations a bulk refresh covers: of one profile, or of all, where
    /// the provider can read.
    pub fn refresh_targets(&self, profile: Option<&str>) -> Result<Vec<(ProfileId, String)>> {
        let profiles = match profile {
            Some(p) => vec![self.store.profile(p)?],
            None => self.store.list_profiles()?,
        };
        let mut targets = Vec::new();
        for p in profiles
            .iter()
            .filter(|p| p.settings.operations.offers(Operation::Read))
        {
            for reg in self.store.list_registrations(&p.id)? {
                if reg.status != RegistrationStatus::Deleted {
                    targets.push((p.id.clone(), reg.client_id));
                }
            }
        }
        Ok(targets)
    }

    /// Reads every (profile id, client id) in `targets`, `concurrency` at a time.
    pub async fn refresh_many(
        &self,
        targets: &[(ProfileId, String)],
        concurrency: usize,
        progress: &(dyn Fn(&BulkProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<BulkReport> {
        let mut profiles: HashMap<ProfileId, Profile> = HashMap::new();
        for (profile_id, _) in targets {
            if !profiles.contains_key(profile_id) {
                profiles.insert(profile_id.clone(), self.store.profile(profile_id)?);
            }
        }
        let run = BulkRun {
            registrar: self,
            targets,
            profiles: &profiles,
            progress,
            cancel,
            next: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            skipped: AtomicUsize::new(0),
            items: Mutex::new(Vec::with_capacity(targets.len())),
        };
        let workers = concurrency.clamp(1, targets.len().max(1));
        futures_util::future::join_all((0..workers).map(|_| run.work())).await;
        Ok(BulkReport {
            items: run.items.into_inner().unwrap_or_else(|e| e.into_inner()),
            skipped: run.skipped.into_inner(),
        })
    }
}

/// One bulk run: workers take the next target until none is left. (Workers over a shared
/// index rather than stream combinators: the closures those need make the caller's
/// future fail the compiler's higher-ranked `Send` check.)
struct BulkRun<'a> {
    registrar: &'a Registrar,
    targets: &'a [(ProfileId, String)],
    profiles: &'a HashMap<ProfileId, Profile>,
    progress: &'a (dyn Fn(&BulkProgress) + Send + Sync),
    cancel: &'a Cancel,
    next: AtomicUsize,
    done: AtomicUsize,
    skipped: AtomicUsize,
    items: Mutex<Vec<BulkItem>>,
}

impl BulkRun<'_> {
    async fn work(&self) {
        loop {
            let i = self.next.fetch_add(1, Ordering::SeqCst);
            let Some((profile_id, client_id)) = self.targets.get(i) else {
                return;
            };
            if self.cancel.is_cancelled() {
                self.skipped.fetch_add(1, Ordering::SeqCst);
                continue;
            }
            let result = self.registrar.read_with(&self.profiles[profile_id], client_id).await;
            let item = BulkItem {
                profile_id: profile_id.clone(),
                client_id: client_id.clone(),
                rotated_token: result.as_ref().is_ok_and(|o| o.rotated_registration_access_token),
                unstored: result.as_ref().ok().and_then(|o| o.unstored(profile_id)),
                drift_fields: result.as_ref().map(|o| o.drift.changes.len()).unwrap_or(0),
                error: result.err().map(|e| BulkError {
                    code: e.code(),
                    message: e.to_string(),
                }),
            };
            let ok = item.error.is_none();
            self.items.lock().unwrap_or_else(|e| e.into_inner()).push(item);
            let done = self.done.fetch_add(1, Ordering::SeqCst) + 1;
            (self.progress)(&BulkProgress {
                done,
                total: self.targets.len(),
                client_id: client_id.clone(),
                ok,
            });
        }
    }
}
