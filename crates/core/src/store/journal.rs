//! The `journal` table: an intent is written before a request leaves, and closed in the
//! same transaction that stores its result. What is still open after a crash is exactly
//! the set of operations whose effect on the provider is unknown.

use super::{now, Store};
use crate::error::Result;
use rusqlite::{params, Transaction};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum JournalState {
    /// Sent (or about to be); no result stored yet.
    Open,
    Done,
    /// Refused before any change (error status, nothing reached the provider).
    Failed,
    /// The provider may have applied it, but its answer was lost or unusable.
    Uncertain,
}

impl JournalState {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Done => "done",
            Self::Failed => "failed",
            Self::Uncertain => "uncertain",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "done" => Self::Done,
            "failed" => Self::Failed,
            "uncertain" => Self::Uncertain,
            _ => Self::Open,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct JournalEntry {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub profile_id: String,
    pub client_id: Option<String>,
    pub operation: String,
    pub state: JournalState,
    /// For register: the redacted metadata sent, to recognise the client later.
    pub detail: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub started_at: i64,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub finished_at: Option<i64>,
}

pub(crate) fn finish_in(
    tx: &Transaction<'_>,
    id: i64,
    state: JournalState,
    detail: Option<&str>,
) -> rusqlite::Result<usize> {
    tx.prepare_cached("UPDATE journal SET state = ?2, finished_at = ?3, detail = coalesce(?4, detail) WHERE id = ?1")?
        .execute(params![id, state.as_str(), now(), detail])
}

impl Store {
    pub fn journal_begin(
        &self,
        profile_id: &str,
        client_id: Option<&str>,
        operation: &str,
        detail: Option<&str>,
    ) -> Result<i64> {
        self.with(|c| {
            c.prepare_cached(
                "INSERT INTO journal (profile_id, client_id, operation, state, detail, started_at, pid)
                 VALUES (?1, ?2, ?3, 'open', ?4, ?5, ?6)",
            )?
            .execute(params![
                profile_id,
                client_id,
                operation,
                detail,
                now(),
                std::process::id()
            ])?;
            Ok(c.last_insert_rowid())
        })
    }

    pub fn journal_finish(&self, id: i64, state: JournalState, detail: Option<&str>) -> Result<()> {
        self.transaction(|tx| Ok(finish_in(tx, id, state, detail).map(drop)?))
    }

    /// Marks an operation's outcome unknown and, in the same transaction, its client
    /// pending recovery: a crash between the two must not leave a client looking fine.
    pub fn journal_uncertain(&self, id: i64, profile_id: &str, client_id: Option<&str>) -> Result<()> {
        self.transaction(|tx| {
            finish_in(tx, id, JournalState::Uncertain, None)?;
            if let Some(client_id) = client_id {
                tx.execute(
                    "UPDATE registrations SET status = 'pending_recovery', updated_at = ?3
                     WHERE profile_id = ?1 AND client_id = ?2",
                    params![profile_id, client_id, now()],
                )?;
            }
            Ok(())
        })
    }

    /// Open entries written by processes that are no longer running, with the ids of the
    /// processes: the operations a crash or a kill cut short.
    pub fn journal_abandoned(&self) -> Result<Vec<JournalEntry>> {
        let open: Vec<(JournalEntry, Option<u32>)> = self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT id, profile_id, client_id, operation, state, detail, started_at, finished_at, pid
                 FROM journal WHERE state = 'open' ORDER BY id",
            )?;
            let rows = stmt.query_map([], |r| Ok((entry(r)?, r.get::<_, Option<u32>>(8)?)))?;
            rows.collect()
        })?;
        Ok(open
            .into_iter()
            .filter(|(e, pid)| !process_alive(*pid, e.started_at))
            .map(|(e, _)| e)
            .collect())
    }

    /// Entries whose outcome is unknown: open (crashed mid-flight) or uncertain.
    pub fn journal_unresolved(&self) -> Result<Vec<JournalEntry>> {
        self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT id, profile_id, client_id, operation, state, detail, started_at, finished_at
                 FROM journal WHERE state IN ('open', 'uncertain') ORDER BY id",
            )?;
            let rows = stmt.query_map([], entry)?;
            rows.collect()
        })
    }
}

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<JournalEntry> {
    let state: String = r.get(4)?;
    Ok(JournalEntry {
        id: r.get(0)?,
        profile_id: r.get(1)?,
        client_id: r.get(2)?,
        operation: r.get(3)?,
        state: JournalState::parse(&state),
        detail: r.get(5)?,
        started_at: r.get(6)?,
        finished_at: r.get(7)?,
    })
}

/// Whether the process that wrote an entry may still be working on it. Where processes
/// cannot be looked up, an entry older than an hour is taken as abandoned.
fn process_alive(pid: Option<u32>, started_at: i64) -> bool {
    let proc_root = std::path::Path::new("/proc/self");
    match pid {
        Some(pid) if pid == std::process::id() => true,
        Some(pid) if proc_root.exists() => std::path::Path::new(&format!("/proc/{pid}")).exists(),
        _ => now() - started_at < 3600,
    }
}
