//! The client list of issue 21 ("The list"), in the real window against the embedded mock:
//! - a header click sorts the rows (as the core orders them), again reverses them, with the
//!   arrow and the order in the sort button's name on that header only; a dragged column edge keeps its width; both
//!   are what the list shows after a restart, and a double-click gives the width back;
//! - ticking rows (box, Shift-click range, Ctrl+A, the header box) shows the bulk bar with
//!   the count; the row open in the detail pane is the only one highlighted; Delete asks
//!   with the count and names, deletes on the provider and lists the one the provider
//!   refused, which stays there and in the list; a deleted client can be neither refreshed
//!   nor deleted again;
//! - a delete that succeeds for every ticked client empties the selection: the bar goes,
//!   the report stays until closed, and the focus goes back to the list.

use crate::harness::{expect, expect_eq, App, Res};
use crate::mock_admin::MockAdmin;
use crate::page::{client_row, eventually, tid, WAIT};
use crate::steps::{self, ClientForm, Dialect};
use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
use serde_json::{json, Value};
use std::time::Duration;

const NAMES: [&str; 4] = ["delta list", "Alpha list", "charlie list", "Bravo list"];
const CTRL_A: &str = "\u{E009}a\u{E000}";

#[tokio::test]
async fn sorted_and_resized_columns_survive_a_restart() -> Res {
    let Some(app) = App::launch("list_bulk::sorted_and_resized_columns_survive_a_restart").await? else {
        return Ok(());
    };
    let outcome = sort_and_resize(&app).await;
    if outcome.is_err() {
        return app.finish(outcome).await;
    }
    let app = app.restart().await?;
    let outcome = restored(&app).await;
    app.finish(outcome).await
}

async fn sort_and_resize(app: &App) -> Res {
    let mut ids = Vec::new();
    for name in NAMES {
        ids.push(steps::register(app, &form(name)).await?.client_id);
    }
    // The default: by name, case folded, the Name header marked ascending.
    wait_names(
        app,
        "by name",
        &["Alpha list", "Bravo list", "charlie list", "delta list"],
    )
    .await?;
    expect_eq(
        "the headers' sort marks",
        sort_marks(app).await?,
        marks("client_name", "ascending", "▲"),
    )?;

    app.click_tid("sort-client_name").await?;
    wait_names(
        app,
        "by name, reversed",
        &["delta list", "charlie list", "Bravo list", "Alpha list"],
    )
    .await?;
    expect_eq(
        "the headers after a second click",
        sort_marks(app).await?,
        marks("client_name", "descending", "▼"),
    )?;

    app.click_tid("sort-client_id").await?;
    let mut by_id = ids.clone();
    by_id.sort();
    wait_ids(app, "by client_id", &by_id).await?;
    expect_eq(
        "the headers sorted by client_id",
        sort_marks(app).await?,
        marks("client_id", "ascending", "▲"),
    )?;
    app.click_tid("sort-client_id").await?;
    by_id.reverse();
    wait_ids(app, "by client_id, reversed", &by_id).await?;
    wait_stored(
        app,
        "the sort",
        "listSort",
        json!({"key": "client_id", "descending": true}),
    )
    .await?;

    // The client_id column's right edge dragged 90 px wider.
    let before = header_width(app, "client_id").await?;
    let edge = app.wait_tid("resize-client_id").await?;
    let drag = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: edge,
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::MoveBy {
            duration: Some(Duration::from_millis(200)),
            x: 90.0,
            y: 0.0,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    app.client().perform_actions(drag).await?;
    let stored = eventually("the dragged width in the preferences", WAIT, || async {
        Ok(app
            .stored_preferences()?
            .and_then(|p| p["columnWidths"]["client_id"].as_f64()))
    })
    .await?;
    expect(
        &format!("the stored width {stored} to be about 90 px more than {before}"),
        (stored - (before + 90.0)).abs() <= 12.0,
    )?;
    // The keyboard: the focused edge, → twice, 16 px each.
    app.js(
        "document.querySelector(arguments[0]).focus()",
        vec![json!(tid("resize-client_id"))],
    )
    .await?;
    app.client()
        .active_element()
        .await?
        .send_keys("\u{E014}\u{E014}")
        .await?;
    let wider = stored + 32.0;
    eventually("the width 32 px more after → →", WAIT, || async {
        let now = app
            .stored_preferences()?
            .and_then(|p| p["columnWidths"]["client_id"].as_f64());
        Ok(now.filter(|w| (w - wider).abs() <= 2.0).map(|_| ()))
    })
    .await?;
    let shown = header_width(app, "client_id").await?;
    expect(
        &format!("the header {shown} px as stored {wider}"),
        (shown - wider).abs() <= 2.0,
    )
}

async fn restored(app: &App) -> Res {
    // The mock and its profile start anew: new clients, shown in the order kept (client_id,
    // reversed).
    let mut ids = Vec::new();
    for name in &NAMES[..3] {
        ids.push(steps::register(app, &form(name)).await?.client_id);
    }
    ids.sort();
    ids.reverse();
    wait_ids(app, "by client_id reversed, after the restart", &ids).await?;
    expect_eq(
        "the headers after the restart",
        sort_marks(app).await?,
        marks("client_id", "descending", "▼"),
    )?;
    let kept = app
        .stored_preferences()?
        .and_then(|p| p["columnWidths"]["client_id"].as_f64())
        .ok_or("no width kept")?;
    let shown = header_width(app, "client_id").await?;
    expect(
        &format!("the header {shown} px as kept {kept}"),
        (shown - kept).abs() <= 2.0,
    )?;
    // A double-click on the edge: the default width back, and nothing kept.
    app.js(
        "document.querySelector(arguments[0]).dispatchEvent(new MouseEvent('dblclick', {bubbles: true}))",
        vec![json!(tid("resize-client_id"))],
    )
    .await?;
    wait_stored(app, "no width", "columnWidths", json!({})).await
}

#[tokio::test]
async fn ticked_clients_are_deleted_together_and_failures_listed() -> Res {
    let Some(app) = App::launch("list_bulk::ticked_clients_are_deleted_together_and_failures_listed").await? else {
        return Ok(());
    };
    let outcome = bulk(&app).await;
    app.finish(outcome).await
}

async fn bulk(app: &App) -> Res {
    let admin = MockAdmin::new(&steps::mock_base_url(app, Dialect::Generic).await?);
    for name in NAMES {
        steps::register(app, &form(name)).await?;
    }
    wait_names(
        app,
        "by name",
        &["Alpha list", "Bravo list", "charlie list", "delta list"],
    )
    .await?;
    let ids = row_ids(app).await?;
    expect(
        "no bar before anything is ticked",
        app.find(&tid("bulk-bar")).await?.is_none(),
    )?;

    // A box, then Shift-click on another: the range between.
    app.click(
        "the first row's box",
        &format!("{} {}", client_row(&ids[0]), tid("row-check")),
    )
    .await?;
    app.wait_text("the bar's count", &tid("bulk-count"), |t| t == "1 selected")
        .await?;
    shift_click(app, &format!("{} {}", client_row(&ids[2]), tid("row-check"))).await?;
    app.wait_text("the range's count", &tid("bulk-count"), |t| t == "3 selected")
        .await?;
    expect_eq("the ticked rows", ticked(app).await?, json!([true, true, true, false]))?;

    // One selection mark: the row opened is the only one highlighted, ticked ones are not.
    steps::open_client(app, &ids[3]).await?;
    let marks = app
        .js(
            "return [...document.querySelectorAll('[data-testid=\"client-row\"]')] \
               .map(r => [r.classList.contains('selected'), r.getAttribute('aria-selected'), \
                          getComputedStyle(r).backgroundColor])",
            vec![],
        )
        .await?;
    let rows = marks.as_array().ok_or("no rows")?;
    expect_eq(
        "only the opened row highlighted and aria-selected",
        rows.iter().map(|r| (r[0].clone(), r[1].clone())).collect::<Vec<_>>(),
        vec![
            (json!(false), json!("false")),
            (json!(false), json!("false")),
            (json!(false), json!("false")),
            (json!(true), json!("true")),
        ],
    )?;
    expect(
        &format!("ticked rows without a background, unlike the opened one: {rows:?}"),
        rows[..3].iter().all(|r| r[2] == json!("rgba(0, 0, 0, 0)")) && rows[3][2] != json!("rgba(0, 0, 0, 0)"),
    )?;

    // Ctrl+A in the list: every client; Clear selection: none, the bar gone.
    app.click("the list", &client_row(&ids[1])).await?;
    app.wait_tid("client-list").await?.send_keys(CTRL_A).await?;
    app.wait_text("every client ticked", &tid("bulk-count"), |t| t == "4 selected")
        .await?;
    app.click_tid("bulk-clear").await?;
    app.wait_gone("the bar once nothing is ticked", &tid("bulk-bar"))
        .await?;

    // The header box: every match of the search, not only the rows loaded.
    app.fill_tid("client-search", "list").await?;
    app.click_tid("select-all").await?;
    app.wait_text("all matches ticked", &tid("bulk-count"), |t| t == "4 selected")
        .await?;
    // Export: the ticked clients together, in the export dialog.
    app.click_tid("bulk-export").await?;
    app.wait_text("the export dialog for the four", &tid("export-dialog"), |t| {
        t.contains("Export 4 clients")
    })
    .await?;
    steps::close_modal(app, "export-dialog").await?;
    // One unticked: three to delete.
    app.click(
        "the last row's box",
        &format!("{} {}", client_row(&ids[3]), tid("row-check")),
    )
    .await?;
    app.wait_text("three ticked", &tid("bulk-count"), |t| t == "3 selected")
        .await?;

    // The provider refuses the first delete it is sent.
    admin
        .inject_fault(json!({"kind": "status", "status": 503, "count": 1}))
        .await?;
    app.click_tid("bulk-delete").await?;
    app.wait_tid("bulk-delete-dialog").await?;
    let asked = app.text_tid("bulk-delete-count").await?;
    expect_eq("the count asked about", asked.as_str(), "3 clients")?;
    let names = app.text_tid("bulk-delete-names").await?;
    for name in ["Alpha list", "Bravo list", "charlie list"] {
        expect(
            &format!("{name} named before deleting: {names:?}"),
            names.contains(name),
        )?;
    }
    expect("delta not named", !names.contains("delta list"))?;
    app.click_tid("bulk-confirm-delete").await?;
    app.wait_tid("bulk-delete-report").await?;
    let summary = app.text_tid("bulk-delete-summary").await?;
    expect_eq(
        "the report",
        summary.as_str(),
        "Deleted 2 of 3; 1 failed, listed below.",
    )?;
    let failures = app.text_tid("bulk-delete-failures").await?;
    let failed: Vec<&String> = ids[..3].iter().filter(|id| failures.contains(id.as_str())).collect();
    expect(
        &format!("exactly one failure listed, with its id: {failures:?}"),
        failed.len() == 1,
    )?;
    let failed = failed[0].clone();
    app.click_tid("bulk-report-close").await?;

    // On the provider: the two are gone, the refused one and delta are still there.
    for id in &ids {
        let there = admin.client(id).await?.is_some();
        let should = *id == failed || *id == ids[3];
        expect(
            &format!("{id} on the provider: {there}, expected {should}"),
            there == should,
        )?;
    }
    // The list (not deleted) shows those two; the failed one stays ticked.
    eventually("the deleted rows to leave the list", WAIT, || async {
        let now = row_ids(app).await?;
        Ok((now.len() == 2 && now.contains(&failed) && now.contains(&ids[3])).then_some(()))
    })
    .await?;
    app.wait_text("the failed one still ticked", &tid("bulk-count"), |t| t == "1 selected")
        .await?;
    app.click_tid("bulk-clear").await?;

    // A deleted client (history), ticked alone: nothing to refresh or delete, and why.
    app.select(&tid("client-status-filter"), "deleted").await?;
    let gone = eventually("the deleted clients listed", WAIT, || async {
        let now = row_ids(app).await?;
        Ok((now.len() == 2).then_some(now))
    })
    .await?;
    app.click(
        "a deleted client's box",
        &format!("{} {}", client_row(&gone[0]), tid("row-check")),
    )
    .await?;
    app.wait_tid("bulk-bar").await?;
    for button in ["bulk-refresh", "bulk-delete"] {
        expect(
            &format!("{button} disabled for a deleted client"),
            !app.is_enabled(&tid(button)).await?,
        )?;
        let why = app
            .js(
                "return document.querySelector(arguments[0]).title",
                vec![json!(tid(button))],
            )
            .await?;
        expect(
            &format!("{button} says why: {why}"),
            why.as_str().is_some_and(|t| t.contains("deleted")),
        )?;
    }
    expect("Export stays possible", app.is_enabled(&tid("bulk-export")).await?)
}

#[tokio::test]
async fn a_delete_of_every_ticked_client_reports_then_focuses_the_list() -> Res {
    let Some(app) = App::launch("list_bulk::a_delete_of_every_ticked_client_reports_then_focuses_the_list").await?
    else {
        return Ok(());
    };
    let outcome = delete_all(&app).await;
    app.finish(outcome).await
}

async fn delete_all(app: &App) -> Res {
    let admin = MockAdmin::new(&steps::mock_base_url(app, Dialect::Generic).await?);
    for name in NAMES {
        steps::register(app, &form(name)).await?;
    }
    wait_names(
        app,
        "by name",
        &["Alpha list", "Bravo list", "charlie list", "delta list"],
    )
    .await?;
    let ids = row_ids(app).await?;
    // Two ticked: the options say so (aria-checked), the count is announced.
    for id in &ids[1..3] {
        app.click("a row's box", &format!("{} {}", client_row(id), tid("row-check")))
            .await?;
    }
    app.wait_text("two ticked", &tid("bulk-count"), |t| t == "2 selected")
        .await?;
    let checked = app
        .js(
            "return [...document.querySelectorAll('[data-testid=\"client-row\"]')].map(r => r.getAttribute('aria-checked'))",
            vec![],
        )
        .await?;
    expect_eq(
        "aria-checked on the options",
        checked,
        json!(["false", "true", "true", "false"]),
    )?;
    let live = app
        .js(
            "return document.querySelector(arguments[0]).getAttribute('aria-live')",
            vec![json!(tid("bulk-count"))],
        )
        .await?;
    expect_eq("the count announced", live, json!("polite"))?;

    // Every delete succeeds: the selection empties, the bar goes, the report stays.
    app.click_tid("bulk-delete").await?;
    app.wait_tid("bulk-delete-dialog").await?;
    app.click_tid("bulk-confirm-delete").await?;
    app.wait_text("the report", &tid("bulk-delete-summary"), |t| t == "Deleted 2 of 2.")
        .await?;
    app.wait_gone("the bar, nothing ticked any more", &tid("bulk-bar"))
        .await?;
    eventually("the deleted rows to leave the list", WAIT, || async {
        let now = row_ids(app).await?;
        Ok((now == [ids[0].clone(), ids[3].clone()]).then_some(()))
    })
    .await?;
    // The report is still there with the list reloaded under it.
    expect(
        "the report still open",
        app.find(&tid("bulk-delete-report")).await?.is_some(),
    )?;
    for id in &ids[1..3] {
        expect(
            &format!("{id} gone from the provider"),
            admin.client(id).await?.is_none(),
        )?;
    }
    app.click_tid("bulk-report-close").await?;
    app.wait_gone("the report once closed", &tid("bulk-delete-report"))
        .await?;
    eventually("the focus back on the list", WAIT, || async {
        let focused = app
            .js("return document.activeElement?.dataset?.testid ?? null", vec![])
            .await?;
        Ok((focused == json!("client-list")).then_some(()))
    })
    .await
}

fn form(name: &str) -> ClientForm<'_> {
    ClientForm {
        name,
        redirect_uris: &["https://app.example.org/callback"],
        grant_types: None,
    }
}

/// The rows' client ids, in list order.
async fn row_ids(app: &App) -> Res<Vec<String>> {
    let ids = app
        .js(
            "return [...document.querySelectorAll('[data-testid=\"client-row\"]')].map(r => r.dataset.clientId).filter(Boolean)",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(ids)?)
}

async fn wait_ids(app: &App, what: &str, want: &[String]) -> Res {
    eventually(&format!("the rows {what}"), WAIT, || async {
        Ok((row_ids(app).await? == want).then_some(()))
    })
    .await
}

async fn wait_names(app: &App, what: &str, want: &[&str]) -> Res {
    eventually(&format!("the rows {what}: {want:?}"), WAIT, || async {
        let names = app
            .js(
                "return [...document.querySelectorAll('[data-testid=\"client-row\"] [data-column=\"client_name\"] .label')].map(l => l.textContent)",
                vec![],
            )
            .await?;
        Ok((names == json!(want)).then_some(()))
    })
    .await
}

/// Each sortable header's column, order, arrow and whether its button's name says the order.
async fn sort_marks(app: &App) -> Res<Value> {
    app.js(
        "return [...document.querySelectorAll('[data-testid=\"column-headers\"] [data-sort]')] \
           .map(h => { const s = h.dataset.sort, b = h.querySelector('button.sort'); \
             return [h.dataset.column, s, h.querySelector('.arrow')?.textContent ?? '', \
                     s === 'none' ? !/sorted/.test(b.getAttribute('aria-label')) \
                                  : b.getAttribute('aria-label').endsWith(', sorted ' + s)]; })",
        vec![],
    )
    .await
}

/// The marks expected with `column` sorted and every other sortable column not (each
/// button's name saying so).
fn marks(column: &str, sort: &str, arrow: &str) -> Value {
    let columns = [
        "client_name",
        "client_id",
        "status",
        "client_secret_expires_at",
        "last_synced_at",
    ];
    Value::Array(
        columns
            .iter()
            .map(|c| {
                if *c == column {
                    json!([c, sort, arrow, true])
                } else {
                    json!([c, "none", "", true])
                }
            })
            .collect(),
    )
}

async fn header_width(app: &App, column: &str) -> Res<f64> {
    let width = app
        .js(
            "return document.querySelector(arguments[0]).getBoundingClientRect().width",
            vec![json!(format!("{} [data-column=\"{column}\"]", tid("column-headers")))],
        )
        .await?;
    width.as_f64().ok_or_else(|| format!("no header for {column}").into())
}

/// Whether each row's box is ticked, in list order.
async fn ticked(app: &App) -> Res<Value> {
    app.js(
        "return [...document.querySelectorAll('[data-testid=\"client-row\"] [data-testid=\"row-check\"]')].map(b => b.checked)",
        vec![],
    )
    .await
}

/// A click with Shift held, as the page receives it.
async fn shift_click(app: &App, css: &str) -> Res {
    app.js(
        "document.querySelector(arguments[0]).dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, shiftKey: true}))",
        vec![json!(css)],
    )
    .await?;
    Ok(())
}

async fn wait_stored(app: &App, what: &str, key: &str, want: Value) -> Res {
    eventually(&format!("the preferences on disk to hold {what}"), WAIT, || async {
        Ok(app.stored_preferences()?.filter(|p| p[key] == want).map(|_| ()))
    })
    .await
}
