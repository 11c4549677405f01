//! `registrar export`: a client as JSON (the provider's metadata, ready for
//! `register --file`), as a `.env` file, or as a curl script that replays its read;
//! several clients of one profile together (a JSON array, prefixed variables, one script).
//! Secrets go in only with `--with-secrets`; the core writes every format.

use super::locate;
use crate::app::App;
use crate::failure::Failure;
use clap::{Args, ValueEnum};
use registrar_core::ExportFormat;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The client's client_id (it may start with "-").
    #[arg(allow_hyphen_values = true)]
    pub client_id: String,
    /// More clients of the same profile, exported together (a JSON array, prefixed .env
    /// variables, one script). Unlike the first, these are read up to the first option, so
    /// one starting with "-" goes after `--`.
    #[arg(value_name = "MORE_CLIENT_IDS")]
    pub more: Vec<String>,
    /// The profile (name or id); may be left out when only one profile knows the client.
    #[arg(long, short = 'p', env = "REGISTRAR_PROFILE")]
    pub profile: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Include the client secret (and, for json and curl, the registration access token).
    #[arg(long)]
    pub with_secrets: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The provider's metadata as a JSON object.
    Json,
    /// OIDC_CLIENT_ID=... lines for a .env file.
    Env,
    /// A shell script that reads the client with curl.
    Curl,
}

pub fn run(app: &App, args: ExportArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let mut profile: Option<registrar_core::Profile> = None;
    let mut ids = Vec::with_capacity(1 + args.more.len());
    // An id named twice is exported once.
    let mut asked = std::collections::HashSet::new();
    let named = std::iter::once(&args.client_id).chain(&args.more);
    for client_id in named.filter(|id| asked.insert(id.as_str())) {
        let (found, reg) = locate(&registrar, args.profile.as_deref(), client_id)?;
        match &profile {
            Some(p) if p.id != found.id => {
                return Err(Failure::usage(format!(
                "{client_id} is a client of profile {}, not of {}; export one profile's clients at a time (--profile)",
                found.name, p.name
            )))
            }
            Some(_) => {}
            None => profile = Some(found),
        }
        ids.push(reg.client_id);
    }
    let profile = profile.expect("clap requires at least one client id");
    let format = match args.format {
        Format::Json => ExportFormat::Json,
        Format::Env => ExportFormat::Env,
        Format::Curl => ExportFormat::Curl,
    };
    let text = registrar.export_many(&profile.id, &ids, format, args.with_secrets)?;
    print!("{text}");
    Ok(())
}
