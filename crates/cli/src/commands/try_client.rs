//! `registrar try`: prove a registration works by getting a token with the client's own
//! credentials (client_credentials). The token itself is never shown.

use super::lifecycle::ClientArgs;
use super::{locate, provider_call};
use crate::app::App;
use crate::failure::Failure;
use crate::render::TryView;

pub async fn run(app: &App, args: ClientArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let (profile, reg) = locate(&registrar, args.profile.as_deref(), &args.client_id)?;
    let report = provider_call(
        format!("asking {} for a token as {}", profile.name, reg.client_id),
        registrar.try_client(&profile.id, &reg.client_id),
    )
    .await??;
    app.out.show(&TryView {
        profile: profile.name,
        client_id: reg.client_id,
        report,
    })
}
