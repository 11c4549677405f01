use super::{off_the_window, CommandResult};
use crate::state::AppState;
use registrar_core::JournalEntry;
use registrar_core::OrphanReport;
use registrar_core::Page;
use registrar_core::ProfileId;
use registrar_core::{Exchange, HistoryFilter};
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn history(
    state: State<'_, AppState>,
    profile: Option<ProfileId>,
    client_id: Option<String>,
    limit: Option<u32>,
) -> CommandResult<Vec<Exchange>> {
    off_the_window(&state, move |r| {
        let profile_id = match profile {
            Some(p) => Some(r.profile(&p)?.id),
            None => None,
        };
        Ok(r.history(&HistoryFilter {
            profile_id,
            client_id,
            limit,
        })?)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn orphans(state: State<'_, AppState>, profile: ProfileId) -> CommandResult<OrphanReport> {
    Ok(state.registrar.orphans(&profile, None).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn expiring(state: State<'_, AppState>, within_days: i64) -> CommandResult<Page> {
    off_the_window(&state, move |r| Ok(r.expiring(None, within_days * 86_400)?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn unresolved(state: State<'_, AppState>) -> CommandResult<Vec<JournalEntry>> {
    off_the_window(&state, |r| Ok(r.unresolved()?)).await
}
