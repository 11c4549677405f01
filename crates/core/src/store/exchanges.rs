//! The `exchanges` table: the HTTP history, already redacted by the caller, capped so it
//! cannot grow without bound.

use super::Store;
use crate::error::Result;
use crate::ProfileId;
use rusqlite::params;
use serde::{Deserialize, Serialize};

/// How many exchanges are kept; older ones are dropped.
pub const HISTORY_LIMIT: i64 = 20_000;

/// One HTTP exchange with a provider, as the history keeps it: redacted before it is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Exchange {
    /// The row's id; increases with time.
    pub id: i64,
    /// When it was sent, in seconds since the Unix epoch.
    pub at: i64,
    /// The profile it was for; `None` for discovery of a new provider.
    pub profile_id: Option<ProfileId>,
    /// The client it was about, when it was about one.
    pub client_id: Option<String>,
    /// What Registrar was doing: `register`, `read`, `update`, `delete`, `list`, `probe`,
    /// `token`, `try` or `discover`.
    pub operation: String,
    /// The HTTP method.
    pub method: String,
    /// The URL, known secrets masked.
    pub url: String,
    /// The answer's HTTP status; `None` when the transport failed (no answer, a redirect,
    /// an answer too large).
    pub status: Option<u16>,
    /// From sending to the whole answer (or the failure), in milliseconds.
    pub duration_ms: u64,
    /// The request's headers, credentials masked (the Authorization scheme is kept).
    pub request_headers: Vec<(String, String)>,
    /// The request's body as text, secrets masked; `None` when it had none.
    pub request_body: Option<String>,
    /// The answer's headers, credentials masked; empty when no answer came.
    pub response_headers: Vec<(String, String)>,
    /// The answer's body as text, secrets masked; `None` when empty or when no answer came.
    pub response_body: Option<String>,
    /// Set when no usable answer came back (network, TLS, truncated body).
    pub error: Option<String>,
}

/// Which exchanges to list; every field left `None` lists all.
#[derive(Debug, Clone, Default)]
pub struct HistoryFilter {
    /// Only this profile's.
    pub profile_id: Option<ProfileId>,
    /// Only those about this client.
    pub client_id: Option<String>,
    /// At most this many, newest first: 200 when `None`, never more than 10,000.
    pub limit: Option<u32>,
}

/// A profile's newest exchange: when, and its status or why none came.
pub(crate) struct LastExchange {
    pub profile_id: ProfileId,
    pub at: i64,
    pub status: Option<u16>,
    pub error: Option<String>,
}

impl Store {
    pub(crate) fn insert_exchange(&self, e: &Exchange) -> Result<i64> {
        let req_headers = serde_json::to_string(&e.request_headers).unwrap_or_default();
        let resp_headers = serde_json::to_string(&e.response_headers).unwrap_or_default();
        self.with(|c| {
            c.prepare_cached(
                "INSERT INTO exchanges (at, profile_id, client_id, operation, method, url, status, duration_ms,
                    request_headers, request_body, response_headers, response_body, error)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?
            .execute(params![
                e.at,
                e.profile_id,
                e.client_id,
                e.operation,
                e.method,
                e.url,
                e.status,
                e.duration_ms as i64,
                req_headers,
                e.request_body,
                resp_headers,
                e.response_body,
                e.error
            ])?;
            let id = c.last_insert_rowid();
            // Trim in batches rather than on every insert.
            if id % 500 == 0 {
                c.execute("DELETE FROM exchanges WHERE id <= ?1", [id - HISTORY_LIMIT])?;
            }
            Ok(id)
        })
    }

    /// The newest exchange of each profile that has one.
    pub(crate) fn last_exchange_per_profile(&self) -> Result<Vec<LastExchange>> {
        self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT e.profile_id, e.at, e.status, e.error FROM exchanges e
                 JOIN (SELECT profile_id, max(id) AS id FROM exchanges WHERE profile_id IS NOT NULL GROUP BY profile_id) n
                   ON e.id = n.id",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(LastExchange {
                    profile_id: r.get(0)?,
                    at: r.get(1)?,
                    status: r.get(2)?,
                    error: r.get(3)?,
                })
            })?;
            rows.collect()
        })
    }

    /// Newest first.
    pub(crate) fn history(&self, filter: &HistoryFilter) -> Result<Vec<Exchange>> {
        let limit = filter.limit.unwrap_or(200).min(10_000);
        self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT id, at, profile_id, client_id, operation, method, url, status, duration_ms,
                        request_headers, request_body, response_headers, response_body, error
                 FROM exchanges
                 WHERE (?1 IS NULL OR profile_id = ?1) AND (?2 IS NULL OR client_id = ?2)
                 ORDER BY id DESC LIMIT ?3",
            )?;
            let rows = stmt.query_map(params![filter.profile_id, filter.client_id, limit], |r| {
                let req_h: String = r.get(9)?;
                let resp_h: Option<String> = r.get(11)?;
                Ok(Exchange {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    profile_id: r.get(2)?,
                    client_id: r.get(3)?,
                    operation: r.get(4)?,
                    method: r.get(5)?,
                    url: r.get(6)?,
                    status: r.get(7)?,
                    duration_ms: r.get::<_, i64>(8)? as u64,
                    request_headers: serde_json::from_str(&req_h).unwrap_or_default(),
                    request_body: r.get(10)?,
                    response_headers: resp_h.and_then(|h| serde_json::from_str(&h).ok()).unwrap_or_default(),
                    response_body: r.get(12)?,
                    error: r.get(13)?,
                })
            })?;
            rows.collect()
        })
    }
}

/// Names the client an exchange was about, once it is known (a registration's, in the
/// transaction that records the client).
pub(crate) fn attribute_in(tx: &rusqlite::Transaction<'_>, id: i64, client_id: &str) -> rusqlite::Result<usize> {
    tx.prepare_cached("UPDATE exchanges SET client_id = ?2 WHERE id = ?1")?
        .execute(params![id, client_id])
}
