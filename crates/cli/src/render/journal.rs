//! Unresolved operations from the journal, and forgotten records: small views for
//! `pending` and `forget`.

use super::table::{self, or_dash};
use super::time::timestamp;
use super::Human;
use registrar_core::JournalEntry;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct PendingRow {
    pub id: i64,
    pub profile: String,
    pub client_id: Option<String>,
    pub operation: String,
    /// `open` (interrupted mid-flight) or `uncertain` (the answer was lost or unusable).
    pub state: &'static str,
    pub started_at: i64,
    /// For a register: the metadata that was sent (redacted), to recognise the client.
    pub detail: Option<String>,
}

impl PendingRow {
    pub fn new(entry: JournalEntry, profile: String) -> Self {
        Self {
            id: entry.id,
            profile,
            client_id: entry.client_id,
            operation: entry.operation,
            state: entry.state.as_str(),
            started_at: entry.started_at,
            detail: entry.detail,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct PendingView(pub Vec<PendingRow>);

impl Human for PendingView {
    fn human(&self) -> String {
        if self.0.is_empty() {
            return "Nothing pending: every operation's outcome is known.".into();
        }
        let mut t = table::list(&["id", "started", "profile", "client_id", "operation", "state"]);
        for row in &self.0 {
            t.add_row(vec![
                row.id.to_string(),
                timestamp(row.started_at),
                row.profile.clone(),
                or_dash(row.client_id.as_deref()),
                row.operation.clone(),
                row.state.to_string(),
            ]);
        }
        format!(
            "{t}\nThe provider may have applied these. Refresh the clients named; for a register, look \
             for the client on the provider (`registrar orphans`) and import it."
        )
    }
}

#[derive(Debug, Serialize)]
pub struct ForgetView {
    pub profile: String,
    pub client_id: String,
    pub warnings: Vec<String>,
}

impl Human for ForgetView {
    fn human(&self) -> String {
        format!(
            "Forgot client {} of profile {} and its credentials; the provider was not asked.",
            self.client_id, self.profile
        )
    }
}
