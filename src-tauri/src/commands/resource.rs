//! Issue 18, MCP authorization: discovery from any URL (an issuer or a protected
//! resource), the profile a resource's chain proposes, the MCP client template, and the
//! duplicate registrations MCP clients leave behind. One core call each.

use super::{off_the_window, CommandResult};
use crate::state::AppState;
use registrar_core::{
    mcp_client_metadata, CleanupAction, CleanupResult, ClientMetadata, Discovered, DuplicateGroup, Profile, ProfileId,
    ResourceChain,
};
use tauri::State;

/// Discovery from a URL: an issuer's discovery, or a protected resource's chain of hops
/// to its authorization servers.
#[tauri::command]
#[specta::specta]
pub async fn discover_url(state: State<'_, AppState>, url: String) -> CommandResult<Discovered> {
    Ok(state.registrar.discover_url(&url, &Default::default()).await?)
}

/// The profile a resource's chain proposes (unsaved): its first usable authorization
/// server, bound to the resource.
#[tauri::command]
#[specta::specta]
pub fn propose_profile_from_chain(chain: ResourceChain, name: String) -> CommandResult<Profile> {
    Ok(chain.propose_profile(&name)?)
}

/// The metadata of a public loopback native client, as MCP clients register.
#[tauri::command]
#[specta::specta]
pub fn mcp_client_template(name: String) -> CommandResult<ClientMetadata> {
    Ok(mcp_client_metadata(&name))
}

/// The profile's clients registered more than once (same name and redirect URIs).
#[tauri::command]
#[specta::specta]
pub async fn duplicate_registrations(
    state: State<'_, AppState>,
    profile: ProfileId,
) -> CommandResult<Vec<DuplicateGroup>> {
    off_the_window(&state, move |r| Ok(r.duplicate_registrations(&profile)?)).await
}

/// Deletes at the provider, or forgets locally, the clients the user chose and confirmed.
#[tauri::command]
#[specta::specta]
pub async fn clean_up_duplicates(
    state: State<'_, AppState>,
    profile: ProfileId,
    client_ids: Vec<String>,
    action: CleanupAction,
) -> CommandResult<Vec<CleanupResult>> {
    Ok(state.registrar.clean_up(&profile, &client_ids, action).await?)
}
