//! The `keys` and `software_statements` tables: what a profile holds besides its clients.

use super::{now, Store};
use crate::error::Result;
use crate::ProfileId;
use rusqlite::{params, OptionalExtension, Row};

/// A key's row: its public half and facts, never the private half.
#[derive(Debug, Clone)]
pub(crate) struct KeyRow {
    pub kid: String,
    pub kind: String,
    pub alg: String,
    pub public_jwk: String,
    pub client_id: Option<String>,
    pub label: Option<String>,
    pub certificate_pem: Option<String>,
    pub created_at: i64,
    pub retire_at: Option<i64>,
}

/// A kept software statement.
#[derive(Debug, Clone)]
pub(crate) struct SsaRow {
    pub label: String,
    pub jwt: String,
    pub source: String,
    pub created_at: i64,
}

const KEY_COLUMNS: &str = "kid, kind, alg, public_jwk, client_id, label, certificate_pem, created_at, retire_at";

fn key_row(r: &Row<'_>) -> rusqlite::Result<KeyRow> {
    Ok(KeyRow {
        kid: r.get(0)?,
        kind: r.get(1)?,
        alg: r.get(2)?,
        public_jwk: r.get(3)?,
        client_id: r.get(4)?,
        label: r.get(5)?,
        certificate_pem: r.get(6)?,
        created_at: r.get(7)?,
        retire_at: r.get(8)?,
    })
}

impl Store {
    /// Records a key whose private half is already in the keychain; `false` when the
    /// profile already holds a key with this kid (the same key imported twice).
    pub(crate) fn insert_key(&self, profile_id: &ProfileId, row: &KeyRow) -> Result<bool> {
        let inserted = self.with(|c| {
            c.execute(
                "INSERT OR IGNORE INTO keys (profile_id, kid, kind, alg, public_jwk, client_id, label, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    profile_id,
                    row.kid,
                    row.kind,
                    row.alg,
                    row.public_jwk,
                    row.client_id,
                    row.label,
                    now()
                ],
            )
        })?;
        Ok(inserted > 0)
    }

    /// The profile's keys, oldest first; only those bound to `client_id` when given.
    pub(crate) fn keys(&self, profile_id: &ProfileId, client_id: Option<&str>) -> Result<Vec<KeyRow>> {
        self.with(|c| {
            let sql = format!(
                "SELECT {KEY_COLUMNS} FROM keys WHERE profile_id = ?1 AND (?2 IS NULL OR client_id = ?2)
                 ORDER BY created_at, rowid"
            );
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map(params![profile_id, client_id], key_row)?;
            rows.collect()
        })
    }

    pub(crate) fn key(&self, profile_id: &ProfileId, kid: &str) -> Result<Option<KeyRow>> {
        self.with(|c| {
            c.prepare_cached(&format!(
                "SELECT {KEY_COLUMNS} FROM keys WHERE profile_id = ?1 AND kid = ?2"
            ))?
            .query_row(params![profile_id, kid], key_row)
            .optional()
        })
    }

    /// Keys (of any profile) whose certificate or retirement falls before `until`.
    pub(crate) fn keys_expiring(&self, until: i64) -> Result<Vec<(ProfileId, KeyRow)>> {
        self.with(|c| {
            // The profile last, so the key's own columns are read as everywhere else.
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {KEY_COLUMNS}, profile_id FROM keys
                 WHERE certificate_not_after <= ?1 OR retire_at <= ?1 ORDER BY profile_id, created_at"
            ))?;
            let rows = stmt.query_map([until], |r| Ok((r.get(9)?, key_row(r)?)))?;
            rows.collect()
        })
    }

    pub(crate) fn set_key_certificate(
        &self,
        profile_id: &ProfileId,
        kid: &str,
        pem: &str,
        not_after: i64,
        public_jwk: &str,
    ) -> Result<()> {
        self.with(|c| {
            c.execute(
                "UPDATE keys SET certificate_pem = ?3, certificate_not_after = ?4, public_jwk = ?5
                 WHERE profile_id = ?1 AND kid = ?2",
                params![profile_id, kid, pem, not_after, public_jwk],
            )
        })?;
        Ok(())
    }

    pub(crate) fn set_key_retire_at(&self, profile_id: &ProfileId, kid: &str, at: Option<i64>) -> Result<()> {
        self.with(|c| {
            c.execute(
                "UPDATE keys SET retire_at = ?3 WHERE profile_id = ?1 AND kid = ?2",
                params![profile_id, kid, at],
            )
        })?;
        Ok(())
    }

    pub(crate) fn set_key_client(&self, profile_id: &ProfileId, kid: &str, client_id: Option<&str>) -> Result<()> {
        self.with(|c| {
            c.execute(
                "UPDATE keys SET client_id = ?3 WHERE profile_id = ?1 AND kid = ?2",
                params![profile_id, kid, client_id],
            )
        })?;
        Ok(())
    }

    pub(crate) fn delete_key(&self, profile_id: &ProfileId, kid: &str) -> Result<bool> {
        Ok(self.with(|c| {
            c.execute(
                "DELETE FROM keys WHERE profile_id = ?1 AND kid = ?2",
                params![profile_id, kid],
            )
        })? > 0)
    }

    /// Keeps (or replaces) a software statement under `label`.
    pub(crate) fn save_ssa(
        &self,
        profile_id: &ProfileId,
        label: &str,
        jwt: &str,
        source: &str,
        expires_at: Option<i64>,
    ) -> Result<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO software_statements (profile_id, label, jwt, source, expires_at, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (profile_id, label) DO UPDATE SET jwt = ?3, source = ?4, expires_at = ?5, created_at = ?6",
                params![profile_id, label, jwt, source, expires_at, now()],
            )
        })?;
        Ok(())
    }

    pub(crate) fn ssas(&self, profile_id: &ProfileId) -> Result<Vec<SsaRow>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT label, jwt, source, created_at FROM software_statements WHERE profile_id = ?1 ORDER BY label",
            )?;
            let rows = stmt.query_map([profile_id], |r| {
                Ok(SsaRow {
                    label: r.get(0)?,
                    jwt: r.get(1)?,
                    source: r.get(2)?,
                    created_at: r.get(3)?,
                })
            })?;
            rows.collect()
        })
    }

    /// Software statements (of any profile) that expire before `until`: profile, label, exp.
    pub(crate) fn ssas_expiring(&self, until: i64) -> Result<Vec<(ProfileId, String, i64)>> {
        self.with(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT profile_id, label, expires_at FROM software_statements
                 WHERE expires_at IS NOT NULL AND expires_at <= ?1 ORDER BY expires_at",
            )?;
            let rows = stmt.query_map([until], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect()
        })
    }

    pub(crate) fn delete_ssa(&self, profile_id: &ProfileId, label: &str) -> Result<bool> {
        Ok(self.with(|c| {
            c.execute(
                "DELETE FROM software_statements WHERE profile_id = ?1 AND label = ?2",
                params![profile_id, label],
            )
        })? > 0)
    }
}
