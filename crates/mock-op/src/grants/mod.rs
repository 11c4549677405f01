//! What the authorization server remembers between requests: authorization codes, access and
//! refresh tokens, and device authorizations. Tokens are kept under their SHA-256, so lookups
//! never compare the secrets themselves and the tables hold no usable token.
//!
//! Times are Unix seconds and a thing is dead once `now >= expires_at`, so a lifetime of zero
//! (see [`crate::Timing`]) makes codes and tokens born expired: tests see expiry without
//! waiting.

mod codes;
mod devices;
mod tokens;

use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

pub(crate) use codes::{Codes, IssuedCode, Redeem};
pub(crate) use devices::{Devices, Poll};
pub(crate) use tokens::{RefreshUse, Revocation, Tokens};

/// What was granted, by whom, to which client: carried from the code (or the device
/// approval) into every token issued from it.
#[derive(Clone, Debug)]
pub(crate) struct Authorization {
    pub(crate) client_id: String,
    pub(crate) scope: String,
    /// RFC 8707: the resources the tokens are meant for (their audience); empty when the
    /// requests named none.
    pub(crate) resource: Vec<String>,
    /// The user; `None` for `client_credentials`.
    pub(crate) sub: Option<String>,
    pub(crate) auth_time: Option<u64>,
    pub(crate) nonce: Option<String>,
    pub(crate) acr: Option<String>,
    /// RFC 8705 §3: the `x5t#S256` of the client certificate the tokens are bound to (set
    /// when they are issued over mutual TLS).
    pub(crate) cnf: Option<String>,
}

/// The authorization server's memory of one mock.
#[derive(Debug, Default)]
pub(crate) struct Grants {
    pub(crate) codes: Codes,
    pub(crate) tokens: Tokens,
    pub(crate) devices: Devices,
    next_family: AtomicU64,
}

impl Grants {
    /// A new token family: everything issued from one code or one device approval, revoked
    /// together.
    pub(crate) fn new_family(&self) -> u64 {
        self.next_family.fetch_add(1, Ordering::Relaxed)
    }
}

/// The table key of a token.
pub(crate) type Key = [u8; 32];

pub(crate) fn key(token: &str) -> Key {
    Sha256::digest(token.as_bytes()).into()
}

/// How many entries a table may hold before dead ones are swept.
const SWEEP_AT: usize = 4096;
