//! The client list's bulk selection: every client a query matches ("select all" means the
//! query, not the rows loaded), and a refresh or delete of the chosen clients, each
//! reporting `bulk-progress` events and a result per client.

use super::{off_the_window, CommandResult};
use crate::state::AppState;
use registrar_core::{BulkProgress, BulkReport, Cancel, DeleteReport, ProfileId, Query, RegistrationStatus};
use serde::Serialize;
use tauri::{Emitter, State};

/// A chosen client, as the selection keeps it: enough to name it and to say what it allows.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ChosenClient {
    /// The client's id.
    pub client_id: String,
    /// Its name, when it has one.
    pub client_name: Option<String>,
    /// Deleted, kept as history: neither refreshed nor deleted again.
    pub deleted: bool,
}

/// Every client `query` matches, in its order (its offset and limit are ignored).
#[tauri::command]
#[specta::specta]
pub async fn select_all_clients(state: State<'_, AppState>, query: Query) -> CommandResult<Vec<ChosenClient>> {
    off_the_window(&state, move |r| {
        Ok(r.search_every(&query)?
            .into_iter()
            .map(|s| ChosenClient {
                deleted: s.status == RegistrationStatus::Deleted,
                client_id: s.client_id,
                client_name: s.client_name,
            })
            .collect())
    })
    .await
}

/// Refreshes the chosen clients of a profile (deleted ones left out), sending `bulk-progress`.
#[tauri::command]
#[specta::specta]
pub async fn refresh_clients<R: tauri::Runtime>(
    window: tauri::Window<R>,
    state: State<'_, AppState>,
    profile: ProfileId,
    client_ids: Vec<String>,
) -> CommandResult<BulkReport> {
    let progress = |p: &BulkProgress| {
        let _ = window.emit("bulk-progress", p);
    };
    Ok(state.registrar.refresh_chosen(&profile, &client_ids, &progress).await?)
}

/// Deletes the chosen clients of a profile on the provider, a result per client, sending
/// `bulk-progress`.
#[tauri::command]
#[specta::specta]
pub async fn delete_clients<R: tauri::Runtime>(
    window: tauri::Window<R>,
    state: State<'_, AppState>,
    profile: ProfileId,
    client_ids: Vec<String>,
) -> CommandResult<DeleteReport> {
    let progress = |p: &BulkProgress| {
        let _ = window.emit("bulk-progress", p);
    };
    Ok(state
        .registrar
        .delete_many(&profile, &client_ids, 4, &progress, &Cancel::new())
        .await?)
}
