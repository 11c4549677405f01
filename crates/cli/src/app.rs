//! What every command runs against: where the data lives, and how results are shown. The
//! core is opened only by commands that need it, so `mock`, `completions` and `man` work
//! without a database or a keychain.

use crate::args::{Cli, Command};
use crate::commands;
use crate::failure::Failure;
use crate::render::Output;
use registrar_core::{DataDir, Registrar};
use std::path::PathBuf;

#[derive(Debug)]
pub struct App {
    data_dir: Option<PathBuf>,
    pub out: Output,
}

impl App {
    /// The data directory the user chose, or the OS default.
    pub fn data_dir(&self) -> Result<DataDir, Failure> {
        match &self.data_dir {
            Some(dir) => Ok(DataDir::at(dir.clone())),
            None => DataDir::default_location()
                .ok_or_else(|| Failure::storage("no user data directory could be determined; pass --data-dir DIR")),
        }
    }

    /// The explicit `--data-dir`, to repeat in command lines printed for the user.
    pub fn explicit_data_dir(&self) -> Option<&PathBuf> {
        self.data_dir.as_ref()
    }

    pub fn open(&self) -> Result<Registrar, Failure> {
        let dir = self.data_dir()?;
        Registrar::open(&dir).map_err(|e| Failure::from(e).context(format!("opening {}", dir.path().display())))
    }
}

pub async fn run(cli: Cli) -> Result<(), Failure> {
    let app = App {
        data_dir: cli.global.data_dir,
        out: Output::new(cli.global.json),
    };
    match cli.command {
        Command::Profile(cmd) => commands::profile::run(&app, cmd).await,
        Command::Discover(args) => commands::discover::run(&app, args).await,
        Command::Probe(args) => commands::probe::run(&app, args).await,
        Command::Register(args) => commands::lifecycle::register::run(&app, args).await,
        Command::Get(args) => commands::lifecycle::get::run(&app, args),
        Command::Refresh(args) => commands::lifecycle::refresh::run(&app, args).await,
        Command::Update(args) => commands::lifecycle::update::run(&app, args).await,
        Command::Delete(args) => commands::lifecycle::delete::run(&app, args).await,
        Command::Try(args) => commands::try_client::run(&app, args).await,
        Command::Connect(args) => commands::connect::run(&app, args).await,
        Command::Cimd(command) => commands::cimd::run(&app, command).await,
        Command::Duplicates(args) => commands::duplicates::run(&app, args).await,
        Command::List(args) => commands::list::run(&app, args),
        Command::History(args) => commands::history::run(&app, args),
        Command::Import(args) => commands::import::run(&app, args).await,
        Command::Orphans(args) => commands::orphans::run(&app, args).await,
        Command::Forget(args) => commands::forget::run(&app, args),
        Command::Pending => commands::pending::run(&app),
        Command::Recover(args) => commands::recover::recover(&app, args).await,
        Command::Dismiss(args) => commands::recover::dismiss(&app, args),
        Command::Export(args) => commands::export::run(&app, args),
        Command::Keys(cmd) => commands::custody::keys::run(&app, cmd).await,
        Command::Cert(cmd) => commands::custody::cert::run(&app, cmd),
        Command::Ssa(cmd) => commands::custody::ssa::run(&app, cmd).await,
        Command::Mock(args) => commands::mock::run(&app, args).await,
        Command::Completions(args) => commands::docs::completions(args),
        Command::Man(args) => commands::docs::man(args),
    }
}
