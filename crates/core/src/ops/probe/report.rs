//! What a probe returns: its steps, what was learnt, and the settings that follow.

use crate::ops::outcome::SecretInAnswer;
use crate::profile::{EngineSettings, UpdateSecret};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ProbeOptions {
    /// Register, change and delete a throw-away client.
    pub allow_writes: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ProbeStep {
    pub name: String,
    pub ok: bool,
    pub status: Option<u16>,
    pub detail: String,
}

/// Whether registration needs credentials, as far as the probe could tell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum RegistrationAuthFinding {
    /// Open registration: a valid request without credentials created a client.
    None,
    /// Refused without credentials; the challenge asked for a bearer token.
    Bearer,
    /// Refused without credentials; the challenge asked for Basic.
    Basic,
    /// Refused without credentials, with no challenge that says which.
    Credentials,
    #[default]
    Unknown,
}

impl RegistrationAuthFinding {
    /// What registration needs, in words, for every shell.
    pub fn describe(&self) -> &'static str {
        match self {
            Self::None => "none (open registration)",
            Self::Bearer => "a bearer token",
            Self::Basic => "Basic credentials",
            Self::Credentials => "credentials (no challenge said which)",
            Self::Unknown => "unknown",
        }
    }

    pub fn needs_credentials(&self) -> Option<bool> {
        match self {
            Self::None => Some(false),
            Self::Unknown => None,
            _ => Some(true),
        }
    }
}

/// What was learnt; `None` where the probe could not tell.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ProbeFindings {
    pub discovery_found: Option<bool>,
    pub registration_auth: RegistrationAuthFinding,
    /// Set when what the provider does and what the profile says disagree (the profile
    /// has a token and the provider registers without one, or the other way round).
    pub registration_auth_disagreement: Option<String>,
    pub register_status: Option<u16>,
    /// How many throw-away metadata sets were tried before one was accepted.
    pub register_attempts: u8,
    pub offers_read: Option<bool>,
    pub offers_update: Option<bool>,
    pub offers_delete: Option<bool>,
    pub rotates_token_on_read: Option<bool>,
    pub rotates_secret_on_read: Option<bool>,
    pub rotates_token_on_update: Option<bool>,
    /// A new `client_secret` in an update's answer.
    pub rotates_secret_on_update: Option<bool>,
    pub secret_on_read: Option<SecretInAnswer>,
    /// The status with which the provider refused an update holding only `client_id` and
    /// `client_name`; None when it accepted it (or was not asked).
    pub partial_update_refused: Option<u16>,
    pub update_needs_full_metadata: Option<bool>,
    /// Whether a field no specification defines was kept at registration.
    pub unknown_fields_kept: Option<bool>,
    pub fields_added: Vec<String>,
    pub fields_dropped: Vec<String>,
    pub fields_rewritten: Vec<String>,
    pub delete_status: Option<u16>,
    pub delete_deletes: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ProbeReport {
    pub steps: Vec<ProbeStep>,
    pub findings: ProbeFindings,
    /// The profile's settings, corrected by what was found.
    pub suggested_settings: EngineSettings,
    /// None when nothing was created; false when a throw-away client is still there.
    pub cleaned_up: Option<bool>,
    pub cleanup_note: Option<String>,
}

pub(super) fn suggest(current: &EngineSettings, f: &ProbeFindings) -> EngineSettings {
    let mut s = current.clone();
    if let Some(read) = f.offers_read {
        s.operations.read = read;
    }
    if let Some(update) = f.offers_update {
        s.operations.update = update;
    }
    if let Some(delete) = f.offers_delete {
        s.operations.delete = delete;
    }
    if f.secret_on_read == Some(SecretInAnswer::Masked) {
        s.secret_mask = Some(s.secret_mask.clone().unwrap_or_else(|| "*".into()));
        s.update_secret = UpdateSecret::SendMask;
    }
    s
}
