//! A Client ID Metadata Document from the profile view (issue 18), in the real window. The
//! dialog starts from the MCP client template; an http URL is refused next to the URL
//! field, and the actions wait; an https one makes it a valid document. Served on this
//! machine, it shows its https://localhost URL and the CA file to trust; the document is
//! fetched there trusting that CA (its client_id is the URL), its client is in the
//! profile's list, and Stop ends it. The README's picture of the dialog is taken on the
//! way (`docs/screenshots/cimd-dialog.png`).

use crate::harness::{expect, expect_eq, App, Res};
use crate::page::{client_row, eventually, tid, WAIT};
use crate::steps;
use serde_json::Value;

#[tokio::test]
async fn document_checked_and_served_from_the_profile() -> Res {
    let Some(app) = App::launch("cimd::document_checked_and_served_from_the_profile").await? else {
        return Ok(());
    };
    let outcome = scenario(&app).await;
    app.finish(outcome).await
}

async fn scenario(app: &App) -> Res {
    steps::open_profile(app, "Local mock").await?;
    app.click_tid("profile-cimd-button").await?;
    app.wait_tid("cimd-dialog").await?;

    // From the MCP client template, named as typed.
    app.fill_tid("cimd-field-client_name", "Desktop assistant").await?;
    app.click_tid("cimd-template-mcp").await?;
    eventually("the template's loopback redirect URI", WAIT, || async {
        Ok((app.value(&tid("redirect_uris-0")).await? == "http://127.0.0.1/callback").then_some(()))
    })
    .await?;
    expect_eq(
        "the template keeps the name typed",
        app.value(&tid("cimd-field-client_name")).await?,
        "Desktop assistant".to_string(),
    )?;
    expect_eq(
        "a public client",
        app.value(&tid("cimd-field-token_endpoint_auth_method")).await?,
        "none".to_string(),
    )?;

    // An http URL: refused next to the URL field, nothing to save or keep.
    app.fill_tid("cimd-url", "http://app.example.com/oauth/client.json")
        .await?;
    app.wait_text("the URL's problem", &tid("cimd-error-client_id"), |t| {
        t.contains("must be an https URL")
    })
    .await?;
    expect_eq(
        "the URL field is marked invalid",
        app.js(
            "return document.querySelector('[data-testid=\"cimd-url\"]').getAttribute('aria-invalid')",
            vec![],
        )
        .await?,
        Value::from("true"),
    )?;
    expect(
        "no keep for an invalid document",
        !app.is_enabled(&tid("cimd-keep")).await?,
    )?;
    expect(
        "no save for an invalid document",
        !app.is_enabled(&tid("cimd-save")).await?,
    )?;

    // Fixed: a valid document, no problem left.
    let hosted = "https://app.example.com/oauth/client.json";
    app.fill_tid("cimd-url", hosted).await?;
    app.wait_css(
        "the document to be valid",
        &format!("{}[data-valid=\"true\"]", tid("cimd-status")),
    )
    .await?;
    expect(
        "the URL's problem is gone",
        app.find(&tid("cimd-error-client_id")).await?.is_none(),
    )?;
    expect("keep is offered", app.is_enabled(&tid("cimd-keep")).await?)?;
    expect_eq(
        "served under the URL's name",
        app.value(&tid("cimd-serve-name")).await?,
        "client".to_string(),
    )?;

    // Served on this machine: its URL and the CA to trust.
    app.click_tid("cimd-serve").await?;
    let url = app
        .wait_text("the served URL", &tid("cimd-served-url"), |t| {
            t.starts_with("https://localhost:")
        })
        .await?;
    let url = url.trim().to_string();
    expect(
        &format!("the document's URL names it: {url}"),
        url.ends_with("/client.json"),
    )?;
    let ca_file = app.text_tid("cimd-ca-file").await?.trim().to_string();
    expect_eq(
        "the CA file is in the data directory",
        std::path::PathBuf::from(&ca_file),
        app.data_dir().join("cimd-ca.pem"),
    )?;
    let served = app.text_tid("cimd-served").await?;
    expect(
        &format!("the dialog says the authorization server must trust it: {served:?}"),
        served.contains("must trust"),
    )?;
    let document = fetch(&url, &std::fs::read_to_string(&ca_file)?).await?;
    expect_eq(
        "the served document's client_id is its URL",
        document["client_id"].clone(),
        Value::from(url.clone()),
    )?;
    expect_eq(
        "the served document's name",
        document["client_name"].clone(),
        Value::from("Desktop assistant"),
    )?;
    app.wait_css("the served client in the profile's list", &client_row(&url))
        .await?;

    app.js(
        "document.querySelector('[data-testid=\"cimd-served\"]').scrollIntoView({block: 'end'}); return null",
        vec![],
    )
    .await?;
    crate::screenshots::shot(app, "cimd-dialog").await?;

    // Stopped: the document is no longer served.
    app.click_tid("cimd-stop").await?;
    app.wait_tid("cimd-serve").await?;
    expect(
        "the stopped server answers no more",
        fetch(&url, &std::fs::read_to_string(&ca_file)?).await.is_err(),
    )?;
    steps::close_modal(app, "cimd-dialog").await
}

/// GETs `url` trusting `ca_pem` alone.
async fn fetch(url: &str, ca_pem: &str) -> Res<Value> {
    let client = reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(ca_pem.as_bytes())?)
        .timeout(std::time::Duration::from_secs(10))
        .build()?;
    let answer = client.get(url).send().await?.error_for_status()?;
    Ok(answer.json().await?)
}
