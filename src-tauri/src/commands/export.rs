use super::{off_the_window, CommandResult};
use crate::state::AppState;
use registrar_core::ProfileId;
use registrar_core::{ErrorCode, ErrorView, ExportFormat};
use tauri::{Manager, State};
use tauri_plugin_dialog::DialogExt;

/// An export as text, for the dialog's preview (with secrets only when asked for, which
/// reads the keychain).
#[tauri::command]
#[specta::specta]
pub async fn export_preview(
    state: State<'_, AppState>,
    profile: ProfileId,
    client_id: String,
    format: ExportFormat,
    with_secrets: bool,
) -> CommandResult<String> {
    off_the_window(&state, move |r| {
        Ok(r.export(&profile, &client_id, format, with_secrets)?)
    })
    .await
}

/// Asks where to save an export with the system's save dialog, opened here and not by the
/// window, and writes it there: the window never names a path, so a script in it cannot
/// make Registrar write a file anywhere. The file is the user's alone and written whole.
/// Returns the path written, or `None` when the user cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_to_file<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    profile: ProfileId,
    client_id: String,
    format: ExportFormat,
    with_secrets: bool,
    suggested_name: String,
) -> CommandResult<Option<String>> {
    off_the_window(&state, move |r| {
        let Some(path) = pick_save(&app, &suggested_name)? else {
            return Ok(None);
        };
        write_export(r, &profile, &client_id, format, with_secrets, &path)?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// Writes an export where the save dialog said: the user's alone (0600), written whole.
pub fn write_export(
    r: &registrar_core::Registrar,
    profile: &ProfileId,
    client_id: &str,
    format: ExportFormat,
    with_secrets: bool,
    path: &std::path::Path,
) -> CommandResult<()> {
    let text = r.export(profile, client_id, format, with_secrets)?;
    registrar_core::private_files::write_private(path, text.as_bytes())
        .map_err(|e| ErrorView::new(ErrorCode::Storage, format!("could not write {}: {e}", path.display())))
}

/// Where the user wants a file saved, from the system's save dialog opened here (never a
/// path the window names), starting in the documents folder with `suggested` as the name;
/// `None` when cancelled.
pub(crate) fn pick_save<R: tauri::Runtime>(
    app: &tauri::AppHandle<R>,
    suggested: &str,
) -> CommandResult<Option<std::path::PathBuf>> {
    let mut dialog = app.dialog().file().set_file_name(file_name(suggested));
    if let Ok(documents) = app.path().document_dir() {
        dialog = dialog.set_directory(documents);
    }
    dialog.blocking_save_file().map(into_path).transpose()
}

/// A dialog's choice as a local path.
pub(crate) fn into_path(chosen: tauri_plugin_dialog::FilePath) -> CommandResult<std::path::PathBuf> {
    chosen
        .into_path()
        .map_err(|e| ErrorView::new(ErrorCode::Storage, format!("the dialog returned no file path: {e}")))
}

/// A suggested name is a name, never a path.
pub(crate) fn file_name(suggested: &str) -> String {
    let name: String = suggested
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    if name.trim_matches('.').is_empty() {
        "export.txt".into()
    } else {
        name
    }
}
