//! `registrar history`: the recorded HTTP exchanges, newest first, redacted by the core
//! before they were stored.

use super::profile_names;
use crate::app::App;
use crate::failure::Failure;
use crate::render::{ExchangeView, Exchanges};
use clap::Args;
use registrar_core::HistoryFilter;

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only the exchanges about this client.
    #[arg(allow_hyphen_values = true)]
    pub client_id: Option<String>,
    /// Only this profile's exchanges (name or id).
    #[arg(long, short = 'p', env = "REGISTRAR_PROFILE")]
    pub profile: Option<String>,
    /// How many exchanges to show.
    #[arg(long, short = 'n', default_value_t = 50)]
    pub limit: u32,
    /// Show each exchange in full: headers and bodies.
    #[arg(long)]
    pub full: bool,
}

pub fn run(app: &App, args: HistoryArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let profile_id = match &args.profile {
        Some(name) => Some(registrar.profile(name)?.id),
        None => None,
    };
    let names = profile_names(&registrar)?;
    let filter = HistoryFilter {
        profile_id,
        client_id: args.client_id,
        limit: Some(args.limit),
    };
    let items = registrar
        .history(&filter)?
        .into_iter()
        .map(|e| {
            let name = e.profile_id.as_ref().and_then(|id| names.get(id)).cloned();
            ExchangeView::new(e, name)
        })
        .collect();
    app.out.show(&Exchanges { items, full: args.full })
}
