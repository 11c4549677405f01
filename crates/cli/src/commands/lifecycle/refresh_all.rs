//! `registrar refresh --all`: every readable client of one profile or of all, a few at a
//! time, with a progress bar. Ctrl-C stops starting new clients and lets those in flight
//! finish, so no rotated token is lost; a second Ctrl-C abandons them.

use crate::app::App;
use crate::commands::profile_names;
use crate::failure::{exit_code_for, Failure, INTERRUPTED};
use crate::interrupt::guard_with;
use crate::render::{BulkRefreshView, BulkRow};
use indicatif::{ProgressBar, ProgressStyle};
use registrar_core::{BulkProgress, Cancel};

pub async fn run(app: &App, profile: Option<&str>, concurrency: usize) -> Result<(), Failure> {
    let registrar = app.open()?;
    let profile_id = match profile {
        Some(name) => Some(registrar.profile(name)?.id),
        None => None,
    };
    let targets = registrar.refresh_targets(profile_id.as_deref())?;
    let bar = ProgressBar::new(targets.len() as u64);
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
        bar.set_style(style);
    }
    let progress = |p: &BulkProgress| {
        bar.set_position(p.done as u64);
        bar.set_message(p.client_id.clone());
    };
    let cancel = Cancel::new();
    let report = guard_with(
        registrar.refresh_many(&targets, concurrency, &progress, &cancel),
        || {
            cancel.cancel();
            bar.println("stopping: clients in flight finish, the others are skipped; press Ctrl-C again to abandon");
        },
    )
    .await;
    bar.finish_and_clear();
    let report = report??;

    let names = profile_names(&registrar)?;
    let items: Vec<BulkRow> = report
        .items
        .iter()
        .map(|item| {
            BulkRow::new(
                item,
                names
                    .get(&item.profile_id)
                    .map(String::as_str)
                    .unwrap_or(&item.profile_id),
            )
        })
        .collect();
    let failed = report.failed();
    let first_failure = report.items.iter().find_map(|i| i.error.as_ref()).map(|e| e.code);
    let view = BulkRefreshView {
        total: targets.len(),
        refreshed: items.len() - failed,
        failed,
        skipped: report.skipped,
        items,
        unstored: report.unstored(),
    };
    app.out.show(&view)?;
    crate::commands::unstored::fail_if_any(app, report.unstored())?;
    if report.skipped > 0 {
        return Err(Failure::new(
            INTERRUPTED,
            format!("interrupted: {} client(s) were not refreshed", report.skipped),
        ));
    }
    match first_failure {
        Some(code) => Err(Failure::new(
            exit_code_for(code),
            format!("{failed} of {} client(s) could not be refreshed", view.total),
        )),
        None => Ok(()),
    }
}
