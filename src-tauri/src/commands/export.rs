use super::{off_the_window, CommandResult};
use crate::state::AppState;
use registrar_core::ProfileId;
use registrar_core::{ErrorCode, ErrorView, ExportFormat};
use tauri::{Manager, State};
use tauri_plugin_dialog::DialogExt;

/// An export of one or more clients as text, for the dialog's preview (with secrets only
/// when asked for, which reads the keychain).
#[tauri::command]
#[specta::specta]
pub async fn export_preview(
    state: State<'_, AppState>,
    profile: ProfileId,
    client_ids: Vec<String>,
    format: ExportFormat,
    with_secrets: bool,
) -> CommandResult<String> {
    off_the_window(&state, move |r| {
        Ok(r.export_many(&profile, &client_ids, format, with_secrets)?)
    })
    .await
}

/// Asks where to save an export with the system's save dialog, opened here and not by the
/// window, and writes it there: the window never names a path, so a script in it cannot
/// make Registrar write a file anywhere. The dialog starts in the documents folder with a
/// readable name (the client's name, or the profile's and the count). The file is the
/// user's alone and written whole. Returns the path written, or `None` when the user
/// cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_to_file<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    profile: ProfileId,
    client_ids: Vec<String>,
    format: ExportFormat,
    with_secrets: bool,
) -> CommandResult<Option<String>> {
    off_the_window(&state, move |r| {
        let suggested = r.export_file_name(&profile, &client_ids, format)?;
        let Some(path) = pick_save(&app, &suggested)? else {
            return Ok(None);
        };
        write_export(r, &profile, &client_ids, format, with_secrets, &path)?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// Copies an export to the clipboard from here. One with secrets is taken back after
/// `CLEAR_AFTER` if the clipboard still holds it, as a copied client secret is. Returns
/// whether the clipboard will be cleared.
#[tauri::command]
#[specta::specta]
pub async fn copy_export<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    profile: ProfileId,
    client_ids: Vec<String>,
    format: ExportFormat,
    with_secrets: bool,
) -> CommandResult<bool> {
    use tauri_plugin_clipboard_manager::ClipboardExt;
    let text = off_the_window(&state, move |r| {
        Ok(r.export_many(&profile, &client_ids, format, with_secrets)?)
    })
    .await?;
    if with_secrets {
        crate::clipboard_guard::copy_then_take_back(app, registrar_core::Secret::new(text))?;
        return Ok(true);
    }
    app.clipboard()
        .write_text(text)
        .map_err(|e| ErrorView::new(ErrorCode::Internal, format!("could not copy: {e}")))?;
    Ok(false)
}

/// Writes an export where the save dialog said: the user's alone (0600), written whole.
pub fn write_export(
    r: &registrar_core::Registrar,
    profile: &ProfileId,
    client_ids: &[String],
    format: ExportFormat,
    with_secrets: bool,
    path: &std::path::Path,
) -> CommandResult<()> {
    let text = r.export_many(profile, client_ids, format, with_secrets)?;
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
    if let Some(start) = starting_folder(app.path().document_dir().ok(), app.path().home_dir().ok()) {
        dialog = dialog.set_directory(start);
    }
    dialog.blocking_save_file().map(into_path).transpose()
}

/// Where a save dialog opens: the documents folder the desktop names (XDG's
/// `XDG_DOCUMENTS_DIR`), else `~/Documents` when it exists, else the home folder.
fn starting_folder(
    documents: Option<std::path::PathBuf>,
    home: Option<std::path::PathBuf>,
) -> Option<std::path::PathBuf> {
    documents.filter(|d| d.is_dir()).or_else(|| {
        let home = home?;
        let fallback = home.join("Documents");
        Some(if fallback.is_dir() { fallback } else { home })
    })
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
            // Separators, and what Windows refuses in a name.
            if matches!(c, '/' | '\\' | ':' | '<' | '>' | '"' | '|' | '?' | '*') || c.is_control() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_save_dialog_starts_in_the_documents_folder() {
        let home = tempfile::tempdir().unwrap();
        let named = home.path().join("Dokumente");
        // Nothing exists yet: the home folder, never a folder that is not there.
        assert_eq!(
            starting_folder(Some(named.clone()), Some(home.path().into())),
            Some(home.path().to_path_buf())
        );
        std::fs::create_dir(home.path().join("Documents")).unwrap();
        assert_eq!(
            starting_folder(Some(named.clone()), Some(home.path().into())),
            Some(home.path().join("Documents"))
        );
        std::fs::create_dir(&named).unwrap();
        assert_eq!(
            starting_folder(Some(named.clone()), Some(home.path().into())),
            Some(named)
        );
        assert_eq!(starting_folder(None, None), None);
    }

    #[test]
    fn a_suggested_name_is_never_a_path() {
        assert_eq!(file_name("../../.bashrc"), ".._.._.bashrc");
        assert_eq!(file_name(".."), "export.txt");
        assert_eq!(file_name("a:b?.env"), "a_b_.env");
    }
}
