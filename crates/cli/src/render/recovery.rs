//! What recovery found for each pending operation, and what is left to do.

use super::table::{self, or_dash};
use super::Human;
use registrar_core::RecoveryItem;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct RecoveryRow {
    pub id: i64,
    pub operation: String,
    pub client_id: Option<String>,
    pub finding: String,
    pub action: String,
    /// For an interrupted registration: the client on the provider that matches it.
    pub candidate_client_id: Option<String>,
    /// Nothing is left to do; the entry is closed.
    pub resolved: bool,
}

#[derive(Debug, Serialize)]
pub struct RecoveryView {
    pub profile: String,
    pub items: Vec<RecoveryRow>,
    /// Credentials the keychain could not keep (shown once; the command fails).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unstored: Vec<registrar_core::UnstoredCredentials>,
}

impl RecoveryView {
    pub fn new(profile: &str, items: Vec<RecoveryItem>) -> Self {
        let unstored = items.iter().filter_map(|i| i.unstored.clone()).collect();
        let items = items
            .into_iter()
            .map(|item| RecoveryRow {
                id: item.entry.id,
                operation: item.entry.operation,
                client_id: item.entry.client_id,
                candidate_client_id: item.candidate.as_ref().and_then(|c| c.client_id()).map(str::to_string),
                finding: item.finding,
                action: item.action,
                resolved: item.resolved,
            })
            .collect();
        Self {
            profile: profile.to_string(),
            items,
            unstored,
        }
    }
}

impl Human for RecoveryView {
    fn human(&self) -> String {
        if self.items.is_empty() {
            return format!("Nothing to recover for profile {}.", self.profile);
        }
        let mut t = table::list(&["id", "operation", "client_id", "finding", "to do"]);
        for row in &self.items {
            let client = row.client_id.as_deref().or(row.candidate_client_id.as_deref());
            let todo = if row.resolved {
                "done".to_string()
            } else {
                row.action.clone()
            };
            t.add_row(vec![
                row.id.to_string(),
                row.operation.clone(),
                or_dash(client),
                row.finding.clone(),
                todo,
            ]);
        }
        let open = self.items.iter().filter(|r| !r.resolved).count();
        let mut out = t.to_string();
        if open > 0 {
            out.push_str(&format!(
                "\n{open} still need you; once dealt with, close each with `registrar dismiss ID`."
            ));
        }
        out
    }
}

#[derive(Debug, Serialize)]
pub struct DismissView {
    pub id: i64,
    pub dismissed: bool,
}

impl Human for DismissView {
    fn human(&self) -> String {
        format!("Dismissed pending operation {}.", self.id)
    }
}
