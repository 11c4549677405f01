use super::{off_the_window, CommandResult};
use crate::state::AppState;
use registrar_core::{ErrorView, ExportFormat};
use tauri::State;

/// An export as text, for the dialog's preview (with secrets only when asked for, which
/// reads the keychain).
#[tauri::command]
pub async fn export_preview(
    state: State<'_, AppState>,
    profile: String,
    client_id: String,
    format: ExportFormat,
    with_secrets: bool,
) -> CommandResult<String> {
    off_the_window(&state, move |r| {
        Ok(r.export(&profile, &client_id, format, with_secrets)?)
    })
    .await
}

/// Writes an export to the path the user chose in the save dialog.
#[tauri::command]
pub async fn export_to_file(
    state: State<'_, AppState>,
    profile: String,
    client_id: String,
    format: ExportFormat,
    with_secrets: bool,
    path: String,
) -> CommandResult<()> {
    off_the_window(&state, move |r| {
        let text = r.export(&profile, &client_id, format, with_secrets)?;
        std::fs::write(&path, text).map_err(|e| ErrorView::new("storage", format!("could not write {path}: {e}")))
    })
    .await
}
