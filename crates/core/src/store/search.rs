//! Finding registrations: by text (client id, name, redirect URI, contact) through the
//! trigram FTS index, by profile, status and secret expiry through plain indexes, one
//! page at a time. Nothing here scans rows in Rust.

use super::registrations::{CredentialState, RegistrationStatus};
use super::{now, Store};
use crate::error::Result;
use rusqlite::params_from_iter;
use rusqlite::types::Value as Sql;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Query {
    pub profile_id: Option<String>,
    /// Substring of the client id, name, a redirect URI or a contact.
    pub text: Option<String>,
    pub status: Option<RegistrationStatus>,
    /// Only clients whose secret expires within this many seconds from now (or has).
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub expiring_within_secs: Option<i64>,
    pub offset: u32,
    /// At most 1,000; 50 when 0.
    pub limit: u32,
}

/// One row of a client list: what a list shows, without the metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Summary {
    pub profile_id: String,
    pub client_id: String,
    pub client_name: Option<String>,
    pub status: RegistrationStatus,
    pub credentials: CredentialState,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub client_secret_expires_at: Option<i64>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub last_synced_at: Option<i64>,
    pub has_drift: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Page {
    pub items: Vec<Summary>,
    /// How many rows match in all.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total: u64,
    pub offset: u32,
}

impl Store {
    pub fn search(&self, q: &Query) -> Result<Page> {
        let mut clauses: Vec<String> = Vec::new();
        let mut args: Vec<Sql> = Vec::new();
        let text = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let mut from = "registrations r".to_string();
        if let Some(text) = text {
            if text.chars().count() >= 3 {
                from.push_str(" JOIN registrations_fts f ON f.rowid = r.id");
                clauses.push("registrations_fts MATCH ?".into());
                args.push(Sql::Text(format!("\"{}\"", text.replace('"', "\"\""))));
            } else {
                // The trigram index needs three characters; shorter text matches ids and names.
                clauses.push("(r.client_id LIKE ? ESCAPE '\\' OR r.client_name LIKE ? ESCAPE '\\')".into());
                let pattern = format!(
                    "%{}%",
                    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
                );
                args.push(Sql::Text(pattern.clone()));
                args.push(Sql::Text(pattern));
            }
        }
        if let Some(profile) = &q.profile_id {
            clauses.push("r.profile_id = ?".into());
            args.push(Sql::Text(profile.clone()));
        }
        if let Some(status) = q.status {
            clauses.push("r.status = ?".into());
            args.push(Sql::Text(status.as_str().into()));
        }
        if let Some(within) = q.expiring_within_secs {
            clauses.push("r.client_secret_expires_at > 0 AND r.client_secret_expires_at <= ?".into());
            args.push(Sql::Integer(now() + within));
        }
        let filter = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        let limit = match q.limit {
            0 => 50,
            n => n.min(1000),
        };
        let order = if q.expiring_within_secs.is_some() {
            "r.client_secret_expires_at, r.id"
        } else {
            "r.client_name COLLATE NOCASE, r.id"
        };
        self.with(|c| {
            let total: i64 = c.query_row(
                &format!("SELECT count(*) FROM {from} {filter}"),
                params_from_iter(args.iter()),
                |r| r.get(0),
            )?;
            let mut page_args = args.clone();
            page_args.push(Sql::Integer(i64::from(limit)));
            page_args.push(Sql::Integer(i64::from(q.offset)));
            let mut stmt = c.prepare(&format!(
                "SELECT r.profile_id, r.client_id, r.client_name, r.status, r.credentials,
                        r.client_secret_expires_at, r.last_synced_at, r.has_drift
                 FROM {from} {filter} ORDER BY {order} LIMIT ? OFFSET ?"
            ))?;
            let items = stmt
                .query_map(params_from_iter(page_args.iter()), |r| {
                    let status: String = r.get(3)?;
                    let credentials: String = r.get(4)?;
                    Ok(Summary {
                        profile_id: r.get(0)?,
                        client_id: r.get(1)?,
                        client_name: r.get(2)?,
                        status: RegistrationStatus::parse(&status),
                        credentials: CredentialState::parse(&credentials),
                        client_secret_expires_at: r.get(5)?,
                        last_synced_at: r.get(6)?,
                        has_drift: r.get(7)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(Page {
                items,
                total: total as u64,
                offset: q.offset,
            })
        })
    }
}
