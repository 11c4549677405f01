//! The `registrations` table: what Registrar knows of each client on each provider.

use super::{now, Store};
use crate::error::{Error, Result};
use crate::metadata::ClientMetadata;
use crate::ProfileId;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError};
use std::time::Duration;

/// How long a new registration's record keeps its transaction open for the keychain to
/// store the client's credentials ([`Store::insert_registration`]): a few
/// milliseconds is usual, a prompt takes seconds.
const STORING_PATIENCE: Duration = Duration::from_millis(100);

/// What Registrar knows of one client on one provider: its last known metadata, never its
/// secrets (those are in the keychain).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Registration {
    /// The local row id.
    pub id: i64,
    /// The profile it was registered or adopted through.
    pub profile_id: ProfileId,
    /// The id the provider issued (RFC 7591 §3.2.1); unique within the profile.
    pub client_id: String,
    /// `client_name` from the provider's last answer.
    pub client_name: Option<String>,
    /// Where the client is managed (RFC 7592 §3), as the provider said or the import gave
    /// it; `None` when neither did.
    pub registration_client_uri: Option<String>,
    /// The metadata as last sent (register or update), without secrets.
    pub metadata_sent: Option<ClientMetadata>,
    /// The metadata as the provider last returned it, without secrets.
    pub metadata_returned: ClientMetadata,
    /// When the provider issued the id, in seconds since the Unix epoch, when it said.
    pub client_id_issued_at: Option<i64>,
    /// When the secret expires, in seconds since the Unix epoch; 0 means never (RFC 7591
    /// §3.2.1); `None` when the provider did not say.
    pub client_secret_expires_at: Option<i64>,
    /// The provider's last ETag, sent as `If-Match` where the profile uses ETags.
    pub etag: Option<String>,
    /// Active, deleted, or awaiting recovery.
    pub status: RegistrationStatus,
    /// Whether its credentials are in the keychain.
    pub credentials: CredentialState,
    /// When it was first stored, in seconds since the Unix epoch.
    pub created_at: i64,
    /// When the record last changed, in seconds since the Unix epoch.
    pub updated_at: i64,
    /// When the provider's state was last stored (register, read, update), in seconds since the Unix epoch.
    pub last_synced_at: Option<i64>,
}

/// Where a registration stands, as far as Registrar knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum RegistrationStatus {
    /// On the provider, as last seen.
    Active,
    /// Deleted on the provider by Registrar.
    Deleted,
    /// An operation's outcome is unknown (crash, lost response): refresh or import it.
    PendingRecovery,
}

/// Whether the client's secrets are in the keychain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum CredentialState {
    /// In the keychain.
    Stored,
    /// The keychain failed when they arrived; they were shown to the user once.
    NotStored,
}

/// What a provider's answer sets on a registration.
#[derive(Debug, Clone)]
pub struct ProviderState {
    pub client_id: String,
    pub registration_client_uri: Option<String>,
    pub metadata_returned: ClientMetadata,
    pub etag: Option<String>,
}

impl RegistrationStatus {
    /// The status as stored and serialised (`"pending_recovery"`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Deleted => "deleted",
            Self::PendingRecovery => "pending_recovery",
        }
    }

    pub(crate) fn parse(s: &str) -> Self {
        match s {
            "active" => Self::Active,
            "deleted" => Self::Deleted,
            _ => Self::PendingRecovery,
        }
    }
}

impl CredentialState {
    /// The state as stored and serialised (`"not_stored"`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Stored => "stored",
            Self::NotStored => "not_stored",
        }
    }

    pub(crate) fn parse(s: &str) -> Self {
        match s {
            "stored" => Self::Stored,
            _ => Self::NotStored,
        }
    }
}

const COLUMNS: &str = "id, profile_id, client_id, client_name, registration_client_uri, metadata_sent,
    metadata_returned, client_id_issued_at, client_secret_expires_at, etag, status, credentials,
    created_at, updated_at, last_synced_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Registration> {
    let sent: Option<String> = r.get(5)?;
    let returned: String = r.get(6)?;
    let status: String = r.get(10)?;
    let credentials: String = r.get(11)?;
    Ok(Registration {
        id: r.get(0)?,
        profile_id: r.get(1)?,
        client_id: r.get(2)?,
        client_name: r.get(3)?,
        registration_client_uri: r.get(4)?,
        metadata_sent: sent.and_then(|s| serde_json::from_str(&s).ok()),
        metadata_returned: serde_json::from_str(&returned).unwrap_or_default(),
        client_id_issued_at: r.get(7)?,
        client_secret_expires_at: r.get(8)?,
        etag: r.get(9)?,
        status: RegistrationStatus::parse(&status),
        credentials: CredentialState::parse(&credentials),
        created_at: r.get(12)?,
        updated_at: r.get(13)?,
        last_synced_at: r.get(14)?,
    })
}

fn to_json(meta: &ClientMetadata) -> String {
    // Belt and braces: whatever the caller passed, no secret field reaches the disk.
    serde_json::to_string(&meta.without_secrets()).unwrap_or_else(|_| "{}".into())
}

impl Store {
    pub(crate) fn find_registration(&self, profile_id: &ProfileId, client_id: &str) -> Result<Option<Registration>> {
        self.with(|c| find_in(c, profile_id, client_id))
    }

    pub(crate) fn registration(&self, profile_id: &ProfileId, client_id: &str) -> Result<Registration> {
        self.find_registration(profile_id, client_id)?
            .ok_or_else(|| Error::not_found(format!("client \"{client_id}\" in this profile")))
    }

    pub(crate) fn list_registrations(&self, profile_id: &ProfileId) -> Result<Vec<Registration>> {
        self.with(|c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {COLUMNS} FROM registrations WHERE profile_id = ?1 ORDER BY created_at, id"
            ))?;
            let rows = stmt.query_map([profile_id], from_row)?;
            rows.collect()
        })
    }

    /// Records a client the provider just created or that is being adopted, in the same
    /// transaction as closing its journal entry, and attributing `exchange` (the call that
    /// created it) to it. The attribution is only history: its failure is left.
    ///
    /// With [`NewCredentials::Storing`], the new client's credentials are being stored
    /// elsewhere meanwhile, and their state comes once the keychain has answered: the
    /// record is written meanwhile and committed only after that answer, so the keychain
    /// still comes first, while the two no longer wait for each other. An answer slower
    /// than [`STORING_PATIENCE`] (a keychain prompt) rolls the transaction back rather than
    /// hold the database's write lock for it, and the record is written once it comes. A
    /// sender gone without an answer counts as not stored.
    pub(crate) fn insert_registration<'a>(
        &self,
        profile_id: &ProfileId,
        state: &ProviderState,
        metadata_sent: Option<&ClientMetadata>,
        credentials: impl Into<NewCredentials<'a>>,
        journal_id: Option<i64>,
        exchange: Option<i64>,
    ) -> Result<Registration> {
        let mut new = NewRegistration {
            profile_id,
            state,
            metadata_sent,
            journal_id,
            exchange,
            at: now(),
        };
        let stored = match credentials.into() {
            NewCredentials::Known(credentials) => return new.record(self, credentials),
            NewCredentials::Storing(stored) => stored,
        };
        // While the keychain works (gnome-keyring: milliseconds of file rewrites), the
        // write-ahead log is copied back into the database, so the log starts afresh and the
        // next process to open the database rebuilds the log's index from this command's
        // frames alone, not from up to a thousand (0.3 to 0.9 ms of every command's start
        // at SQLite's automatic checkpoint). Not when the keychain has already answered:
        // the checkpoint would then only add to this command's time.
        let early = match stored.try_recv() {
            Ok(answer) => Some(answer),
            Err(TryRecvError::Disconnected) => Some(CredentialState::NotStored),
            Err(TryRecvError::Empty) => {
                self.checkpoint();
                // The call's history then, in a commit of its own: the first write after the
                // checkpoint starts the log afresh, and SQLite syncs the log's new header as
                // it does; made here, that sync is not among what follows the keychain's answer.
                if let Some(exchange) = new.exchange.take() {
                    let _ = self.transaction(|tx| Ok(super::exchanges::attribute_in(tx, exchange, &state.client_id)?));
                }
                None
            }
        };
        let recorded = self.transaction_if(|tx| {
            // Recorded as stored, the usual answer; corrected below when it is not.
            new.insert_in(tx, CredentialState::Stored)?;
            // Read back in the transaction, so that nothing is left to do once it commits.
            let mut registration = find_in(tx, profile_id, &state.client_id)?
                .ok_or_else(|| Error::not_found(format!("client \"{}\" just recorded", state.client_id)))?;
            let answer = match early {
                Some(answer) => answer,
                None => match stored.recv_timeout(STORING_PATIENCE) {
                    Ok(answer) => answer,
                    Err(RecvTimeoutError::Disconnected) => CredentialState::NotStored,
                    Err(RecvTimeoutError::Timeout) => return Ok(None),
                },
            };
            if !matches!(answer, CredentialState::Stored) {
                new.set_credentials_in(tx, answer)?;
                registration.credentials = answer;
            }
            Ok(Some(registration))
        })?;
        match recorded {
            Some(registration) => Ok(registration),
            None => new.record(self, stored.recv().unwrap_or(CredentialState::NotStored)),
        }
    }

    /// Stores the provider's answer to a read or an update.
    pub(crate) fn record_provider_state(
        &self,
        profile_id: &ProfileId,
        state: &ProviderState,
        metadata_sent: Option<&ClientMetadata>,
        journal_id: Option<i64>,
    ) -> Result<Registration> {
        let t = now();
        let meta = &state.metadata_returned;
        self.transaction(|tx| {
            tx.prepare_cached(
                "UPDATE registrations SET client_name = ?3,
                    registration_client_uri = coalesce(?4, registration_client_uri),
                    metadata_sent = coalesce(?5, metadata_sent), metadata_returned = ?6,
                    client_id_issued_at = coalesce(?7, client_id_issued_at),
                    client_secret_expires_at = coalesce(?8, client_secret_expires_at),
                    etag = ?9, status = 'active', updated_at = ?10, last_synced_at = ?10
                 WHERE profile_id = ?1 AND client_id = ?2",
            )?
            .execute(params![
                profile_id,
                state.client_id,
                meta.client_name(),
                state.registration_client_uri,
                metadata_sent.map(to_json),
                to_json(meta),
                meta.int("client_id_issued_at"),
                meta.int("client_secret_expires_at"),
                state.etag,
                t,
            ])?;
            if let Some(id) = journal_id {
                super::journal::finish_in(tx, id, super::journal::JournalState::Done, None)?;
            }
            Ok(())
        })?;
        self.registration(profile_id, &state.client_id)
    }

    pub(crate) fn set_registration_status(
        &self,
        profile_id: &ProfileId,
        client_id: &str,
        status: RegistrationStatus,
    ) -> Result<()> {
        self.with(|c| {
            c.execute(
                "UPDATE registrations SET status = ?3, updated_at = ?4 WHERE profile_id = ?1 AND client_id = ?2",
                params![profile_id, client_id, status.as_str(), now()],
            )
        })?;
        Ok(())
    }

    pub(crate) fn set_credential_state(
        &self,
        profile_id: &ProfileId,
        client_id: &str,
        state: CredentialState,
    ) -> Result<()> {
        self.with(|c| {
            c.execute(
                "UPDATE registrations SET credentials = ?3, updated_at = ?4 WHERE profile_id = ?1 AND client_id = ?2",
                params![profile_id, client_id, state.as_str(), now()],
            )
        })?;
        Ok(())
    }

    /// Replaces what Registrar holds as sent (the baseline drift is measured against), and
    /// whether drift remains, in one statement.
    pub(crate) fn set_metadata_sent(
        &self,
        profile_id: &ProfileId,
        client_id: &str,
        sent: &ClientMetadata,
        has_drift: bool,
    ) -> Result<()> {
        self.with(|c| {
            c.prepare_cached(
                "UPDATE registrations SET metadata_sent = ?3, has_drift = ?4 WHERE profile_id = ?1 AND client_id = ?2",
            )?
            .execute(params![profile_id, client_id, to_json(sent), has_drift])
        })?;
        Ok(())
    }

    /// Marks whether the last read found drift.
    pub(crate) fn set_drift(&self, profile_id: &ProfileId, client_id: &str, has_drift: bool) -> Result<()> {
        self.with(|c| {
            c.prepare_cached("UPDATE registrations SET has_drift = ?3 WHERE profile_id = ?1 AND client_id = ?2")?
                .execute(params![profile_id, client_id, has_drift])
        })?;
        Ok(())
    }

    /// Forgets a registration locally; the provider is not asked.
    pub(crate) fn delete_registration(&self, profile_id: &ProfileId, client_id: &str) -> Result<bool> {
        Ok(self.with(|c| {
            c.execute(
                "DELETE FROM registrations WHERE profile_id = ?1 AND client_id = ?2",
                [profile_id, client_id],
            )
        })? > 0)
    }
}

fn find_in(
    c: &rusqlite::Connection,
    profile_id: &ProfileId,
    client_id: &str,
) -> rusqlite::Result<Option<Registration>> {
    c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM registrations WHERE profile_id = ?1 AND client_id = ?2"
    ))?
    .query_row([profile_id, client_id], from_row)
    .optional()
}

/// The state a new registration's credentials are recorded with ([`Store::insert_registration`]).
pub(crate) enum NewCredentials<'a> {
    /// Already known.
    Known(CredentialState),
    /// Being stored meanwhile: sent once the keychain has answered.
    Storing(&'a Receiver<CredentialState>),
}

impl From<CredentialState> for NewCredentials<'_> {
    fn from(credentials: CredentialState) -> Self {
        Self::Known(credentials)
    }
}

impl<'a> From<&'a Receiver<CredentialState>> for NewCredentials<'a> {
    fn from(stored: &'a Receiver<CredentialState>) -> Self {
        Self::Storing(stored)
    }
}

/// A registration being recorded ([`Store::insert_registration`]).
struct NewRegistration<'a> {
    profile_id: &'a ProfileId,
    state: &'a ProviderState,
    metadata_sent: Option<&'a ClientMetadata>,
    journal_id: Option<i64>,
    exchange: Option<i64>,
    at: i64,
}

impl NewRegistration<'_> {
    /// Inserts it in a transaction of its own and reads it back.
    fn record(&self, store: &Store, credentials: CredentialState) -> Result<Registration> {
        store.transaction(|tx| self.insert_in(tx, credentials))?;
        store.registration(self.profile_id, &self.state.client_id)
    }

    /// The row (or the existing one of the same client id, updated), its journal entry
    /// closed and its exchange attributed.
    fn insert_in(&self, tx: &rusqlite::Transaction<'_>, credentials: CredentialState) -> Result<()> {
        let meta = &self.state.metadata_returned;
        tx.execute(
            "INSERT INTO registrations (profile_id, client_id, client_name, registration_client_uri,
                metadata_sent, metadata_returned, client_id_issued_at, client_secret_expires_at, etag,
                status, credentials, created_at, updated_at, last_synced_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'active', ?10, ?11, ?11, ?11)
             ON CONFLICT (profile_id, client_id) DO UPDATE SET
                client_name = ?3, registration_client_uri = ?4, metadata_sent = coalesce(?5, metadata_sent),
                metadata_returned = ?6, client_id_issued_at = ?7, client_secret_expires_at = ?8,
                etag = ?9, status = 'active', credentials = ?10, updated_at = ?11, last_synced_at = ?11",
            params![
                self.profile_id,
                self.state.client_id,
                meta.client_name(),
                self.state.registration_client_uri,
                self.metadata_sent.map(to_json),
                to_json(meta),
                meta.int("client_id_issued_at"),
                meta.int("client_secret_expires_at"),
                self.state.etag,
                credentials.as_str(),
                self.at,
            ],
        )?;
        if let Some(id) = self.journal_id {
            super::journal::finish_in(tx, id, super::journal::JournalState::Done, None)?;
        }
        if let Some(exchange) = self.exchange {
            let _ = super::exchanges::attribute_in(tx, exchange, &self.state.client_id);
        }
        Ok(())
    }

    fn set_credentials_in(&self, tx: &rusqlite::Transaction<'_>, credentials: CredentialState) -> Result<()> {
        tx.execute(
            "UPDATE registrations SET credentials = ?3 WHERE profile_id = ?1 AND client_id = ?2",
            params![self.profile_id, self.state.client_id, credentials.as_str()],
        )?;
        Ok(())
    }
}
