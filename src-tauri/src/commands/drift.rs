//! Drift you can act on: what the provider changed since Registrar last sent a client,
//! the provider's values taken as ours (nothing sent), ours restored through an update
//! previewed first, and any update's preview. Each is one call into the core; sending
//! stays `update_client`'s, once the user has seen the preview.

use super::{off_the_window, CommandResult};
use crate::state::AppState;
use registrar_core::drift::Drift;
use registrar_core::{ClientMetadata, ProfileId, UpdatePreview};
use tauri::State;

/// What the provider changed since Registrar last sent the client (before = ours, after =
/// the provider's); `null` for an imported client, of which nothing was ever sent.
#[tauri::command]
#[specta::specta]
pub async fn drift_since_sent(
    state: State<'_, AppState>,
    profile: ProfileId,
    client_id: String,
) -> CommandResult<Option<Drift>> {
    off_the_window(&state, move |r| Ok(r.drift_since_sent(&profile, &client_id)?)).await
}

/// Takes the provider's values of `fields` (every drifted field when empty) as ours;
/// nothing is sent. Answers the drift that remains.
#[tauri::command]
#[specta::specta]
pub async fn accept_provider_values(
    state: State<'_, AppState>,
    profile: ProfileId,
    client_id: String,
    fields: Vec<String>,
) -> CommandResult<Drift> {
    off_the_window(&state, move |r| {
        Ok(r.accept_provider_values(&profile, &client_id, &fields)?)
    })
    .await
}

/// The update that would send back our values of `fields` (every drifted field when
/// empty), previewed; nothing is sent. `update_client` with its `desired` sends it.
#[tauri::command]
#[specta::specta]
pub async fn restore_sent_values(
    state: State<'_, AppState>,
    profile: ProfileId,
    client_id: String,
    fields: Vec<String>,
) -> CommandResult<UpdatePreview> {
    off_the_window(&state, move |r| {
        Ok(r.restore_sent_values(&profile, &client_id, &fields)?)
    })
    .await
}

/// What updating the client to `metadata` would change at the provider, with the
/// update's checks; nothing is sent.
#[tauri::command]
#[specta::specta]
pub async fn preview_update(
    state: State<'_, AppState>,
    profile: ProfileId,
    client_id: String,
    metadata: ClientMetadata,
) -> CommandResult<UpdatePreview> {
    off_the_window(&state, move |r| Ok(r.preview_update(&profile, &client_id, metadata)?)).await
}
