//! A client's life on a real third-party provider, node-oidc-provider with open
//! registration, driven through the window as a person would: add a profile for it with
//! the profile editor (type the issuer, Discover, no registration auth, save), register a
//! client with the form, rename it, Refresh, delete it.
//!
//! What the window claims is checked against node-oidc-provider itself, not only against
//! what the window shows: the client's management URL comes from the app's database, its
//! registration access token from the app's (private, test-only) keychain, and a plain
//! HTTP GET of that URL with that token must show the registered name, then the new name,
//! and be refused once the window says the client is deleted.

use crate::harness::{self, expect, expect_eq, App, Res};
use crate::page::{client_row, row_name, tid};
use crate::steps::{self, ClientForm};
use registrar_core::secrets::{OsKeychain, SecretKey, Vault};
use registrar_core::DataDir;
use registrar_tests::real_provider::RealProvider;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const TEST: &str = "real_provider::node_oidc_register_edit_delete";
const PROFILE: &str = "node-oidc-provider";
const NAME: &str = "Real provider web app";
const RENAMED: &str = "Real provider web app (renamed)";
const REDIRECT_URI: &str = "https://app.example.org/callback";
const SCOPE: &str = "openid";

#[tokio::test]
async fn node_oidc_register_edit_delete() -> Res {
    // The provider is started only for a run that opens the window (it is installed with
    // npm on first use), and before the app, as a person's provider is already up.
    if !harness::enabled(TEST) {
        return Ok(());
    }
    let provider = RealProvider::node_oidc(json!({}));
    let Some(app) = App::launch(TEST).await? else {
        return Ok(());
    };
    let outcome = scenario(&app, &provider).await;
    let outcome = app.finish(outcome).await;
    drop(provider);
    outcome
}

async fn scenario(app: &App, provider: &RealProvider) -> Res {
    add_profile(app, provider).await?;

    let form = ClientForm {
        name: NAME,
        redirect_uris: &[REDIRECT_URI],
        grant_types: None,
    };
    steps::open_register_form(app).await?;
    steps::fill_client_form(app, &form).await?;
    // The form's template asks for "openid profile email"; a stock node-oidc-provider
    // supports only openid and offline_access, and refuses other scopes (HTTP 400).
    app.fill_tid("field-scope", SCOPE).await?;
    let registered = steps::submit_registration(app).await?;
    let id = registered.client_id.as_str();
    expect(
        "a client secret from node-oidc-provider",
        registered.secret.as_deref().is_some_and(|s| !s.is_empty()),
    )?;
    app.wait_text("the list row to show the name", &row_name(id), |t| t == NAME)
        .await?;
    expect_eq(
        "the detail's name",
        app.text_tid("detail-name").await?,
        NAME.to_string(),
    )?;
    expect_eq(
        "the sheet's redirect URIs",
        steps::sheet_values(app, "redirect_uris").await?,
        vec![REDIRECT_URI.to_string()],
    )?;

    // Where the app manages the client, as it stored it; the provider must agree.
    let stored = stored(&app.data_dir(), id)?;
    expect_eq(
        "the profile the client is stored under",
        stored.profile.as_str(),
        PROFILE,
    )?;
    expect_eq(
        "the stored management URL",
        stored.registration_client_uri.clone(),
        format!("{}/{id}", provider.registration_endpoint),
    )?;
    let url = stored.registration_client_uri.as_str();
    let token = registration_access_token(&app.data_dir(), &stored.profile_id, id).await?;
    let held = on_provider(url, &token).await?;
    expect_eq("client_id on the provider", &held["client_id"], &json!(id))?;
    expect_eq("client_name on the provider", &held["client_name"], &json!(NAME))?;
    expect_eq(
        "redirect_uris on the provider",
        &held["redirect_uris"],
        &json!([REDIRECT_URI]),
    )?;
    expect_eq("scope on the provider", &held["scope"], &json!(SCOPE))?;

    rename(app).await?;
    // Refresh reads the client back from node-oidc-provider.
    steps::dismiss_toasts(app).await?;
    app.click_tid("action-refresh").await?;
    let refreshed = steps::wait_toast(app, "info", "Refreshed:").await?;
    expect(
        &format!("no drift after the app's own edit, but the toast said {refreshed:?}"),
        refreshed.starts_with("Refreshed: no drift"),
    )?;
    expect_eq(
        "the sheet's client_name after Refresh",
        steps::sheet_values(app, "client_name").await?,
        vec![RENAMED.to_string()],
    )?;
    expect_eq(
        "the detail's name after Refresh",
        app.text_tid("detail-name").await?,
        RENAMED.to_string(),
    )?;
    app.wait_text("the list row to show the new name", &row_name(id), |t| t == RENAMED)
        .await?;
    // The provider itself holds the new name (node-oidc-provider rotates the registration
    // access token on update: the app's current one is read again).
    let token = registration_access_token(&app.data_dir(), &stored.profile_id, id).await?;
    let held = on_provider(url, &token).await?;
    expect_eq(
        "client_name on the provider after the edit",
        &held["client_name"],
        &json!(RENAMED),
    )?;

    steps::dismiss_toasts(app).await?;
    steps::delete_shown_client(app, id, RENAMED, PROFILE).await?;
    // Deleted clients are history, listed only when the status filter asks.
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
    expect_eq(
        "the stored status after the delete",
        stored_status(&app.data_dir(), id)?,
        "deleted".to_string(),
    )?;
    // The token that read the client a moment ago no longer does: the client is gone.
    expect_eq(
        "the provider's answer to the last registration access token after the delete",
        get_status(url, Some(&token)).await?,
        401,
    )?;
    expect_eq(
        "the provider's answer to a GET without a token",
        get_status(url, None).await?,
        401,
    )?;
    Ok(())
}

/// "+ New profile", the issuer, Discover (which fills the registration endpoint), no
/// registration auth, save; the profile is then open.
pub(crate) async fn add_profile(app: &App, provider: &RealProvider) -> Res {
    app.click_tid("new-profile").await?;
    app.wait_tid("profile-editor").await?;
    app.fill_tid("profile-name", PROFILE).await?;
    app.fill_tid("profile-issuer", &provider.issuer).await?;
    app.click_tid("profile-discover").await?;
    app.wait_text("Discover to say what it found", &tid("profile-message"), |t| {
        t.starts_with("Found ")
    })
    .await?;
    expect_eq(
        "the registration endpoint Discover filled in",
        app.value(&tid("profile-registration-endpoint")).await?,
        provider.registration_endpoint.clone(),
    )?;
    expect_eq(
        "the provider kind after Discover",
        app.value(&tid("profile-kind")).await?,
        "generic".to_string(),
    )?;
    app.select(&tid("profile-auth"), "none").await?;
    expect(
        "no secret asked for open registration",
        app.find(&tid("profile-secret")).await?.is_none(),
    )?;
    app.click_tid("profile-save").await?;
    app.wait_gone("the profile form to close", &tid("profile-modal"))
        .await?;
    app.wait_text(&format!("the title to be {PROFILE}"), &tid("profile-title"), |t| {
        t == PROFILE
    })
    .await?;
    expect_eq(
        "the registration endpoint under the title",
        steps::shown_registration_endpoint(app).await?,
        provider.registration_endpoint.clone(),
    )
}

/// Renames the client shown through the edit form and saves.
async fn rename(app: &App) -> Res {
    app.click_tid("action-edit").await?;
    app.wait_tid("client-editor").await?;
    expect_eq(
        "the form's name",
        app.value(&tid("field-client_name")).await?,
        NAME.to_string(),
    )?;
    expect_eq(
        "the form's redirect URI",
        app.value(&tid("redirect_uris-0")).await?,
        REDIRECT_URI.to_string(),
    )?;
    app.fill_tid("field-client_name", RENAMED).await?;
    app.click_tid("submit-client").await?;
    steps::confirm_update(app).await?;
    steps::wait_toast(app, "info", "Saved").await?;
    app.wait_text("the detail to show the new name", &tid("detail-name"), |t| t == RENAMED)
        .await?;
    Ok(())
}

/// A client's row in the app's database.
struct Stored {
    profile_id: registrar_core::ProfileId,
    profile: String,
    registration_client_uri: String,
}

fn database(data: &Path) -> Res<rusqlite::Connection> {
    Ok(rusqlite::Connection::open_with_flags(
        data.join("registrar.sqlite3"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )?)
}

fn stored(data: &Path, client_id: &str) -> Res<Stored> {
    let row = database(data)?.query_row(
        "SELECT r.profile_id, p.name, r.registration_client_uri FROM registrations r \
         JOIN profiles p ON p.id = r.profile_id WHERE r.client_id = ?1",
        [client_id],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        },
    )?;
    let (profile_id, profile, uri) = row;
    let registration_client_uri = uri.ok_or_else(|| format!("no registration_client_uri stored for {client_id}"))?;
    Ok(Stored {
        profile_id: profile_id.into(),
        profile,
        registration_client_uri,
    })
}

fn stored_status(data: &Path, client_id: &str) -> Res<String> {
    Ok(database(data)?.query_row(
        "SELECT status FROM registrations WHERE client_id = ?1",
        [client_id],
        |r| r.get(0),
    )?)
}

/// The registration access token the app keeps for a client, from the keychain it uses
/// (the private Secret Service session scripts/with-keychain.sh starts, under the data
/// directory's namespace). Read as the CLI on the same data directory would.
async fn registration_access_token(
    data: &Path,
    profile_id: &registrar_core::ProfileId,
    client_id: &str,
) -> Res<String> {
    let data: PathBuf = data.to_path_buf();
    let key = SecretKey::registration_access_token(profile_id, client_id);
    let token = tokio::task::spawn_blocking(move || {
        let keychain = OsKeychain::new(DataDir::at(&data).keychain_namespace().as_deref());
        Vault::new(Arc::new(keychain), None).get(&key)
    })
    .await??;
    let token = token.ok_or_else(|| format!("the keychain holds no registration access token for {client_id}"))?;
    Ok(token.expose().to_string())
}

/// GET of the management URL as RFC 7592 says, straight to the provider.
async fn on_provider(url: &str, token: &str) -> Res<Value> {
    let response = reqwest::Client::new().get(url).bearer_auth(token).send().await?;
    let status = response.status();
    let body = response.text().await?;
    if !status.is_success() {
        return Err(format!("GET {url} with the app's registration access token answered {status}: {body}").into());
    }
    Ok(serde_json::from_str(&body).map_err(|e| format!("GET {url} did not answer JSON ({e}): {body}"))?)
}

async fn get_status(url: &str, token: Option<&str>) -> Res<u16> {
    let mut request = reqwest::Client::new().get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    Ok(request.send().await?.status().as_u16())
}
