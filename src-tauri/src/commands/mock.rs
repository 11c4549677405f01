use super::CommandResult;
use crate::local_mock::{self, MockInfo};
use crate::state::AppState;
use registrar_core::{ErrorCode, ErrorView};
use registrar_mock_op::Dialect;
use tauri::State;

fn dialect(name: &str) -> CommandResult<Dialect> {
    name.parse()
        .map_err(|e: registrar_mock_op::UnknownDialect| ErrorView::new(ErrorCode::Validation, e.to_string()))
}

#[tauri::command]
#[specta::specta]
pub async fn mock_list(state: State<'_, AppState>) -> CommandResult<Vec<MockInfo>> {
    state.local_mock_settled().await;
    Ok(state.mocks.lock().await.values().map(local_mock::info).collect())
}

/// Starts a mock provider in `dialect` with its ready profile.
#[tauri::command]
#[specta::specta]
pub async fn mock_start(state: State<'_, AppState>, dialect_name: String) -> CommandResult<MockInfo> {
    state.local_mock_settled().await;
    local_mock::start(&state, dialect(&dialect_name)?).await
}

#[tauri::command]
#[specta::specta]
pub async fn mock_stop(state: State<'_, AppState>, dialect_name: String) -> CommandResult<bool> {
    state.local_mock_settled().await;
    Ok(local_mock::stop(&state, dialect(&dialect_name)?).await)
}
