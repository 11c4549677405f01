//! A client's whole life through the window, once per provider dialect: a mock profile
//! from the sidebar, register with several redirect URIs, inspect (sheet, JSON, secret),
//! edit, drift after the provider's admin changes it, export, delete.
//!
//! What the window claims is checked against what the mock provider really holds (its
//! admin API), so a UI that shows success without the provider agreeing fails. WSO2 5.3
//! can neither read nor update a client: there the test checks that Refresh and Edit are
//! disabled instead of driving them.

use crate::harness::{expect, expect_eq, App, Res};
use crate::mock_admin::MockAdmin;
use crate::page::{client_row, row_name, tid};
use crate::steps::{self, ClientForm, Dialect, DriftRow, Registered};
use serde_json::{json, Value};

/// How one dialect's lifecycle differs.
struct Case {
    dialect: Dialect,
    redirect_uris: &'static [&'static str],
    grant_types: Option<&'static [&'static str]>,
    /// The name the provider gives a client registered as `sent`.
    shown_name: fn(&str) -> String,
    /// Offers read and update (everything but WSO2).
    manageable: bool,
}

const STANDARD_URIS: &[&str] = &[
    "https://app.example.org/callback",
    "https://app.example.org/oidc/callback",
    "http://localhost:8080/callback",
];

fn same(name: &str) -> String {
    name.to_string()
}

#[tokio::test]
async fn generic() -> Res {
    run(
        "lifecycle::generic",
        Case {
            dialect: Dialect::Generic,
            redirect_uris: STANDARD_URIS,
            grant_types: None,
            shown_name: same,
            manageable: true,
        },
    )
    .await
}

#[tokio::test]
async fn liberty() -> Res {
    run(
        "lifecycle::liberty",
        Case {
            dialect: Dialect::Liberty,
            redirect_uris: STANDARD_URIS,
            grant_types: None,
            shown_name: same,
            manageable: true,
        },
    )
    .await
}

#[tokio::test]
async fn simpleidserver() -> Res {
    run(
        "lifecycle::simpleidserver",
        Case {
            dialect: Dialect::SimpleIdServer,
            redirect_uris: STANDARD_URIS,
            grant_types: None,
            shown_name: same,
            manageable: true,
        },
    )
    .await
}

#[tokio::test]
async fn wso2() -> Res {
    run(
        "lifecycle::wso2",
        Case {
            dialect: Dialect::Wso2,
            // WSO2's own forms: a bare host, and alternatives as a regular expression.
            redirect_uris: &[
                "app.example.org",
                "regexp=(https://a.example.org/cb|https://b.example.org/cb)",
                "https://app.example.org/callback",
            ],
            grant_types: Some(&["authorization_code", "password"]),
            // WSO2 names the service provider <owner>_<client_name>; the owner is the admin.
            shown_name: |name| format!("admin_{name}"),
            manageable: false,
        },
    )
    .await
}

async fn run(test: &'static str, case: Case) -> Res {
    let Some(app) = App::launch(test).await? else {
        return Ok(());
    };
    let outcome = lifecycle(&app, &case).await;
    app.finish(outcome).await
}

async fn lifecycle(app: &App, case: &Case) -> Res {
    let admin = mock_profile(app, case.dialect).await?;
    let sent_name = format!("Lifecycle {}", case.dialect.name());
    let form = ClientForm {
        name: &sent_name,
        redirect_uris: case.redirect_uris,
        grant_types: case.grant_types,
    };
    let registered = steps::register(app, &form).await?;
    let stored = steps::on_provider(&admin, &registered.client_id).await?;
    expect_eq(
        "redirect URIs on the provider",
        &stored["redirect_uris"],
        &steps::strings(case.redirect_uris),
    )?;
    let mut name = (case.shown_name)(&sent_name);
    expect_eq("client_name on the provider", &stored["client_name"], &json!(name))?;

    inspect(app, case, &registered, &name).await?;
    if case.manageable {
        name = edit(app, &admin, case, &registered).await?;
        name = drift(app, &admin, &registered, &name).await?;
    } else {
        for action in ["action-refresh", "action-edit"] {
            expect(
                &format!("{action} to be disabled on {}", case.dialect.name()),
                !app.is_enabled(&tid(action)).await?,
            )?;
        }
    }
    export(app, &registered).await?;
    delete(app, &admin, case, &registered, &name).await
}

/// The dialect's mock profile: the generic one is ready at startup (and is restarted here
/// through the sidebar's stop and start), the others are started from the sidebar.
async fn mock_profile(app: &App, dialect: Dialect) -> Res<MockAdmin> {
    if dialect != Dialect::Generic {
        let admin = steps::start_mock(app, dialect).await?;
        let endpoint = steps::shown_registration_endpoint(app).await?;
        expect(
            &format!(
                "the {} profile's registration endpoint ({endpoint}) to be on its mock",
                dialect.name()
            ),
            endpoint.starts_with(&steps::mock_base_url(app, dialect).await?),
        )?;
        return Ok(admin);
    }
    app.wait_text("the ready Local mock profile to be open", &tid("profile-title"), |t| {
        t == "Local mock"
    })
    .await?;
    let first = steps::mock_base_url(app, dialect).await?;
    expect_eq(
        "the ready profile's registration endpoint",
        steps::shown_registration_endpoint(app).await?,
        format!("{first}/register"),
    )?;
    app.click(
        "the stop button of the generic mock",
        "button[aria-label=\"Stop generic\"]",
    )
    .await?;
    app.wait_gone(
        "the generic mock to stop",
        &format!("{}[data-dialect=\"generic\"]", tid("mock-running")),
    )
    .await?;
    let admin = steps::start_mock(app, dialect).await?;
    let second = steps::mock_base_url(app, dialect).await?;
    expect(
        &format!("a restarted mock on a new port ({first} then {second})"),
        first != second,
    )?;
    app.wait_text("the profile to follow the restarted mock", ".toolbar p.mono", |t| {
        t == format!("{second}/register")
    })
    .await?;
    Ok(admin)
}

async fn inspect(app: &App, case: &Case, registered: &Registered, name: &str) -> Res {
    let id = &registered.client_id;
    expect_eq(
        "the detail's name",
        app.text_tid("detail-name").await?,
        name.to_string(),
    )?;
    app.wait_text("the list row to show the name", &row_name(id), |t| t == name)
        .await?;
    let uris: Vec<String> = case.redirect_uris.iter().map(|u| u.to_string()).collect();
    expect_eq(
        "the sheet's redirect URIs",
        steps::sheet_values(app, "redirect_uris").await?,
        uris,
    )?;
    let shown = steps::detail_json(app).await?;
    expect_eq("client_id in the JSON tab", &shown["client_id"], &json!(id))?;
    expect_eq(
        "redirect_uris in the JSON tab",
        &shown["redirect_uris"],
        &steps::strings(case.redirect_uris),
    )?;
    expect(
        "no client_secret in the JSON tab",
        shown.get("client_secret").is_none_or(|s| s == "*"),
    )?;

    let secret = registered
        .secret
        .as_deref()
        .ok_or("the registered dialog showed no client secret")?;
    expect(
        "the secret hidden at first",
        !app.text_tid("secret-value").await?.contains(secret),
    )?;
    app.click_tid("secret-reveal").await?;
    app.wait_text("the revealed secret", &tid("secret-value"), |t| t == secret)
        .await?;
    app.click_tid("secret-reveal").await?;
    app.wait_text("the secret hidden again", &tid("secret-value"), |t| !t.contains(secret))
        .await?;
    Ok(())
}

/// Renames the client and adds a redirect URI through the form; returns the new name.
async fn edit(app: &App, admin: &MockAdmin, case: &Case, registered: &Registered) -> Res<String> {
    let renamed = format!("Renamed {}", case.dialect.name());
    let added = "https://app.example.org/added";
    app.click_tid("action-edit").await?;
    app.wait_tid("client-editor").await?;
    expect_eq(
        "the form's name",
        app.value(&tid("field-client_name")).await?,
        format!("Lifecycle {}", case.dialect.name()),
    )?;
    for (i, uri) in case.redirect_uris.iter().enumerate() {
        expect_eq(
            &format!("redirect URI {i} in the form"),
            app.value(&tid(&format!("redirect_uris-{i}"))).await?,
            uri.to_string(),
        )?;
    }
    app.fill_tid("field-client_name", &renamed).await?;
    steps::set_list_item(app, "redirect_uris", case.redirect_uris.len(), added).await?;
    app.click_tid("submit-client").await?;
    // The save is previewed first, with the two fields the edit changed.
    let previewed = steps::confirm_update(app).await?;
    expect(
        &format!("the name and the redirect URIs in the update preview: {previewed:?}"),
        ["client_name", "redirect_uris"]
            .iter()
            .all(|f| previewed.iter().any(|p| p == f)),
    )?;
    steps::wait_toast(app, "info", "Saved").await?;
    app.wait_text("the detail to show the new name", &tid("detail-name"), |t| t == renamed)
        .await?;
    let mut uris: Vec<&str> = case.redirect_uris.to_vec();
    uris.push(added);
    expect_eq(
        "the sheet's redirect URIs after the edit",
        steps::sheet_values(app, "redirect_uris").await?,
        uris.iter().map(|u| u.to_string()).collect(),
    )?;
    let stored = steps::on_provider(admin, &registered.client_id).await?;
    expect_eq(
        "client_name on the provider after the edit",
        &stored["client_name"],
        &json!(renamed),
    )?;
    expect_eq(
        "redirect URIs on the provider after the edit",
        &stored["redirect_uris"],
        &steps::strings(&uris),
    )?;
    Ok(renamed)
}

/// The provider's admin renames the client, sets its contacts and removes its scope;
/// Refresh shows exactly those three changes. Returns the name the client now has.
async fn drift(app: &App, admin: &MockAdmin, registered: &Registered, name: &str) -> Res<String> {
    let id = &registered.client_id;
    let before = steps::on_provider(admin, id).await?;
    let scope = before
        .get("scope")
        .and_then(Value::as_str)
        .ok_or("the registered client has no scope")?;
    // SimpleIdServer gives every client an empty contacts list, which is then changed.
    // The drift view shows a list as its items and a scope as its words, one a line.
    let contacts_before = match before.get("contacts").and_then(Value::as_array) {
        Some(list) => list.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("\n"),
        None => String::new(),
    };
    // The drift is against what Registrar last sent, and the form sends no empty list.
    let contacts_kind = if before
        .get("contacts")
        .and_then(Value::as_array)
        .is_some_and(|l| !l.is_empty())
    {
        "changed"
    } else {
        "added"
    };
    let theirs = "Renamed by the provider's admin";
    admin
        .patch(
            id,
            json!({"client_name": theirs, "contacts": ["admin@example.org"], "scope": null}),
        )
        .await?;
    app.click_tid("action-refresh").await?;
    steps::wait_toast(app, "info", "Refreshed: 3 field(s) changed").await?;
    let mut rows = steps::drift_rows(app).await?;
    rows.sort_by(|a, b| a.field.cmp(&b.field));
    let row = |field: &str, kind: &str, before: &str, after: &str| DriftRow {
        field: field.into(),
        kind: kind.into(),
        before: before.into(),
        after: after.into(),
    };
    expect_eq(
        "the drift table",
        rows,
        vec![
            row("client_name", "changed", name, theirs),
            row("contacts", contacts_kind, &contacts_before, "admin@example.org"),
            row(
                "scope",
                "removed",
                &scope.split_whitespace().collect::<Vec<_>>().join("\n"),
                "",
            ),
        ],
    )?;
    expect_eq(
        "the drift tab's label",
        app.text_tid("tab-drift").await?,
        "Drift (3)".to_string(),
    )?;
    app.wait_text("the detail to show the provider's name", &tid("detail-name"), |t| {
        t == theirs
    })
    .await?;
    steps::wait_drift_marker(app, id).await?;
    Ok(theirs.to_string())
}

async fn export(app: &App, registered: &Registered) -> Res {
    let id = registered.client_id.as_str();
    let secret = registered.secret.as_deref().ok_or("no client secret to look for")?;
    steps::open_export(app).await?;
    let preview = steps::export_preview(app, "show the client as JSON", |t| t.contains(id)).await?;
    let exported: Value =
        serde_json::from_str(&preview).map_err(|e| format!("the JSON export is not JSON ({e}): {preview}"))?;
    expect_eq("client_id in the export", &exported["client_id"], &json!(id))?;
    expect("no secret in the export without secrets", !preview.contains(secret))?;

    app.click_tid("export-with-secrets").await?;
    let preview = steps::export_preview(app, "include the secret", |t| t.contains(secret)).await?;
    let exported: Value = serde_json::from_str(&preview)?;
    expect_eq(
        "client_secret in the export with secrets",
        &exported["client_secret"],
        &json!(secret),
    )?;

    app.click_tid("export-env").await?;
    let env = steps::export_preview(app, "become a .env file", |t| t.contains("OIDC_CLIENT_ID=")).await?;
    expect(
        &format!("the client id and secret in the .env export: {env}"),
        env.contains(id) && env.contains(secret),
    )?;
    app.click_tid("export-with-secrets").await?;
    steps::export_preview(app, "drop the secret from the .env file", |t| {
        t.contains(id) && !t.contains(secret)
    })
    .await?;
    steps::close_modal(app, "export-dialog").await
}

async fn delete(app: &App, admin: &MockAdmin, case: &Case, registered: &Registered, name: &str) -> Res {
    let id = registered.client_id.as_str();
    steps::delete_shown_client(app, id, name, &case.dialect.profile()).await?;
    expect("the client gone from the provider", admin.client(id).await?.is_none())?;
    // Deleted clients are history: hidden from the list unless its status filter asks.
    app.wait_gone("the deleted client's row, hidden by default", &client_row(id))
        .await?;
    app.select(&tid("client-status-filter"), "deleted").await?;
    app.wait_text(
        "the list row to show the client deleted",
        &format!("{} .status", client_row(id)),
        |t| t == "deleted",
    )
    .await?;
    app.wait_text("the detail to show the client deleted", &tid("detail-status"), |t| {
        t == "deleted"
    })
    .await?;
    for action in ["action-edit", "action-delete"] {
        expect(
            &format!("{action} disabled once deleted"),
            !app.is_enabled(&tid(action)).await?,
        )?;
    }
    Ok(())
}
