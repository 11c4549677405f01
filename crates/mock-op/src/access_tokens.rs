//! Access tokens the token endpoint issued, remembered only where a dialect checks them later
//! (SimpleIdServer's registration token). Keyed by a keyed hash so lookups stay constant-time
//! on the secret itself; expired entries are swept as the map grows.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::secret;

const FIRST_SWEEP_AT: usize = 4096;

#[derive(Debug)]
struct Issued {
    token: String,
    scope: String,
    expires: Instant,
}

#[derive(Debug)]
struct Inner {
    by_hash: HashMap<u64, Issued>,
    sweep_at: usize,
}

/// The live access tokens of one mock.
#[derive(Debug)]
pub(crate) struct AccessTokens {
    hasher: RandomState,
    inner: Mutex<Inner>,
}

impl AccessTokens {
    pub(crate) fn new() -> Self {
        AccessTokens {
            hasher: RandomState::new(),
            inner: Mutex::new(Inner {
                by_hash: HashMap::new(),
                sweep_at: FIRST_SWEEP_AT,
            }),
        }
    }

    pub(crate) fn remember(&self, token: &str, scope: &str, ttl: Duration) {
        let now = Instant::now();
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if inner.by_hash.len() >= inner.sweep_at {
            inner.by_hash.retain(|_, issued| issued.expires > now);
            inner.sweep_at = (inner.by_hash.len() * 2).max(FIRST_SWEEP_AT);
        }
        inner.by_hash.insert(
            self.hasher.hash_one(token),
            Issued {
                token: token.to_owned(),
                scope: scope.to_owned(),
                expires: now + ttl,
            },
        );
    }

    /// The scope of a live token, or `None` if it is unknown or expired.
    pub(crate) fn scope_of(&self, token: &str) -> Option<String> {
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let issued = inner.by_hash.get(&self.hasher.hash_one(token))?;
        (secret::same(token, &issued.token) && issued.expires > Instant::now()).then(|| issued.scope.clone())
    }
}
