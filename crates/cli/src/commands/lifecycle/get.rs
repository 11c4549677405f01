//! `registrar get`: the local record, without asking the provider. The secret is shown
//! only with `--show-secret`.

use super::ClientArgs;
use crate::app::App;
use crate::commands::locate;
use crate::failure::Failure;
use crate::render::ClientView;
use clap::Args;

#[derive(Debug, Args)]
pub struct GetArgs {
    #[command(flatten)]
    pub client: ClientArgs,
    /// Also print the client secret kept in the keychain.
    #[arg(long)]
    pub show_secret: bool,
}

pub fn run(app: &App, args: GetArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let (profile, reg) = locate(&registrar, args.client.profile.as_deref(), &args.client.client_id)?;
    let mut view = ClientView::new(&reg, &profile.name);
    if args.show_secret {
        match registrar.client_secret(&profile.id, &reg.client_id)? {
            Some(secret) => view.client_secret = Some(secret.expose().to_string()),
            None => app
                .out
                .warn(&["no client secret is stored for this client".to_string()]),
        }
    }
    app.out.show(&view)
}
