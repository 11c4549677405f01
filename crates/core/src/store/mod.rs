//! Local state in SQLite: one file that the desktop app and the CLI may hold open at the
//! same time (WAL, a busy timeout), migrated by embedded, append-only SQL files. One
//! module per table, each with its row type and its queries.

pub(crate) mod custody;
pub mod exchanges;
mod fold;
pub mod journal;
pub mod profiles;
pub mod registrations;
pub mod search;

use crate::error::{Error, Result};
use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// Never edit a migration that has shipped: add a new file.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/0001_init.sql")),
        M::up(include_str!("migrations/0002_search_and_drift.sql")),
        M::up(include_str!("migrations/0003_journal_pid.sql")),
        M::up(include_str!("migrations/0004_fts_update_on_change.sql")),
        M::up(include_str!("migrations/0005_list_indexes.sql")),
        M::up(include_str!("migrations/0006_journal_process.sql")),
        M::up(include_str!("migrations/0007_custody.sql")),
        M::up(include_str!("migrations/0008_exchanges_by_profile.sql")),
        M::up(include_str!("migrations/0009_list_sort_indexes.sql")),
    ])
}

/// The SQLite database. Opaque outside the core: a shell or a test opens one and hands it
/// to [`Registrar`](crate::Registrar); every read and write then goes through the engine's
/// operations, so no shell can bypass the journal or the rules on what is stored.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens (creating if needed, in a directory only the user can read) and migrates the
    /// database at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::private_files::create_private_dir(dir)
                .map_err(|e| Error::Storage(format!("cannot create {}: {e}", dir.display())))?;
        }
        // Created private before SQLite opens it: SQLite gives its -wal and -shm files the
        // database file's mode.
        if !path.exists() {
            crate::private_files::write_private(path, b"")
                .map_err(|e| Error::Storage(format!("cannot create {}: {e}", path.display())))?;
        }
        crate::private_files::make_private(path)
            .map_err(|e| Error::Storage(format!("cannot protect {}: {e}", path.display())))?;
        let conn =
            Connection::open(path).map_err(|e| Error::Storage(format!("cannot open {}: {e}", path.display())))?;
        // The last connection to close would copy the write-ahead log into the database
        // and sync both: 2 ms of every CLI command (docs/benchmarks.md), for a durability
        // the log already has. With synchronous=NORMAL a commit is safe from a crash of
        // the process at once, and from a power cut once a checkpoint has run, whether
        // the process exits or not; SQLite's automatic checkpoint (every 1,000 pages of
        // log) runs as before, in whichever process commits then.
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        Self::prepare(conn)
    }

    /// A migrated database in memory, gone when dropped: for tests and benchmarks.
    pub fn open_in_memory() -> Result<Self> {
        Self::prepare(Connection::open_in_memory()?)
    }

    fn prepare(mut conn: Connection) -> Result<Self> {
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Statements are prepared once per connection (`prepare_cached`): compiling SQL, and
        // with it the search-index triggers of an UPDATE, cost more than running it.
        conn.set_prepared_statement_cache_capacity(64);
        search::register_functions(&conn)?;
        migrations().to_latest(&mut conn)?;
        Ok(Self { conn: Mutex::new(conn) })
    }

    /// Runs `f` on the connection. Never call across an `.await`: the lock is a std mutex.
    pub(crate) fn with<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T> {
        Ok(f(&self.lock())?)
    }

    /// As [`Store::with`], keeping SQLite's own error so a caller can tell its codes apart.
    pub(crate) fn conn_execute<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> rusqlite::Result<T> {
        f(&self.lock())
    }

    /// Runs `f` in one immediate transaction, so another process never sees half of it.
    pub(crate) fn transaction<T>(&self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// As [`Store::transaction`], committed only when `f` returns `Some`; rolled back, with
    /// nothing kept, on `None`.
    pub(crate) fn transaction_if<T>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<Option<T>>,
    ) -> Result<Option<T>> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        if value.is_some() {
            tx.commit()?;
        }
        Ok(value)
    }

    /// Copies the write-ahead log back into the database as far as no reader still needs
    /// it (SQLite's PASSIVE checkpoint: it never waits), syncing both; the next write then
    /// starts the log afresh. A failure is left: the automatic checkpoint still runs.
    pub(crate) fn checkpoint(&self) {
        if let Err(e) = self.with(|c| c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))) {
            tracing::debug!(error = %e, "a passive checkpoint did not run");
        }
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Seconds since the Unix epoch.
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod fts_tests;
#[cfg(test)]
mod storing_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }
}
