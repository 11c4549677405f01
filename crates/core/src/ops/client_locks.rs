//! One call at a time per client: a provider that rotates the registration access token
//! on every call would otherwise see two calls race with the same, soon stale, token.

use crate::ProfileId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

/// (profile id, client id) to that client's lock.
type LockMap = HashMap<(String, String), Arc<AsyncMutex<()>>>;

#[derive(Debug, Default)]
pub(crate) struct ClientLocks {
    locks: Mutex<LockMap>,
}

impl ClientLocks {
    pub(crate) async fn lock(&self, profile_id: &ProfileId, client_id: &str) -> OwnedMutexGuard<()> {
        let lock = {
            let mut map = self.locks.lock().unwrap_or_else(|e| e.into_inner());
            // Drop entries nobody holds, so the map stays as small as the work in flight.
            map.retain(|_, l| Arc::strong_count(l) > 1);
            map.entry((profile_id.to_string(), client_id.to_string()))
                .or_default()
                .clone()
        };
        lock.lock_owned().await
    }
}
