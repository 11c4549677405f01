//! Refresh many registrations at once: bounded concurrency, a result per client, progress
//! through a callback, cancellable between clients. The per-client lock in `read` keeps
//! two calls on one client from racing with a rotating token.

use super::Registrar;
use crate::error::Result;
use crate::profile::{Operation, Profile};
use crate::store::registrations::RegistrationStatus;
use futures_util::stream::{self, StreamExt};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// Cancels a bulk operation: clients not yet started are skipped; started ones finish.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkProgress {
    pub done: usize,
    pub total: usize,
    pub client_id: String,
    pub ok: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkItem {
    pub profile_id: String,
    pub client_id: String,
    /// None when it worked.
    pub error: Option<BulkError>,
    pub rotated_token: bool,
    pub drift_fields: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkError {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkReport {
    pub items: Vec<BulkItem>,
    /// Clients skipped because the run was cancelled.
    pub skipped: usize,
}

impl BulkReport {
    pub fn failed(&self) -> usize {
        self.items.iter().filter(|i| i.error.is_some()).count()
    }
}

impl Registrar {
    /// The active registrations a bulk refresh covers: of one profile, or of all, where
    /// the provider can read.
    pub fn refresh_targets(&self, profile: Option<&str>) -> Result<Vec<(String, String)>> {
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
        targets: &[(String, String)],
        concurrency: usize,
        progress: &(dyn Fn(&BulkProgress) + Send + Sync),
        cancel: &Cancel,
    ) -> Result<BulkReport> {
        let mut profiles: HashMap<String, Profile> = HashMap::new();
        for (profile_id, _) in targets {
            if !profiles.contains_key(profile_id) {
                profiles.insert(profile_id.clone(), self.store.profile(profile_id)?);
            }
        }
        let total = targets.len();
        let done = AtomicUsize::new(0);
        let skipped = AtomicUsize::new(0);
        let items: Vec<Option<BulkItem>> = stream::iter(targets.iter())
            .map(|(profile_id, client_id)| {
                let profile = &profiles[profile_id];
                let (done, skipped) = (&done, &skipped);
                async move {
                    if cancel.is_cancelled() {
                        skipped.fetch_add(1, Ordering::SeqCst);
                        return None;
                    }
                    let result = self.read_with(profile, client_id).await;
                    let item = BulkItem {
                        profile_id: profile_id.clone(),
                        client_id: client_id.clone(),
                        rotated_token: result.as_ref().is_ok_and(|o| o.rotated_registration_access_token),
                        drift_fields: result.as_ref().map(|o| o.drift.changes.len()).unwrap_or(0),
                        error: result.err().map(|e| BulkError {
                            code: e.code().to_string(),
                            message: e.to_string(),
                        }),
                    };
                    let n = done.fetch_add(1, Ordering::SeqCst) + 1;
                    progress(&BulkProgress {
                        done: n,
                        total,
                        client_id: client_id.clone(),
                        ok: item.error.is_none(),
                    });
                    Some(item)
                }
            })
            .buffer_unordered(concurrency.max(1))
            .collect()
            .await;
        Ok(BulkReport {
            items: items.into_iter().flatten().collect(),
            skipped: skipped.into_inner(),
        })
    }
}
