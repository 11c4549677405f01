//! `registrar forget`: drop a local record and its keychain entries without asking the
//! provider, for a client that is gone there (see `orphans`). Confirmed first, since a
//! live client's registration access token cannot be recovered.

use super::lifecycle::ClientArgs;
use super::locate;
use crate::app::App;
use crate::failure::Failure;
use crate::input::confirm;
use crate::render::ForgetView;
use clap::Args;

#[derive(Debug, Args)]
pub struct ForgetArgs {
    #[command(flatten)]
    pub client: ClientArgs,
    /// Do not ask for confirmation (needed when standard input is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

pub fn run(app: &App, args: ForgetArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let (profile, reg) = locate(&registrar, args.client.profile.as_deref(), &args.client.client_id)?;
    if !args.yes {
        let question = format!(
            "Forget client {} of profile {} here, with its credentials? The provider is not asked; \
             if the client still exists there, its registration access token is lost.",
            reg.client_id, profile.name
        );
        if !confirm::ask(&question)? {
            return Err(Failure::new(1, "not confirmed; nothing was forgotten"));
        }
    }
    let warnings = registrar.forget(&profile.id, &reg.client_id)?;
    app.out.warn(&warnings);
    app.out.show(&ForgetView {
        profile: profile.name,
        client_id: reg.client_id,
        warnings,
    })
}
