//! Orphans both ways, each with its one action: `import` to adopt a client the provider
//! has, `forget` to drop a record whose client is gone.

use super::shell::quote;
use super::table::{self, or_dash};
use super::Human;
use registrar_core::{ClientMetadata, OrphanReport};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct OrphansView {
    pub profile: String,
    /// Whether the provider's clients could be listed (list endpoint or file).
    pub provider_listed: bool,
    pub on_provider_only: Vec<ProviderOrphan>,
    pub local_only: Vec<LocalOrphanRow>,
    /// Credentials the keychain could not keep (shown once; the command fails).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unstored: Vec<registrar_core::UnstoredCredentials>,
}

#[derive(Debug, Serialize)]
pub struct ProviderOrphan {
    pub client_id: String,
    pub client_name: Option<String>,
    pub registration_client_uri: Option<String>,
    /// The listed metadata, secrets removed.
    pub metadata: ClientMetadata,
    /// The command that adopts it.
    pub adopt: String,
}

#[derive(Debug, Serialize)]
pub struct LocalOrphanRow {
    pub client_id: String,
    pub client_name: Option<String>,
    pub reason: String,
    /// The command that forgets it.
    pub forget: String,
}

impl OrphansView {
    pub fn new(profile: &str, report: &OrphanReport) -> Self {
        let quoted = quote(profile);
        let on_provider_only = report
            .on_provider_only
            .iter()
            .filter_map(|m| {
                let id = m.client_id()?.to_string();
                let uri = m.registration_client_uri().map(str::to_string);
                let uri_flag = uri
                    .as_deref()
                    .map(|u| format!(" --registration-client-uri {}", quote(u)))
                    .unwrap_or_default();
                Some(ProviderOrphan {
                    adopt: format!("registrar import --profile {quoted} {}{uri_flag}", quote(&id)),
                    client_id: id,
                    client_name: m.client_name().map(str::to_string),
                    registration_client_uri: uri,
                    metadata: m.clone(),
                })
            })
            .collect();
        let local_only = report
            .local_only
            .iter()
            .map(|o| LocalOrphanRow {
                client_id: o.registration.client_id.clone(),
                client_name: o.registration.client_name.clone(),
                reason: o.reason.clone(),
                forget: format!(
                    "registrar forget --profile {quoted} {}",
                    quote(&o.registration.client_id)
                ),
            })
            .collect();
        Self {
            profile: profile.to_string(),
            provider_listed: report.provider_listed,
            on_provider_only,
            local_only,
            unstored: report.unstored.clone(),
        }
    }
}

impl Human for OrphansView {
    fn human(&self) -> String {
        let mut out = String::new();
        if !self.provider_listed {
            out.push_str(
                "The provider's clients were not listed (no list endpoint in the profile, no --from file), \
                 so only local records were checked.\n",
            );
        } else if self.on_provider_only.is_empty() {
            out.push_str("Every client on the provider is known here.\n");
        } else {
            out.push_str("On the provider, unknown here (adopt with the command shown):\n");
            let mut t = table::list(&["client_id", "client_name", "adopt"]);
            for o in &self.on_provider_only {
                t.add_row(vec![
                    o.client_id.clone(),
                    or_dash(o.client_name.as_deref()),
                    o.adopt.clone(),
                ]);
            }
            out.push_str(&t.to_string());
            out.push('\n');
        }
        if self.local_only.is_empty() {
            out.push_str("Every local client is still on the provider.");
        } else {
            out.push_str("Known here, gone from the provider (forget with the command shown):\n");
            let mut t = table::list(&["client_id", "client_name", "reason", "forget"]);
            for o in &self.local_only {
                t.add_row(vec![
                    o.client_id.clone(),
                    or_dash(o.client_name.as_deref()),
                    o.reason.clone(),
                    o.forget.clone(),
                ]);
            }
            out.push_str(&t.to_string());
        }
        out
    }
}
