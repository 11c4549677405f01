use super::CommandResult;
use crate::state::AppState;
use registrar_core::{ErrorView, ExportFormat};
use tauri::State;

#[tauri::command]
pub fn export_preview(
    state: State<'_, AppState>,
    profile: String,
    client_id: String,
    format: ExportFormat,
    with_secrets: bool,
) -> CommandResult<String> {
    Ok(state.registrar.export(&profile, &client_id, format, with_secrets)?)
}

/// Writes an export to the path the user chose in the save dialog.
#[tauri::command]
pub fn export_to_file(
    state: State<'_, AppState>,
    profile: String,
    client_id: String,
    format: ExportFormat,
    with_secrets: bool,
    path: String,
) -> CommandResult<()> {
    let text = state.registrar.export(&profile, &client_id, format, with_secrets)?;
    std::fs::write(&path, text).map_err(|e| ErrorView {
        code: "storage".into(),
        message: format!("could not write {path}: {e}"),
        fields: vec![],
        provider_code: None,
    })
}
