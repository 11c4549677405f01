//! registrar-core: everything Registrar does, with no UI in it. The desktop shell and the
//! `registrar` command line are thin layers over [`Registrar`]'s operations.
//!
//! - [`profile`]: a provider's settings, with a preset per known provider kind.
//! - [`metadata`]: client metadata as an open JSON object, and its validation.
//! - [`ops`]: register, read, update, delete, import, profiles.
//! - [`Store`]: SQLite state, reached only through [`Registrar`]; [`secrets`]: the OS
//!   keychain; [`http`]: the wire.

#![warn(missing_docs)]

pub mod custody;
pub mod data_dir;
pub mod drift;
pub mod error;
pub mod http;
pub mod metadata;
pub mod oauth;
pub mod ops;
pub mod private_files;
pub mod profile;
pub mod secret;
pub mod secrets;
mod store;
pub mod tokens;

pub use data_dir::DataDir;
pub use error::{Error, ErrorCode, ErrorView, Result};
pub use metadata::{ClientMetadata, FieldError};
pub use ops::*;
pub use profile::{ManagementAuth, Profile, ProfileId, ProfileSecrets, ProviderKind, RegistrationAuth};
pub use secret::Secret;
pub use store::exchanges::{Exchange, HistoryFilter};
pub use store::journal::{JournalEntry, JournalState};
pub use store::registrations::{CredentialState, Registration, RegistrationStatus};
pub use store::search::{Page, Query, Sort, SortKey, Summary};
pub use store::Store;
