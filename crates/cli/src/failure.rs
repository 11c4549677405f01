//! Why a command failed, as an exit code and one sentence for stderr. Core errors are
//! mapped through `Error::code()`, never by parsing messages, so scripts can rely on:
//!
//! | code | meaning |
//! |------|---------|
//! | 0    | success |
//! | 1    | declined at a confirmation prompt, or an unexpected internal failure |
//! | 2    | usage: bad arguments, unreadable or invalid input, invalid metadata or profile settings (nothing was sent) |
//! | 3    | not found: no such profile or client |
//! | 4    | the provider refused: an error answer, refused credentials, an unusable answer, an operation it does not offer, an ETag conflict |
//! | 5    | network or TLS: the provider could not be reached |
//! | 6    | keychain or local database |
//! | 130  | interrupted with Ctrl-C |

use registrar_core::{Error, ErrorCode};
use std::process::ExitCode;

pub const USAGE: u8 = 2;
pub const NOT_FOUND: u8 = 3;
pub const REFUSED: u8 = 4;
pub const NETWORK: u8 = 5;
pub const STORAGE: u8 = 6;
pub const INTERRUPTED: u8 = 130;

#[derive(Debug)]
pub struct Failure {
    pub exit: u8,
    pub message: String,
    /// What to do next, each printed on a line of its own after the error.
    pub hints: Vec<String>,
}

impl Failure {
    pub fn new(exit: u8, message: impl Into<String>) -> Self {
        Self {
            exit,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(USAGE, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(NOT_FOUND, message)
    }

    pub fn storage(message: impl Into<String>) -> Self {
        Self::new(STORAGE, message)
    }

    pub fn interrupted() -> Self {
        Self::new(INTERRUPTED, "interrupted")
    }

    /// Adds what the command was doing in front of the message.
    pub fn context(mut self, what: impl std::fmt::Display) -> Self {
        self.message = format!("{what}: {}", self.message);
        self
    }

    /// Prints the sentence on stderr and gives the process's exit code.
    pub fn report(self) -> ExitCode {
        eprintln!("error: {}", self.message);
        for hint in &self.hints {
            eprintln!("hint: {hint}");
        }
        ExitCode::from(self.exit)
    }
}

/// The exit code for a kind of core failure. Exhaustive: a new kind must be given its code.
pub fn exit_code_for(code: ErrorCode) -> u8 {
    match code {
        ErrorCode::Validation | ErrorCode::Config | ErrorCode::UntrustedHost => USAGE,
        ErrorCode::NotFound => NOT_FOUND,
        ErrorCode::Provider
        | ErrorCode::Auth
        | ErrorCode::InvalidResponse
        | ErrorCode::Unsupported
        | ErrorCode::Conflict => REFUSED,
        ErrorCode::Network | ErrorCode::Tls => NETWORK,
        ErrorCode::Keychain | ErrorCode::Storage => STORAGE,
        ErrorCode::Internal => 1,
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let failure = Self::new(exit_code_for(e.code()), e.to_string());
        match &e {
            Error::UntrustedHost { host, .. } => failure.hint(format!(
                "to trust it: registrar profile edit PROFILE --trust-host {host}"
            )),
            Error::Network {
                maybe_applied: true, ..
            } => failure.hint("`registrar pending` lists it"),
            _ => failure,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_error_code_has_a_documented_exit_code() {
        let cases = [
            (Error::field("redirect_uris[0]", "is bad"), USAGE),
            (Error::config("token_endpoint", "is missing"), USAGE),
            (Error::not_found("profile \"x\""), NOT_FOUND),
            (Error::Conflict, REFUSED),
            (Error::InvalidResponse("odd".into()), REFUSED),
            (
                Error::Unsupported {
                    operation: "update".into(),
                    provider: "Soffid".into(),
                },
                REFUSED,
            ),
            (
                Error::Provider {
                    status: 400,
                    code: Some("invalid_redirect_uri".into()),
                    description: None,
                    field: None,
                },
                REFUSED,
            ),
            (
                Error::Tls {
                    url: "https://x".into(),
                    detail: "bad".into(),
                },
                NETWORK,
            ),
            (Error::Storage("locked".into()), STORAGE),
        ];
        for (error, exit) in cases {
            let code = error.code();
            assert_eq!(Failure::from(error).exit, exit, "{code}");
        }
    }

    #[test]
    fn a_provider_refusal_keeps_the_providers_error_code_in_the_sentence() {
        let f = Failure::from(Error::Provider {
            status: 400,
            code: Some("invalid_client_metadata".into()),
            description: Some("client_id x is already registered".into()),
            field: None,
        });
        assert!(f.message.contains("invalid_client_metadata"), "{}", f.message);
        assert!(!f.message.contains('\n'));
    }

    #[test]
    fn what_to_do_next_travels_as_hints_not_inside_the_sentence() {
        let f = Failure::from(Error::UntrustedHost {
            host: "mgmt.example.org".into(),
            url: "https://mgmt.example.org/clients/1".into(),
        });
        assert_eq!(f.exit, USAGE);
        assert!(!f.message.contains("--trust-host"), "{}", f.message);
        assert_eq!(
            f.hints,
            ["to trust it: registrar profile edit PROFILE --trust-host mgmt.example.org"]
        );
        let f = Failure::from(Error::Network {
            url: "https://op.example/register".into(),
            detail: "connection reset".into(),
            maybe_applied: true,
        });
        assert_eq!((f.exit, f.hints.len()), (NETWORK, 1));
        let f = Failure::from(Error::Conflict);
        assert!(f.hints.is_empty());
    }
}
