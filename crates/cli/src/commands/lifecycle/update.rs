//! `registrar update`: the client's last known metadata (or `--file`, the whole new
//! metadata) with `--set` edits applied, sent as RFC 7592 asks.

use super::refresh::show_sync;
use super::{metadata_failure, ClientArgs};
use crate::app::App;
use crate::commands::{locate, provider_call};
use crate::failure::Failure;
use crate::input::metadata::MetadataArgs;
use crate::render::Action;
use clap::Args;

#[derive(Debug, Args)]
pub struct UpdateArgs {
    #[command(flatten)]
    pub client: ClientArgs,
    /// `--file` replaces the whole metadata; `--set` edits apply to the file, or to the
    /// metadata the provider last returned.
    #[command(flatten)]
    pub metadata: MetadataArgs,
}

pub async fn run(app: &App, args: UpdateArgs) -> Result<(), Failure> {
    if args.metadata.is_empty() {
        return Err(Failure::usage(
            "nothing to change: pass --set key=value (key+=value appends) or --file FILE",
        ));
    }
    let registrar = app.open()?;
    let (profile, reg) = locate(&registrar, args.client.profile.as_deref(), &args.client.client_id)?;
    let desired = args.metadata.resolve(reg.metadata_returned.clone())?;
    let outcome = provider_call(
        format!("updating {} on {}", reg.client_id, profile.name),
        registrar.update(&profile.id, &reg.client_id, desired),
    )
    .await?
    .map_err(metadata_failure)?;
    show_sync(app, Action::Updated, &profile.name, outcome)
}
