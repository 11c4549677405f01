//! A profile with 100,000 clients, as a returning user's app finds it (issue 7: the list
//! is virtualised and keyboard navigable at that size). The database is written before the
//! app starts, with the benchmark's seeding (the real schema: migrations, FTS triggers).
//!
//! What a person sees is checked against the core's own answer for the same position:
//! - the count, and only the rows in view (plus a few) in the page;
//! - the wheel over the rows moves the list to the middle, and the rows there are the
//!   ones the core says are there;
//! - End goes to the very last client and Enter opens it; Home and ↓ walk from the first;
//! - a selective search gives an exact count, and a text too many clients match reads
//!   "1,000+", grows as End reads on, and ends exact at the true number.

use crate::harness::{expect, expect_eq, App, Res};
use crate::page::{client_row, eventually, tid, WAIT};
use crate::steps;
use registrar_core::{ProfileId, Query, Summary};
use serde_json::{json, Value};
use std::cell::Cell;
use std::path::Path;

const CLIENTS: usize = 100_000;
const PROFILE: &str = "Many clients";
/// The height of a row in the list (ClientList.svelte's `ROW`).
const ROW_PX: u64 = 36;

const ENTER: &str = "\u{E007}";
const END: &str = "\u{E010}";
const HOME: &str = "\u{E011}";
const ARROW_DOWN: &str = "\u{E015}";

#[tokio::test]
async fn a_hundred_thousand_clients_scroll_and_search() -> Res {
    let profile_id = Cell::new(None);
    let seed = |data: &Path| -> Res {
        // Nothing is sent to this endpoint: the test only reads what is stored.
        let profile = registrar_bench::seed::seed_database(data, PROFILE, "http://127.0.0.1:9/register", CLIENTS);
        profile_id.set(Some(profile.id));
        Ok(())
    };
    let Some(app) = App::launch_prepared("long_list::a_hundred_thousand_clients_scroll_and_search", seed).await? else {
        return Ok(());
    };
    let outcome = browse(&app, &profile_id.take().expect("the seeded profile")).await;
    app.finish(outcome).await
}

async fn browse(app: &App, profile_id: &ProfileId) -> Res {
    let store = registrar_bench::seed::reader(&app.data_dir().join("registrar.sqlite3"));
    let at = |text: Option<&str>, index: u32| -> Res<Summary> {
        let page = store.search(&Query {
            profile_id: Some(profile_id.clone()),
            text: text.map(str::to_string),
            offset: index,
            limit: 1,
            ..Default::default()
        })?;
        page.items
            .into_iter()
            .next()
            .ok_or_else(|| format!("the core has no client at {index} ({text:?})").into())
    };

    steps::open_profile(app, PROFILE).await?;
    // Deleted clients (one in fifty of the seed) are hidden by default; this test walks all
    // of them, in the core's order.
    app.wait_tid("client-status-filter").await?;
    app.select(&tid("client-status-filter"), "all").await?;
    app.wait_text("the count of all clients", &tid("client-count"), |t| {
        t == "100,000 clients"
    })
    .await?;
    let first = at(None, 0)?;
    app.wait_css("the first client's row", &client_row(&first.client_id))
        .await?;
    let view = in_view(app).await?;
    expect(
        &format!("only the rows in view and a few more in the page, not 100,000: {view}"),
        view["rows_in_page"].as_u64().is_some_and(|n| n > 5 && n < 60),
    )?;

    // The wheel over the rows, by 50,000 rows' height: row 50,000 at the top.
    let middle = at(None, 50_000)?;
    app.js(
        "document.querySelector(arguments[0]).dispatchEvent(new WheelEvent('wheel', \
         { deltaY: arguments[1], deltaMode: 0, bubbles: true, cancelable: true }))",
        vec![json!(tid("client-list")), json!(50_000 * ROW_PX)],
    )
    .await?;
    let view = wait_top_row(app, "row 50,000 at the top after the wheel", &middle.client_id).await?;
    expect_eq(
        "the name shown at row 50,000",
        view["top_name"].as_str().map(str::to_string),
        middle.client_name.clone(),
    )?;

    // End: the last of all, opened with Enter.
    let last = at(None, CLIENTS as u32 - 1)?;
    let list = app.wait_tid("client-list").await?;
    list.send_keys(END).await?;
    app.wait_css("the last client's row after End", &client_row(&last.client_id))
        .await?;
    list.send_keys(ENTER).await?;
    steps::wait_detail_of(app, &last.client_id).await?;

    // Home, then ↓ twice: the third client is selected and shown.
    let third = at(None, 2)?;
    list.send_keys(HOME).await?;
    wait_top_row(app, "the first row at the top after Home", &first.client_id).await?;
    list.send_keys(&format!("{ARROW_DOWN}{ARROW_DOWN}")).await?;
    steps::wait_detail_of(app, &third.client_id).await?;

    // A selective search: an exact count (clients 7, 25,007, 50,007 and 75,007).
    app.fill_tid("client-search", "needle").await?;
    app.wait_text("the needles' count", &tid("client-count"), |t| t == "4 clients")
        .await?;
    let names = app.texts("[data-testid=\"client-row\"] .name .label").await?;
    expect(
        &format!("four rows, each a needle: {names:?}"),
        names.len() == 4 && names.iter().all(|n| n.starts_with("Needle service")),
    )?;

    // A text a few thousand clients match: counted to 1,000, then read on to the end.
    let text = "billing portal";
    let matching = count_named(&app.data_dir(), profile_id, "Billing portal")?;
    expect(
        &format!("the seed to hold 1,000-20,000 billing portals ({matching})"),
        (1_001..20_000).contains(&matching),
    )?;
    app.fill_tid("client-search", text).await?;
    app.wait_text("a lower bound for a broad text", &tid("client-count"), |t| {
        t == "1,000+ clients"
    })
    .await?;
    let exact = format!("{} clients", registrar_bench::report::count(matching));
    let label = eventually(
        &format!("End, pressed again, to read on to {exact}"),
        WAIT * 3,
        || async {
            app.wait_tid("client-list").await?.send_keys(END).await?;
            let label = app.text_tid("client-count").await?;
            Ok((label == exact).then_some(label))
        },
    )
    .await?;
    expect_eq("the count at the end", label.as_str(), exact.as_str())?;
    // The End that found the end went to the last row known then: once more to the last.
    app.wait_tid("client-list").await?.send_keys(END).await?;
    let final_row = at(Some(text), matching as u32 - 1)?;
    app.wait_css("the last billing portal's row", &client_row(&final_row.client_id))
        .await?;
    crate::screenshots::painted_shot(app, "long-list").await?;
    Ok(())
}

/// What the list shows now: how many rows are in the page, and the row at its top.
async fn in_view(app: &App) -> Res<Value> {
    app.js(
        "const list = document.querySelector(arguments[0]); \
         const top = list.getBoundingClientRect().top; \
         const rows = [...list.querySelectorAll('[data-testid=\"client-row\"]')]; \
         const first = rows.filter((r) => Math.abs(r.getBoundingClientRect().top - top) < 1)[0]; \
         return { rows_in_page: rows.length, \
                  top_id: first?.dataset.clientId ?? null, \
                  top_name: first?.querySelector('.name .label')?.innerText ?? null }",
        vec![json!(tid("client-list"))],
    )
    .await
}

async fn wait_top_row(app: &App, what: &str, client_id: &str) -> Res<Value> {
    eventually(what, WAIT, || async {
        let view = in_view(app).await?;
        Ok((view["top_id"] == client_id).then_some(view))
    })
    .await
}

/// The clients of the profile whose name contains `part` (any case), counted in SQL.
fn count_named(data: &Path, profile_id: &str, part: &str) -> Res<u64> {
    let db = rusqlite::Connection::open(data.join("registrar.sqlite3"))?;
    let n: i64 = db.query_row(
        "SELECT count(*) FROM registrations WHERE profile_id = ?1 AND lower(client_name) LIKE '%' || lower(?2) || '%'",
        rusqlite::params![profile_id, part],
        |r| r.get(0),
    )?;
    Ok(n as u64)
}
