//! The bugs issue 21 found by trying the window as a new user would, each driven in the real
//! window: a dangerous redirect URI after switching to native; field errors that outlive
//! their value, show before any input or three times over; the layout at 1024×700,
//! 1440×900 and 1920×1080 (docs/screenshots/layout-*.png); a
//! focused primary button; deleted clients; Try on a WSO2 machine-to-machine client; a
//! half-filled form left by clicking another row; a submit error out of view.

use crate::harness::{expect, expect_eq, App, Res};
use crate::mock_admin::MockAdmin;
use crate::page::{client_row, eventually, tid, WAIT};
use crate::screenshots::shot;
use crate::steps::{self, ClientForm, Dialect};
use serde_json::{json, Value};
use std::time::Duration;

/// A test in the real window: launched, its scenario run, finished (with a screenshot on failure).
macro_rules! in_window {
    ($name:ident, $scenario:ident) => {
        #[tokio::test]
        async fn $name() -> Res {
            let Some(app) = App::launch(concat!("window_bugs::", stringify!($name))).await? else {
                return Ok(());
            };
            let outcome = $scenario(&app).await;
            app.finish(outcome).await
        }
    };
}

/// The texts of the form's error messages now (field, group and banner).
async fn form_messages(app: &App) -> Res<Vec<String>> {
    app.texts(&format!(
        "{editor} .field-error, {editor} .banner.error",
        editor = tid("client-editor")
    ))
    .await
}

/// Waits until the form shows exactly the messages `ok` accepts; returns them.
async fn wait_messages(app: &App, what: &str, ok: impl Fn(&[String]) -> bool) -> Res<Vec<String>> {
    let seen = std::cell::RefCell::new(Vec::new());
    let result = eventually(what, WAIT, || async {
        let messages = form_messages(app).await?;
        let done = ok(&messages);
        *seen.borrow_mut() = messages.clone();
        Ok(done.then_some(messages))
    })
    .await;
    result.map_err(|e| format!("{e}; the form showed {:?}", seen.borrow()).into())
}

/// Lets the form's live check (debounced by 250 ms) answer.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(900)).await;
}

in_window!(
    dangerous_redirect_refused_for_every_type,
    dangerous_redirect_refused_for_every_type_scenario
);

async fn dangerous_redirect_refused_for_every_type_scenario(app: &App) -> Res {
    let admin = MockAdmin::new(&steps::mock_base_url(app, Dialect::Generic).await?);
    steps::open_register_form(app).await?;
    steps::fill_client_form(
        app,
        &ClientForm {
            name: "Sneaky",
            redirect_uris: &["javascript:alert(1)"],
            grant_types: None,
        },
    )
    .await?;
    for application_type in ["web", "native"] {
        app.select(&tid("field-application_type"), application_type).await?;
        let messages = wait_messages(
            app,
            &format!("the javascript: URI refused as {application_type}"),
            |m| m.iter().any(|t| t.contains("javascript")),
        )
        .await?;
        expect(
            &format!("no message suggesting a change of application type ({application_type}): {messages:?}"),
            !messages
                .iter()
                .any(|t| t.contains("native") || t.contains("application_type")),
        )?;
        app.click_tid("submit-client").await?;
        settle().await;
        expect(
            "no registered dialog",
            app.find(&tid("registered-dialog")).await?.is_none(),
        )?;
        expect_eq("clients on the provider", admin.clients().await?.len(), 0)?;
    }
    Ok(())
}

in_window!(form_errors_follow_the_values, form_errors_follow_the_values_scenario);

async fn form_errors_follow_the_values_scenario(app: &App) -> Res {
    let admin = MockAdmin::new(&steps::mock_base_url(app, Dialect::Generic).await?);
    steps::open_register_form(app).await?;
    settle().await;
    expect_eq(
        "messages before any input",
        form_messages(app).await?,
        Vec::<String>::new(),
    )?;

    app.fill_tid("field-client_name", "Fragmented").await?;
    steps::set_list_item(app, "redirect_uris", 0, "https://app.example.org/cb#frag").await?;
    wait_messages(app, "the fragment refused next to the URI", |m| {
        m.iter().any(|t| t.contains("fragment"))
    })
    .await?;
    // Sent anyway: refused without a request, and said once.
    let before = admin.request_count().await?;
    app.click_tid("submit-client").await?;
    settle().await;
    let messages = form_messages(app).await?;
    expect_eq(
        &format!("how often the fragment error is shown ({messages:?})"),
        messages.iter().filter(|t| t.contains("fragment")).count(),
        1,
    )?;
    expect_eq("requests to the provider", admin.request_count().await?, before)?;
    expect(
        "no registered dialog",
        app.find(&tid("registered-dialog")).await?.is_none(),
    )?;

    // The value fixed: its error goes at once, whoever raised it.
    app.fill(&tid("redirect_uris-0"), "https://app.example.org/cb").await?;
    wait_messages(app, "no message once the URI is fixed", |m| m.is_empty()).await?;
    steps::submit_registration(app).await?;
    expect_eq("clients on the provider", admin.clients().await?.len(), 1)
}

/// Whether the element is whole inside the window (and not cut by a scrolling ancestor).
async fn fully_shown(app: &App, css: &str) -> Res<Value> {
    app.js(
        "const e = document.querySelector(arguments[0]); if (!e) return 'missing'; \
         const r = e.getBoundingClientRect(); \
         if (r.width === 0) return 'no width'; \
         if (r.right > window.innerWidth + 0.5 || r.left < -0.5) return `x ${r.left}..${r.right} of ${window.innerWidth}`; \
         if (e.scrollWidth > e.clientWidth + 1) return `text cut: ${e.scrollWidth} > ${e.clientWidth}`; \
         return true;",
        vec![json!(css)],
    )
    .await
}

async fn set_size(app: &App, width: u32, height: u32) -> Res {
    app.client().set_window_size(width, height).await?;
    eventually(&format!("the window at {width}×{height}"), WAIT, || async {
        let w = app.js("return window.innerWidth", vec![]).await?;
        Ok((w.as_u64().is_some_and(|w| w.abs_diff(u64::from(width)) < 40)).then_some(()))
    })
    .await
}

in_window!(
    narrow_window_overlays_the_detail,
    narrow_window_overlays_the_detail_scenario
);

async fn narrow_window_overlays_the_detail_scenario(app: &App) -> Res {
    let registered = steps::register(
        app,
        &ClientForm {
            name: "Narrow",
            redirect_uris: &["https://app.example.org/callback"],
            grant_types: None,
        },
    )
    .await?;
    for name in ["Billing portal", "Reports (nightly)"] {
        steps::register(
            app,
            &ClientForm {
                name,
                redirect_uris: &["https://reports.example.org/callback"],
                grant_types: None,
            },
        )
        .await?;
    }
    for (width, height) in [(1024, 700), (1440, 900), (1920, 1080)] {
        set_size(app, width, height).await?;
        if width < 1200 && app.find(&tid("client-detail")).await?.is_some() {
            // The detail lies over the list: closed, the rows can be clicked again.
            app.click_tid("pane-close").await?;
            app.wait_gone("the detail over the list to close", &tid("client-detail"))
                .await?;
        }
        steps::open_client(app, &registered.client_id).await?;
        for id in ["action-delete", "action-export", "secret-copy", "secret-reveal"] {
            expect_eq(
                &format!("{id} whole at {width}×{height}"),
                fully_shown(app, &tid(id)).await?,
                json!(true),
            )?;
        }
        steps::open_register_form(app).await?;
        for id in ["submit-client", "field-application_type", "redirect_uris-add"] {
            expect_eq(
                &format!("{id} whole at {width}×{height}"),
                fully_shown(app, &tid(id)).await?,
                json!(true),
            )?;
        }
        // At the form's end, below the fold of the pane.
        app.js(
            "document.querySelector(arguments[0]).scrollIntoView({ block: 'end' }); return null",
            vec![json!(tid("editor-cancel"))],
        )
        .await?;
        app.click_tid("editor-cancel").await?;
        steps::wait_detail_of(app, &registered.client_id).await?;
        shot(app, &format!("layout-{width}x{height}")).await?;
    }
    // Narrow, the detail lies over the list and closes back to it.
    set_size(app, 1024, 700).await?;
    steps::wait_detail_of(app, &registered.client_id).await?;
    let over = app
        .js(
            "const p = document.querySelector(arguments[0]).getBoundingClientRect(); \
             const l = document.querySelector(arguments[1]).getBoundingClientRect(); \
             return p.left < l.right && p.right > l.left && p.top < l.bottom;",
            vec![json!(tid("pane")), json!(tid("client-list"))],
        )
        .await?;
    expect_eq("the detail lying over the list", over, json!(true))?;
    app.click_tid("pane-close").await?;
    app.wait_gone("the detail to close", &tid("client-detail")).await?;
    app.click(
        &format!("the row of {}", registered.client_id),
        &client_row(&registered.client_id),
    )
    .await?;
    steps::wait_detail_of(app, &registered.client_id).await
}

in_window!(
    focused_primary_button_keeps_its_fill,
    focused_primary_button_keeps_its_fill_scenario
);

async fn focused_primary_button_keeps_its_fill_scenario(app: &App) -> Res {
    for theme in ["light", "dark"] {
        app.select(&tid("theme"), theme).await?;
        // Focused from the keyboard (Tab from the theme select back to it is a long
        // way): focus() with focus-visible, as a Tab would give it.
        let seen = app
            .js(
                "const b = document.querySelector(arguments[0]); b.focus({ focusVisible: true }); \
                 const accent = getComputedStyle(document.documentElement).getPropertyValue('--accent').trim(); \
                 const probe = document.createElement('span'); probe.style.color = accent; document.body.append(probe); \
                 const want = getComputedStyle(probe).color; probe.remove(); \
                 const s = getComputedStyle(b); \
                 return { focused: document.activeElement === b, background: s.backgroundColor, want, \
                          color: s.color, filter: s.filter, opacity: s.opacity };",
                vec![json!(tid("register-client"))],
            )
            .await?;
        expect_eq(&format!("focused ({theme})"), &seen["focused"], &json!(true))?;
        expect_eq(
            &format!("the focused primary button's fill ({theme}): {seen}"),
            &seen["background"],
            &seen["want"],
        )?;
        expect_eq(&format!("its opacity ({theme})"), &seen["opacity"], &json!("1"))?;
        // Clicked: focused, and under the pointer.
        app.click_tid("register-client").await?;
        app.wait_tid("client-editor").await?;
        let clicked = app
            .js(
                "const b = document.querySelector(arguments[0]); const s = getComputedStyle(b); \
                 return { focused: document.activeElement === b, background: s.backgroundColor };",
                vec![json!(tid("register-client"))],
            )
            .await?;
        expect_eq(
            &format!("the clicked primary button's fill ({theme}): {clicked}"),
            &clicked["background"],
            &seen["want"],
        )?;
        app.click_tid("editor-cancel").await?;
    }
    Ok(())
}

in_window!(deleted_clients_are_history, deleted_clients_are_history_scenario);

async fn deleted_clients_are_history_scenario(app: &App) -> Res {
    let admin = MockAdmin::new(&steps::mock_base_url(app, Dialect::Generic).await?);
    let registered = steps::register(
        app,
        &ClientForm {
            name: "Gone soon",
            redirect_uris: &["https://app.example.org/callback"],
            grant_types: None,
        },
    )
    .await?;
    let id = registered.client_id.as_str();
    // The provider makes its secret expire in a day, and renames it: drift.
    let soon = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs()
        + 86_400;
    admin
        .patch(
            id,
            json!({"client_secret_expires_at": soon, "client_name": "Gone soon (renamed)"}),
        )
        .await?;
    app.click_tid("action-refresh").await?;
    steps::wait_drift_marker(app, id).await?;
    steps::dismiss_toasts(app).await?;
    steps::delete_shown_client(app, id, "Gone soon (renamed)", "Local mock").await?;

    // The detail stays, as history: nothing that would talk to the provider or the keychain.
    for action in [
        "action-refresh",
        "secret-reveal",
        "secret-copy",
        "action-edit",
        "action-delete",
    ] {
        expect(
            &format!("{action} disabled on a deleted client"),
            !app.is_enabled(&tid(action)).await?,
        )?;
    }
    let title = app
        .wait_css("the reveal button", &tid("secret-reveal"))
        .await?
        .attr("title")
        .await?
        .unwrap_or_default();
    expect(&format!("the reason on Reveal: {title:?}"), title.contains("deleted"))?;

    // Hidden from the list by default; the status filter shows it, without drift.
    app.wait_gone("the deleted client's row", &client_row(id)).await?;
    app.select(&tid("client-status-filter"), "deleted").await?;
    app.wait_css("the deleted client's row", &client_row(id)).await?;
    expect(
        "no drift marker on the deleted client",
        app.find(&format!("{} .badge.drift", client_row(id))).await?.is_none(),
    )?;
    app.select(&tid("client-status-filter"), "all").await?;
    app.wait_css("the deleted client's row among all", &client_row(id))
        .await?;

    // Not under Expiring secrets.
    app.click_tid("view-expiring").await?;
    app.wait_tid("expiring-view").await?;
    settle().await;
    let rows = app.texts(&format!("{} tbody tr", tid("expiring-view"))).await?;
    expect(
        &format!("the deleted client not under Expiring secrets: {rows:?}"),
        !rows.iter().any(|r| r.contains("Gone soon")),
    )
}

in_window!(try_wso2_machine_to_machine, try_wso2_machine_to_machine_scenario);

async fn try_wso2_machine_to_machine_scenario(app: &App) -> Res {
    steps::start_mock(app, Dialect::Wso2).await?;
    steps::open_register_form(app).await?;
    app.click_tid("template-m2m").await?;
    app.fill_tid("field-client_name", "service").await?;
    let registered = steps::submit_registration(app).await?;
    app.click_tid("action-try").await?;
    app.wait_tid("try-wizard").await?;
    let offered = app
        .js(
            "return [...document.querySelectorAll(arguments[0] + ' option')].map(o => o.value)",
            vec![json!(tid("try-grant"))],
        )
        .await?;
    expect_eq("the grants offered", offered, json!(["client_credentials"]))?;
    app.click_tid("try-start").await?;
    let outcome = eventually("the try's result or error", WAIT, || async {
        if app.find(&tid("try-result")).await?.is_some() {
            return Ok(Some(String::new()));
        }
        Ok(app.texts(&tid("try-error")).await?.into_iter().next())
    })
    .await?;
    expect(
        &format!("no refusal blaming the provider or naming a grant never chosen: {outcome:?}"),
        !outcome.contains("not supported by this provider") && !outcome.contains("authorization_code"),
    )?;
    app.click(
        "the wizard's close button",
        &format!("{} button[aria-label=\"Close\"]", tid("try-wizard")),
    )
    .await?;
    app.wait_gone("the try wizard to close", &tid("try-wizard")).await?;
    // What the try said is not pinned over what comes next.
    steps::open_export(app).await?;
    steps::close_modal(app, "export-dialog").await?;
    steps::delete_shown_client(app, &registered.client_id, "admin_service", "Local mock (wso2)").await?;
    let pinned = app.texts(".toasts .toast").await?;
    expect(
        &format!("no message of the try left: {pinned:?}"),
        !pinned.iter().any(|t| t.to_lowercase().contains("try")),
    )
}

in_window!(
    half_filled_form_is_not_discarded_silently,
    half_filled_form_is_not_discarded_silently_scenario
);

async fn half_filled_form_is_not_discarded_silently_scenario(app: &App) -> Res {
    let first = steps::register(
        app,
        &ClientForm {
            name: "Already there",
            redirect_uris: &["https://app.example.org/callback"],
            grant_types: None,
        },
    )
    .await?;
    let row = client_row(&first.client_id);
    steps::open_register_form(app).await?;
    app.fill_tid("field-client_name", "Half filled").await?;
    app.click("the other client's row", &row).await?;
    app.wait_tid("discard-dialog").await?;
    app.click_tid("discard-keep").await?;
    app.wait_gone("the discard question to close", &tid("discard-dialog"))
        .await?;
    expect_eq(
        "the name kept in the form",
        app.value(&tid("field-client_name")).await?,
        "Half filled".to_string(),
    )?;
    // Another view of the window would drop it as well.
    app.click_tid("view-history").await?;
    app.wait_tid("discard-dialog").await?;
    app.click_tid("discard-keep").await?;
    app.wait_gone("the discard question to close", &tid("discard-dialog"))
        .await?;
    app.click("the other client's row", &row).await?;
    app.click_tid("discard-confirm").await?;
    steps::wait_detail_of(app, &first.client_id).await?;

    // An untouched form goes without a question; an edited edit form asks.
    steps::open_register_form(app).await?;
    app.click("the other client's row", &row).await?;
    steps::wait_detail_of(app, &first.client_id).await?;
    expect(
        "no question for an untouched form",
        app.find(&tid("discard-dialog")).await?.is_none(),
    )?;
    app.click_tid("action-edit").await?;
    app.fill_tid("field-client_name", "Renamed").await?;
    app.click_tid("register-client").await?;
    app.wait_tid("discard-dialog").await?;
    app.click_tid("discard-keep").await?;
    expect_eq(
        "the edit kept",
        app.value(&tid("field-client_name")).await?,
        "Renamed".to_string(),
    )
}

in_window!(
    submit_error_is_brought_into_view,
    submit_error_is_brought_into_view_scenario
);

async fn submit_error_is_brought_into_view_scenario(app: &App) -> Res {
    let admin = MockAdmin::new(&steps::mock_base_url(app, Dialect::Generic).await?);
    steps::open_register_form(app).await?;
    steps::fill_client_form(
        app,
        &ClientForm {
            name: "Scrolled",
            redirect_uris: &["https://app.example.org/callback"],
            grant_types: None,
        },
    )
    .await?;
    // Every section open, the form scrolled to its end, where the button is.
    app.js(
        "document.querySelectorAll('[data-testid=\"client-editor\"] details').forEach(d => d.open = true); \
         document.querySelector(arguments[0]).scrollIntoView({ block: 'end' }); return null",
        vec![json!(tid("submit-client"))],
    )
    .await?;
    admin
        .inject_fault(json!({"kind": "status", "status": 400, "count": 1}))
        .await?;
    app.click_tid("submit-client").await?;
    app.wait_text("the provider's error", &tid("form-error"), |t| !t.is_empty())
        .await?;
    let shown = eventually("the error in view and focused", WAIT, || async {
        let seen = app
            .js(
                "const e = document.querySelector(arguments[0]); const r = e.getBoundingClientRect(); \
                 let box = e.parentElement; \
                 while (box && getComputedStyle(box).overflowY !== 'auto') box = box.parentElement; \
                 const b = box ? box.getBoundingClientRect() : { top: 0, bottom: window.innerHeight }; \
                 return { inView: r.top >= b.top - 1 && r.bottom <= b.bottom + 1 && r.bottom <= window.innerHeight, \
                          focused: document.activeElement === e };",
                vec![json!(tid("form-error"))],
            )
            .await?;
        Ok((seen == json!({"inView": true, "focused": true})).then_some(seen))
    })
    .await;
    shown.map(|_| ())
}
