//! `registrar register`: a new client from a file and/or `--set` edits. The client
//! secret is printed this once (and on request with `get --show-secret`).

use super::metadata_failure;
use crate::app::App;
use crate::commands::provider_call;
use crate::failure::Failure;
use crate::input::metadata::MetadataArgs;
use crate::render::{ClientView, RegisterView};
use clap::Args;
use registrar_core::ClientMetadata;

#[derive(Debug, Args)]
pub struct RegisterArgs {
    /// The profile (name or id) of the provider to register with.
    #[arg(long, short = 'p', env = "REGISTRAR_PROFILE")]
    pub profile: String,
    /// Start from the metadata an MCP client registers with (a public client named NAME
    /// on a loopback redirect URI, authorization code + refresh token); --file and --set
    /// change it.
    #[arg(long, value_name = "NAME")]
    pub mcp_client: Option<String>,
    #[command(flatten)]
    pub metadata: MetadataArgs,
}

pub async fn run(app: &App, args: RegisterArgs) -> Result<(), Failure> {
    if args.metadata.is_empty() && args.mcp_client.is_none() {
        return Err(Failure::usage(
            "nothing to register: give the client's metadata with --file FILE and/or --set key=value",
        ));
    }
    let start = match &args.mcp_client {
        Some(name) => registrar_core::mcp_client_metadata(name),
        None => ClientMetadata::new(),
    };
    let metadata = args.metadata.resolve(start)?;
    let registrar = app.open()?;
    let profile = registrar.profile(&args.profile)?;
    let outcome = provider_call(
        format!("registering with {}", profile.name),
        registrar.register(&profile.id, metadata),
    )
    .await?
    .map_err(metadata_failure)?;
    let mut client = ClientView::new(&outcome.registration, &profile.name);
    client.client_secret = outcome.client_secret.as_ref().map(|s| s.expose().to_string());
    let mut view = RegisterView {
        client,
        http_status: outcome.status,
        provider_changes: outcome.provider_changes.changes,
        registration_access_token: None,
        warnings: outcome.warnings,
    };
    // Not in the keychain: this is the only moment the token can be kept.
    view.registration_access_token = outcome
        .unstored_registration_access_token
        .as_ref()
        .map(|s| s.expose().to_string());
    let not_stored = outcome.registration.credentials == registrar_core::CredentialState::NotStored;
    app.out.warn(&view.warnings);
    app.out.show(&view)?;
    if not_stored {
        return Err(crate::commands::unstored::shown_once());
    }
    Ok(())
}
