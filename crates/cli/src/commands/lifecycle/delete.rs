//! `registrar delete`: delete a client on its provider, after a confirmation (or
//! `--yes`). Its credentials are forgotten; the local record stays, marked deleted.

use super::ClientArgs;
use crate::app::App;
use crate::commands::{locate, provider_call};
use crate::failure::Failure;
use crate::input::confirm;
use crate::render::DeleteView;
use clap::Args;
use registrar_core::profile::Operation;

#[derive(Debug, Args)]
pub struct DeleteArgs {
    #[command(flatten)]
    pub client: ClientArgs,
    /// Do not ask for confirmation (needed when standard input is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

pub async fn run(app: &App, args: DeleteArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let (profile, reg) = locate(&registrar, args.client.profile.as_deref(), &args.client.client_id)?;
    // Where the provider cannot delete, the core refuses without sending: no need to ask.
    if !args.yes && profile.settings.operations.offers(Operation::Delete) {
        let name = reg
            .client_name
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        let question = format!(
            "Delete client {}{name} on the provider of profile {}? Applications using it will stop working.",
            reg.client_id, profile.name
        );
        if !confirm::ask(&question)? {
            return Err(Failure::new(1, "not confirmed; nothing was deleted"));
        }
    }
    let outcome = provider_call(
        format!("deleting {} on {}", reg.client_id, profile.name),
        registrar.delete(&profile.id, &reg.client_id),
    )
    .await??;
    let view = DeleteView {
        profile: profile.name,
        client_id: outcome.client_id,
        status: "deleted",
        http_status: outcome.status,
        warnings: outcome.warnings,
    };
    app.out.warn(&view.warnings);
    app.out.show(&view)
}
