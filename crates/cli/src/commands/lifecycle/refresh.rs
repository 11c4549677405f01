//! `registrar refresh`: read the client from its provider and store the answer, with
//! any rotated credentials kept first (the core's discipline), and show the drift.

use crate::app::App;
use crate::commands::{locate, provider_call};
use crate::failure::Failure;
use crate::render::{Action, ClientView, SyncView};
use clap::Args;
use registrar_core::SyncOutcome;

#[derive(Debug, Args)]
pub struct RefreshArgs {
    /// The profile (name or id); may be left out when only one profile knows the client.
    /// With --all: only this profile's clients.
    #[arg(long, short = 'p', env = "REGISTRAR_PROFILE")]
    pub profile: Option<String>,
    /// The client's client_id.
    #[arg(required_unless_present = "all", conflicts_with = "all", allow_hyphen_values = true)]
    pub client_id: Option<String>,
    /// Refresh every client (of --profile, or of every profile) whose provider can read.
    #[arg(long)]
    pub all: bool,
    /// With --all: how many clients are read at the same time.
    #[arg(long, default_value_t = 4, requires = "all")]
    pub concurrency: usize,
}

pub async fn run(app: &App, args: RefreshArgs) -> Result<(), Failure> {
    let Some(client_id) = args.client_id else {
        return super::refresh_all::run(app, args.profile.as_deref(), args.concurrency).await;
    };
    let registrar = app.open()?;
    let (profile, reg) = locate(&registrar, args.profile.as_deref(), &client_id)?;
    let outcome = provider_call(
        format!("reading {} from {}", reg.client_id, profile.name),
        registrar.read(&profile.id, &reg.client_id),
    )
    .await??;
    show_sync(app, Action::Refreshed, &profile.name, outcome)
}

/// Shows a read, update or import result.
pub fn show_sync(app: &App, action: Action, profile: &str, outcome: SyncOutcome) -> Result<(), Failure> {
    let unstored = outcome.unstored_registration_access_token.is_some() || outcome.unstored_client_secret.is_some();
    let mut client = ClientView::new(&outcome.registration, profile);
    // New credentials the keychain could not keep are shown now, or never (the core says which).
    client.client_secret = outcome.unstored_client_secret.as_ref().map(|s| s.expose().to_string());
    let registration_access_token = outcome
        .unstored_registration_access_token
        .as_ref()
        .map(|s| s.expose().to_string());
    // An update's drift already leaves out the fields only a provider sets (the core's
    // `Drift::without_issued_fields`): one list, in the core.
    let drift = outcome.drift.changes;
    let view = SyncView {
        action,
        client,
        http_status: outcome.status,
        drift,
        secret_in_answer: outcome.secret_in_answer,
        rotated_registration_access_token: outcome.rotated_registration_access_token,
        rotated_client_secret: outcome.rotated_client_secret,
        registration_access_token,
        warnings: outcome.warnings,
    };
    app.out.warn(&view.warnings);
    app.out.show(&view)?;
    if unstored {
        return Err(crate::commands::unstored::shown_once());
    }
    Ok(())
}
