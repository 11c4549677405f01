//! The client list's column chooser (issue 7): columns hidden and shown from the "Columns"
//! menu, by keyboard and by mouse, change the header and every row at once (cells and grid
//! tracks alike); the choice is written to the preferences and is what the list shows after
//! the app is quit and started again; at least one column always stays; "Reset to
//! defaults" brings back the default set.
//!
//! The drift marker follows the name unless the "Drift" column is chosen, where it moves.

use crate::harness::{expect, expect_eq, App, Res};
use crate::mock_admin::MockAdmin;
use crate::page::{client_row, eventually, tid, WAIT};
use crate::steps::{self, ClientForm, Dialect};
use serde_json::{json, Value};
use std::cell::RefCell;

const DEFAULTS: [&str; 5] = [
    "client_name",
    "client_id",
    "status",
    "client_secret_expires_at",
    "last_synced_at",
];
/// The choice made in the first run: client_id and status hidden, the drift column shown.
const CHOSEN: [&str; 4] = ["client_name", "client_secret_expires_at", "last_synced_at", "has_drift"];

const ENTER: &str = "\u{E007}";
const ESCAPE: &str = "\u{E00C}";
const ARROW_DOWN: &str = "\u{E015}";

#[tokio::test]
async fn chosen_columns_apply_at_once_and_survive_a_restart() -> Res {
    let Some(app) = App::launch("columns::chosen_columns_apply_at_once_and_survive_a_restart").await? else {
        return Ok(());
    };
    let outcome = choose(&app).await;
    if outcome.is_err() {
        return app.finish(outcome).await;
    }
    let app = app.restart().await?;
    let outcome = restored_then_reset(&app).await;
    app.finish(outcome).await
}

async fn choose(app: &App) -> Res {
    let admin = MockAdmin::new(&steps::mock_base_url(app, Dialect::Generic).await?);
    let registered = steps::register(app, &form("Columns before")).await?;
    let id = registered.client_id.as_str();
    // The provider's admin renames it: after a refresh the row carries the drift marker.
    admin.patch(id, json!({"client_name": "Columns renamed"})).await?;
    app.click_tid("action-refresh").await?;
    steps::wait_drift_marker(app, id).await?;
    wait_columns(app, id, &DEFAULTS).await?;

    // By keyboard: Enter opens the menu on its first box, ↓ moves, Space unticks client_id.
    app.wait_tid("columns-button").await?.send_keys(ENTER).await?;
    app.wait_tid("columns-menu").await?;
    wait_focus(app, "the first box (Name)", "client_name").await?;
    active_keys(app, ARROW_DOWN).await?;
    wait_focus(app, "the client_id box after ↓", "client_id").await?;
    active_keys(app, " ").await?;
    let without_id = ["client_name", "status", "client_secret_expires_at", "last_synced_at"];
    wait_columns(app, id, &without_id).await?;
    let row_text = app.text(&client_row(id)).await?;
    expect(
        &format!("the row not to show the client_id {id}: {row_text:?}"),
        !row_text.contains(id),
    )?;
    active_keys(app, ESCAPE).await?;
    app.wait_gone("the menu to close on Escape", &tid("columns-menu"))
        .await?;
    wait_focus(app, "the Columns button after Escape", "columns-button").await?;

    // By mouse: status hidden, the drift column shown; a click elsewhere closes the menu.
    app.click_tid("columns-button").await?;
    app.click("the Status box", &toggle("status")).await?;
    app.click("the Drift box", &toggle("has_drift")).await?;
    wait_columns(app, id, &CHOSEN).await?;
    app.click("the client count, outside the menu", &tid("client-count"))
        .await?;
    app.wait_gone("the menu to close on a click elsewhere", &tid("columns-menu"))
        .await?;

    // The marker moved from beside the name to its own column.
    let marker = app
        .js(
            "const row = document.querySelector(arguments[0]); \
             return { beside_name: !!row.querySelector('.name .badge.drift'), \
                      own_column: row.querySelector('[data-column=\"has_drift\"] .badge.drift')?.innerText ?? null }",
            vec![json!(client_row(id))],
        )
        .await?;
    expect_eq(
        "where the drift marker is",
        marker,
        json!({"beside_name": false, "own_column": "drift"}),
    )?;
    wait_stored(app, &CHOSEN).await
}

async fn restored_then_reset(app: &App) -> Res {
    wait_headers(app, "the choice restored after the restart", &CHOSEN).await?;
    // The mock started anew, so its earlier clients are gone: a new one shows the choice.
    let registered = steps::register(app, &form("Columns after")).await?;
    let id = registered.client_id.as_str();
    wait_columns(app, id, &CHOSEN).await?;

    app.click_tid("columns-button").await?;
    expect_eq(
        "the boxes after the restart (column, ticked, disabled)",
        boxes(app).await?,
        json!([
            ["client_name", true, false],
            ["client_id", false, false],
            ["status", false, false],
            ["client_secret_expires_at", true, false],
            ["last_synced_at", true, false],
            ["has_drift", true, false],
        ]),
    )?;

    // Down to one column: its box cannot be unticked.
    for column in ["client_name", "client_secret_expires_at", "last_synced_at"] {
        app.click(&format!("the {column} box"), &toggle(column)).await?;
    }
    wait_columns(app, id, &["has_drift"]).await?;
    expect_eq(
        "the last box shown",
        boxes(app).await?[5].clone(),
        json!(["has_drift", true, true]),
    )?;
    wait_stored(app, &["has_drift"]).await?;

    app.click_tid("columns-reset").await?;
    wait_columns(app, id, &DEFAULTS).await?;
    expect(
        "Reset to defaults disabled once the defaults are back",
        !app.is_enabled(&tid("columns-reset")).await?,
    )?;
    wait_stored(app, &DEFAULTS).await
}

fn form(name: &str) -> ClientForm<'_> {
    ClientForm {
        name,
        redirect_uris: &["https://app.example.org/callback"],
        grant_types: None,
    }
}

fn toggle(column: &str) -> String {
    format!("{}[data-column=\"{column}\"]", tid("column-toggle"))
}

/// Waits until the header and the row of `client_id` show exactly `columns`, each with as
/// many grid tracks as columns.
async fn wait_columns(app: &App, client_id: &str, columns: &[&str]) -> Res {
    wait_headers(app, &format!("the header to show {columns:?}"), columns).await?;
    wait_cells(
        app,
        &format!("the row of {client_id} to show {columns:?}"),
        &client_row(client_id),
        columns,
    )
    .await
}

async fn wait_headers(app: &App, what: &str, columns: &[&str]) -> Res {
    wait_cells(app, what, &tid("column-headers"), columns).await
}

async fn wait_cells(app: &App, what: &str, css: &str, columns: &[&str]) -> Res {
    let want = json!({"cells": columns, "tracks": columns.len()});
    let last = RefCell::new(Value::Null);
    let seen = eventually(what, WAIT, || async {
        let got = columns_of(app, css).await?;
        let done = got == want;
        *last.borrow_mut() = got;
        Ok(done.then_some(()))
    })
    .await;
    seen.map_err(|e| format!("{e}; it showed {}", last.borrow()).into())
}

/// The `data-column` of each cell of the element matching `css`, and how many tracks its
/// grid has as laid out; the bulk selection's tick box (a track of its own, first) is not
/// a column.
async fn columns_of(app: &App, css: &str) -> Res<Value> {
    app.js(
        "const el = document.querySelector(arguments[0]); \
         if (!el) return null; \
         const ticks = [...el.children].filter(c => c.classList.contains('tick')).length; \
         return { cells: [...el.children].filter(c => !c.classList.contains('tick')).map(c => c.dataset.column ?? null), \
                  tracks: getComputedStyle(el).gridTemplateColumns.split(' ').filter(Boolean).length - ticks }",
        vec![json!(css)],
    )
    .await
}

/// Each box of the menu as [column, ticked, disabled].
async fn boxes(app: &App) -> Res<Value> {
    app.wait_tid("columns-menu").await?;
    app.js(
        "return [...document.querySelectorAll('[data-testid=\"column-toggle\"]')] \
           .map(i => [i.dataset.column, i.checked, i.disabled])",
        vec![],
    )
    .await
}

/// Types `keys` into whatever has the focus, as a person at the keyboard would.
async fn active_keys(app: &App, keys: &str) -> Res {
    app.client().active_element().await?.send_keys(keys).await?;
    Ok(())
}

/// Waits until the focused element is the box of `column`, or the element with that test id.
async fn wait_focus(app: &App, what: &str, id: &str) -> Res {
    eventually(&format!("the focus on {what}"), WAIT, || async {
        let focused = app
            .js(
                "const e = document.activeElement; return e?.dataset?.column ?? e?.dataset?.testid ?? null",
                vec![],
            )
            .await?;
        Ok((focused == json!(id)).then_some(()))
    })
    .await
}

/// Waits until the preferences on disk hold `columns`.
async fn wait_stored(app: &App, columns: &[&str]) -> Res {
    let want = json!(columns);
    eventually(
        &format!("the preferences on disk to hold the columns {columns:?}"),
        WAIT,
        || async { Ok(app.stored_preferences()?.filter(|p| p["columns"] == want).map(|_| ())) },
    )
    .await
}
