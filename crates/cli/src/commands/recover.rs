//! `registrar recover` and `registrar dismiss`: finish what an interruption or a lost
//! answer left unknown. The core re-reads the clients concerned and matches interrupted
//! registrations against the provider's list; what it cannot settle is shown with the
//! action to take, and `dismiss` closes an entry the user has dealt with.

use super::provider_call;
use crate::app::App;
use crate::failure::Failure;
use crate::render::{DismissView, RecoveryView};
use clap::Args;

#[derive(Debug, Args)]
pub struct RecoverArgs {
    /// The profile (name or id) whose pending operations to work through.
    #[arg(long, short = 'p', env = "REGISTRAR_PROFILE")]
    pub profile: String,
}

#[derive(Debug, Args)]
pub struct DismissArgs {
    /// The pending operation's id, as `registrar pending` shows it.
    pub id: i64,
}

pub async fn recover(app: &App, args: RecoverArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let profile = registrar.profile(&args.profile)?;
    let items = provider_call(
        format!("recovering the pending operations of {}", profile.name),
        registrar.recover(&profile.id),
    )
    .await??;
    let unstored = items.iter().filter_map(|i| i.unstored.clone()).collect();
    app.out.show(&RecoveryView::new(&profile.name, items))?;
    super::unstored::fail_if_any(app, unstored)
}

pub fn dismiss(app: &App, args: DismissArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    if !registrar.unresolved()?.iter().any(|e| e.id == args.id) {
        return Err(Failure::not_found(format!(
            "no pending operation {}; `registrar pending` lists them",
            args.id
        )));
    }
    registrar.dismiss(args.id)?;
    app.out.show(&DismissView {
        id: args.id,
        dismissed: true,
    })
}
