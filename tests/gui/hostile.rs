//! Strings that are HTML must show as the characters they are and never run or render:
//! a client name typed into the form, and values a provider's admin sets behind the app's
//! back (the provider is as untrusted as the user's input).
//!
//! A script that ran would call `alert` (trapped here, and left as an open dialog that
//! WebDriver would report) or set a global; markup that rendered would leave an element in
//! the app's tree. Each is checked, alongside the exact text in the list, the detail, the
//! sheet, the JSON, the delete confirmation, the export and the drift table.

use crate::harness::{expect, expect_eq, App, Res};
use crate::mock_admin::MockAdmin;
use crate::page::{row_name, tid};
use crate::steps::{self, ClientForm, Dialect};
use serde_json::{json, Value};

const NAME: &str = "<img src=x onerror=alert(1)>";
const PROVIDER_NAME: &str = "<script>window.__pwned = 1</script><b>bold</b>";
const PROVIDER_NOTE: &str = "<svg onload=alert(2)></svg>";

#[tokio::test]
async fn html_in_names_and_provider_values_is_text() -> Res {
    let Some(app) = App::launch("hostile::html_in_names_and_provider_values_is_text").await? else {
        return Ok(());
    };
    let outcome = scenario(&app).await;
    app.finish(outcome).await
}

async fn scenario(app: &App) -> Res {
    app.wait_text("the title to settle", &tid("profile-title"), |t| t == "Local mock")
        .await?;
    let title = app.client().title().await?;
    // Any alert a hostile string manages to call is recorded instead of blocking the page.
    app.js(
        "window.__alerts = []; window.alert = (m) => window.__alerts.push(String(m)); return null",
        vec![],
    )
    .await?;

    let registered = steps::register(
        app,
        &ClientForm {
            name: NAME,
            redirect_uris: &["https://app.example.org/callback"],
            grant_types: None,
        },
    )
    .await?;
    let id = registered.client_id.as_str();
    app.wait_text("the hostile name in the list, as text", &row_name(id), |t| t == NAME)
        .await?;
    expect_eq(
        "the detail's name",
        app.text_tid("detail-name").await?,
        NAME.to_string(),
    )?;
    expect_eq(
        "the sheet's client_name",
        steps::sheet_values(app, "client_name").await?,
        vec![NAME.to_string()],
    )?;
    expect_eq(
        "client_name in the JSON tab",
        &steps::detail_json(app).await?["client_name"],
        &json!(NAME),
    )?;

    app.click_tid("action-delete").await?;
    expect_eq(
        "the name in the delete confirmation",
        app.text_tid("delete-name").await?,
        NAME.to_string(),
    )?;
    steps::close_modal(app, "delete-dialog").await?;

    steps::open_export(app).await?;
    app.click_tid("export-env").await?;
    steps::export_preview(app, "name the client in its comment", |t| {
        t.contains(&format!("# {NAME} on Local mock"))
    })
    .await?;
    steps::close_modal(app, "export-dialog").await?;
    nothing_ran(app, &title).await?;

    // The provider's admin puts markup in the name and in a vendor field.
    let admin = MockAdmin::new(&steps::mock_base_url(app, Dialect::Generic).await?);
    admin
        .patch(id, json!({"client_name": PROVIDER_NAME, "x_note": PROVIDER_NOTE}))
        .await?;
    app.click_tid("action-refresh").await?;
    let rows = steps::drift_rows(app).await?;
    let name_row = rows
        .iter()
        .find(|r| r.field == "client_name")
        .ok_or("no client_name row in the drift table")?;
    expect_eq(
        "the drift table's name change",
        (name_row.before.as_str(), name_row.after.as_str()),
        (NAME, PROVIDER_NAME),
    )?;
    let note_row = rows
        .iter()
        .find(|r| r.field == "x_note")
        .ok_or("no x_note row in the drift table")?;
    expect_eq(
        "the drift table's new vendor field",
        note_row.after.as_str(),
        PROVIDER_NOTE,
    )?;
    app.wait_text("the provider's name in the detail, as text", &tid("detail-name"), |t| {
        t == PROVIDER_NAME
    })
    .await?;
    app.wait_text("the provider's name in the list, as text", &row_name(id), |t| {
        t == PROVIDER_NAME
    })
    .await?;
    expect_eq(
        "x_note on the sheet",
        steps::sheet_values(app, "x_note").await?,
        vec![PROVIDER_NOTE.to_string()],
    )?;
    nothing_ran(app, &title).await
}

/// No alert, no script effect, no element made from a string, the title untouched.
async fn nothing_ran(app: &App, title: &str) -> Res {
    expect("no alert dialog open", app.client().get_alert_text().await.is_err())?;
    let seen = app
        .js(
            "return { alerts: window.__alerts, pwned: window.__pwned ?? null, \
             elements: document.querySelectorAll('#app img, #app script, #app svg, #app b, #app iframe').length }",
            vec![],
        )
        .await?;
    expect_eq("alerts called", &seen["alerts"], &json!([]))?;
    expect_eq("window.__pwned", &seen["pwned"], &Value::Null)?;
    expect_eq(
        "img/script/svg/b/iframe elements in the app",
        &seen["elements"],
        &json!(0),
    )?;
    expect_eq("the window title", app.client().title().await?, title.to_string())?;
    Ok(())
}
