//! Authorization codes (RFC 6749 §4.1.2): single-use, short-lived, bound to the client, the
//! redirect URI and the PKCE challenge. A spent code is remembered so that its reuse can
//! revoke what it bought (RFC 6749 §4.1.2: "SHOULD revoke").

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use super::{key, Authorization, Key, SWEEP_AT};
use crate::{clock, secret};

/// A code waiting to be exchanged.
#[derive(Clone, Debug)]
pub(crate) struct IssuedCode {
    pub(crate) authorization: Authorization,
    pub(crate) redirect_uri: String,
    /// Whether the authorization request named it (then the token request must too).
    pub(crate) redirect_uri_given: bool,
    /// The S256 challenge, if the request carried one.
    pub(crate) code_challenge: Option<String>,
    pub(crate) family: u64,
    pub(crate) expires_at: u64,
}

/// What presenting a code found.
#[derive(Debug)]
pub(crate) enum Redeem {
    Live(Box<IssuedCode>),
    /// Used before: the family it started must die.
    Reused(u64),
    Unknown,
}

#[derive(Debug, Default)]
struct Tables {
    live: HashMap<Key, IssuedCode>,
    spent: HashMap<Key, (u64, u64)>,
}

#[derive(Debug, Default)]
pub(crate) struct Codes {
    tables: Mutex<Tables>,
}

impl Codes {
    pub(crate) fn issue(&self, code: IssuedCode) -> String {
        let text = secret::token(32);
        let mut tables = self.lock();
        if tables.live.len() + tables.spent.len() >= SWEEP_AT {
            let now = clock::unix_seconds();
            tables.live.retain(|_, c| c.expires_at > now);
            tables.spent.retain(|_, (_, expires_at)| *expires_at > now);
        }
        tables.live.insert(key(&text), code);
        text
    }

    /// Takes the code: it never works again, whatever the caller decides next.
    pub(crate) fn redeem(&self, code: &str) -> Redeem {
        let k = key(code);
        let mut tables = self.lock();
        if let Some(&(family, _)) = tables.spent.get(&k) {
            return Redeem::Reused(family);
        }
        let Some(issued) = tables.live.remove(&k) else {
            return Redeem::Unknown;
        };
        // Reuse is worth detecting for as long as tokens bought with it may live.
        tables.spent.insert(k, (issued.family, issued.expires_at + 24 * 3600));
        if issued.expires_at <= clock::unix_seconds() {
            return Redeem::Unknown;
        }
        Redeem::Live(Box::new(issued))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Tables> {
        self.tables.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
