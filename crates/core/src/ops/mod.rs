//! Every operation Registrar performs, each in its own file, as a method on `Registrar`.
//! The CLI and the desktop shell call these and nothing below them.
//!
//! The write discipline, for every call that reaches a provider: journal the intent,
//! send, store any new credential in the keychain first, then store the state and close
//! the journal entry in one transaction. A crash anywhere leaves either a finished record
//! or an unresolved journal entry that says what to recover.

mod auth;
mod call;
mod client_credentials;
mod client_locks;
mod context;
mod credentials;
mod delete;
mod import;
mod managed_call;
mod management_url;
mod outcome;
mod profiles;
mod read;
mod register;
mod update;

pub use client_credentials::TokenGrant;
pub use context::Registrar;
pub use import::ImportRequest;
pub use outcome::{DeleteOutcome, RegisterOutcome, SyncOutcome};
