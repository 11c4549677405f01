//! `registrar probe`: what the provider really does, from a short battery of requests
//! (read-only unless `--allow-writes`), with the profile settings it suggests; `--apply`
//! saves them.

use crate::app::App;
use crate::failure::Failure;
use crate::interrupt;
use crate::render::{outcome_mark, ProbeView};
use clap::Args;
use indicatif::ProgressBar;
use registrar_core::{ProbeOptions, ProbeStep};
use std::time::Duration;

#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// The profile (name or id) of the provider to probe.
    #[arg(long, short = 'p', env = "REGISTRAR_PROFILE")]
    pub profile: String,
    /// Register, read, update and delete a throw-away client to learn more.
    #[arg(long)]
    pub allow_writes: bool,
    /// Save the suggested settings into the profile.
    #[arg(long)]
    pub apply: bool,
}

pub async fn run(app: &App, args: ProbeArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let mut profile = registrar.profile(&args.profile)?;
    let bar = ProgressBar::new_spinner();
    bar.set_message(format!("probing {}", profile.name));
    bar.enable_steady_tick(Duration::from_millis(100));
    let progress = |step: &ProbeStep| {
        let mark = outcome_mark(step.outcome);
        bar.println(format!("{mark:<13} {}: {}", step.name, step.detail));
    };
    let options = ProbeOptions {
        allow_writes: args.allow_writes,
    };
    let report = interrupt::guard(registrar.probe(&profile.id, options, &progress)).await;
    bar.finish_and_clear();
    let report = report??;
    let before = profile.settings.clone();
    if args.apply && report.suggested_settings != before {
        profile.settings = report.suggested_settings.clone();
        registrar.save_profile(&profile, &Default::default())?;
    }
    if let Some(note) = &report.cleanup_note {
        app.out.warn(std::slice::from_ref(note));
    }
    app.out
        .show(&ProbeView::new(&profile.name, &before, report, args.apply))
}
