//! `registrar profile ...`: the providers Registrar talks to. A profile's secrets go to
//! the keychain through the core, never to the database or the command line.

mod add;
mod choices;
mod edit;
mod export;
mod flags;
mod import;
mod list;
mod remove;
mod secret_slot;
mod show;
mod signing;

pub use flags::read_ca_cert;

use crate::app::App;
use crate::failure::Failure;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum ProfileCommand {
    /// Add a provider profile.
    Add(Box<add::AddArgs>),
    /// List the profiles.
    List,
    /// Show one profile's settings (never its secrets).
    Show {
        /// The profile's name or id.
        name: String,
    },
    /// Change a profile's settings or secret; what is not given stays as it is.
    Edit(Box<edit::EditArgs>),
    /// Print a profile as JSON without its secrets, for a colleague.
    Export {
        /// The profile's name or id.
        name: String,
    },
    /// Add a profile from `profile export`'s JSON.
    Import(import::ImportProfileArgs),
    /// Remove a profile, its local records and its keychain entries; clients on the
    /// provider are left as they are.
    Remove(remove::RemoveArgs),
}

pub async fn run(app: &App, command: ProfileCommand) -> Result<(), Failure> {
    match command {
        ProfileCommand::Add(args) => add::run(app, *args).await,
        ProfileCommand::List => list::run(app),
        ProfileCommand::Show { name } => show::run(app, &name),
        ProfileCommand::Edit(args) => edit::run(app, *args),
        ProfileCommand::Export { name } => export::run(app, &name),
        ProfileCommand::Import(args) => import::run(app, args),
        ProfileCommand::Remove(args) => remove::run(app, args),
    }
}
