use super::CommandResult;
use crate::state::AppState;
use serde::Serialize;

#[derive(Debug, Serialize, specta::Type)]
pub struct AppInfo {
    /// The workspace's version, e.g. `0.1.0`.
    pub version: String,
    /// The commit the app was built from (short hash), or `unknown`.
    pub commit: String,
    pub data_dir: String,
}

#[tauri::command]
#[specta::specta]
pub fn app_info(state: tauri::State<'_, AppState>) -> CommandResult<AppInfo> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        commit: env!("REGISTRAR_COMMIT").to_string(),
        data_dir: state.data_dir.path().display().to_string(),
    })
}

/// Whether the keychain answers, asked when the window opens and when the user asks again:
/// without one, Registrar cannot keep a new client's credentials, so the window says so
/// before anything is registered.
#[tauri::command]
#[specta::specta]
pub async fn keychain_status(state: tauri::State<'_, AppState>) -> CommandResult<registrar_core::KeychainStatus> {
    super::off_the_window(&state, |r| Ok(r.keychain_status())).await
}
