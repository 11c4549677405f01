//! `registrar profile remove`: forget a profile, its local records and its keychain
//! entries, after a confirmation. The provider is not asked to delete anything.

use crate::app::App;
use crate::commands::client_count;
use crate::failure::Failure;
use crate::input::confirm;
use crate::render::ProfileRemovedView;
use clap::Args;

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The profile's name or id.
    pub name: String,
    /// Do not ask for confirmation (needed when standard input is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

pub fn run(app: &App, args: RemoveArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let profile = registrar.profile(&args.name)?;
    let clients = client_count(&registrar, &profile.id)?;
    if !args.yes {
        let question = format!(
            "Remove profile {} and forget its {clients} local client record(s) and their keychain entries? \
             The clients stay on the provider.",
            profile.name
        );
        if !confirm::ask(&question)? {
            return Err(Failure::new(1, "not confirmed; nothing was removed"));
        }
    }
    let warnings = registrar.remove_profile(&profile.id)?;
    app.out.warn(&warnings);
    app.out.show(&ProfileRemovedView {
        name: profile.name,
        id: profile.id,
        clients_forgotten: clients,
        warnings,
    })
}
