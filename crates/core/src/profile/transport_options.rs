//! How to reach a provider: TLS trust and timeouts.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TlsOptions {
    /// A PEM CA certificate trusted in addition to the system roots.
    pub ca_certificate_pem: Option<String>,
    /// Skip certificate checks: refused by `Profile::check` for anything but loopback.
    pub accept_invalid_certificates: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Timeouts {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub connect_secs: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
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
