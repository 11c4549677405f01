use super::CommandResult;
use crate::state::AppState;
use registrar_core::JournalEntry;
use registrar_core::OrphanReport;
use registrar_core::Page;
use registrar_core::{Exchange, HistoryFilter};
use tauri::State;

#[tauri::command]
pub fn history(
    state: State<'_, AppState>,
    profile: Option<String>,
    client_id: Option<String>,
    limit: Option<u32>,
) -> CommandResult<Vec<Exchange>> {
    let profile_id = match profile {
        Some(p) => Some(state.registrar.profile(&p)?.id),
        None => None,
    };
    Ok(state.registrar.history(&HistoryFilter {
        profile_id,
        client_id,
        limit,
    })?)
}

#[tauri::command]
pub async fn orphans(state: State<'_, AppState>, profile: String) -> CommandResult<OrphanReport> {
    Ok(state.registrar.orphans(&profile, None).await?)
}

#[tauri::command]
pub fn expiring(state: State<'_, AppState>, within_days: i64) -> CommandResult<Page> {
    Ok(state.registrar.expiring(None, within_days * 86_400)?)
}

#[tauri::command]
pub fn unresolved(state: State<'_, AppState>) -> CommandResult<Vec<JournalEntry>> {
    Ok(state.registrar.unresolved()?)
}
