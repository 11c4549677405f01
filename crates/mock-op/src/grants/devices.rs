//! Device authorizations (RFC 8628): a device code the client polls with, a user code the user
//! types on the verification page, and the polling discipline (`slow_down` when polled faster
//! than `interval`, which then grows by five seconds, §3.5).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use rand::Rng;

use super::{key, Authorization, Key, SWEEP_AT};
use crate::{clock, secret};

/// RFC 8628 §6.1: consonants only (no vowels to spell words, no look-alike digits).
const USER_CODE_ALPHABET: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";
/// §3.5: each `slow_down` adds this to the interval.
const SLOW_DOWN_STEP: u64 = 5;

#[derive(Clone, Debug)]
enum State {
    Pending,
    Approved(Authorization),
    Denied,
    Spent,
}

#[derive(Debug)]
struct Entry {
    client_id: String,
    scope: String,
    resource: Vec<String>,
    user_code: String,
    expires_at: u64,
    interval: u64,
    last_poll: Option<Instant>,
    state: State,
}

/// A pending device authorization, as the verification page shows it.
#[derive(Clone, Debug)]
pub(crate) struct DeviceGrant {
    pub(crate) client_id: String,
    pub(crate) scope: String,
    /// RFC 8707 `resource` indicators of the device authorization request.
    pub(crate) resource: Vec<String>,
}

/// The answer to one poll.
#[derive(Debug)]
pub(crate) enum Poll {
    Granted(Authorization),
    Pending,
    SlowDown,
    Expired,
    Denied,
    Invalid,
    /// Approved, but the poll asked for a resource the authorization did not name (RFC 8707
    /// `invalid_target`); the approval waits for a poll that asks for less.
    OtherTarget(String),
}

#[derive(Debug, Default)]
struct Tables {
    by_device_code: HashMap<Key, Entry>,
    by_user_code: HashMap<String, Key>,
}

#[derive(Debug, Default)]
pub(crate) struct Devices {
    tables: Mutex<Tables>,
}

impl Devices {
    /// A new pending authorization: (device_code, user_code).
    pub(crate) fn start(
        &self,
        client_id: &str,
        scope: &str,
        resource: Vec<String>,
        ttl: u64,
        interval: u64,
    ) -> (String, String) {
        let device_code = secret::token(32);
        let mut tables = self.lock();
        if tables.by_device_code.len() >= SWEEP_AT {
            let now = clock::unix_seconds();
            tables.by_device_code.retain(|_, e| e.expires_at > now);
            let Tables {
                by_device_code,
                by_user_code,
            } = &mut *tables;
            by_user_code.retain(|_, k| by_device_code.contains_key(k));
        }
        let user_code = loop {
            let code = new_user_code();
            if !tables.by_user_code.contains_key(&code) {
                break code;
            }
        };
        let k = key(&device_code);
        tables.by_user_code.insert(user_code.clone(), k);
        tables.by_device_code.insert(
            k,
            Entry {
                client_id: client_id.to_owned(),
                scope: scope.to_owned(),
                resource,
                user_code: user_code.clone(),
                expires_at: clock::unix_seconds().saturating_add(ttl),
                interval,
                last_poll: None,
                state: State::Pending,
            },
        );
        (device_code, format_user_code(&user_code))
    }

    /// The pending, unexpired authorization a user code names.
    pub(crate) fn pending(&self, user_code: &str) -> Option<DeviceGrant> {
        let tables = self.lock();
        let entry = tables
            .by_device_code
            .get(tables.by_user_code.get(&normalize(user_code))?)?;
        (matches!(entry.state, State::Pending) && entry.expires_at > clock::unix_seconds()).then(|| DeviceGrant {
            client_id: entry.client_id.clone(),
            scope: entry.scope.clone(),
            resource: entry.resource.clone(),
        })
    }

    /// The user's decision on a pending authorization (`None`: denied). False if the user code
    /// names nothing pending.
    pub(crate) fn decide(&self, user_code: &str, approved: Option<Authorization>) -> bool {
        let now = clock::unix_seconds();
        let mut tables = self.lock();
        let Some(k) = tables.by_user_code.get(&normalize(user_code)).copied() else {
            return false;
        };
        let Some(entry) = tables.by_device_code.get_mut(&k) else {
            return false;
        };
        if !matches!(entry.state, State::Pending) || entry.expires_at <= now {
            return false;
        }
        entry.state = approved.map_or(State::Denied, State::Approved);
        true
    }

    /// One poll of the token endpoint by `client_id`, for `resource` (RFC 8707; empty: all
    /// the authorization named). `force_slow_down` is the injected fault.
    pub(crate) fn poll(
        &self,
        device_code: &str,
        client_id: &str,
        resource: Vec<String>,
        force_slow_down: bool,
    ) -> Poll {
        let now = Instant::now();
        let mut tables = self.lock();
        let Some(entry) = tables.by_device_code.get_mut(&key(device_code)) else {
            return Poll::Invalid;
        };
        if entry.client_id != client_id {
            return Poll::Invalid;
        }
        if entry.expires_at <= clock::unix_seconds() {
            return Poll::Expired;
        }
        let too_soon = entry
            .last_poll
            .is_some_and(|last| now.duration_since(last) < Duration::from_secs(entry.interval));
        entry.last_poll = Some(now);
        if too_soon {
            entry.interval += SLOW_DOWN_STEP;
            return Poll::SlowDown;
        }
        // The injected answer leaves the interval alone, so that once the fault is used up
        // the client's next poll gets the real state, not a slow_down of the fault's making.
        if force_slow_down {
            return Poll::SlowDown;
        }
        match std::mem::replace(&mut entry.state, State::Spent) {
            State::Pending => {
                entry.state = State::Pending;
                Poll::Pending
            }
            State::Approved(mut authorization) => {
                match crate::resource::narrow(&authorization.resource, resource) {
                    Ok(narrowed) => authorization.resource = narrowed,
                    Err(why) => {
                        entry.state = State::Approved(authorization);
                        return Poll::OtherTarget(why);
                    }
                }
                let user_code = entry.user_code.clone();
                tables.by_user_code.remove(&user_code);
                Poll::Granted(authorization)
            }
            State::Denied => Poll::Denied,
            State::Spent => Poll::Invalid,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Tables> {
        self.tables.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn new_user_code() -> String {
    let mut rng = rand::rng();
    (0..8)
        .map(|_| char::from(USER_CODE_ALPHABET[rng.random_range(0..USER_CODE_ALPHABET.len())]))
        .collect()
}

/// `BCDFGHJK` as users read it: `BCDF-GHJK`.
fn format_user_code(code: &str) -> String {
    let (a, b) = code.split_at(code.len() / 2);
    format!("{a}-{b}")
}

/// §6.1: what a user types is compared case-insensitively, without dashes or spaces.
fn normalize(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_codes_are_typed_loosely() {
        let devices = Devices::default();
        let (_, user_code) = devices.start("c", "openid", Vec::new(), 60, 5);
        assert_eq!(user_code.len(), 9);
        assert!(devices.pending(&user_code.to_lowercase().replace('-', " ")).is_some());
        // Vowels are never in a user code.
        assert!(devices.pending("AAAA-AAAA").is_none());
    }

    #[test]
    fn second_quick_poll_slows_down_and_denial_is_final() {
        let devices = Devices::default();
        let (device_code, user_code) = devices.start("c", "openid", Vec::new(), 60, 5);
        assert!(matches!(
            devices.poll(&device_code, "other", Vec::new(), false),
            Poll::Invalid
        ));
        assert!(matches!(
            devices.poll(&device_code, "c", Vec::new(), false),
            Poll::Pending
        ));
        assert!(matches!(
            devices.poll(&device_code, "c", Vec::new(), false),
            Poll::SlowDown
        ));
        assert!(devices.decide(&user_code, None));
        assert!(!devices.decide(&user_code, None));
    }
}
