//! What a probe returns: its steps, what was learnt, and the settings that follow.

use crate::ops::outcome::SecretInAnswer;
use crate::profile::{EngineSettings, UpdateSecret};
use serde::{Deserialize, Serialize};

/// What the probe may do beyond reading.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct ProbeOptions {
    /// Register, change and delete a throw-away client.
    pub allow_writes: bool,
}

/// How a probe step came out. A provider that answers "no such operation" (404, 405, 501)
/// to an RFC 7592 read, update or delete has not failed: it does not offer it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum ProbeOutcome {
    /// The step went as a working provider's would.
    #[default]
    Pass,
    /// It did not: the detail says what went wrong.
    Fail,
    /// The provider does not offer this operation (per its answer, or one before it).
    NotOffered,
    /// The step was not taken (writes not allowed, or an earlier answer made it pointless).
    Skipped,
}

impl ProbeOutcome {
    /// The outcome in one word, for every shell.
    pub fn word(&self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::NotOffered => "not offered",
            Self::Skipped => "skipped",
        }
    }

    /// Whether the step counts as a working provider's answer (all but a failure).
    pub fn ok(&self) -> bool {
        *self != Self::Fail
    }
}

/// One step of a probe, reported as it is taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct ProbeStep {
    /// What was tried ("discovery", "read", "partial update"...).
    pub name: String,
    /// Whether the step went as a working provider's would: `outcome` is not `fail`.
    /// Kept beside `outcome` for readers of the JSON from before it.
    pub ok: bool,
    /// How the step came out. Reports are not stored; JSON from before this field reads as
    /// `pass`.
    #[serde(default)]
    pub outcome: ProbeOutcome,
    /// The provider's HTTP status, when an answer came.
    pub status: Option<u16>,
    /// What happened, in words.
    pub detail: String,
}

/// Whether registration needs credentials, as far as the probe could tell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum RegistrationAuthFinding {
    /// Open registration: a valid request without credentials created a client.
    None,
    /// Refused without credentials; the challenge asked for a bearer token.
    Bearer,
    /// Refused without credentials; the challenge asked for Basic.
    Basic,
    /// Refused without credentials, with no challenge that says which.
    Credentials,
    /// The probe could not tell: no usable answer, or one that judged the body before the caller.
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

    /// Whether registration needs credentials; `None` when unknown.
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
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct ProbeFindings {
    /// Whether the issuer's discovery document was found; `None` when the profile has no issuer.
    pub discovery_found: Option<bool>,
    /// What registration needs.
    pub registration_auth: RegistrationAuthFinding,
    /// Set when what the provider does and what the profile says disagree (the profile
    /// has a token and the provider registers without one, or the other way round).
    pub registration_auth_disagreement: Option<String>,
    /// The status of the throw-away client's registration.
    pub register_status: Option<u16>,
    /// How many throw-away metadata sets were tried before one was accepted.
    pub register_attempts: u8,
    /// Whether the provider offers RFC 7592 read.
    pub offers_read: Option<bool>,
    /// Whether the provider offers RFC 7592 update.
    pub offers_update: Option<bool>,
    /// Whether the provider offers RFC 7592 delete.
    pub offers_delete: Option<bool>,
    /// A new registration access token in a read's answer.
    pub rotates_token_on_read: Option<bool>,
    /// A new `client_secret` in a read's answer.
    pub rotates_secret_on_read: Option<bool>,
    /// A new registration access token in an update's answer.
    pub rotates_token_on_update: Option<bool>,
    /// A new `client_secret` in an update's answer.
    pub rotates_secret_on_update: Option<bool>,
    /// How a read's answer shows the client secret.
    pub secret_on_read: Option<SecretInAnswer>,
    /// The status with which the provider refused an update holding only `client_id` and
    /// `client_name`; None when it accepted it (or was not asked).
    pub partial_update_refused: Option<u16>,
    /// An update must carry the full metadata: the provider refused a partial one, or dropped
    /// the fields it did not carry.
    pub update_needs_full_metadata: Option<bool>,
    /// Whether a field no specification defines was kept at registration.
    pub unknown_fields_kept: Option<bool>,
    /// Fields the provider's registration answer added to what was sent.
    pub fields_added: Vec<String>,
    /// Fields sent at registration that the answer lacked.
    pub fields_dropped: Vec<String>,
    /// Fields sent at registration that came back with another value.
    pub fields_rewritten: Vec<String>,
    /// The status of the throw-away client's delete.
    pub delete_status: Option<u16>,
    /// Whether the client was gone after delete answered success; `None` when the provider
    /// cannot read, so it could not be checked.
    pub delete_deletes: Option<bool>,
}

/// What a probe ("Test connection") found about a provider, with the settings that follow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct ProbeReport {
    /// Every step taken, in order.
    pub steps: Vec<ProbeStep>,
    /// What was learnt.
    pub findings: ProbeFindings,
    /// The profile's settings, corrected by what was found.
    pub suggested_settings: EngineSettings,
    /// None when nothing was created; false when a throw-away client is still there.
    pub cleaned_up: Option<bool>,
    /// Why cleaning up failed and what is left on the provider, when it did.
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
