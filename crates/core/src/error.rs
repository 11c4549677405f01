//! One error type for every core operation, in words a user can act on. Each variant is
//! named after the step that failed; `code()` gives the stable string the UI and the CLI
//! branch on (exit codes, field highlighting), so they never parse messages.

use crate::metadata::FieldError;

/// The core's result: [`Error`] unless said otherwise.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a core operation failed, named after the step that failed; [`Error::code`] gives
/// the stable kind the shells branch on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The metadata or a profile setting is wrong; nothing was sent.
    #[error("{}", describe_fields(.0))]
    Validation(Vec<FieldError>),

    /// The provider answered with an error status.
    #[error("{}", describe_provider(.status, .code.as_deref(), .description.as_deref()))]
    Provider {
        /// The HTTP status of the answer.
        status: u16,
        /// The provider's `error` code (RFC 7591 §3.2.2), when the body carried one.
        code: Option<String>,
        /// The provider's `error_description`, or an excerpt of a body that was not JSON.
        description: Option<String>,
        /// The metadata field the error names, when it names one (`invalid_redirect_uri`).
        field: Option<String>,
    },

    /// The provider refused the credentials (401/403, or `invalid_token`).
    #[error("the provider refused the credentials (HTTP {status}{}){}: {hint}",
        .code.as_deref().map(|c| format!(", {c}")).unwrap_or_default(),
        .description.as_deref().map(|d| format!(" \u{2014} {d}")).unwrap_or_default())]
    Auth {
        /// The HTTP status of the answer; 0 when the refusal is local (no token is stored).
        status: u16,
        /// The provider's `error` code (`invalid_token`...), when the body carried one.
        code: Option<String>,
        /// The provider's `error_description`, when the body carried one.
        description: Option<String>,
        /// What the user can do about it, in words (check the credentials, the account's role).
        hint: String,
        /// The `WWW-Authenticate` challenge, when the provider sent one.
        challenge: Option<String>,
    },

    /// The provider answered 2xx, but not with something usable.
    #[error("the provider's answer could not be used: {0}")]
    InvalidResponse(String),

    /// The provider could not be reached, or the connection broke.
    #[error("could not reach the provider at {url}: {detail}{}",
        if *.maybe_applied { "; the provider may have applied the request, so refresh before retrying" } else { "" })]
    Network {
        /// The URL the request was sent to.
        url: String,
        /// What went wrong, in the transport's words (refused, timed out, reset...).
        detail: String,
        /// True when the request may have reached the provider (the connection broke
        /// after it was sent): the change may have been made.
        maybe_applied: bool,
    },

    /// The TLS handshake failed or the certificate was refused; nothing was sent.
    #[error("TLS failed for {url}: {detail}")]
    Tls {
        /// The URL the request was for.
        url: String,
        /// The verifier's or the handshake's reason, as the TLS stack gave it.
        detail: String,
    },

    /// The profile's provider does not offer this operation; nothing was sent.
    #[error("{operation} is not supported by this provider ({provider}); nothing was sent")]
    Unsupported {
        /// What was asked, in words ("trying the client").
        operation: String,
        /// Why this provider or client cannot do it, in words.
        provider: String,
    },

    /// The client changed on the provider since it was last read (ETag mismatch).
    #[error("the client changed on the provider since it was last read; refresh it, then retry")]
    Conflict,

    /// A profile, client or record Registrar does not know.
    #[error("{what} not found")]
    NotFound {
        /// What was looked for, in words ("client \"x\" in this profile").
        what: String,
    },

    /// A profile setting is unusable (bad URL, missing credential...).
    #[error("profile setting {setting}: {message}")]
    Config {
        /// The setting's path, as forms name fields (`settings.list_endpoint`).
        setting: String,
        /// What is wrong with it.
        message: String,
    },

    /// A provider named a URL on a host the profile does not know; nothing was sent there.
    #[error("the provider names {url}, on {host}, another host than the profile's registration endpoint; nothing was sent there. If {host} is the provider's, trust it in the profile, then retry")]
    UntrustedHost {
        /// The host to trust (`settings.trusted_hosts`) if it is the provider's.
        host: String,
        /// The URL the provider named.
        url: String,
    },

    /// The OS keychain refused, is locked or is missing.
    #[error("keychain: {0}")]
    Keychain(#[from] crate::secrets::KeychainError),

    /// The local SQLite database failed (or a value could not be (de)serialised for it).
    #[error("local database: {0}")]
    Storage(String),
}

/// What kind of failure an error is: the closed list the shells branch on (the CLI's exit
/// codes, the window's dialogs), so neither ever parses a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum ErrorCode {
    /// Bad metadata or a bad profile setting; nothing was sent ([`Error::Validation`]).
    Validation,
    /// The provider refused the request ([`Error::Provider`]).
    Provider,
    /// The provider refused the credentials, or none are stored ([`Error::Auth`]).
    Auth,
    /// A 2xx answer that could not be used ([`Error::InvalidResponse`]).
    InvalidResponse,
    /// The provider could not be reached, or the connection broke ([`Error::Network`]).
    Network,
    /// The TLS handshake or certificate check failed ([`Error::Tls`]).
    Tls,
    /// The provider does not offer the operation ([`Error::Unsupported`]).
    Unsupported,
    /// The client changed on the provider since it was read ([`Error::Conflict`]).
    Conflict,
    /// A profile, client or record is not known ([`Error::NotFound`]).
    NotFound,
    /// A profile setting is unusable ([`Error::Config`]).
    Config,
    /// The provider named a host the profile does not trust ([`Error::UntrustedHost`]).
    UntrustedHost,
    /// The OS keychain failed ([`Error::Keychain`]).
    Keychain,
    /// The local database failed ([`Error::Storage`]).
    Storage,
    /// A shell's own failure (a task that stopped, a clipboard that refused).
    Internal,
}

impl ErrorCode {
    /// The code as serialised (`"not_found"`...): the string the shells and `--json` output carry.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Validation => "validation",
            ErrorCode::Provider => "provider",
            ErrorCode::Auth => "auth",
            ErrorCode::InvalidResponse => "invalid_response",
            ErrorCode::Network => "network",
            ErrorCode::Tls => "tls",
            ErrorCode::Unsupported => "unsupported",
            ErrorCode::Conflict => "conflict",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Config => "config",
            ErrorCode::UntrustedHost => "untrusted_host",
            ErrorCode::Keychain => "keychain",
            ErrorCode::Storage => "storage",
            ErrorCode::Internal => "internal",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// The kind of failure, for the shells to branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Validation(_) => ErrorCode::Validation,
            Error::Provider { .. } => ErrorCode::Provider,
            Error::Auth { .. } => ErrorCode::Auth,
            Error::InvalidResponse(_) => ErrorCode::InvalidResponse,
            Error::Network { .. } => ErrorCode::Network,
            Error::Tls { .. } => ErrorCode::Tls,
            Error::Unsupported { .. } => ErrorCode::Unsupported,
            Error::Conflict => ErrorCode::Conflict,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Config { .. } => ErrorCode::Config,
            Error::UntrustedHost { .. } => ErrorCode::UntrustedHost,
            Error::Keychain(_) => ErrorCode::Keychain,
            Error::Storage(_) => ErrorCode::Storage,
        }
    }

    /// [`Error::NotFound`]; `what` names the missing thing ("client \"x\" in this profile").
    pub fn not_found(what: impl Into<String>) -> Self {
        Error::NotFound { what: what.into() }
    }

    /// [`Error::Config`] for the profile setting `setting`.
    pub fn config(setting: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Config {
            setting: setting.into(),
            message: message.into(),
        }
    }

    /// [`Error::Validation`] with one [`FieldError`] on `field`.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Validation(vec![FieldError::new(field, message)])
    }
}

/// An error as the shells show it: a stable code to branch on, a sentence to show, and
/// the fields it is about, so a form can put each message next to its field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct ErrorView {
    /// The kind of failure, to branch on.
    pub code: ErrorCode,
    /// The error in words, to show as is.
    pub message: String,
    /// The fields the error is about, for a form to mark; empty when it is about none.
    pub fields: Vec<FieldError>,
    /// The provider's own error code (`invalid_redirect_uri`...), when it gave one.
    pub provider_code: Option<String>,
}

impl From<&Error> for ErrorView {
    fn from(e: &Error) -> Self {
        let fields = match e {
            Error::Validation(fields) => fields.clone(),
            Error::Provider {
                field: Some(field),
                description,
                ..
            } => vec![FieldError::new(
                field.clone(),
                description
                    .clone()
                    .unwrap_or_else(|| "was refused by the provider".into()),
            )],
            Error::Config { setting, message } => vec![FieldError::new(setting.clone(), message.clone())],
            // The host the window asks the user to trust.
            Error::UntrustedHost { host, .. } => vec![FieldError::new("settings.trusted_hosts", host.clone())],
            _ => Vec::new(),
        };
        let provider_code = match e {
            Error::Provider { code, .. } | Error::Auth { code, .. } => code.clone(),
            _ => None,
        };
        Self {
            code: e.code(),
            message: e.to_string(),
            fields,
            provider_code,
        }
    }
}

impl ErrorView {
    /// An error about no field and with no provider code: a shell's own (a file it could
    /// not write, a task that stopped).
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            fields: vec![],
            provider_code: None,
        }
    }
}

impl From<Error> for ErrorView {
    fn from(e: Error) -> Self {
        Self::from(&e)
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Storage(e.to_string())
    }
}

impl From<rusqlite_migration::Error> for Error {
    fn from(e: rusqlite_migration::Error) -> Self {
        Error::Storage(format!("could not migrate the database: {e}"))
    }
}

fn describe_fields(fields: &[FieldError]) -> String {
    match fields {
        [] => "invalid input".to_string(),
        [one] => one.to_string(),
        many => {
            let parts: Vec<String> = many.iter().map(ToString::to_string).collect();
            parts.join("; ")
        }
    }
}

fn describe_provider(status: &u16, code: Option<&str>, description: Option<&str>) -> String {
    let mut out = format!("the provider refused the request (HTTP {status}");
    if let Some(code) = code {
        out.push_str(", ");
        out.push_str(code);
    }
    out.push(')');
    if let Some(d) = description {
        out.push_str(": ");
        out.push_str(d);
    }
    out
}
