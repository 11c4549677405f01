//! Duplicate registrations in the real window (issue 18): three clients registered under
//! one name and one redirect URI, as an installer that registers on every run leaves them,
//! are one group in the profile's Duplicates view, the newest kept. One stale client is
//! deleted at the provider, the other forgotten locally, each behind a confirmation that
//! names the count, each with its result; the mock's admin API shows which the provider
//! still has.

use crate::harness::{expect, expect_eq, App, Res};
use crate::mock_admin::MockAdmin;
use crate::page::{client_row, tid};
use crate::steps::{self, ClientForm, Dialect};

#[tokio::test]
async fn stale_duplicates_deleted_and_forgotten() -> Res {
    let Some(app) = App::launch("duplicates::stale_duplicates_deleted_and_forgotten").await? else {
        return Ok(());
    };
    let outcome = scenario(&app).await;
    app.finish(outcome).await
}

fn stale_box(client_id: &str) -> String {
    format!("{}[data-client-id=\"{client_id}\"]", tid("duplicate-stale"))
}

async fn scenario(app: &App) -> Res {
    let admin = MockAdmin::new(&steps::mock_base_url(app, Dialect::Generic).await?);
    steps::open_profile(app, "Local mock").await?;
    let form = ClientForm {
        name: "Installer-made client",
        redirect_uris: &["http://127.0.0.1:7777/callback"],
        grant_types: None,
    };
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(steps::register(app, &form).await?.client_id);
    }
    // Another client, not a duplicate of anything.
    steps::register(
        app,
        &ClientForm {
            name: "Only once",
            redirect_uris: &["https://once.example.org/cb"],
            grant_types: None,
        },
    )
    .await?;

    app.click_tid("profile-duplicates-button").await?;
    app.wait_tid("duplicates-view").await?;
    app.wait_tid("duplicate-group").await?;
    expect_eq("one group", app.find_all(&tid("duplicate-group")).await?.len(), 1)?;
    let group = app.text_tid("duplicate-group").await?;
    expect(
        &format!("the group names the client and its redirect URI: {group:?}"),
        group.contains("Installer-made client") && group.contains("http://127.0.0.1:7777/callback"),
    )?;
    let kept = app.text_tid("duplicate-keep").await?;
    let stale: Vec<String> = ids.iter().filter(|id| **id != kept).cloned().collect();
    expect_eq("two stale clients beside the kept one", stale.len(), 2)?;
    for id in &stale {
        app.wait_css(&format!("the stale client {id}"), &stale_box(id)).await?;
    }

    // Delete one at the provider.
    expect(
        "nothing to act on before a choice",
        !app.is_enabled(&tid("duplicates-delete")).await?,
    )?;
    app.click(&format!("the box of {}", stale[0]), &stale_box(&stale[0]))
        .await?;
    app.wait_text("one selected", &tid("duplicates-selected"), |t| {
        t == "1 client selected"
    })
    .await?;
    app.click_tid("duplicates-delete").await?;
    app.wait_tid("duplicates-confirm").await?;
    let question = app.text_tid("duplicates-confirm-text").await?;
    expect(
        &format!("the confirmation names the count and the provider: {question:?}"),
        question.starts_with("Delete 1 client at the provider of Local mock?"),
    )?;
    app.click_tid("duplicates-confirm-go").await?;
    app.wait_gone("the confirmation to close", &tid("duplicates-confirm"))
        .await?;
    app.wait_text("the result", &tid("cleanup-results"), |t| {
        t.contains("Deleted 1 client.")
    })
    .await?;
    let result = app
        .text(&format!("{}[data-client-id=\"{}\"]", tid("cleanup-result"), stale[0]))
        .await?;
    expect(
        &format!("the client's result: {result:?}"),
        result.contains("✓ deleted"),
    )?;
    expect(
        "the provider no longer has the deleted client",
        admin.client(&stale[0]).await?.is_none(),
    )?;
    app.wait_gone("the deleted client's box", &stale_box(&stale[0])).await?;

    // Forget the other locally: the provider keeps it.
    app.click(&format!("the box of {}", stale[1]), &stale_box(&stale[1]))
        .await?;
    app.click_tid("duplicates-forget").await?;
    let question = app.text_tid("duplicates-confirm-text").await?;
    expect(
        &format!("the confirmation names the count: {question:?}"),
        question.starts_with("Forget 1 client of Local mock locally?"),
    )?;
    app.click_tid("duplicates-confirm-go").await?;
    app.wait_text("the result", &tid("cleanup-results"), |t| {
        t.contains("Forgot 1 client.")
    })
    .await?;
    app.wait_tid("duplicates-none").await?;
    expect(
        "the provider still has the forgotten client",
        admin.client(&stale[1]).await?.is_some(),
    )?;
    expect(
        "the provider still has the kept client",
        admin.client(&kept).await?.is_some(),
    )?;

    // The list: the kept client and the other client; the deleted one (its record
    // marked deleted) only with the status filter's "All"; the forgotten one is gone.
    app.click_tid("duplicates-back").await?;
    app.wait_text("two clients shown", &tid("client-count"), |t| t == "2 clients")
        .await?;
    app.select(&tid("client-status-filter"), "all").await?;
    app.wait_text("three clients left", &tid("client-count"), |t| t == "3 clients")
        .await?;
    app.wait_css("the kept client's row", &client_row(&kept)).await?;
    app.wait_css("the deleted client's row", &client_row(&stale[0])).await?;
    expect(
        "no row of the forgotten client",
        app.find(&client_row(&stale[1])).await?.is_none(),
    )
}
