//! Importing one client from flags: its id, its registration_client_uri, and its
//! registration access token from stdin, the environment or a prompt.

use super::ImportArgs;
use crate::app::App;
use crate::commands::lifecycle::refresh::show_sync;
use crate::commands::provider_call;
use crate::failure::Failure;
use crate::input::metadata::read_file;
use crate::input::secret::from_env;
use crate::render::Action;
use registrar_core::{ImportRequest, ManagementAuth};

pub async fn run(app: &App, profile: &str, args: &ImportArgs, client_id: String) -> Result<(), Failure> {
    let registrar = app.open()?;
    let profile = registrar.profile(profile)?;
    let metadata = args.file.as_deref().map(read_file).transpose()?;
    let registration_access_token = match profile.management_auth {
        ManagementAuth::RegistrationAccessToken => Some(args.token.read("registration access token")?),
        ManagementAuth::AdminCredentials => args.token.read_given("registration access token")?,
    };
    let client_secret = args
        .client_secret_env
        .as_deref()
        .map(|name| from_env(name, "client secret"))
        .transpose()?;
    let request = ImportRequest {
        client_id,
        registration_client_uri: args.registration_client_uri.clone(),
        registration_access_token,
        client_secret,
        metadata,
    };
    let message = format!("importing {} from {}", request.client_id, profile.name);
    let outcome = provider_call(message, registrar.import(&profile.id, request)).await??;
    show_sync(app, Action::Imported, &profile.name, outcome)
}
