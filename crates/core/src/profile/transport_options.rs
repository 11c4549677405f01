//! How to reach a provider: TLS trust and timeouts.

use serde::{Deserialize, Serialize};

/// Which certificates a profile trusts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct TlsOptions {
    /// A PEM CA certificate trusted in addition to the system roots.
    pub ca_certificate_pem: Option<String>,
    /// Skip certificate checks: refused by `Profile::check` for anything but loopback.
    pub accept_invalid_certificates: bool,
    /// The key (its `kid`) whose certificate this profile presents for mutual TLS on
    /// every request: registration, management and tokens (RFC 8705). `None`: no client
    /// certificate. Clients that authenticate with their own certificate use theirs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_certificate: Option<String>,
}

/// How long to wait for a provider; 0 counts as 1 second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Timeouts {
    /// Seconds to wait for a connection (default 10).
    pub connect_secs: u64,
    /// Seconds for the whole exchange, connection to last byte of the answer (default 30).
    pub request_secs: u64,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect_secs: 10,
            request_secs: 30,
        }
    }
}
