//! `registrar import`: adopt clients registered elsewhere, one from flags or many from a
//! JSON file. The core reads each before adopting it where the provider can read, so a
//! wrong token is refused, not stored.

mod many;
mod one;

use crate::app::App;
use crate::failure::Failure;
use crate::input::secret::SecretArgs;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The profile (name or id) of the clients' provider.
    #[arg(long, short = 'p', env = "REGISTRAR_PROFILE")]
    pub profile: String,
    /// The client's client_id.
    #[arg(
        required_unless_present = "from",
        conflicts_with = "from",
        allow_hyphen_values = true
    )]
    pub client_id: Option<String>,
    /// A JSON list of clients: [{"client_id", "registration_client_uri",
    /// "registration_access_token", "client_secret"?, ...metadata}].
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    /// Where the client is managed, as the provider returned it at registration.
    #[arg(long, value_name = "URL", conflicts_with = "from")]
    pub registration_client_uri: Option<String>,
    /// What is known of the client's metadata (JSON), for providers that cannot read it.
    #[arg(long, short = 'f', value_name = "FILE", conflicts_with = "from")]
    pub file: Option<PathBuf>,
    /// The registration access token: --secret-stdin or --secret-env NAME (or a prompt);
    /// profiles managed with admin credentials need none.
    #[command(flatten)]
    pub token: SecretArgs,
    /// Read the client's secret from the environment variable NAME, to keep it too.
    #[arg(long, value_name = "NAME", conflicts_with = "from")]
    pub client_secret_env: Option<String>,
}

pub async fn run(app: &App, args: ImportArgs) -> Result<(), Failure> {
    match (&args.from, &args.client_id) {
        (Some(file), _) => {
            if args.token.given() {
                return Err(Failure::usage("with --from, each client's token comes from the file"));
            }
            many::run(app, &args.profile, file).await
        }
        (None, Some(client_id)) => one::run(app, &args, client_id.clone()).await,
        (None, None) => Err(Failure::usage("name the client to import, or pass --from FILE")),
    }
}
