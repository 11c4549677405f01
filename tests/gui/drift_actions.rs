//! Drift you can act on, in the real window: the provider's admin renames a client and
//! sets its contacts behind Registrar's back; a refresh shows both as a structured diff
//! (the contacts as a list item added); the provider's contacts are kept (nothing sent),
//! our name is restored through the update preview (exactly that field, sent on confirm),
//! and the drift is gone, in the view, the tab and the list. The edit form's save goes
//! through the same preview: an unchanged form says nothing would be sent, a rename lists
//! just the name. Then the client_id and a history entry (as curl) are copied. Writes
//! docs/screenshots/drift-actions.png.

use crate::harness::{expect, expect_eq, App, Res};
use crate::mock_admin::MockAdmin;
use crate::page::{client_row, tid};
use crate::screenshots::shot;
use crate::steps::{self, ClientForm, Dialect};
use serde_json::{json, Value};

const OURS: &str = "Drifting client";
const THEIRS: &str = "Renamed by the provider's admin";

#[tokio::test]
async fn drift_is_kept_or_restored_through_the_preview() -> Res {
    let Some(app) = App::launch("drift_actions::drift_is_kept_or_restored_through_the_preview").await? else {
        return Ok(());
    };
    let outcome = scenario(&app).await;
    app.finish(outcome).await
}

fn row(field: &str) -> String {
    format!("[data-testid=\"drift-row\"][data-field=\"{field}\"]")
}

async fn drift_fields(app: &App) -> Res<Vec<String>> {
    let mut fields: Vec<String> = steps::drift_rows(app).await?.into_iter().map(|r| r.field).collect();
    fields.sort();
    Ok(fields)
}

async fn scenario(app: &App) -> Res {
    let admin = MockAdmin::new(&steps::mock_base_url(app, Dialect::Generic).await?);
    let registered = steps::register(
        app,
        &ClientForm {
            name: OURS,
            redirect_uris: &["https://app.example.org/callback"],
            grant_types: None,
        },
    )
    .await?;
    let id = registered.client_id.as_str();

    // The provider's admin renames it and sets its contacts; Refresh shows both.
    admin
        .patch(id, json!({"client_name": THEIRS, "contacts": ["admin@example.org"]}))
        .await?;
    app.click_tid("action-refresh").await?;
    steps::wait_toast(app, "info", "Refreshed: 2 field(s) changed").await?;
    expect_eq(
        "the drifted fields",
        drift_fields(app).await?,
        vec!["client_name".to_string(), "contacts".to_string()],
    )?;
    // The contacts are a list with one item added, not a string of JSON.
    expect_eq(
        "the contacts' diff",
        app.texts(&format!("{} ul.diff > li[data-op=\"added\"] > code", row("contacts")))
            .await?,
        vec!["admin@example.org".to_string()],
    )?;
    expect_eq(
        "the name's diff (ours, then the provider's)",
        app.texts(&format!("{} ul.diff > li > code", row("client_name")))
            .await?,
        vec![OURS.to_string(), THEIRS.to_string()],
    )?;
    shot(app, "drift-actions").await?;

    // Keep the provider's contacts: nothing is sent, the name is what is left.
    let sent = admin.request_count().await?;
    app.click(
        "Keep provider's value of contacts",
        &format!("{} [data-testid=\"drift-keep\"]", row("contacts")),
    )
    .await?;
    steps::wait_toast(app, "info", "Kept the provider's contacts").await?;
    app.wait_gone("the contacts' drift row", &row("contacts")).await?;
    expect_eq(
        "the drift left",
        drift_fields(app).await?,
        vec!["client_name".to_string()],
    )?;
    expect_eq("requests after keeping", admin.request_count().await?, sent)?;
    expect_eq(
        "the drift tab's label",
        app.text_tid("tab-drift").await?,
        "Drift (1)".to_string(),
    )?;

    // Restore our name: the preview lists exactly that field, and nothing is sent before
    // the confirmation.
    app.click(
        "Restore ours of client_name",
        &format!("{} [data-testid=\"drift-restore\"]", row("client_name")),
    )
    .await?;
    expect_eq(
        "the fields the restore would change",
        steps::preview_fields(app).await?,
        vec!["client_name".to_string()],
    )?;
    expect_eq(
        "the preview's name change (the provider's now, ours after)",
        app.texts(&format!("{} ul.diff > li > code", tid("update-preview-field")))
            .await?,
        vec![THEIRS.to_string(), OURS.to_string()],
    )?;
    expect_eq("requests before the confirmation", admin.request_count().await?, sent)?;
    steps::confirm_update(app).await?;
    steps::wait_toast(app, "info", "Updated: ours restored at the provider").await?;
    app.wait_tid("drift-none").await?;
    app.wait_text("the detail to show our name again", &tid("detail-name"), |t| t == OURS)
        .await?;
    let stored = steps::on_provider(&admin, id).await?;
    expect_eq("client_name on the provider", &stored["client_name"], &json!(OURS))?;
    expect_eq(
        "contacts on the provider (the kept value)",
        &stored["contacts"],
        &json!(["admin@example.org"]),
    )?;
    expect_eq(
        "the drift tab's label",
        app.text_tid("tab-drift").await?,
        "Drift".to_string(),
    )?;
    let marker = format!("{} .badge.drift", client_row(id));
    app.wait_gone("the drift marker on the client's row", &marker).await?;

    // The edit form's save is previewed too: unchanged, nothing would be sent.
    app.click_tid("action-edit").await?;
    app.wait_tid("client-editor").await?;
    app.click_tid("submit-client").await?;
    app.wait_tid("update-preview-nothing").await?;
    expect(
        "no send button when nothing changes",
        app.find(&tid("update-preview-send")).await?.is_none(),
    )?;
    app.click_tid("update-preview-cancel").await?;
    app.wait_gone("the preview to close", &tid("update-preview")).await?;
    let sent = admin.request_count().await?;
    app.fill_tid("field-client_name", "Renamed in the form").await?;
    app.click_tid("submit-client").await?;
    expect_eq(
        "the fields the save would change",
        steps::preview_fields(app).await?,
        vec!["client_name".to_string()],
    )?;
    expect_eq(
        "requests before the save's confirmation",
        admin.request_count().await?,
        sent,
    )?;
    steps::confirm_update(app).await?;
    steps::wait_toast(app, "info", "Saved").await?;
    let stored: Value = steps::on_provider(&admin, id).await?;
    expect_eq(
        "the saved name on the provider",
        &stored["client_name"],
        &json!("Renamed in the form"),
    )?;

    // Copy buttons: the client_id, and the newest exchange of the history as curl.
    app.click_tid("copy-client-id").await?;
    steps::wait_toast(app, "info", "client_id copied").await?;
    app.click_tid("tab-history").await?;
    app.click("the newest exchange", &format!("{} summary", tid("exchange")))
        .await?;
    app.click_tid("copy-curl").await?;
    steps::wait_toast(app, "info", "request as curl copied").await?;
    Ok(())
}
