//! The result of trying a client: which grant, where, and what came back, without the
//! token.

use super::Human;
use registrar_core::TryReport;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct TryView {
    pub profile: String,
    pub client_id: String,
    #[serde(flatten)]
    pub report: TryReport,
}

impl Human for TryView {
    fn human(&self) -> String {
        let r = &self.report;
        let expires = r
            .expires_in_secs
            .map(|s| format!(", valid for {s} s"))
            .unwrap_or_default();
        let scope = r
            .scope
            .as_deref()
            .map(|s| format!(", scope \"{s}\""))
            .unwrap_or_default();
        format!(
            "Client {} works: {} at {} gave a {} token ({} characters, not shown){expires}{scope}.",
            self.client_id, r.grant_type, r.token_endpoint, r.token_type, r.access_token_length
        )
    }
}
