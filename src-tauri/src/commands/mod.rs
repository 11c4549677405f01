//! Tauri commands, grouped as the UI is: one call into the core each.

pub mod app;
pub mod bulk;
pub mod cimd;
pub mod clients;
pub mod custody;
pub mod drift;
pub mod export;
pub mod insight;
pub mod mock;
pub mod profiles;
pub mod reach;
pub mod resource;
pub mod tryout;
pub mod vendor_fields;

use registrar_core::{ErrorCode, ErrorView, Registrar};

/// What every command returns.
pub type CommandResult<T> = Result<T, ErrorView>;

/// Runs a core call that may wait on the keychain on a thread of its own. Tauri runs a
/// synchronous command on the window's main thread, and a locked keychain can hold a call
/// for as long as its unlock prompt is open (`REGISTRAR_KEYCHAIN_PROMPT_SECONDS`): there,
/// the whole window would freeze until then.
async fn off_the_window<T, F>(state: &crate::state::AppState, work: F) -> CommandResult<T>
where
    T: Send + 'static,
    F: FnOnce(&Registrar) -> CommandResult<T> + Send + 'static,
{
    let registrar = state.registrar.clone();
    tauri::async_runtime::spawn_blocking(move || work(&registrar))
        .await
        .map_err(|e| ErrorView::new(ErrorCode::Internal, format!("the operation stopped unexpectedly: {e}")))?
}
