//! `registrar orphans`: clients on the provider that are not known here (from the
//! profile's list endpoint or a file), and local records whose client is gone from the
//! provider, each with the command that adopts or forgets it.

use super::provider_call;
use crate::app::App;
use crate::failure::Failure;
use crate::render::OrphansView;
use clap::Args;
use registrar_core::parse_client_list;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct OrphansArgs {
    /// The profile (name or id).
    #[arg(long, short = 'p', env = "REGISTRAR_PROFILE")]
    pub profile: String,
    /// The provider's clients as a JSON list (or {"clients": [...]}), when the profile has
    /// no list endpoint.
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
}

pub async fn run(app: &App, args: OrphansArgs) -> Result<(), Failure> {
    let listed = match &args.from {
        Some(path) => {
            let bytes =
                std::fs::read(path).map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
            // A file that is not a client list is the user's input, not a provider's answer.
            let clients = parse_client_list(&bytes).map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
            Some(clients)
        }
        None => None,
    };
    let registrar = app.open()?;
    let profile = registrar.profile(&args.profile)?;
    let report = provider_call(
        format!("looking for orphans of {}", profile.name),
        registrar.orphans(&profile.id, listed),
    )
    .await??;
    app.out.show(&OrphansView::new(&profile.name, &report))?;
    super::unstored::fail_if_any(app, report.unstored)
}
