//! A provider's refusal is shown on the register form, next to what it is about, and the
//! form keeps what was typed so the user can fix it and send again.
//!
//! Two refusals the app cannot foresee: a failure injected into the mock (HTTP 400 on the
//! next request), shown as the form's error banner; and a redirect URI the app's own rules
//! accept but the provider refuses (`invalid_redirect_uri`: it contains a space), shown next
//! to the redirect URI list as well.

use crate::harness::{expect, expect_eq, App, Res};
use crate::mock_admin::MockAdmin;
use crate::page::tid;
use crate::steps::{self, ClientForm, Dialect};
use serde_json::json;

#[tokio::test]
async fn injected_failure_shows_on_the_form() -> Res {
    let Some(app) = App::launch("provider_errors::injected_failure_shows_on_the_form").await? else {
        return Ok(());
    };
    let outcome = injected_failure(&app).await;
    app.finish(outcome).await
}

#[tokio::test]
async fn refused_redirect_uri_shows_next_to_the_list() -> Res {
    let Some(app) = App::launch("provider_errors::refused_redirect_uri_shows_next_to_the_list").await? else {
        return Ok(());
    };
    let outcome = refused_redirect_uri(&app).await;
    app.finish(outcome).await
}

async fn injected_failure(app: &App) -> Res {
    let admin = MockAdmin::new(&steps::mock_base_url(app, Dialect::Generic).await?);
    steps::open_register_form(app).await?;
    let form = ClientForm {
        name: "Refused once",
        redirect_uris: &["https://app.example.org/callback"],
        grant_types: None,
    };
    steps::fill_client_form(app, &form).await?;
    admin
        .inject_fault(json!({"kind": "status", "status": 400, "count": 1}))
        .await?;
    app.click_tid("submit-client").await?;
    let banner = app
        .wait_text("the provider's error on the form", &tid("form-error"), |t| {
            !t.is_empty()
        })
        .await?;
    expect(
        &format!("the error to give the status and the provider's words: {banner:?}"),
        banner.contains("HTTP 400") && banner.contains("injected fault"),
    )?;
    expect_in_editor(app, "form-error").await?;
    expect_eq("clients on the provider", admin.clients().await?.len(), 0)?;
    expect_eq(
        "the name kept in the form",
        app.value(&tid("field-client_name")).await?,
        form.name.to_string(),
    )?;

    // The fault is spent: sending the same form again registers the client.
    let registered = steps::submit_registration(app).await?;
    expect(
        "the client on the provider",
        admin.client(&registered.client_id).await?.is_some(),
    )
}

async fn refused_redirect_uri(app: &App) -> Res {
    let admin = MockAdmin::new(&steps::mock_base_url(app, Dialect::Generic).await?);
    steps::open_register_form(app).await?;
    steps::fill_client_form(
        app,
        &ClientForm {
            name: "Spaced out",
            redirect_uris: &["https://app.example.org/callback", "https://app.example.org/call back"],
            grant_types: None,
        },
    )
    .await?;
    app.click_tid("submit-client").await?;
    let banner = app
        .wait_text("the provider's error on the form", &tid("form-error"), |t| {
            !t.is_empty()
        })
        .await?;
    expect(
        &format!("the banner to name the provider's error code: {banner:?}"),
        banner.contains("invalid_redirect_uri"),
    )?;
    let by_field = app
        .wait_text(
            "the provider's message under the redirect URIs",
            &tid("error-redirect_uris"),
            |t| !t.is_empty(),
        )
        .await?;
    expect(
        &format!("the message to quote the refused URI: {by_field:?}"),
        by_field.contains("https://app.example.org/call back"),
    )?;
    let next_to_list = app
        .js(
            "const list = document.querySelector('[data-testid=\"redirect_uris\"]'); \
             return list.nextElementSibling?.dataset.testid ?? null",
            vec![],
        )
        .await?;
    expect_eq(
        "what follows the redirect URI list",
        next_to_list,
        json!("error-redirect_uris"),
    )?;
    expect_in_editor(app, "error-redirect_uris").await?;
    expect_eq("clients on the provider", admin.clients().await?.len(), 0)?;
    Ok(())
}

/// The message is part of the form, not a toast elsewhere in the window.
async fn expect_in_editor(app: &App, id: &str) -> Res {
    let inside = app
        .js(
            "return !!document.querySelector('[data-testid=\"client-editor\"] [data-testid=\"' + arguments[0] + '\"]')",
            vec![json!(id)],
        )
        .await?;
    expect_eq(&format!("{id} inside the client form"), inside, json!(true))
}
