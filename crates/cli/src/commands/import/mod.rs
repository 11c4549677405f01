//! `registrar import`: adopt clients registered elsewhere, one from flags or many from a
//! JSON file, or what Keycloak's kcreg and oidc-agent already hold. The core reads each
//! before adopting it where the provider can read, so a wrong token is refused, not stored.

mod bring;
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
    #[arg(
        long,
        short = 'p',
        env = "REGISTRAR_PROFILE",
        required_unless_present_any = ["kcreg", "oidc_agent"]
    )]
    pub profile: Option<String>,
    /// The client's client_id.
    #[arg(
        required_unless_present_any = ["from", "kcreg", "oidc_agent"],
        conflicts_with_all = ["from", "kcreg", "oidc_agent"],
        allow_hyphen_values = true
    )]
    pub client_id: Option<String>,
    /// Keycloak's kcreg configuration [default: ~/.keycloak/kcreg.config]: each realm
    /// becomes a Keycloak profile, each client it holds a token for is read and adopted.
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "", conflicts_with_all = ["from", "oidc_agent"])]
    pub kcreg: Option<PathBuf>,
    /// An oidc-agent account as `oidc-gen -p NAME` prints it (FILE, or - for standard
    /// input): its client goes into the profile of its issuer (made by discovery if none).
    #[arg(long, value_name = "FILE", conflicts_with = "from")]
    pub oidc_agent: Option<PathBuf>,
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
    if let Some(file) = &args.kcreg {
        return bring::kcreg(app, file).await;
    }
    if let Some(file) = &args.oidc_agent {
        return bring::oidc_agent(app, file).await;
    }
    let Some(profile) = args.profile.as_deref() else {
        return Err(Failure::usage("name the profile with --profile"));
    };
    match (&args.from, &args.client_id) {
        (Some(file), _) => {
            if args.token.given() {
                return Err(Failure::usage("with --from, each client's token comes from the file"));
            }
            many::run(app, profile, file).await
        }
        (None, Some(client_id)) => one::run(app, profile, &args, client_id.clone()).await,
        (None, None) => Err(Failure::usage("name the client to import, or pass --from FILE")),
    }
}
