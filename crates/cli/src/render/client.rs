//! A client as Registrar knows it locally: the full record (`get`, and the base of the
//! lifecycle results) and the one-line row (`list`).

use super::table::{self, or_dash};
use super::time::{optional, secret_expiry, timestamp};
use super::Human;
use registrar_core::metadata::is_known_field;
use registrar_core::Summary;
use registrar_core::{ClientMetadata, CredentialState, Registration};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct ClientView {
    pub profile: String,
    pub client_id: String,
    pub client_name: Option<String>,
    pub registration_client_uri: Option<String>,
    pub status: &'static str,
    /// Whether the client's secrets are in the keychain (`stored`, `not_stored`).
    pub credentials: CredentialState,
    pub client_id_issued_at: Option<i64>,
    pub client_secret_expires_at: Option<i64>,
    pub etag: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_synced_at: Option<i64>,
    /// The metadata as the provider last returned it, without secrets.
    pub metadata: ClientMetadata,
    /// The metadata as last sent, when Registrar sent it.
    pub metadata_sent: Option<ClientMetadata>,
    /// Only with `get --show-secret`, and once after `register`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
}

impl ClientView {
    pub fn new(reg: &Registration, profile: &str) -> Self {
        Self {
            profile: profile.to_string(),
            client_id: reg.client_id.clone(),
            client_name: reg.client_name.clone(),
            registration_client_uri: reg.registration_client_uri.clone(),
            status: reg.status.as_str(),
            credentials: reg.credentials,
            client_id_issued_at: reg.client_id_issued_at,
            client_secret_expires_at: reg.client_secret_expires_at,
            etag: reg.etag.clone(),
            created_at: reg.created_at,
            updated_at: reg.updated_at,
            last_synced_at: reg.last_synced_at,
            metadata: reg.metadata_returned.clone(),
            metadata_sent: reg.metadata_sent.clone(),
            client_secret: None,
        }
    }

    /// The record's own fields, without the metadata.
    pub fn summary(&self) -> String {
        let credentials = match self.credentials {
            CredentialState::Stored => "in the keychain",
            CredentialState::NotStored => "NOT in the keychain (it failed when they arrived)",
        };
        let mut rows = vec![
            ("client_id", self.client_id.clone()),
            ("client_name", or_dash(self.client_name.as_deref())),
            ("profile", self.profile.clone()),
            ("status", self.status.to_string()),
            (
                "registration_client_uri",
                or_dash(self.registration_client_uri.as_deref()),
            ),
            ("credentials", credentials.to_string()),
            ("issued", optional(self.client_id_issued_at, "-")),
            ("secret expires", secret_expiry(self.client_secret_expires_at)),
            ("created", timestamp(self.created_at)),
            ("last synced", optional(self.last_synced_at, "never")),
        ];
        if let Some(secret) = &self.client_secret {
            rows.push(("client_secret", secret.clone()));
        }
        table::fields(rows).to_string()
    }
}

/// The provider's metadata, one field per row; fields without a form are marked vendor.
pub fn metadata_table(meta: &ClientMetadata) -> String {
    if meta.as_map().is_empty() {
        return "(no metadata known)".into();
    }
    let mut t = table::list(&["field", "value", ""]);
    for (key, value) in meta.as_map() {
        let kind = if is_known_field(key) { "" } else { "vendor" };
        t.add_row(vec![key.clone(), table::cell(value), kind.to_string()]);
    }
    t.to_string()
}

impl Human for ClientView {
    fn human(&self) -> String {
        format!(
            "{}\n\nMetadata, as the provider last returned it:\n{}",
            self.summary(),
            metadata_table(&self.metadata)
        )
    }
}

#[derive(Debug, Serialize)]
pub struct ClientRow {
    pub profile: String,
    pub client_id: String,
    pub client_name: Option<String>,
    pub status: &'static str,
    pub credentials: CredentialState,
    pub client_secret_expires_at: Option<i64>,
    pub last_synced_at: Option<i64>,
    /// The last refresh found the provider's copy changed.
    pub has_drift: bool,
}

impl ClientRow {
    pub fn new(row: &Summary, profile: &str) -> Self {
        Self {
            profile: profile.to_string(),
            client_id: row.client_id.clone(),
            client_name: row.client_name.clone(),
            status: row.status.as_str(),
            credentials: row.credentials,
            client_secret_expires_at: row.client_secret_expires_at,
            last_synced_at: row.last_synced_at,
            has_drift: row.has_drift,
        }
    }
}

/// One page of a client list.
#[derive(Debug, Serialize)]
pub struct ClientPage {
    /// How many clients match in all; at least this many when `total_capped`.
    pub total: u64,
    /// Set (and only then present) when a text search stopped counting at the core's cap.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub total_capped: bool,
    pub offset: u32,
    pub items: Vec<ClientRow>,
    /// The window `custody` covers, in seconds from now.
    pub custody_window_secs: i64,
    /// Certificates, key retirements and software statements of the profiles listed that
    /// expire within the window (or have), soonest first.
    pub custody: Vec<super::custody::CustodyRow>,
}

impl Human for ClientPage {
    fn human(&self) -> String {
        let mut out = self.clients_text();
        if !self.custody.is_empty() {
            out.push_str(&format!(
                "\n\nExpiring in custody within {} (or expired):\n{}",
                super::custody::window_text(self.custody_window_secs),
                super::custody::custody_table(&self.custody)
            ));
        }
        out
    }
}

impl ClientPage {
    fn clients_text(&self) -> String {
        if self.items.is_empty() {
            return if self.total == 0 {
                "No clients.".into()
            } else {
                format!("No clients past {}.", self.offset)
            };
        }
        let mut t = table::list(&[
            "profile",
            "client_id",
            "client_name",
            "status",
            "secret expires",
            "last synced",
            "drift",
        ]);
        for row in &self.items {
            t.add_row(vec![
                row.profile.clone(),
                row.client_id.clone(),
                or_dash(row.client_name.as_deref()),
                row.status.to_string(),
                secret_expiry(row.client_secret_expires_at),
                optional(row.last_synced_at, "never"),
                if row.has_drift { "yes" } else { "" }.to_string(),
            ]);
        }
        let shown = self.items.len() as u64;
        let mut out = t.to_string();
        if shown < self.total || self.total_capped {
            let first = u64::from(self.offset) + 1;
            let last = u64::from(self.offset) + shown;
            let more = if self.total_capped { "+" } else { "" };
            out.push_str(&format!(
                "\n{first}-{last} of {}{more} (use --offset and --limit for more)",
                self.total
            ));
        }
        out
    }
}
