//! The window by the keyboard alone (issue 21): Ctrl+N puts the cursor in the register
//! form's first field, Tab walks the form, "+ Add" puts the cursor in the new item, Enter
//! submits; Escape cancels the form, and its "Discard changes?" dialog keeps Tab inside
//! with a visible focus ring; "/" and ↓ go from the search box into the list, Escape
//! clears the search; the command palette (Ctrl+K) runs actions and opens clients, arrows
//! moving its current entry (aria-activedescendant); Enter in a dialog's box confirms it.
//! Every step after the launch is a key sent to whatever has the focus. Then the sidebar's
//! online/offline mark: the local mock's profile is online after the registration and
//! offline once its mock is stopped.

use crate::harness::{expect, expect_eq, App, Res};
use crate::page::{client_row, eventually, profile_item, tid, WAIT};
use serde_json::json;

const CTRL: &str = "\u{E009}";
/// Releases the modifiers held down.
const RELEASE: &str = "\u{E000}";
const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const ESCAPE: &str = "\u{E00C}";
const ARROW_DOWN: &str = "\u{E015}";

#[tokio::test]
async fn the_window_by_keys_alone() -> Res {
    let Some(app) = App::launch("keyboard_paths::the_window_by_keys_alone").await? else {
        return Ok(());
    };
    let outcome = scenario(&app).await;
    app.finish(outcome).await
}

async fn scenario(app: &App) -> Res {
    app.wait_tid("client-list").await?;

    // Ctrl+N: the form, the cursor in its first field; Tab to the redirect URI; Enter sends.
    chord(app, "n").await?;
    wait_focus(app, "field-client_name").await?;
    keys(app, "keys only client").await?;
    // The form starts without a redirect URI: "+ Add" gives one, with the cursor in it.
    tab_to(app, "redirect_uris-add").await?;
    keys(app, ENTER).await?;
    wait_focus(app, "redirect_uris-0").await?;
    keys(app, "https://keys.example.org/callback").await?;
    keys(app, ENTER).await?;
    app.wait_tid("registered-dialog").await?;
    let client_id = app.text_tid("registered-client-id").await?;
    keys(app, ESCAPE).await?;
    app.wait_gone("the registered dialog to close", &tid("registered-dialog"))
        .await?;
    app.wait_css("the new client's row", &client_row(&client_id)).await?;

    // "+ Add" puts the cursor in the new item; Escape cancels, and asks first.
    chord(app, "n").await?;
    wait_focus(app, "field-client_name").await?;
    keys(app, "half done").await?;
    tab_to(app, "redirect_uris-add").await?;
    keys(app, ENTER).await?;
    wait_focus(app, "redirect_uris-0").await?;
    keys(app, ESCAPE).await?;
    app.wait_tid("discard-dialog").await?;
    wait_focus(app, "discard-keep").await?;
    expect(
        "a focus ring on the dialog's focused button",
        has_focus_ring(app).await?,
    )?;
    for _ in 0..5 {
        keys(app, TAB).await?;
        let inside = app
            .js(
                "return !!document.activeElement?.closest('[data-testid=\"discard-dialog\"]')",
                vec![],
            )
            .await?;
        expect("Tab to stay inside the dialog", inside == json!(true))?;
        expect("a focus ring on every stop", has_focus_ring(app).await?)?;
    }
    tab_to(app, "discard-confirm").await?;
    keys(app, ENTER).await?;
    app.wait_gone("the register form to close", &tid("client-editor"))
        .await?;

    // "/" to the search; Escape clears it; ↓ goes on into the list and opens the client.
    keys(app, "/").await?;
    wait_focus(app, "client-search").await?;
    keys(app, "no such client").await?;
    app.wait_tid("client-list-empty").await?;
    keys(app, ESCAPE).await?;
    eventually("Escape to clear the search", WAIT, || async {
        Ok((app.value(&tid("client-search")).await?.is_empty()).then_some(()))
    })
    .await?;
    keys(app, "keys only").await?;
    app.wait_text("one match", &tid("client-count"), |t| t == "1 client")
        .await?;
    keys(app, ARROW_DOWN).await?;
    wait_focus(app, "client-list").await?;
    crate::steps::wait_detail_of(app, &client_id).await?;

    // The palette: arrows move the current entry, Enter runs it.
    chord(app, "k").await?;
    app.wait_tid("command-palette").await?;
    wait_focus(app, "palette-input").await?;
    let first = current_option(app).await?;
    keys(app, ARROW_DOWN).await?;
    keys(app, ARROW_DOWN).await?;
    let third = current_option(app).await?;
    expect(
        &format!("↓ to move the current entry ({first} → {third})"),
        first != third && !third.is_empty(),
    )?;
    let selected = app
        .js(
            "return document.getElementById(arguments[0])?.getAttribute('aria-selected')",
            vec![json!(third)],
        )
        .await?;
    expect_eq("the current entry is the selected option", selected, json!("true"))?;
    crate::screenshots::painted_shot(app, "command-palette").await?;
    keys(app, "http history").await?;
    wait_current_entry(app, "view-history").await?;
    keys(app, ENTER).await?;
    app.wait_gone("the palette to close", &tid("command-palette")).await?;
    app.wait_css("the history view", &format!("{}.active", tid("view-history")))
        .await?;

    chord(app, "k").await?;
    wait_focus(app, "palette-input").await?;
    keys(app, "keys only client").await?;
    wait_current_entry(app, &format!("client:{client_id}")).await?;
    keys(app, ENTER).await?;
    app.wait_gone("the palette to close", &tid("command-palette")).await?;
    crate::steps::wait_detail_of(app, &client_id).await?;

    chord(app, "k").await?;
    wait_focus(app, "palette-input").await?;
    keys(app, ESCAPE).await?;
    app.wait_gone("Escape to close the palette", &tid("command-palette"))
        .await?;

    // A dialog with boxes opens with the cursor in its first; Enter there confirms it.
    chord(app, "k").await?;
    wait_focus(app, "palette-input").await?;
    keys(app, "import an existing").await?;
    wait_current_entry(app, "import").await?;
    keys(app, ENTER).await?;
    app.wait_tid("import-dialog").await?;
    eventually("the cursor in the import dialog's first box", WAIT, || async {
        let first = app
            .js(
                "const d = document.querySelector('[data-testid=\"import-dialog\"]'); \
                 return document.activeElement === d?.querySelector('input')",
                vec![],
            )
            .await?;
        Ok((first == json!(true)).then_some(()))
    })
    .await?;
    keys(app, ENTER).await?;
    app.wait_css(
        "Enter to run the import (which says what is missing)",
        "[data-testid=\"import-dialog\"] .field-error",
    )
    .await?;
    keys(app, ESCAPE).await?;
    app.wait_gone("Escape to close the import dialog", &tid("import-dialog"))
        .await?;

    // The local mock's profile answered the registration: online; its mock stopped: offline.
    let mark = format!("{} [data-testid=\"profile-reach\"]", profile_item("Local mock"));
    wait_reach(app, &mark, "online").await?;
    app.click(
        "the generic mock's stop button",
        "[data-testid=\"mock-running\"][data-dialect=\"generic\"] button",
    )
    .await?;
    // A stop may ask first while the mock has clients.
    if let Ok(confirm) = eventually(
        "a stop confirmation, if any",
        std::time::Duration::from_secs(2),
        || async { app.find("[aria-modal=\"true\"] button.danger").await },
    )
    .await
    {
        confirm.click().await?;
    }
    wait_reach(app, &mark, "offline").await?;
    let title = app
        .js(
            "return document.querySelector(arguments[0])?.title ?? ''",
            vec![json!(mark)],
        )
        .await?;
    expect(
        &format!("the offline mark says the mock is stopped: {title}"),
        title.as_str().is_some_and(|t| t.contains("mock is stopped")),
    )?;
    Ok(())
}

/// Types `text` into whatever has the focus, as a person at the keyboard would.
async fn keys(app: &App, text: &str) -> Res {
    app.client().active_element().await?.send_keys(text).await?;
    Ok(())
}

/// Ctrl and a letter, then Ctrl released.
async fn chord(app: &App, letter: &str) -> Res {
    keys(app, &format!("{CTRL}{letter}{RELEASE}")).await
}

async fn focused(app: &App) -> Res<String> {
    let id = app
        .js(
            "return document.activeElement?.dataset?.testid ?? document.activeElement?.tagName ?? ''",
            vec![],
        )
        .await?;
    Ok(id.as_str().unwrap_or_default().to_string())
}

async fn wait_focus(app: &App, testid: &str) -> Res {
    let last = std::cell::RefCell::new(String::new());
    eventually(&format!("the focus on {testid}"), WAIT, || async {
        let now = focused(app).await?;
        let done = now == testid;
        *last.borrow_mut() = now;
        Ok(done.then_some(()))
    })
    .await
    .map_err(|e| format!("{e}; the focus was on {:?}", last.borrow()).into())
}

/// Presses Tab until `testid` has the focus (at most 25 times).
async fn tab_to(app: &App, testid: &str) -> Res {
    let mut path = Vec::new();
    for _ in 0..25 {
        let now = focused(app).await?;
        if now == testid {
            return Ok(());
        }
        path.push(now);
        keys(app, TAB).await?;
    }
    Err(format!("Tab never reached {testid}; it went {}", path.join(" → ")).into())
}

/// Whether the focused element shows a ring (an outline, or a box shadow).
async fn has_focus_ring(app: &App) -> Res<bool> {
    let seen = app
        .js(
            "const s = getComputedStyle(document.activeElement); \
             return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'",
            vec![],
        )
        .await?;
    Ok(seen == json!(true))
}

/// The id of the palette's current option (its input's aria-activedescendant).
async fn current_option(app: &App) -> Res<String> {
    let id = app
        .js("return document.querySelector('[data-testid=\"palette-input\"]')?.getAttribute('aria-activedescendant') ?? ''", vec![])
        .await?;
    Ok(id.as_str().unwrap_or_default().to_string())
}

/// Waits until the palette's current option is the entry `entry`.
async fn wait_current_entry(app: &App, entry: &str) -> Res {
    eventually(&format!("the palette's current entry to be {entry}"), WAIT, || async {
        let id = current_option(app).await?;
        let is = app
            .js(
                "return document.getElementById(arguments[0])?.dataset?.entry ?? null",
                vec![json!(id)],
            )
            .await?;
        Ok((is.as_str() == Some(entry)).then_some(()))
    })
    .await
}

async fn wait_reach(app: &App, mark: &str, state: &str) -> Res {
    eventually(&format!("the Local mock profile marked {state}"), WAIT, || async {
        let seen = app
            .js(
                "return document.querySelector(arguments[0])?.dataset?.reach ?? null",
                vec![json!(mark)],
            )
            .await?;
        Ok((seen == json!(state)).then_some(()))
    })
    .await
}
