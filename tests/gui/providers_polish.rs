//! Issue 21's polish of the provider side, in the real window: labelled mock controls that
//! open a started mock's profile and ask before stopping one whose profile has clients; the
//! probe report's pass / fail / not offered / skipped marks, with the profile dialog's
//! scroll kept when the report arrives; the templates' scopes; a provider's documented
//! vendor fields as inputs in sync with the vendor JSON; and highlighted JSON.

use crate::harness::{expect, expect_eq, App, Res};
use crate::mock_admin::MockAdmin;
use crate::page::{eventually, tid, WAIT};
use crate::steps::{self, ClientForm, Dialect};
use serde_json::{json, Value};

/// A test in the real window: launched, its scenario run, finished (with a screenshot on failure).
macro_rules! in_window {
    ($name:ident, $scenario:ident) => {
        #[tokio::test]
        async fn $name() -> Res {
            let Some(app) = App::launch(concat!("providers_polish::", stringify!($name))).await? else {
                return Ok(());
            };
            let outcome = $scenario(&app).await;
            app.finish(outcome).await
        }
    };
}

fn running(dialect: Dialect) -> String {
    format!("{}[data-dialect=\"{}\"]", tid("mock-running"), dialect.name())
}

/// Starts a mock with the sidebar's control and waits for the window to open its profile
/// by itself (no click on the sidebar).
async fn start_mock_alone(app: &App, dialect: Dialect) -> Res<MockAdmin> {
    app.select(&tid("mock-dialect"), dialect.name()).await?;
    app.click_tid("mock-start").await?;
    let name = dialect.profile();
    app.wait_text(
        &format!("the window to open {name} after Start"),
        &tid("profile-title"),
        |t| t == name,
    )
    .await?;
    Ok(MockAdmin::new(&steps::mock_base_url(app, dialect).await?))
}

in_window!(
    mock_controls_are_labelled_open_the_profile_and_ask_before_stopping,
    mock_controls_scenario
);

async fn mock_controls_scenario(app: &App) -> Res {
    // Labelled: the select by a visible label, Start and Stop by their words.
    let label = app
        .js(
            "const s = document.querySelector('[data-testid=\"mock-dialect\"]'); \
             return s.closest('label') ? s.closest('label').innerText : ''",
            vec![],
        )
        .await?;
    expect(
        &format!("the dialect select has a visible label, not {label}"),
        label.as_str().unwrap_or_default().contains("Dialect"),
    )?;
    let start = app.text_tid("mock-start").await?;
    expect(&format!("the Start button says so: {start:?}"), start.contains("Start"))?;

    let admin = start_mock_alone(app, Dialect::Liberty).await?;
    let row = running(Dialect::Liberty);
    let profile = app.text(&format!("{row} {}", tid("mock-profile"))).await?;
    expect(
        &format!("the running mock names its profile: {profile:?}"),
        profile.contains("Local mock (liberty)"),
    )?;
    let stop = app.text(&format!("{row} {}", tid("mock-stop"))).await?;
    expect(&format!("the Stop button has a word: {stop:?}"), stop.contains("Stop"))?;

    // No clients: Stop stops at once, without a question.
    app.click("the liberty mock's Stop", &format!("{row} {}", tid("mock-stop")))
        .await?;
    app.wait_gone("the liberty mock to stop", &row).await?;
    expect_eq(
        "questions asked for a mock without clients",
        app.find_all(&tid("mock-stop-confirm")).await?.len(),
        0,
    )?;
    drop(admin);

    // With a client on its profile, Stop asks, naming how many; "Keep running" keeps it.
    let admin = start_mock_alone(app, Dialect::Liberty).await?;
    steps::register(
        app,
        &ClientForm {
            name: "Kept on liberty",
            redirect_uris: &["https://app.example.org/cb"],
            grant_types: None,
        },
    )
    .await?;
    expect_eq("clients on the provider", admin.clients().await?.len(), 1)?;
    app.click("the liberty mock's Stop", &format!("{row} {}", tid("mock-stop")))
        .await?;
    let question = app.text_tid("mock-stop-confirm").await?;
    expect(
        &format!("the question names one client and the profile: {question:?}"),
        question.contains("1 client") && question.contains("Local mock (liberty)") && question.contains("unreachable"),
    )?;
    app.click_tid("mock-stop-cancel").await?;
    app.wait_gone("the question to go", &tid("mock-stop-confirm")).await?;
    expect("the mock still runs", app.find(&row).await?.is_some())?;
    app.click("the liberty mock's Stop", &format!("{row} {}", tid("mock-stop")))
        .await?;
    app.click_tid("mock-stop-yes").await?;
    app.wait_gone("the liberty mock to stop after yes", &row).await?;
    Ok(())
}

in_window!(probe_marks_each_step_and_keeps_the_scroll, probe_scenario);

async fn probe_scenario(app: &App) -> Res {
    steps::start_mock(app, Dialect::Wso2).await?;
    app.click_tid("edit-profile").await?;
    app.wait_tid("profile-editor").await?;
    app.click_tid("probe-allow-writes").await?;
    // Scroll the dialog so that the Test button is in view, somewhere down the form, and
    // press it without WebDriver scrolling it into view again.
    let body = "[data-testid=\"profile-modal\"] .body";
    let before = app
        .js(
            "const body = document.querySelector(arguments[0]); \
             const button = document.querySelector('[data-testid=\"profile-test\"]'); \
             button.scrollIntoView({block: 'center'}); \
             body.scrollTop = body.scrollTop - 40; \
             button.click(); \
             return body.scrollTop",
            vec![Value::from(body)],
        )
        .await?
        .as_f64()
        .unwrap_or_default();
    expect(&format!("the dialog is scrolled down ({before})"), before > 50.0)?;
    app.wait_tid("probe-report").await?;
    // Let the report render and anything that would move the scroll happen.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let after = app
        .js(
            "return document.querySelector(arguments[0]).scrollTop",
            vec![Value::from(body)],
        )
        .await?
        .as_f64()
        .unwrap_or_default();
    expect_eq(
        "the dialog's scrollTop once the report is shown",
        after.round(),
        before.round(),
    )?;

    // Again, scrolled to the very bottom under the first report: the old report making
    // way for the new one must not pull the dialog up.
    let before = app
        .js(
            "const body = document.querySelector(arguments[0]); \
             document.querySelector('[data-testid=\"probe-report\"]').dataset.old = 'yes'; \
             body.scrollTop = body.scrollHeight; \
             const top = body.scrollTop; \
             document.querySelector('[data-testid=\"profile-test\"]').click(); \
             return top",
            vec![Value::from(body)],
        )
        .await?
        .as_f64()
        .unwrap_or_default();
    app.wait_css(
        "the second probe's report",
        "[data-testid=\"probe-report\"]:not([data-old])",
    )
    .await?;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let after = app
        .js(
            "return document.querySelector(arguments[0]).scrollTop",
            vec![Value::from(body)],
        )
        .await?
        .as_f64()
        .unwrap_or_default();
    expect_eq(
        "the dialog's scrollTop after probing again",
        after.round(),
        before.round(),
    )?;

    // Each step: an outcome from the core, as an icon and a word.
    let steps: Vec<(String, String, String)> = serde_json::from_value(
        app.js(
            "return [...document.querySelectorAll('[data-testid=\"probe-step\"]')].map(li => \
               [li.querySelector('strong').innerText, li.dataset.outcome, li.querySelector('[data-testid=\"probe-outcome\"]').innerText])",
            vec![],
        )
        .await?,
    )?;
    let outcome_of = |name: &str| {
        steps
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, o, shown)| (o.clone(), shown.clone()))
    };
    // WSO2 IS 5.3 offers no read and no update: not offered, not failed; the full update
    // after it is skipped; delete works.
    expect_eq(
        "the read step",
        outcome_of("read"),
        Some(("not_offered".into(), "⊘ not offered".into())),
    )?;
    expect_eq(
        "the partial update step",
        outcome_of("partial update").map(|o| o.0),
        Some("not_offered".into()),
    )?;
    expect_eq(
        "the full update step",
        outcome_of("full update"),
        Some(("skipped".into(), "– skipped".into())),
    )?;
    expect_eq(
        "the delete step",
        outcome_of("delete"),
        Some(("pass".into(), "✓ pass".into())),
    )?;
    steps::close_modal(app, "profile-modal").await
}

in_window!(templates_vendor_fields_and_highlighted_json, templates_vendor_scenario);

async fn templates_vendor_scenario(app: &App) -> Res {
    let admin = start_mock_alone(app, Dialect::Liberty).await?;
    steps::open_register_form(app).await?;

    // Templates' scopes: web asks for identity, m2m never; back to web brings them again
    // and keeps the API scope typed.
    expect_eq(
        "the web template's scope",
        app.value(&tid("field-scope")).await?,
        "openid profile email".to_string(),
    )?;
    app.fill_tid("field-scope", "openid profile email api.read").await?;
    app.click_tid("template-m2m").await?;
    expect_eq(
        "the scope after switching to machine to machine",
        app.value(&tid("field-scope")).await?,
        "api.read".to_string(),
    )?;

    // Liberty's documented vendor fields, with descriptions, in sync with the JSON.
    app.js(
        "document.querySelector('[data-testid=\"vendor-section\"]').open = true; return null",
        vec![],
    )
    .await?;
    let intro = app.text_tid("vendor-fields-intro").await?;
    expect(
        &format!("the fields are Liberty's: {intro:?}"),
        intro.contains("IBM WebSphere Liberty"),
    )?;
    let field = tid("vendor-field-introspect_tokens");
    let description = app.text(&format!("{field} .desc")).await?;
    expect(
        &format!("introspect_tokens is described from Liberty's document: {description:?}"),
        description.contains("introspect an access token"),
    )?;
    for name in ["preauthorized_scope", "functional_user_id", "functional_user_groupIds"] {
        app.wait_tid(&format!("vendor-field-{name}")).await?;
    }
    app.click_tid("vendor-input-introspect_tokens").await?;
    let vendor = vendor_json(app, "introspect_tokens to be true", |v| {
        v["introspect_tokens"] == json!(true)
    })
    .await?;
    expect_eq(
        "the vendor JSON after the checkbox",
        vendor,
        json!({"introspect_tokens": true}),
    )?;
    // One group a line: Enter between them, as typed.
    app.fill_tid("vendor-input-functional_user_groupIds", "ops").await?;
    app.wait_css("the groups box", &tid("vendor-input-functional_user_groupIds"))
        .await?
        .send_keys("\u{E007}auditors")
        .await?;
    blur(app, &tid("vendor-input-functional_user_groupIds")).await?;
    vendor_json(app, "the groups as a list", |v| {
        v["functional_user_groupIds"] == json!(["ops", "auditors"])
    })
    .await?;

    // And the other way: the JSON typed changes the inputs.
    app.fill_tid(
        "vendor-json",
        r#"{"introspect_tokens": false, "functional_user_id": "svc-batch", "functional_user_groupIds": ["ops"]}"#,
    )
    .await?;
    blur(app, &tid("vendor-json")).await?;
    eventually("the inputs to follow the JSON", WAIT, || async {
        let user = app.value(&tid("vendor-input-functional_user_id")).await?;
        let ticked = app
            .js(
                "return document.querySelector('[data-testid=\"vendor-input-introspect_tokens\"]').checked",
                vec![],
            )
            .await?;
        Ok((user == "svc-batch" && ticked == json!(false)).then_some(()))
    })
    .await?;

    // The vendor JSON is highlighted under a transparent textarea.
    let look = app
        .js(
            "const ed = document.querySelector('[data-testid=\"vendor-json-editor\"]'); \
             const key = ed.querySelector('.tok-key'), str = ed.querySelector('.tok-string'), lit = ed.querySelector('.tok-boolean'); \
             const ta = ed.querySelector('textarea'); \
             return {key: key && key.textContent, keyColor: key && getComputedStyle(key).color, \
                     strColor: str && getComputedStyle(str).color, litColor: lit && getComputedStyle(lit).color, \
                     textarea: getComputedStyle(ta).color}",
            vec![],
        )
        .await?;
    expect_eq(
        "the first highlighted key",
        look["key"].clone(),
        json!("\"introspect_tokens\""),
    )?;
    expect(
        &format!("keys, strings and booleans have colours of their own: {look}"),
        look["keyColor"] != look["strColor"] && look["strColor"] != look["litColor"],
    )?;
    expect_eq(
        "the textarea's own text colour",
        look["textarea"].clone(),
        json!("rgba(0, 0, 0, 0)"),
    )?;

    app.fill_tid("field-client_name", "Batch on liberty").await?;
    let registered = steps::submit_registration(app).await?;
    let on_provider = steps::on_provider(&admin, &registered.client_id).await?;
    expect_eq(
        "what the provider got",
        (
            on_provider["introspect_tokens"].clone(),
            on_provider["functional_user_id"].clone(),
            on_provider["scope"].clone(),
        ),
        (json!(false), json!("svc-batch"), json!("api.read")),
    )?;

    // The detail pane's JSON is highlighted too, in both themes, and still reads as JSON.
    let shown = steps::detail_json(app).await?;
    expect_eq(
        "the JSON tab's client_id",
        shown["client_id"].clone(),
        json!(registered.client_id),
    )?;
    let colours = |theme: &str| {
        format!(
            "document.documentElement.dataset.theme = '{theme}'; \
             const pre = document.querySelector('[data-testid=\"metadata-json\"]'); \
             const key = pre.querySelector('.tok-key'); \
             return [getComputedStyle(key).color, getComputedStyle(pre).backgroundColor]"
        )
    };
    let light = app.js(&colours("light"), vec![]).await?;
    let dark = app.js(&colours("dark"), vec![]).await?;
    app.js("delete document.documentElement.dataset.theme; return null", vec![])
        .await?;
    expect(
        &format!("keys change colour with the theme: light {light}, dark {dark}"),
        light[0] != dark[0] && light[1] != dark[1],
    )?;
    Ok(())
}

/// Leaves a field (Tab), so its change event fires as a person's would.
async fn blur(app: &App, css: &str) -> Res {
    app.wait_css(css, css).await?.send_keys("\u{E004}").await?;
    Ok(())
}

/// Waits until the vendor JSON parses and `ok` accepts it; returns it.
async fn vendor_json(app: &App, what: &str, ok: impl Fn(&Value) -> bool) -> Res<Value> {
    eventually(what, WAIT, || async {
        let text = app.value(&tid("vendor-json")).await?;
        let parsed: Option<Value> = serde_json::from_str(&text).ok();
        Ok(parsed.filter(|v| ok(v)))
    })
    .await
}
