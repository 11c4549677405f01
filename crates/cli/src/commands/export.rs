//! `registrar export`: a client as JSON (the provider's metadata, ready for
//! `register --file`), as a `.env` file, or as a curl script that replays its read.
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
    let (profile, reg) = locate(&registrar, args.profile.as_deref(), &args.client_id)?;
    let format = match args.format {
        Format::Json => ExportFormat::Json,
        Format::Env => ExportFormat::Env,
        Format::Curl => ExportFormat::Curl,
    };
    let text = registrar.export(&profile.id, &reg.client_id, format, args.with_secrets)?;
    print!("{text}");
    Ok(())
}
