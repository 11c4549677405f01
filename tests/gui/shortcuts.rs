//! The keyboard shortcuts reach the same functions as the buttons (issue 20: not clicks on
//! elements found by their test ids): "/" puts the cursor in the search box, Delete asks to
//! delete the client shown, Ctrl+E opens its editor, Ctrl+R reads it from the provider; and
//! Delete typed into a text box is only text.

use crate::harness::{expect, expect_eq, App, Res};
use crate::page::{eventually, tid, WAIT};
use crate::steps::{self, ClientForm, Dialect};
use serde_json::json;

#[tokio::test]
async fn shortcuts_act_on_the_client_shown() -> Res {
    let Some(app) = App::launch("shortcuts::shortcuts_act_on_the_client_shown").await? else {
        return Ok(());
    };
    let outcome = scenario(&app).await;
    app.finish(outcome).await
}

async fn scenario(app: &App) -> Res {
    let mock = steps::start_mock(app, Dialect::Liberty).await?;
    let client = steps::register(
        app,
        &ClientForm {
            name: "keyboard client",
            redirect_uris: &["https://keyboard.example.org/callback"],
            grant_types: None,
        },
    )
    .await?;
    steps::wait_detail_of(app, &client.client_id).await?;

    press(app, "/", false).await?;
    eventually("the search box to have the focus", WAIT, || async {
        let focused = app
            .js("return document.activeElement?.dataset?.testid ?? null", vec![])
            .await?;
        Ok((focused == json!("client-search")).then_some(()))
    })
    .await?;
    // Typing in a box: Delete there is the box's, not the shortcut's.
    press(app, "Delete", false).await?;
    expect(
        "no delete dialog from a Delete typed into the search box",
        app.find(&tid("delete-dialog")).await?.is_none(),
    )?;
    app.js("document.activeElement?.blur()", vec![]).await?;

    press(app, "Delete", false).await?;
    app.wait_tid("delete-dialog").await?;
    let named = app.text_tid("delete-name").await?;
    expect_eq(
        "the dialog is about the client shown",
        named.as_str(),
        "keyboard client",
    )?;
    app.click("the dialog's Cancel", &format!("{} button.ghost", tid("delete-dialog")))
        .await?;
    app.wait_gone("the delete dialog", &tid("delete-dialog")).await?;
    expect("still on the provider", mock.client(&client.client_id).await?.is_some())?;

    press(app, "e", true).await?;
    app.wait_tid("client-editor").await?;
    let name = app
        .value(&format!("{} [data-testid=\"field-client_name\"]", tid("client-editor")))
        .await?;
    expect_eq("the editor holds the client shown", name.as_str(), "keyboard client")?;
    app.click_tid("editor-cancel").await?;
    steps::wait_detail_of(app, &client.client_id).await?;

    let before = mock.request_count().await?;
    press(app, "r", true).await?;
    eventually("Ctrl+R to read the client from the provider", WAIT, || async {
        Ok((mock.request_count().await? > before).then_some(()))
    })
    .await?;
    Ok(())
}

/// A key press as the page sees it, sent to whatever has the focus (the page itself when
/// nothing does), so the window's shortcut handler decides what it means.
async fn press(app: &App, key: &str, ctrl: bool) -> Res {
    app.js(
        "const [key, ctrl] = arguments; \
         const target = document.activeElement ?? document.body; \
         target.dispatchEvent(new KeyboardEvent('keydown', { key, ctrlKey: ctrl, bubbles: true, cancelable: true }));",
        vec![json!(key), json!(ctrl)],
    )
    .await?;
    Ok(())
}
