//! What a script in the window may reach (issue 8), tried from inside the real webview as
//! an injected script would: through Tauri's IPC (`window.__TAURI_INTERNALS__.invoke`) and
//! through the page's own means (script elements, fetch, images).
//!
//! - Commands outside the capability set (src-tauri/capabilities/main.json) are refused by
//!   Tauri's ACL: opening files, message boxes, reading the clipboard, closing or moving
//!   the window, making a new webview. Each is a real command of a plugin the app loads,
//!   so the refusal is the ACL's and not "no such command" (checked in the message where
//!   the build gives it). Commands inside it are answered, from the same plugins.
//! - The CSP refuses an inline script, a script, a fetch and an image from another origin
//!   (a listener on loopback that must see no connection), each reported as a violation
//!   of the directive that refused it; `eval` is refused too.
//!
//! tests/gui/hostile.rs covers the other half: provider and user strings that are HTML
//! show as text and make no element.

use crate::harness::{expect, expect_eq, App, Res};
use crate::page::{eventually, tid, WAIT};
use serde_json::{json, Value};
use std::time::Duration;

/// Commands a script must not be able to call: (command, arguments).
const REFUSED: &[(&str, &str)] = &[
    ("plugin:dialog|open", r#"{"options": {}}"#),
    // The export command opens the save dialog itself; the window may not.
    ("plugin:dialog|save", r#"{"options": {}}"#),
    ("plugin:dialog|message", r#"{"message": "hi"}"#),
    ("plugin:clipboard-manager|read_text", "{}"),
    // Clearing is the app's own job, and only while the clipboard still holds its secret.
    ("plugin:clipboard-manager|clear", "{}"),
    ("plugin:window|close", r#"{"label": "main"}"#),
    (
        "plugin:window|set_position",
        r#"{"label": "main", "value": {"Logical": {"x": 0, "y": 0}}}"#,
    ),
    ("plugin:window|set_always_on_top", r#"{"label": "main", "value": true}"#),
    (
        "plugin:webview|create_webview_window",
        r#"{"options": {"label": "other", "url": "https://example.org/"}}"#,
    ),
];

#[tokio::test]
async fn commands_outside_the_capabilities_are_refused() -> Res {
    let Some(app) = App::launch("capabilities::commands_outside_the_capabilities_are_refused").await? else {
        return Ok(());
    };
    let outcome = ipc(&app).await;
    app.finish(outcome).await
}

#[tokio::test]
async fn csp_blocks_inline_scripts_and_other_origins() -> Res {
    let Some(app) = App::launch("capabilities::csp_blocks_inline_scripts_and_other_origins").await? else {
        return Ok(());
    };
    let outcome = csp(&app).await;
    app.finish(outcome).await
}

async fn ipc(app: &App) -> Res {
    app.wait_text("the title to settle", &tid("profile-title"), |t| t == "Local mock")
        .await?;

    // Granted: the app's own commands, and the plugins' commands the capability lists.
    let info = invoke(app, "app_info", json!({})).await?;
    expect(&format!("app_info answered: {info}"), info["ok"] == json!(true))?;
    // The app sets its title once the profile is open; it is read back here.
    let want = json!({"ok": true, "value": "Registrar — Local mock"});
    eventually("the window title through plugin:window|title", WAIT, || async {
        let title = invoke(app, "plugin:window|title", json!({"label": "main"})).await?;
        Ok((title == want).then_some(()))
    })
    .await?;
    let copied = invoke(
        app,
        "plugin:clipboard-manager|write_text",
        json!({"text": "not a secret"}),
    )
    .await?;
    expect(
        &format!("plugin:clipboard-manager|write_text answered: {copied}"),
        copied["ok"] == json!(true),
    )?;

    for (command, args) in REFUSED {
        let answer = invoke(app, command, serde_json::from_str(args)?).await?;
        let error = answer["error"].as_str().unwrap_or_default();
        expect(
            &format!("{command} refused as not allowed, got {answer}"),
            answer["ok"] == json!(false) && error.contains("not allowed"),
        )?;
        // Debug builds say why; a misspelt command would be "not found", not refused.
        expect(
            &format!("{command} to be a real command of a loaded plugin, got {error:?}"),
            !error.contains("Command not found") && !error.contains("Plugin not found"),
        )?;
    }
    // Nothing refused happened anyway: the window is still there, in place, alone.
    let title = invoke(app, "plugin:window|title", json!({"label": "main"})).await?;
    expect_eq("the window after the refusals", &title["ok"], &json!(true))?;
    let windows = invoke(app, "plugin:window|get_all_windows", json!({})).await?;
    expect_eq(
        "the windows after the refusals",
        windows,
        json!({"ok": true, "value": ["main"]}),
    )?;
    Ok(())
}

/// Calls a command over the window's IPC and returns `{ok, value}` or `{ok: false, error}`.
async fn invoke(app: &App, command: &str, args: Value) -> Res<Value> {
    let script = "const [command, args, done] = arguments; \
                  window.__TAURI_INTERNALS__.invoke(command, args).then( \
                    (value) => done({ ok: true, value: value ?? null }), \
                    (error) => done({ ok: false, error: typeof error === 'string' ? error : JSON.stringify(error) }))";
    let answer = tokio::time::timeout(
        Duration::from_secs(20),
        app.client().execute_async(script, vec![json!(command), args]),
    )
    .await
    .map_err(|_| format!("{command} got no answer within 20 s"))??;
    Ok(answer)
}

async fn csp(app: &App) -> Res {
    app.wait_text("the title to settle", &tid("profile-title"), |t| t == "Local mock")
        .await?;
    // A loopback listener stands for any other origin: it must never be reached.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let other = format!("http://127.0.0.1:{}", listener.local_addr()?.port());

    let script = "const [other, done] = arguments; \
        const violations = []; \
        document.addEventListener('securitypolicyviolation', (e) => \
          violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI })); \
        const settle = () => new Promise((r) => setTimeout(r, 500)); \
        (async () => { \
          const inline = document.createElement('script'); \
          inline.textContent = 'window.__inline_ran = true'; \
          document.body.appendChild(inline); \
          const remote = document.createElement('script'); \
          remote.src = other + '/script.js'; \
          document.body.appendChild(remote); \
          const img = new Image(); \
          img.src = other + '/pixel.png'; \
          document.body.appendChild(img); \
          let fetched; \
          try { await fetch(other + '/data'); fetched = 'answered'; } catch (e) { fetched = 'refused'; } \
          let evaluated; \
          try { evaluated = eval('1 + 1'); } catch (e) { evaluated = 'refused'; } \
          await settle(); \
          inline.remove(); remote.remove(); img.remove(); \
          done({ inline_ran: window.__inline_ran ?? false, fetched, evaluated: String(evaluated), violations }); \
        })();";
    let seen = app.client().execute_async(script, vec![json!(other)]).await?;
    expect_eq("the inline script ran", &seen["inline_ran"], &json!(false))?;
    expect_eq("the fetch to another origin", &seen["fetched"], &json!("refused"))?;
    expect_eq("eval", &seen["evaluated"], &json!("refused"))?;
    let mut violations: Vec<(String, String)> = serde_json::from_value::<Vec<Value>>(seen["violations"].clone())?
        .iter()
        .map(|v| {
            let blocked = v["blocked"].as_str().unwrap_or_default();
            let what = blocked.strip_prefix(&other).unwrap_or(blocked).to_string();
            (v["directive"].as_str().unwrap_or_default().to_string(), what)
        })
        .collect();
    violations.sort();
    violations.dedup();
    expect_eq(
        "the CSP violations reported (directive, what was blocked)",
        violations,
        [
            ("connect-src", "/data"),
            ("img-src", "/pixel.png"),
            ("script-src", "eval"),
            ("script-src-elem", "/script.js"),
            ("script-src-elem", "inline"),
        ]
        .iter()
        .map(|(d, w)| (d.to_string(), w.to_string()))
        .collect::<Vec<_>>(),
    )?;
    let reached = tokio::time::timeout(Duration::from_millis(500), listener.accept()).await;
    expect("no connection from the window to the other origin", reached.is_err())
}
