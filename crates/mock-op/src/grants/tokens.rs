//! Access and refresh tokens. Refresh tokens rotate: each use makes a new one and retires the
//! old; presenting a retired one is taken as theft (RFC 9700 §4.14.2) and kills the whole
//! family, as does revoking any refresh token of it (RFC 7009 §2.1).

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};

use super::{key, Authorization, Key, SWEEP_AT};
use crate::{clock, secret};

#[derive(Clone, Debug)]
struct Entry {
    authorization: Authorization,
    issued_at: u64,
    expires_at: u64,
    family: Option<u64>,
    revoked: bool,
    /// Refresh tokens only: already exchanged for a new one.
    rotated: bool,
}

/// A token as introspection and userinfo see it.
#[derive(Clone, Debug)]
pub(crate) struct Found {
    pub(crate) authorization: Authorization,
    pub(crate) issued_at: u64,
    pub(crate) expires_at: u64,
    pub(crate) refresh: bool,
}

/// What presenting a refresh token found.
#[derive(Debug)]
pub(crate) enum RefreshUse {
    /// Rotated: the caller issues the family's next tokens.
    Live(Authorization, u64),
    /// Unknown, expired, revoked, another client's, or a retired one (which revoked its family).
    Refused(&'static str),
    /// Asked for scope beyond what was granted; the token is left as it was.
    WiderScope,
    /// Asked for a resource that was not granted (RFC 8707 `invalid_target`); the token is
    /// left as it was.
    OtherTarget(String),
}

/// What a revocation request did.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Revocation {
    /// Revoked, or there was nothing to revoke.
    Done,
    /// The token belongs to another client.
    NotYours,
}

#[derive(Debug, Default)]
struct Tables {
    access: HashMap<Key, Entry>,
    refresh: HashMap<Key, Entry>,
    dead_families: HashSet<u64>,
}

impl Tables {
    fn sweep(&mut self) {
        if self.access.len() + self.refresh.len() < SWEEP_AT {
            return;
        }
        let now = clock::unix_seconds();
        self.access.retain(|_, e| e.expires_at > now);
        self.refresh.retain(|_, e| e.expires_at > now);
    }

    fn alive(&self, entry: &Entry, now: u64) -> bool {
        !entry.revoked && entry.expires_at > now && !entry.family.is_some_and(|f| self.dead_families.contains(&f))
    }
}

#[derive(Debug, Default)]
pub(crate) struct Tokens {
    tables: Mutex<Tables>,
}

impl Tokens {
    pub(crate) fn issue_access(&self, authorization: &Authorization, ttl: u64, family: Option<u64>) -> String {
        self.issue(authorization, ttl, family, false)
    }

    pub(crate) fn issue_refresh(&self, authorization: &Authorization, ttl: u64, family: u64) -> String {
        self.issue(authorization, ttl, Some(family), true)
    }

    fn issue(&self, authorization: &Authorization, ttl: u64, family: Option<u64>, refresh: bool) -> String {
        let text = secret::token(32);
        let now = clock::unix_seconds();
        let entry = Entry {
            authorization: authorization.clone(),
            issued_at: now,
            expires_at: now.saturating_add(ttl),
            family,
            revoked: false,
            rotated: false,
        };
        let mut tables = self.lock();
        tables.sweep();
        let table = if refresh {
            &mut tables.refresh
        } else {
            &mut tables.access
        };
        table.insert(key(&text), entry);
        text
    }

    /// A live token of either kind (access first).
    pub(crate) fn find(&self, token: &str) -> Option<Found> {
        let k = key(token);
        let now = clock::unix_seconds();
        let tables = self.lock();
        let (entry, refresh) = match tables.access.get(&k) {
            Some(entry) => (entry, false),
            None => (tables.refresh.get(&k)?, true),
        };
        (tables.alive(entry, now) && !entry.rotated).then(|| Found {
            authorization: entry.authorization.clone(),
            issued_at: entry.issued_at,
            expires_at: entry.expires_at,
            refresh,
        })
    }

    /// A live access token.
    pub(crate) fn access(&self, token: &str) -> Option<Found> {
        self.find(token).filter(|found| !found.refresh)
    }

    /// Exchanges a refresh token presented by `client_id` for `scope` (narrower, or all that
    /// was granted when `None`) and `resource` (RFC 8707: some of those granted, or all when
    /// empty), retiring it.
    pub(crate) fn use_refresh(
        &self,
        token: &str,
        client_id: &str,
        scope: Option<&str>,
        resource: Vec<String>,
    ) -> RefreshUse {
        let now = clock::unix_seconds();
        let mut tables = self.lock();
        let Some(entry) = tables.refresh.get(&key(token)).cloned() else {
            return RefreshUse::Refused("the refresh token is unknown");
        };
        if entry.authorization.client_id != client_id {
            return RefreshUse::Refused("the refresh token was issued to another client");
        }
        let family = entry.family.unwrap_or_default();
        if entry.rotated {
            tables.dead_families.insert(family);
            return RefreshUse::Refused("the refresh token was already used; its family is revoked (reuse detected)");
        }
        if !tables.alive(&entry, now) {
            return RefreshUse::Refused("the refresh token is expired or revoked");
        }
        let mut authorization = entry.authorization;
        if let Some(requested) = scope {
            let granted: Vec<&str> = authorization.scope.split_whitespace().collect();
            if requested.split_whitespace().any(|s| !granted.contains(&s)) {
                return RefreshUse::WiderScope;
            }
            authorization.scope = requested.split_whitespace().collect::<Vec<_>>().join(" ");
        }
        authorization.resource = match crate::resource::narrow(&authorization.resource, resource) {
            Ok(resource) => resource,
            Err(why) => return RefreshUse::OtherTarget(why),
        };
        if let Some(stored) = tables.refresh.get_mut(&key(token)) {
            stored.rotated = true;
        }
        RefreshUse::Live(authorization, family)
    }

    /// RFC 7009: revokes `token` if it is `client_id`'s; a refresh token takes its family.
    pub(crate) fn revoke(&self, token: &str, client_id: &str) -> Revocation {
        let k = key(token);
        let mut tables = self.lock();
        if let Some(entry) = tables.refresh.get(&k) {
            if entry.authorization.client_id != client_id {
                return Revocation::NotYours;
            }
            if let Some(family) = entry.family {
                tables.dead_families.insert(family);
            }
            return Revocation::Done;
        }
        if let Some(entry) = tables.access.get_mut(&k) {
            if entry.authorization.client_id != client_id {
                return Revocation::NotYours;
            }
            entry.revoked = true;
        }
        Revocation::Done
    }

    /// Kills everything issued in a family (a reused code).
    pub(crate) fn revoke_family(&self, family: u64) {
        self.lock().dead_families.insert(family);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Tables> {
        self.tables.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
