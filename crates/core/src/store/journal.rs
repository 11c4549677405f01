//! The `journal` table: an intent is written before a request leaves, and closed in the
//! same transaction that stores its result. What is still open after a crash is exactly
//! the set of operations whose effect on the provider is unknown.

use super::{now, Store};
use crate::error::Result;
use crate::ProfileId;
use rusqlite::{params, Transaction};
use serde::{Deserialize, Serialize};

/// Where a journalled operation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum JournalState {
    /// Sent (or about to be); no result stored yet.
    Open,
    /// Finished, its result stored in the same transaction.
    Done,
    /// Refused before any change (error status, nothing reached the provider).
    Failed,
    /// The provider may have applied it, but its answer was lost or unusable.
    Uncertain,
}

impl JournalState {
    /// The state as stored and serialised (`"uncertain"`).
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

/// One operation's intent, journalled before its request left.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct JournalEntry {
    /// The entry's id; increases with time.
    pub id: i64,
    /// The profile the operation went through.
    pub profile_id: ProfileId,
    /// The client it is about; `None` for a registration, whose client had no id yet.
    pub client_id: Option<String>,
    /// `register`, `read`, `update` or `delete`.
    pub operation: String,
    /// Where it stands.
    pub state: JournalState,
    /// For register: the redacted metadata sent, to recognise the client later.
    pub detail: Option<String>,
    /// When it was journalled, in seconds since the Unix epoch.
    pub started_at: i64,
    /// When it was closed, in seconds since the Unix epoch; `None` while open.
    pub finished_at: Option<i64>,
}

/// An operation's journal entry while the operation runs: closed exactly once, as failed
/// (nothing changed), uncertain (the provider may have acted) or by the transaction that
/// stores the result ([`OpenEntry::closed_by`]). An entry an early return leaves unclosed is
/// closed as uncertain when dropped, as a crash's would be at the next start: from the
/// moment it was opened, the request may have left.
#[must_use = "an operation's journal entry must be closed: failed, uncertain or closed_by"]
#[derive(Debug)]
pub(crate) struct OpenEntry<'s> {
    store: &'s Store,
    id: i64,
    profile_id: ProfileId,
    client_id: Option<String>,
    /// Atomic only so the operation's future stays `Send`: one task owns the entry.
    closed: std::sync::atomic::AtomicBool,
}

impl OpenEntry<'_> {
    pub(crate) fn failed(&self) -> Result<()> {
        self.closed.store(true, std::sync::atomic::Ordering::SeqCst);
        self.store.journal_finish(self.id, JournalState::Failed, None)
    }

    /// Closes the entry as uncertain and flags its client (if it has one) for recovery.
    pub(crate) fn uncertain(&self) -> Result<()> {
        self.closed.store(true, std::sync::atomic::Ordering::SeqCst);
        self.store
            .journal_uncertain(self.id, &self.profile_id, self.client_id.as_deref())
    }

    pub(crate) fn done(&self) -> Result<()> {
        self.closed.store(true, std::sync::atomic::Ordering::SeqCst);
        self.store.journal_finish(self.id, JournalState::Done, None)
    }

    /// Runs the store call that records the result and closes the entry (by its id) in one
    /// transaction; the entry counts as closed only if that succeeded.
    pub(crate) fn closed_by<T>(&self, record: impl FnOnce(i64) -> Result<T>) -> Result<T> {
        let result = record(self.id);
        if result.is_ok() {
            self.closed.store(true, std::sync::atomic::Ordering::SeqCst);
        }
        result
    }
}

impl Drop for OpenEntry<'_> {
    fn drop(&mut self) {
        if !self.closed.load(std::sync::atomic::Ordering::SeqCst) {
            if let Err(e) = self.uncertain() {
                tracing::warn!(journal = self.id, error = %e, "an unclosed journal entry could not be marked uncertain");
            }
        }
    }
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
    /// Journals an operation's intent before its request leaves.
    pub(crate) fn journal_open(
        &self,
        profile_id: &ProfileId,
        client_id: Option<&str>,
        operation: &str,
        detail: Option<&str>,
    ) -> Result<OpenEntry<'_>> {
        let id = self.journal_begin(profile_id, client_id, operation, detail)?;
        Ok(OpenEntry {
            store: self,
            id,
            profile_id: profile_id.clone(),
            client_id: client_id.map(str::to_string),
            closed: std::sync::atomic::AtomicBool::new(false),
        })
    }

    pub(crate) fn journal_begin(
        &self,
        profile_id: &ProfileId,
        client_id: Option<&str>,
        operation: &str,
        detail: Option<&str>,
    ) -> Result<i64> {
        self.with(|c| {
            c.prepare_cached(
                "INSERT INTO journal (profile_id, client_id, operation, state, detail, started_at, pid, process)
                 VALUES (?1, ?2, ?3, 'open', ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                profile_id,
                client_id,
                operation,
                detail,
                now(),
                std::process::id(),
                process_identity(std::process::id())
            ])?;
            Ok(c.last_insert_rowid())
        })
    }

    pub(crate) fn journal_finish(&self, id: i64, state: JournalState, detail: Option<&str>) -> Result<()> {
        self.transaction(|tx| Ok(finish_in(tx, id, state, detail).map(drop)?))
    }

    /// Marks an operation's outcome unknown and, in the same transaction, its client
    /// pending recovery: a crash between the two must not leave a client looking fine.
    pub(crate) fn journal_uncertain(&self, id: i64, profile_id: &ProfileId, client_id: Option<&str>) -> Result<()> {
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
    pub(crate) fn journal_abandoned(&self) -> Result<Vec<JournalEntry>> {
        type Writer = (Option<u32>, Option<String>);
        let open: Vec<(JournalEntry, Writer)> = self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT id, profile_id, client_id, operation, state, detail, started_at, finished_at, pid, process
                 FROM journal WHERE state = 'open' ORDER BY id",
            )?;
            let rows = stmt.query_map([], |r| Ok((entry(r)?, (r.get(8)?, r.get(9)?))))?;
            rows.collect()
        })?;
        Ok(open
            .into_iter()
            .filter(|(e, (pid, process))| !process_alive(*pid, process.as_deref(), e.started_at))
            .map(|(e, _)| e)
            .collect())
    }

    /// Entries whose outcome is unknown: open (crashed mid-flight) or uncertain.
    pub(crate) fn journal_unresolved(&self) -> Result<Vec<JournalEntry>> {
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

/// Whether the process that wrote an entry may still be working on it: a process with its
/// pid that is the same process (same boot, same start time). Entries written before the
/// identity was kept fall back to the pid alone; where processes cannot be looked up, an
/// entry older than an hour is taken as abandoned.
fn process_alive(pid: Option<u32>, identity: Option<&str>, started_at: i64) -> bool {
    match (pid, identity) {
        (Some(pid), Some(identity)) => process_identity(pid).as_deref() == Some(identity),
        (Some(pid), None) if pid == std::process::id() => true,
        (Some(pid), None) if std::path::Path::new("/proc/self").exists() => {
            std::path::Path::new(&format!("/proc/{pid}")).exists()
        }
        _ => now() - started_at < 3600,
    }
}

/// `boot id:start time` of process `pid` (Linux: the kernel's boot id, and the start time
/// in clock ticks since boot from `/proc/PID/stat`), or `None` where that cannot be read.
fn process_identity(pid: u32) -> Option<String> {
    let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces and parentheses: fields after it start
    // after the last ')'; the start time is field 22, the 20th after the name.
    let after_name = stat.rsplit_once(')')?.1;
    let start_time = after_name.split_whitespace().nth(19)?;
    Some(format!("{}:{start_time}", boot.trim()))
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    fn open_entry(store: &Store, pid: u32, process: Option<&str>) -> i64 {
        let id = store
            .journal_begin(&ProfileId::from("p"), None, "register", None)
            .unwrap();
        store
            .with(|c| {
                c.execute(
                    "UPDATE journal SET pid = ?1, process = ?2 WHERE id = ?3",
                    params![pid, process, id],
                )
            })
            .unwrap();
        id
    }

    fn state_of(store: &Store, id: i64) -> JournalState {
        let state: String = store
            .with(|c| c.query_row("SELECT state FROM journal WHERE id = ?1", [id], |r| r.get(0)))
            .unwrap();
        JournalState::parse(&state)
    }

    /// An operation that returns early (an error from `?`, a cancelled future) leaves no
    /// entry open looking alive: the guard closes it as uncertain; one closed stays as closed.
    #[test]
    fn an_entry_left_unclosed_becomes_uncertain() {
        let store = Store::open_in_memory().unwrap();
        let (left, failed, recorded) = {
            let left = store
                .journal_open(&ProfileId::from("p"), None, "register", None)
                .unwrap();
            let failed = store
                .journal_open(&ProfileId::from("p"), None, "register", None)
                .unwrap();
            failed.failed().unwrap();
            let recorded = store
                .journal_open(&ProfileId::from("p"), None, "register", None)
                .unwrap();
            recorded
                .closed_by(|id| store.journal_finish(id, JournalState::Done, None))
                .unwrap();
            let refused = store
                .journal_open(&ProfileId::from("p"), None, "register", None)
                .unwrap();
            let _ = refused.closed_by(|_| -> Result<()> { Err(crate::Error::Storage("disk full".into())) });
            (left.id, failed.id, recorded.id)
        };
        assert_eq!(state_of(&store, left), JournalState::Uncertain);
        assert_eq!(state_of(&store, failed), JournalState::Failed);
        assert_eq!(state_of(&store, recorded), JournalState::Done);
        assert_eq!(
            state_of(&store, recorded + 1),
            JournalState::Uncertain,
            "a failed record closes nothing"
        );
    }

    /// Review item 5: a pid reused by another process (after a reboot, say) does not hide an
    /// abandoned entry.
    #[test]
    fn a_reused_pid_does_not_keep_an_entry_alive() {
        let store = Store::open_in_memory().unwrap();
        let me = std::process::id();
        let mine = open_entry(&store, me, process_identity(me).as_deref());
        let reused = open_entry(&store, me, Some("another-boot:12345"));
        let abandoned: Vec<i64> = store.journal_abandoned().unwrap().iter().map(|e| e.id).collect();
        assert_eq!(abandoned, vec![reused], "mine ({mine}) is alive; the namesake is not");
        assert!(process_identity(me).is_some_and(|i| i.contains(':')));
    }
}
