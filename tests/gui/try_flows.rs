//! Try from the window (issue 16), with a person in the loop: the try wizard shows the
//! authorization URL (or the device code), the scripted user of tests/support/browser.rs
//! signs in at the local mock's own pages, the browser comes back to the app's loopback
//! listener (or the app's polling sees the approval), and the window shows the tokens
//! explained and checked. "Open in browser" is never clicked: the test reads what the
//! window shows, as a person copying the URL elsewhere would.

use crate::harness::{expect, expect_eq, App, Res};
use crate::page::{eventually, tid, WAIT};
use crate::steps::{self, ClientForm, Dialect};
use registrar_tests::browser::Browser;
use serde_json::{json, Value};
use std::time::Duration;

/// A free loopback port for a client's registered redirect URI.
fn free_port() -> Res<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

#[tokio::test]
async fn try_the_authorization_code_grant_through_the_window() -> Res {
    let Some(app) = App::launch("try_flows::try_the_authorization_code_grant_through_the_window").await? else {
        return Ok(());
    };
    let outcome = authorization_code(&app).await;
    app.finish(outcome).await
}

#[tokio::test]
async fn try_the_device_grant_through_the_window() -> Res {
    let Some(app) = App::launch("try_flows::try_the_device_grant_through_the_window").await? else {
        return Ok(());
    };
    let outcome = device_code(&app).await;
    app.finish(outcome).await
}

const NODE_TEST: &str = "try_flows::try_at_node_oidc_provider_through_the_window";

/// The same grant at a provider nobody here wrote: node-oidc-provider, added with the
/// profile editor, its dev-interaction login pages gone through by the scripted user.
#[tokio::test]
async fn try_at_node_oidc_provider_through_the_window() -> Res {
    if !crate::harness::enabled(NODE_TEST) {
        return Ok(());
    }
    let provider = registrar_tests::real_provider::RealProvider::node_oidc(json!({}));
    let Some(app) = App::launch(NODE_TEST).await? else {
        return Ok(());
    };
    let outcome = at_node_oidc(&app, &provider).await;
    let outcome = app.finish(outcome).await;
    drop(provider);
    outcome
}

async fn at_node_oidc(app: &App, provider: &registrar_tests::real_provider::RealProvider) -> Res {
    crate::real_provider::add_profile(app, provider).await?;
    let redirect_uri = format!("http://127.0.0.1:{}/callback", free_port()?);
    steps::open_register_form(app).await?;
    steps::fill_client_form(
        app,
        &ClientForm {
            name: "Try me at node-oidc-provider",
            redirect_uris: &[&redirect_uri],
            grant_types: Some(&["authorization_code", "refresh_token"]),
        },
    )
    .await?;
    // A stock node-oidc-provider supports the scopes openid and offline_access only.
    app.fill_tid("field-scope", "openid").await?;
    let client = steps::submit_registration(app).await?;
    app.click_tid("action-try").await?;
    app.wait_tid("try-wizard").await?;
    app.select(&tid("try-grant"), "authorization_code").await?;
    app.click_tid("try-start").await?;
    let url = app.text_tid("try-authorization-url").await?;
    let browser = Browser::default();
    let back = browser
        .authorize(url.trim(), &redirect_uri)
        .await
        .map_err(|e| format!("the user signing in at node-oidc-provider ({url}): {e}"))?;
    browser
        .visit(&back)
        .await
        .map_err(|e| format!("the browser coming back to the app's listener: {e}"))?;
    app.wait_tid("try-result").await?;
    for check in ["signature", "iss", "aud", "exp", "nonce"] {
        expect_eq(
            &format!("node-oidc-provider's ID token: the {check} check"),
            check_outcome(app, "id_token", check).await?,
            json!("passed"),
        )?;
    }
    app.click_tid("try-close").await?;
    app.wait_gone("the try wizard to close", &tid("try-wizard")).await?;
    steps::wait_detail_of(app, &client.client_id).await
}

/// The outcome (`passed`, `failed`, `skipped`) the window shows for one check of a token.
async fn check_outcome(app: &App, token: &str, check: &str) -> Res<Value> {
    let css = format!(
        "{} {}",
        tid(&format!("try-token-{token}")),
        tid(&format!("try-check-{check}"))
    );
    app.js(
        "return document.querySelector(arguments[0])?.dataset?.outcome ?? null",
        vec![json!(css)],
    )
    .await
}

async fn authorization_code(app: &App) -> Res {
    steps::open_profile(app, &Dialect::Generic.profile()).await?;
    let redirect_uri = format!("http://127.0.0.1:{}/callback", free_port()?);
    let client = steps::register(
        app,
        &ClientForm {
            name: "Try me in a browser",
            redirect_uris: &[&redirect_uri],
            grant_types: Some(&["authorization_code", "refresh_token"]),
        },
    )
    .await?;
    app.click_tid("action-try").await?;
    app.wait_tid("try-wizard").await?;
    app.select(&tid("try-grant"), "authorization_code").await?;
    app.click_tid("try-start").await?;

    let url = app.text_tid("try-authorization-url").await?;
    let waiting = app.text_tid("try-waiting").await?;
    expect(
        &format!("the window waits on the registered redirect URI ({waiting})"),
        waiting.contains(&redirect_uri),
    )?;
    let browser = Browser::default();
    let back = browser
        .authorize(url.trim(), &redirect_uri)
        .await
        .map_err(|e| format!("the user signing in at {url}: {e}"))?;
    browser
        .visit(&back)
        .await
        .map_err(|e| format!("the browser coming back to the app's listener: {e}"))?;

    app.wait_tid("try-result").await?;
    let summary = app.text_tid("try-summary").await?;
    expect(
        &format!("the result is of the authorization code grant: {summary}"),
        summary.contains("authorization_code"),
    )?;
    for check in ["signature", "iss", "aud", "nonce"] {
        expect_eq(
            &format!("the ID token's {check} check"),
            check_outcome(app, "id_token", check).await?,
            json!("passed"),
        )?;
    }
    expect(
        "the ID token shows its times",
        app.find(&tid("try-time-id_token-exp")).await?.is_some(),
    )?;
    // The tokens stay masked until asked for.
    let shown = app.text_tid("try-value-access_token").await?;
    app.click_tid("try-reveal-access_token").await?;
    let revealed = app
        .wait_text("the revealed access token", &tid("try-value-access_token"), |t| {
            t != shown
        })
        .await?;
    expect(
        "the revealed token is longer than its preview",
        revealed.trim().len() > shown.trim().len(),
    )?;
    app.click_tid("try-reveal-access_token").await?;
    app.wait_text("the access token masked again", &tid("try-value-access_token"), |t| {
        t == shown
    })
    .await?;

    // The grant's answer with the ID token explained, as the README shows it.
    app.js("document.querySelector('.modal .body')?.scrollTo(0, 0)", vec![])
        .await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    crate::screenshots::shot(app, "try-result").await?;

    app.click_tid("try-refresh").await?;
    app.wait_text(
        "the refresh to say the refresh token rotated",
        &tid("try-rotated"),
        |t| t.contains("rotated (a new one"),
    )
    .await?;
    app.click_tid("try-userinfo").await?;
    let userinfo = app.text_tid("try-answer-userinfo").await?;
    expect(
        &format!("userinfo names the demo user: {userinfo}"),
        userinfo.contains(registrar_mock_op::DEMO_SUBJECT),
    )?;

    app.click_tid("try-close").await?;
    app.wait_gone("the try wizard to close", &tid("try-wizard")).await?;
    steps::wait_detail_of(app, &client.client_id).await
}

async fn device_code(app: &App) -> Res {
    steps::open_profile(app, &Dialect::Generic.profile()).await?;
    // The form's response type `code` needs authorization_code (and a redirect URI): the
    // client can use both, and the wizard offers both.
    let redirect_uri = format!("http://127.0.0.1:{}/callback", free_port()?);
    let client = steps::register(
        app,
        &ClientForm {
            name: "Try me on a device",
            redirect_uris: &[&redirect_uri],
            grant_types: Some(&[
                "authorization_code",
                "urn:ietf:params:oauth:grant-type:device_code",
                "refresh_token",
            ]),
        },
    )
    .await?;
    app.click_tid("action-try").await?;
    app.wait_tid("try-wizard").await?;
    app.select(&tid("try-grant"), "device_code").await?;
    app.click_tid("try-start").await?;

    let code = app.text_tid("try-user-code").await?;
    let complete = app.text_tid("try-verification-uri-complete").await?;
    expect(
        &format!("the complete verification URI carries the user code {code}: {complete}"),
        complete.contains(code.trim()),
    )?;
    let qr = app
        .js(
            "const i = document.querySelector(arguments[0]); return i ? [i.src.slice(0, 26), i.naturalWidth] : null",
            vec![json!(tid("try-qr"))],
        )
        .await?;
    expect(
        &format!("a QR code is shown as an SVG image: {qr}"),
        qr[0] == json!("data:image/svg+xml;base64,") && qr[1].as_u64() > Some(0),
    )?;
    Browser::default()
        .verify_device(complete.trim(), None)
        .await
        .map_err(|e| format!("the user approving at {complete}: {e}"))?;

    // The app polls at the provider's interval: give it a few.
    eventually("the device grant's result", WAIT + Duration::from_secs(40), || async {
        Ok(app.find(&tid("try-result")).await?.map(|_| ()))
    })
    .await?;
    let summary = app.text_tid("try-summary").await?;
    expect(
        &format!("the result is of the device grant: {summary}"),
        summary.contains("device_code"),
    )?;
    app.click_tid("try-close").await?;
    app.wait_gone("the try wizard to close", &tid("try-wizard")).await?;
    steps::wait_detail_of(app, &client.client_id).await
}
