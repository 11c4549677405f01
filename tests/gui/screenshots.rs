//! The README's screenshots, taken from the real window in both themes and written to
//! `docs/screenshots/<screen>-<theme>.png`: the client list, a client's detail, the
//! register form with a live message, the drift view, and the profile editor with a probe
//! report. The screens are built through the window like any scenario (three clients
//! registered from templates, one changed by the provider's admin), so the pictures show
//! what a user gets, and each shot waits for what it is meant to show.

use crate::harness::{expect, App, Res};
use crate::mock_admin::MockAdmin;
use crate::page::tid;
use crate::steps::{self, ClientForm, Dialect, Registered};
use serde_json::json;

#[tokio::test]
async fn main_screens_in_both_themes() -> Res {
    let Some(app) = App::launch("screenshots::main_screens_in_both_themes").await? else {
        return Ok(());
    };
    let outcome = scenario(&app).await;
    app.finish(outcome).await
}

struct Clients {
    portal: Registered,
    mobile: Registered,
    job: Registered,
}

async fn scenario(app: &App) -> Res {
    let admin = MockAdmin::new(&steps::mock_base_url(app, Dialect::Generic).await?);
    let clients = register_examples(app).await?;

    // The provider's admin changes the portal; refreshing it shows the drift.
    let portal = clients.portal.client_id.as_str();
    admin
        .patch(
            portal,
            json!({"client_name": "Billing portal (prod)", "contacts": ["billing-ops@example.org"], "tos_uri": null}),
        )
        .await?;
    steps::open_client(app, portal).await?;
    app.click_tid("action-refresh").await?;
    steps::drift_rows(app).await?;

    let mut written = Vec::new();
    for theme in ["light", "dark"] {
        app.select(&tid("theme"), theme).await?;
        let applied = app
            .js("return document.documentElement.dataset.theme ?? null", vec![])
            .await?;
        expect(
            &format!("the {theme} theme applied to the page"),
            applied == json!(theme),
        )?;
        written.extend(shoot_theme(app, &clients, theme).await?);
    }
    expect("ten screenshots", written.len() == 10)
}

/// Three clients from the form's templates: a web app, a native app, a service.
async fn register_examples(app: &App) -> Res<Clients> {
    let portal = register_from(
        app,
        "web",
        &ClientForm {
            name: "Billing portal",
            redirect_uris: &[
                "https://billing.example.org/callback",
                "https://billing.example.org/silent-renew",
            ],
            grant_types: None,
        },
        &[("field-tos_uri", "https://billing.example.org/terms")],
    )
    .await?;
    let mobile = register_from(
        app,
        "native",
        &ClientForm {
            name: "Field service mobile app",
            redirect_uris: &["http://127.0.0.1/callback", "org.example.field:/oauth2redirect"],
            grant_types: None,
        },
        &[],
    )
    .await?;
    let job = register_from(
        app,
        "m2m",
        &ClientForm {
            name: "Nightly reports job",
            redirect_uris: &[],
            grant_types: None,
        },
        &[],
    )
    .await?;
    app.wait_text("three clients in the list", &tid("client-count"), |t| t == "3 clients")
        .await?;
    Ok(Clients { portal, mobile, job })
}

async fn register_from(app: &App, template: &str, form: &ClientForm<'_>, uris: &[(&str, &str)]) -> Res<Registered> {
    steps::open_register_form(app).await?;
    app.click_tid(&format!("template-{template}")).await?;
    steps::fill_client_form(app, form).await?;
    if !uris.is_empty() {
        app.click(
            "the URIs section",
            "[data-testid=\"client-editor\"] details:has([data-testid=\"field-tos_uri\"]) summary",
        )
        .await?;
        for (field, value) in uris {
            app.fill_tid(field, value).await?;
        }
    }
    steps::submit_registration(app).await
}

async fn shoot_theme(app: &App, clients: &Clients, theme: &str) -> Res<Vec<std::path::PathBuf>> {
    let mut written = Vec::new();

    steps::open_client(app, &clients.mobile.client_id).await?;
    steps::sheet_values(app, "redirect_uris").await?;
    written.push(shot(app, &format!("clients-{theme}")).await?);

    // The service has a secret (the native app is a public client without one).
    steps::open_client(app, &clients.job.client_id).await?;
    app.click_tid("secret-reveal").await?;
    let secret = clients.job.secret.clone().ok_or("the service got no secret")?;
    app.wait_text("the revealed secret", &tid("secret-value"), |t| t == secret)
        .await?;
    steps::detail_json(app).await?;
    written.push(shot(app, &format!("client-detail-{theme}")).await?);
    app.click_tid("secret-reveal").await?;

    steps::open_client(app, &clients.portal.client_id).await?;
    app.click_tid("tab-drift").await?;
    steps::drift_rows(app).await?;
    steps::wait_drift_marker(app, &clients.portal.client_id).await?;
    written.push(shot(app, &format!("drift-{theme}")).await?);

    steps::open_register_form(app).await?;
    app.click_tid("template-web").await?;
    steps::fill_client_form(
        app,
        &ClientForm {
            name: "Customer dashboard",
            redirect_uris: &[
                "https://dashboard.example.org/callback",
                "dashboard.example.org/callback",
            ],
            grant_types: None,
        },
    )
    .await?;
    // The second URI is not absolute: the form says so before anything is sent.
    app.wait_css(
        "the live message on the second redirect URI",
        "[data-testid=\"redirect_uris\"] .field-error",
    )
    .await?;
    written.push(shot(app, &format!("register-form-{theme}")).await?);
    app.click(
        "the form's Cancel button",
        "[data-testid=\"client-editor\"] footer button.ghost",
    )
    .await?;
    app.wait_gone("the form to close", &tid("client-editor")).await?;

    app.click_tid("edit-profile").await?;
    app.wait_tid("profile-editor").await?;
    app.click_tid("profile-test").await?;
    app.wait_tid("probe-report").await?;
    app.js(
        "document.querySelector('[data-testid=\"probe-report\"]').scrollIntoView({block: 'end'}); return null",
        vec![],
    )
    .await?;
    written.push(shot(app, &format!("profile-probe-{theme}")).await?);
    steps::close_modal(app, "profile-modal").await?;
    Ok(written)
}

/// A screenshot with no toast in front of the screen and no blinking caret, once the page
/// has painted what the last step changed (a WebKit snapshot can otherwise show the frame
/// before).
pub(crate) async fn shot(app: &App, name: &str) -> Res<std::path::PathBuf> {
    steps::dismiss_toasts(app).await?;
    app.js("document.activeElement?.blur(); return null", vec![]).await?;
    painted_shot(app, name).await
}

/// A screenshot once the window has painted what the DOM now holds (two animation frames:
/// a snapshot taken sooner can show an earlier frame), focus and toasts as they are.
pub(crate) async fn painted_shot(app: &App, name: &str) -> Res<std::path::PathBuf> {
    let painted = "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(null)))";
    app.client().execute_async(painted, vec![]).await?;
    app.screenshot(name).await
}
