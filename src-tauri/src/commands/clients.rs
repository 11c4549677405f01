use super::{off_the_window, CommandResult};
use crate::state::AppState;
use registrar_core::metadata::MetadataCheck;
use registrar_core::ProfileId;
use registrar_core::{
    BulkProgress, BulkReport, Cancel, ClientMetadata, DeleteOutcome, ImportRequest, RegisterOutcome, Registration,
    Secret, SyncOutcome,
};
use registrar_core::{Page, Query};
use serde::Deserialize;
use tauri::{Emitter, State};

// The database commands run off the window's thread too: SQLite waits up to its busy
// timeout (10 s) while the CLI writes, and the window must not freeze meanwhile.

#[tauri::command]
#[specta::specta]
pub async fn search_clients(state: State<'_, AppState>, query: Query) -> CommandResult<Page> {
    off_the_window(&state, move |r| Ok(r.search(&query)?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_registration(
    state: State<'_, AppState>,
    profile: ProfileId,
    client_id: String,
) -> CommandResult<Registration> {
    off_the_window(&state, move |r| Ok(r.registration(&profile, &client_id)?)).await
}

/// The core's checks of a form's metadata, for live messages: a new client's
/// (`client_id` null) or an edit's, where only changed fields can be errors.
#[tauri::command]
#[specta::specta]
pub async fn validate_metadata(
    state: State<'_, AppState>,
    profile: ProfileId,
    client_id: Option<String>,
    metadata: ClientMetadata,
) -> CommandResult<MetadataCheck> {
    off_the_window(&state, move |r| {
        Ok(r.check_metadata(&profile, client_id.as_deref(), &metadata)?)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn register_client(
    state: State<'_, AppState>,
    profile: ProfileId,
    metadata: ClientMetadata,
) -> CommandResult<RegisterOutcome> {
    Ok(state.registrar.register(&profile, metadata).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn refresh_client(
    state: State<'_, AppState>,
    profile: ProfileId,
    client_id: String,
) -> CommandResult<SyncOutcome> {
    Ok(state.registrar.read(&profile, &client_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn update_client(
    state: State<'_, AppState>,
    profile: ProfileId,
    client_id: String,
    metadata: ClientMetadata,
) -> CommandResult<SyncOutcome> {
    Ok(state.registrar.update(&profile, &client_id, metadata).await?)
}

/// A secret the provider rotated reaches the window only when the keychain could not keep
/// it (the one chance to copy it, as the CLI shows it); a stored one stays behind "Reveal".
#[tauri::command]
#[specta::specta]
pub async fn delete_client(
    state: State<'_, AppState>,
    profile: ProfileId,
    client_id: String,
) -> CommandResult<DeleteOutcome> {
    Ok(state.registrar.delete(&profile, &client_id).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn forget_client(
    state: State<'_, AppState>,
    profile: ProfileId,
    client_id: String,
) -> CommandResult<Vec<String>> {
    off_the_window(&state, move |r| Ok(r.forget(&profile, &client_id)?)).await
}

#[derive(Debug, Deserialize, specta::Type)]
pub struct ImportInput {
    pub client_id: String,
    pub registration_client_uri: Option<String>,
    pub registration_access_token: Option<String>,
    pub client_secret: Option<String>,
}

#[tauri::command]
#[specta::specta]
pub async fn import_client(
    state: State<'_, AppState>,
    profile: ProfileId,
    input: ImportInput,
) -> CommandResult<SyncOutcome> {
    let secret = |v: Option<String>| v.filter(|s| !s.is_empty()).map(Secret::new);
    let request = ImportRequest {
        client_id: input.client_id,
        registration_client_uri: input.registration_client_uri.filter(|s| !s.is_empty()),
        registration_access_token: secret(input.registration_access_token),
        client_secret: secret(input.client_secret),
        metadata: None,
    };
    Ok(state.registrar.import(&profile, request).await?)
}

/// Copies a client's secret to the clipboard from here, so it need not pass through the
/// window, and clears the clipboard after `CLEAR_AFTER` only if it still holds that secret
/// (something the user copied since is left alone). Returns whether a secret was copied.
#[tauri::command]
#[specta::specta]
pub async fn copy_client_secret<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    profile: ProfileId,
    client_id: String,
) -> CommandResult<bool> {
    let secret = off_the_window(&state, move |r| {
        let profile = r.profile(&profile)?;
        Ok(r.client_secret(&profile.id, &client_id)?)
    })
    .await?;
    let Some(secret) = secret else {
        return Ok(false);
    };
    crate::clipboard_guard::copy_then_take_back(app, secret)?;
    Ok(true)
}

/// The client secret, only when the user asks to see it.
#[tauri::command]
#[specta::specta]
pub async fn reveal_secret(
    state: State<'_, AppState>,
    profile: ProfileId,
    client_id: String,
) -> CommandResult<Option<String>> {
    off_the_window(&state, move |r| {
        let profile = r.profile(&profile)?;
        Ok(r.client_secret(&profile.id, &client_id)?
            .map(|s| s.expose().to_string()))
    })
    .await
}

/// Refreshes every client of a profile (or of all), sending `bulk-progress` events.
#[tauri::command]
#[specta::specta]
pub async fn refresh_all<R: tauri::Runtime>(
    window: tauri::Window<R>,
    state: State<'_, AppState>,
    profile: Option<ProfileId>,
) -> CommandResult<BulkReport> {
    let targets = state.registrar.refresh_targets(profile.as_deref())?;
    let progress = |p: &BulkProgress| {
        let _ = window.emit("bulk-progress", p);
    };
    Ok(state
        .registrar
        .refresh_many(&targets, 8, &progress, &Cancel::new())
        .await?)
}
