//! A client's history as a timeline, in the real window: a registration, a read the
//! provider fails (503) and a slow read (the mock made to wait) show newest first under
//! "Today", each with its outcome in words, the slow read's duration bar the longest, and a
//! summary of counts and durations. Writes docs/screenshots/history-timeline.png.

use crate::harness::{expect, expect_eq, App, Res};
use crate::mock_admin::MockAdmin;
use crate::page::{eventually, tid, WAIT};
use crate::screenshots::shot;
use crate::steps::{self, ClientForm, Dialect};
use serde_json::json;

#[tokio::test]
async fn a_clients_history_is_a_timeline_of_outcomes_and_durations() -> Res {
    let Some(app) = App::launch("history_timeline::a_clients_history_is_a_timeline_of_outcomes_and_durations").await?
    else {
        return Ok(());
    };
    let outcome = scenario(&app).await;
    app.finish(outcome).await
}

async fn scenario(app: &App) -> Res {
    let admin = MockAdmin::new(&steps::mock_base_url(app, Dialect::Generic).await?);
    let form = ClientForm {
        name: "Timeline client",
        redirect_uris: &["https://app.example.org/callback"],
        grant_types: None,
    };
    steps::register(app, &form).await?;

    admin
        .inject_fault(json!({"kind": "status", "status": 503, "count": 1}))
        .await?;
    app.click_tid("action-refresh").await?;
    steps::wait_toast(app, "error", "503").await?;
    admin.inject_fault(json!({"kind": "latency", "millis": 600})).await?;
    app.click_tid("action-refresh").await?;
    steps::wait_toast(app, "info", "Refreshed").await?;
    admin.clear_faults().await?;

    app.click_tid("tab-history").await?;
    let entries = eventually("three exchanges in the timeline", WAIT, || async {
        let found = app.find_all(&tid("history-entry")).await?;
        Ok((found.len() == 3).then_some(found))
    })
    .await?;
    let mut outcomes = Vec::new();
    for e in &entries {
        outcomes.push(e.attr("data-outcome").await?.unwrap_or_default());
    }
    expect_eq(
        "the outcomes, newest first",
        outcomes,
        vec!["ok".to_string(), "server-error".into(), "ok".into()],
    )?;
    let words = app.texts(&tid("history-outcome")).await?;
    expect_eq(
        "the outcomes in words",
        words,
        vec!["OK 200".to_string(), "Provider error 503".into(), "OK 201".into()],
    )?;
    // (Shown in capitals by the style; the text is "Today".)
    let days: Vec<String> = app
        .texts(".day-label")
        .await?
        .iter()
        .map(|d| d.to_lowercase())
        .collect();
    expect_eq("the day", days, vec!["today".to_string()])?;

    // Bars against the slowest: the waited-for read fills its track, the others do not.
    let widths = app
        .js(
            "return [...document.querySelectorAll('[data-testid=history-bar]')].map(b => b.style.width)",
            vec![],
        )
        .await?;
    let widths: Vec<String> = serde_json::from_value(widths)?;
    expect_eq("the slow read's bar", widths.first().map(String::as_str), Some("100%"))?;
    let register_bar: u32 = widths[2].trim_end_matches('%').parse()?;
    expect(
        &format!("the registration's bar ({register_bar}%) far shorter than the slow read's"),
        register_bar < 50,
    )?;
    let summary = app.text_tid("history-summary").await?;
    expect(
        &format!("the summary counts three exchanges, one failed: {summary}"),
        summary.starts_with("3 exchanges · 1 failed · median"),
    )?;
    shot(app, "history-timeline").await?;
    Ok(())
}
