//! Results of work over many clients (bulk refresh, bulk import): one row per client, and
//! the counts a script checks.

use super::table;
use super::Human;
use registrar_core::{BulkItem, ImportResult};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct BulkRow {
    pub profile: String,
    pub client_id: String,
    pub ok: bool,
    /// The core's error code (`auth`, `network`...) when it failed.
    pub error_code: Option<registrar_core::ErrorCode>,
    pub error: Option<String>,
    pub rotated_registration_access_token: bool,
    /// How many fields changed on the provider since the last known state.
    pub drift_fields: usize,
}

impl BulkRow {
    pub fn new(item: &BulkItem, profile: &str) -> Self {
        Self {
            profile: profile.to_string(),
            client_id: item.client_id.clone(),
            ok: item.error.is_none(),
            error_code: item.error.as_ref().map(|e| e.code),
            error: item.error.as_ref().map(|e| e.message.clone()),
            rotated_registration_access_token: item.rotated_token,
            drift_fields: item.drift_fields,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct BulkRefreshView {
    pub total: usize,
    pub refreshed: usize,
    pub failed: usize,
    /// Not started because the run was interrupted.
    pub skipped: usize,
    pub items: Vec<BulkRow>,
    /// Credentials the keychain could not keep (shown once; the command fails).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unstored: Vec<registrar_core::UnstoredCredentials>,
}

impl Human for BulkRefreshView {
    fn human(&self) -> String {
        let mut out = format!(
            "Refreshed {} of {} client(s); {} failed, {} skipped.",
            self.refreshed, self.total, self.failed, self.skipped
        );
        let notable: Vec<&BulkRow> = self.items.iter().filter(|r| !r.ok || r.drift_fields > 0).collect();
        if !notable.is_empty() {
            let mut t = table::list(&["profile", "client_id", "result"]);
            for row in notable {
                let result = match &row.error {
                    Some(e) => format!("failed: {e}"),
                    None => format!("{} field(s) drifted", row.drift_fields),
                };
                t.add_row(vec![row.profile.clone(), row.client_id.clone(), result]);
            }
            out.push('\n');
            out.push_str(&t.to_string());
        }
        out
    }
}

#[derive(Debug, Serialize)]
pub struct BulkImportView {
    pub profile: String,
    pub total: usize,
    pub imported: usize,
    pub failed: usize,
    pub items: Vec<ImportResult>,
}

impl Human for BulkImportView {
    fn human(&self) -> String {
        let mut t = table::list(&["client_id", "result"]);
        for item in &self.items {
            let result = match &item.error {
                Some(e) => format!("not imported: {e}"),
                None => "imported".to_string(),
            };
            t.add_row(vec![item.client_id.clone(), result]);
        }
        format!(
            "Imported {} of {} client(s) into profile {}.\n{t}",
            self.imported, self.total, self.profile
        )
    }
}

/// What `import --kcreg` or `--oidc-agent` did: the profiles made and used, each client.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct BroughtInView(pub registrar_core::BroughtIn);

impl Human for BroughtInView {
    fn human(&self) -> String {
        let b = &self.0;
        let mut out = String::new();
        for name in &b.profiles_created {
            out.push_str(&format!("Created profile {name}.\n"));
        }
        let mut t = table::list(&["client_id", "result"]);
        for item in &b.clients {
            let result = match &item.error {
                Some(e) => format!("not adopted: {e}"),
                None => "adopted (read from the provider)".to_string(),
            };
            t.add_row(vec![item.client_id.clone(), result]);
        }
        let adopted = b.clients.iter().filter(|c| c.error.is_none()).count();
        let mut used = b.profiles_used.clone();
        used.dedup();
        out.push_str(&format!(
            "Adopted {adopted} of {} client(s) into {}.\n{t}",
            b.clients.len(),
            used.join(", ")
        ));
        out
    }
}

/// Credentials the keychain could not keep, each with its client: shown once.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct UnstoredView(pub Vec<registrar_core::UnstoredCredentials>);

impl Human for UnstoredView {
    fn human(&self) -> String {
        let mut out = String::from(
            "NOT STORED: the keychain could not keep these credentials. Copy them now; they are not shown again.\n",
        );
        for u in &self.0 {
            out.push_str(&format!("  client {}:\n", u.client_id));
            if let Some(token) = &u.registration_access_token {
                out.push_str(&format!("    registration access token: {}\n", token.expose()));
            }
            if let Some(secret) = &u.client_secret {
                out.push_str(&format!("    client secret: {}\n", secret.expose()));
            }
            out.push_str(&format!("    why: {}\n", u.why));
        }
        out
    }
}
