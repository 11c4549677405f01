//! What a person does in Registrar's window, one function per step (start a mock, open a
//! profile, fill and send the client form, open a client, read its sheet, JSON and drift,
//! export, delete), built on the `data-testid`s the components carry. Scenarios read as
//! sequences of these steps; each step waits for the window to show its result.

use crate::harness::{App, Res};
use crate::mock_admin::MockAdmin;
use crate::page::{client_row, eventually, profile_item, tid, WAIT};
use serde_json::{json, Value};

/// The mock provider dialects the scenarios run against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Generic,
    Liberty,
    Wso2,
    SimpleIdServer,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Generic => "generic",
            Dialect::Liberty => "liberty",
            Dialect::Wso2 => "wso2",
            Dialect::SimpleIdServer => "simpleidserver",
        }
    }

    /// The profile the app creates for this dialect's local mock.
    pub fn profile(self) -> String {
        match self {
            Dialect::Generic => "Local mock".to_string(),
            other => format!("Local mock ({})", other.name()),
        }
    }
}

/// The base URL the sidebar shows for a running mock (it shows it without the scheme).
pub async fn mock_base_url(app: &App, dialect: Dialect) -> Res<String> {
    let css = format!("{}[data-dialect=\"{}\"] .mono", tid("mock-running"), dialect.name());
    let shown = app
        .wait_text(
            &format!("the running {} mock's URL in the sidebar", dialect.name()),
            &css,
            |t| !t.trim().is_empty(),
        )
        .await?;
    Ok(format!("http://{}", shown.trim()))
}

/// Starts a mock in `dialect` with the sidebar's control and opens the profile it creates.
pub async fn start_mock(app: &App, dialect: Dialect) -> Res<MockAdmin> {
    app.select(&tid("mock-dialect"), dialect.name()).await?;
    app.click_tid("mock-start").await?;
    let base_url = mock_base_url(app, dialect).await?;
    open_profile(app, &dialect.profile()).await?;
    Ok(MockAdmin::new(&base_url))
}

pub async fn open_profile(app: &App, name: &str) -> Res {
    app.click(&format!("the profile {name} in the sidebar"), &profile_item(name))
        .await?;
    app.wait_text(&format!("the title to be {name}"), &tid("profile-title"), |t| t == name)
        .await?;
    Ok(())
}

/// The registration endpoint shown under the profile's title.
pub async fn shown_registration_endpoint(app: &App) -> Res<String> {
    app.text(".toolbar p.mono").await
}

/// What the register form is filled with.
#[derive(Debug, Clone)]
pub struct ClientForm<'a> {
    pub name: &'a str,
    pub redirect_uris: &'a [&'a str],
    /// Exactly these grant types ticked; `None` keeps the template's.
    pub grant_types: Option<&'a [&'a str]>,
}

#[derive(Debug, Clone)]
pub struct Registered {
    pub client_id: String,
    pub secret: Option<String>,
}

pub async fn open_register_form(app: &App) -> Res {
    app.click_tid("register-client").await?;
    app.wait_tid("client-editor").await?;
    Ok(())
}

pub async fn fill_client_form(app: &App, form: &ClientForm<'_>) -> Res {
    app.fill_tid("field-client_name", form.name).await?;
    for (i, uri) in form.redirect_uris.iter().enumerate() {
        set_list_item(app, "redirect_uris", i, uri).await?;
    }
    if let Some(grants) = form.grant_types {
        set_grant_types(app, grants).await?;
    }
    Ok(())
}

/// Types into item `index` of a list editor, adding inputs with "+ Add" as needed.
pub async fn set_list_item(app: &App, list: &str, index: usize, text: &str) -> Res {
    let item = tid(&format!("{list}-{index}"));
    if app.find(&item).await?.is_none() {
        app.click_tid(&format!("{list}-add")).await?;
        app.wait_css(&format!("input {index} of {list}"), &item).await?;
    }
    app.fill(&item, text).await
}

/// Ticks exactly `wanted` among the form's grant type boxes.
pub async fn set_grant_types(app: &App, wanted: &[&str]) -> Res {
    let labels = app
        .find_all(&format!("{} label.check", tid("field-grant_types")))
        .await?;
    let mut seen = Vec::new();
    for label in labels {
        let text = label.text().await?;
        let grant = text.trim().trim_end_matches("required").trim().to_string();
        let input = label.find(fantoccini::Locator::Css("input")).await?;
        if input.is_selected().await? != wanted.contains(&grant.as_str()) {
            input.click().await?;
        }
        seen.push(grant);
    }
    for grant in wanted {
        if !seen.iter().any(|g| g == grant) {
            return Err(format!("the form has no grant type {grant} (it offers {seen:?})").into());
        }
    }
    Ok(())
}

/// Sends the register form and reads the "Client registered" dialog, then closes it.
pub async fn submit_registration(app: &App) -> Res<Registered> {
    app.click_tid("submit-client").await?;
    app.wait_tid("registered-dialog").await?;
    let client_id = app.text_tid("registered-client-id").await?;
    let secret = app.texts(&tid("registered-secret")).await?.into_iter().next();
    app.click_tid("registered-ok").await?;
    app.wait_gone("the registered dialog to close", &tid("registered-dialog"))
        .await?;
    wait_detail_of(app, &client_id).await?;
    Ok(Registered { client_id, secret })
}

pub async fn register(app: &App, form: &ClientForm<'_>) -> Res<Registered> {
    open_register_form(app).await?;
    fill_client_form(app, form).await?;
    submit_registration(app).await
}

pub async fn wait_detail_of(app: &App, client_id: &str) -> Res {
    app.wait_text(&format!("the detail of {client_id}"), &tid("detail-client-id"), |t| {
        t == client_id
    })
    .await?;
    Ok(())
}

/// Opens a client from the list.
pub async fn open_client(app: &App, client_id: &str) -> Res {
    app.click(&format!("the row of {client_id}"), &client_row(client_id))
        .await?;
    wait_detail_of(app, client_id).await
}

/// The values the overview sheet shows for a field (one per list item).
pub async fn sheet_values(app: &App, field: &str) -> Res<Vec<String>> {
    app.click_tid("tab-sheet").await?;
    app.wait_tid("metadata-sheet").await?;
    app.texts(&tid(&format!("sheet-{field}"))).await
}

/// The metadata the JSON tab shows, parsed.
pub async fn detail_json(app: &App) -> Res<Value> {
    app.click_tid("tab-json").await?;
    let text = app.text_tid("metadata-json").await?;
    serde_json::from_str(&text).map_err(|e| format!("the JSON tab does not show JSON ({e}): {text}").into())
}

/// Waits for a toast of `kind` (info, warning, error) containing `needle`; returns its text.
pub async fn wait_toast(app: &App, kind: &str, needle: &str) -> Res<String> {
    let css = tid(&format!("toast-{kind}"));
    eventually(&format!("a {kind} toast saying {needle:?}"), WAIT, || async {
        Ok(app.texts(&css).await?.into_iter().find(|t| t.contains(needle)))
    })
    .await
}

/// One row of the drift view: its field, its kind, and its structured diff read back as
/// the lines of the value before (kept and removed parts, one a line) and after (kept and
/// added parts). A scalar reads as itself; a list as its items; a scope as its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriftRow {
    pub field: String,
    pub kind: String,
    pub before: String,
    pub after: String,
}

pub async fn drift_rows(app: &App) -> Res<Vec<DriftRow>> {
    app.wait_tid("drift-table").await?;
    let rows = app
        .js(
            "const text = (li) => [...li.querySelectorAll(':scope > code')].map(c => c.innerText).join(' '); \
             const side = (r, ops) => [...r.querySelectorAll(':scope > ul.diff > li')] \
               .filter(li => ops.includes(li.dataset.op)).map(text).join('\\n'); \
             return [...document.querySelectorAll('[data-testid=\"drift-row\"]')].map(r => \
               [r.dataset.field, r.dataset.kind, side(r, ['same', 'removed']), side(r, ['same', 'added'])])",
            vec![],
        )
        .await?;
    let rows: Vec<Vec<String>> = serde_json::from_value(rows)?;
    Ok(rows
        .into_iter()
        .map(|r| DriftRow {
            field: r[0].clone(),
            kind: r[1].clone(),
            before: r[2].clone(),
            after: r[3].clone(),
        })
        .collect())
}

/// The fields the update preview lists (the fields the update would change), in order.
pub async fn preview_fields(app: &App) -> Res<Vec<String>> {
    app.wait_tid("update-preview").await?;
    let fields = app
        .js(
            "return [...document.querySelectorAll('[data-testid=\"update-preview-field\"]')].map(f => f.dataset.field)",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(fields)?)
}

/// Sends the update the preview shows (after a save or a restore); returns the fields it
/// listed.
pub async fn confirm_update(app: &App) -> Res<Vec<String>> {
    let fields = preview_fields(app).await?;
    app.click_tid("update-preview-send").await?;
    app.wait_gone("the update preview to close", &tid("update-preview"))
        .await?;
    Ok(fields)
}

/// Opens the export dialog of the client shown.
pub async fn open_export(app: &App) -> Res {
    app.click_tid("action-export").await?;
    app.wait_tid("export-dialog").await?;
    Ok(())
}

/// Waits for the export preview to satisfy `ok`; returns it.
pub async fn export_preview(app: &App, what: &str, ok: impl Fn(&str) -> bool) -> Res<String> {
    app.wait_text(&format!("the export preview to {what}"), &tid("export-preview"), ok)
        .await
}

pub async fn close_modal(app: &App, modal: &str) -> Res {
    app.click(
        &format!("the close button of {modal}"),
        &format!("{} button[aria-label=\"Close\"]", tid(modal)),
    )
    .await?;
    app.wait_gone(&format!("{modal} to close"), &tid(modal)).await
}

/// Deletes the client shown, checking the confirmation names it and the provider.
pub async fn delete_shown_client(app: &App, client_id: &str, name: &str, provider: &str) -> Res {
    app.click_tid("action-delete").await?;
    app.wait_tid("delete-dialog").await?;
    let (named, on) = (
        app.text_tid("delete-name").await?,
        app.text_tid("delete-provider").await?,
    );
    if named != name || on != provider {
        return Err(format!("the confirmation says {named:?} on {on:?}, not {name:?} on {provider:?}").into());
    }
    let dialog = app.text_tid("delete-dialog").await?;
    if !dialog.contains(client_id) {
        return Err(format!("the confirmation does not show the client_id {client_id}: {dialog:?}").into());
    }
    app.click_tid("confirm-delete").await?;
    app.wait_gone("the delete dialog to close", &tid("delete-dialog"))
        .await?;
    wait_toast(app, "info", &format!("Deleted {client_id}")).await?;
    Ok(())
}

/// What the provider holds for a client, failing if it holds nothing.
pub async fn on_provider(admin: &MockAdmin, client_id: &str) -> Res<Value> {
    admin
        .client(client_id)
        .await?
        .ok_or_else(|| format!("the provider has no client {client_id}").into())
}

/// A list of strings as JSON, for comparisons with what the provider holds.
pub fn strings(items: &[&str]) -> Value {
    json!(items)
}

/// Dismisses every toast, so that none covers what comes next.
pub async fn dismiss_toasts(app: &App) -> Res {
    let button = ".toasts .toast button[aria-label=\"Dismiss\"]";
    eventually("every toast to be dismissed", WAIT, || async {
        match app.find(button).await? {
            None => Ok(Some(())),
            Some(dismiss) => {
                // It may have gone by itself meanwhile; the next round looks again.
                let _ = dismiss.click().await;
                Ok(None)
            }
        }
    })
    .await
}

/// Waits until a client's row shows its drift marker whole: present, and not cut off
/// by the name cell (a long name once hid it).
pub async fn wait_drift_marker(app: &App, client_id: &str) -> Res {
    let script = "const cell = document.querySelector(arguments[0] + ' .name'); \
                  const badge = cell && cell.querySelector('.badge.drift'); \
                  if (!badge) return false; \
                  const c = cell.getBoundingClientRect(), b = badge.getBoundingClientRect(); \
                  return b.width > 0 && b.left >= c.left && b.right <= c.right + 0.5;";
    let row = client_row(client_id);
    eventually(
        &format!("the drift marker shown whole on the row of {client_id}"),
        WAIT,
        || async { Ok((app.js(script, vec![json!(row)]).await? == json!(true)).then_some(())) },
    )
    .await
}
