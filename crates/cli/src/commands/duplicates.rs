//! `registrar duplicates`: clients registered again and again (MCP clients re-register on
//! every install) — same name, same redirect URIs — and, with --delete or --forget, the
//! stale ones removed in one go after a confirmation. The newest of each group is kept.

use super::provider_call;
use crate::app::App;
use crate::failure::Failure;
use crate::input::confirm::ask;
use crate::render::DuplicatesView;
use clap::Args;
use registrar_core::CleanupAction;

#[derive(Debug, Args)]
pub struct DuplicatesArgs {
    /// The profile (name or id).
    #[arg(long, short = 'p', env = "REGISTRAR_PROFILE")]
    pub profile: String,
    /// Delete the stale clients at the provider (RFC 7592), then locally.
    #[arg(long, conflicts_with = "forget")]
    pub delete: bool,
    /// Forget the stale clients locally only; the provider is not asked.
    #[arg(long)]
    pub forget: bool,
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

pub async fn run(app: &App, args: DuplicatesArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let profile = registrar.profile(&args.profile)?;
    let groups = registrar.duplicate_registrations(profile.id.as_str())?;
    let action = match (args.delete, args.forget) {
        (true, _) => Some(CleanupAction::Delete),
        (_, true) => Some(CleanupAction::Forget),
        _ => None,
    };
    let stale: Vec<String> = groups
        .iter()
        .flat_map(|g| g.stale.iter().map(|m| m.client_id.clone()))
        .collect();
    let mut view = DuplicatesView {
        profile: profile.name.clone(),
        groups,
        cleaned: None,
    };
    if let (Some(action), false) = (action, stale.is_empty()) {
        let verb = match action {
            CleanupAction::Delete => format!(
                "Delete {} stale client(s) at {} and locally?",
                stale.len(),
                profile.name
            ),
            CleanupAction::Forget => format!(
                "Forget {} stale client(s) of {} locally (they stay at the provider)?",
                stale.len(),
                profile.name
            ),
        };
        if !args.yes && !ask(&verb)? {
            return Err(Failure::usage("nothing was removed"));
        }
        let results = provider_call(
            format!("removing {} stale client(s)", stale.len()),
            registrar.clean_up(profile.id.as_str(), &stale, action),
        )
        .await??;
        for r in &results {
            app.out.warn(&r.warnings);
        }
        let failed = results.iter().filter(|r| r.error.is_some()).count();
        view.cleaned = Some(results);
        app.out.show(&view)?;
        if failed > 0 {
            return Err(Failure::new(
                1,
                format!("{failed} stale client(s) could not be removed"),
            ));
        }
        return Ok(());
    }
    app.out.show(&view)
}
