//! The client lifecycle on a provider: register, get (local), refresh (read), update,
//! delete. One file per command.

pub mod delete;
pub mod get;
pub mod refresh;
mod refresh_all;
pub mod register;
pub mod update;

pub use delete::DeleteArgs;
pub use get::GetArgs;
pub use refresh::RefreshArgs;
pub use register::RegisterArgs;
pub use update::UpdateArgs;

use crate::failure::Failure;
use clap::Args;
use registrar_core::Error;

// Which client: its id, and the profile it belongs to when more than one could have it.
// (A comment, not a doc comment: flattened into a deferred subcommand, a doc comment
// would replace that command's own description; see args::Command.)
#[derive(Debug, Args)]
pub struct ClientArgs {
    /// The profile (name or id); may be left out when only one profile knows the client.
    #[arg(long, short = 'p', env = "REGISTRAR_PROFILE")]
    pub profile: Option<String>,
    /// The client's client_id (it may start with "-").
    #[arg(allow_hyphen_values = true)]
    pub client_id: String,
}

/// A core error from sending metadata, with "nothing was sent" made explicit for local
/// validation failures.
pub fn metadata_failure(e: Error) -> Failure {
    match e {
        // The core already says it (an expired software statement, say): once is enough.
        Error::Validation(_) if e.to_string().contains("nothing was sent") => e.into(),
        Error::Validation(_) => Failure::from(e).context("invalid metadata, nothing was sent"),
        other => other.into(),
    }
}
