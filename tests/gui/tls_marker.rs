//! "Accept invalid certificates" is visible wherever it is in force (issue 8): the marker
//! "TLS certificates are not checked for this profile" shows under the title of a profile
//! that accepts invalid certificates and of no other; and the profile form refuses the
//! setting for anything but a loopback host (the core's rule, `Profile::check`), saying so
//! next to the box, without saving the profile.

use crate::harness::{expect, expect_eq, App, Res};
use crate::page::{profile_item, tid};
use crate::steps;
use serde_json::json;

const MARKER: &str = "TLS certificates are not checked for this profile";

#[tokio::test]
async fn marker_only_on_profiles_that_accept_invalid_certificates() -> Res {
    let Some(app) = App::launch("tls_marker::marker_only_on_profiles_that_accept_invalid_certificates").await? else {
        return Ok(());
    };
    let outcome = scenario(&app).await;
    app.finish(outcome).await
}

async fn scenario(app: &App) -> Res {
    steps::open_profile(app, "Local mock").await?;
    expect_no_marker(app, "Local mock").await?;

    // A public host: the form refuses the setting and keeps what was typed.
    open_new_profile_form(app, "Public provider", "https://op.example.org/register").await?;
    accept_invalid_certificates(app, true).await?;
    app.click_tid("profile-save").await?;
    let refusal = app
        .wait_text("the refusal next to the box", &tid("error-tls"), |t| !t.is_empty())
        .await?;
    expect(
        &format!("the refusal to say only loopback hosts may skip the check: {refusal:?}"),
        refusal.contains("loopback"),
    )?;
    let placed = app
        .js(
            "const error = document.querySelector('[data-testid=\"profile-editor\"] [data-testid=\"error-tls\"]'); \
             const box = document.querySelector('[data-testid=\"profile-accept-invalid-certificates\"]'); \
             return { in_form: !!error, after_box: !!(error && box && \
                      (box.compareDocumentPosition(error) & Node.DOCUMENT_POSITION_FOLLOWING)), \
                      still_ticked: !!box?.checked }",
            vec![],
        )
        .await?;
    expect_eq(
        "the refusal in the form, after the box, the box still ticked",
        placed,
        json!({"in_form": true, "after_box": true, "still_ticked": true}),
    )?;
    expect(
        "no profile saved from the refused form",
        app.find(&profile_item("Public provider")).await?.is_none(),
    )?;

    // The same profile checking certificates is saved, and shows no marker.
    accept_invalid_certificates(app, false).await?;
    save_profile(app, "Public provider").await?;
    expect_no_marker(app, "Public provider").await?;

    // A loopback host may skip the check: saved, and marked.
    open_new_profile_form(app, "Self-signed lab", "https://127.0.0.1:9443/register").await?;
    accept_invalid_certificates(app, true).await?;
    save_profile(app, "Self-signed lab").await?;
    expect_marker(app).await?;

    // The marker follows the profile shown.
    steps::open_profile(app, "Public provider").await?;
    expect_no_marker(app, "Public provider").await?;
    steps::open_profile(app, "Local mock").await?;
    expect_no_marker(app, "Local mock").await?;
    steps::open_profile(app, "Self-signed lab").await?;
    expect_marker(app).await
}

async fn open_new_profile_form(app: &App, name: &str, endpoint: &str) -> Res {
    app.click_tid("new-profile").await?;
    app.wait_tid("profile-editor").await?;
    app.fill_tid("profile-name", name).await?;
    app.fill_tid("profile-registration-endpoint", endpoint).await
}

/// Ticks or unticks "Accept invalid certificates", unfolding its section first if needed.
async fn accept_invalid_certificates(app: &App, accept: bool) -> Res {
    let section = "[data-testid=\"profile-editor\"] details:has([data-testid=\"profile-tls-section\"])";
    if app
        .js(
            &format!("return document.querySelector('{section}')?.open ?? null"),
            vec![],
        )
        .await?
        == json!(false)
    {
        app.click_tid("profile-tls-section").await?;
    }
    let checkbox = tid("profile-accept-invalid-certificates");
    let element = app.wait_css("the Accept invalid certificates box", &checkbox).await?;
    if element.is_selected().await? != accept {
        app.click("the Accept invalid certificates box", &checkbox).await?;
    }
    expect_eq(
        "the Accept invalid certificates box",
        app.wait_css("the box", &checkbox).await?.is_selected().await?,
        accept,
    )
}

/// Saves the form and waits for the saved profile to be shown.
async fn save_profile(app: &App, name: &str) -> Res {
    app.click_tid("profile-save").await?;
    app.wait_gone("the profile form to close", &tid("profile-modal"))
        .await?;
    app.wait_text(&format!("the title to be {name}"), &tid("profile-title"), |t| t == name)
        .await?;
    Ok(())
}

async fn expect_marker(app: &App) -> Res {
    app.wait_text("the TLS marker", &tid("tls-insecure"), |t| t == MARKER)
        .await?;
    Ok(())
}

/// The profile's header is shown (its title is), and it carries no TLS marker.
async fn expect_no_marker(app: &App, name: &str) -> Res {
    app.wait_text(&format!("the title to be {name}"), &tid("profile-title"), |t| t == name)
        .await?;
    expect(
        &format!("no TLS marker on {name}"),
        app.find(&tid("tls-insecure")).await?.is_none(),
    )
}
