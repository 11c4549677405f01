use super::{off_the_window, CommandResult};
use crate::state::AppState;
use registrar_core::ProfileId;
use registrar_core::{Discovery, ProbeOptions, ProbeReport, Profile, ProfileSecrets, ProviderKind, Secret};
use serde::Deserialize;
use tauri::{Emitter, State};

/// Secrets typed into the profile form; empty means "leave as it is".
#[derive(Debug, Default, Deserialize, specta::Type)]
pub struct ProfileSecretsInput {
    pub initial_access_token: Option<String>,
    pub admin_password: Option<String>,
    pub client_credentials_secret: Option<String>,
}

impl From<ProfileSecretsInput> for ProfileSecrets {
    fn from(i: ProfileSecretsInput) -> Self {
        let keep = |v: Option<String>| v.filter(|s| !s.is_empty()).map(Secret::new);
        ProfileSecrets {
            initial_access_token: keep(i.initial_access_token),
            admin_password: keep(i.admin_password),
            client_credentials_secret: keep(i.client_credentials_secret),
        }
    }
}

/// Waits for the start-up's local mock, so the list includes its ready profile.
#[tauri::command]
#[specta::specta]
pub async fn list_profiles(state: State<'_, AppState>) -> CommandResult<Vec<Profile>> {
    state.local_mock_settled().await;
    Ok(state.registrar.profiles()?)
}

/// A new, unsaved profile with the kind's preset, for the form to start from.
#[tauri::command]
#[specta::specta]
pub fn new_profile(kind: ProviderKind, name: String, registration_endpoint: String) -> CommandResult<Profile> {
    // Cannot fail; a Result like every other command, so the window unwraps them alike.
    Ok(Profile::new(name, kind, registration_endpoint))
}

#[tauri::command]
#[specta::specta]
pub async fn save_profile(
    state: State<'_, AppState>,
    profile: Profile,
    secrets: ProfileSecretsInput,
) -> CommandResult<Profile> {
    let secrets: ProfileSecrets = secrets.into();
    off_the_window(&state, move |r| Ok(r.save_profile(&profile, &secrets)?)).await
}

/// Trusts `host` for the profile's management URLs, after the user said yes.
#[tauri::command]
#[specta::specta]
pub fn trust_host(state: State<'_, AppState>, profile: ProfileId, host: String) -> CommandResult<Profile> {
    Ok(state.registrar.trust_host(&profile, &host)?)
}

#[tauri::command]
#[specta::specta]
pub async fn remove_profile(state: State<'_, AppState>, profile: ProfileId) -> CommandResult<Vec<String>> {
    off_the_window(&state, move |r| Ok(r.remove_profile(&profile)?)).await
}

#[tauri::command]
#[specta::specta]
pub async fn discover(state: State<'_, AppState>, issuer: String) -> CommandResult<Discovery> {
    Ok(state.registrar.discover(&issuer, &Default::default()).await?)
}

/// Hosts a discovery would move a saved profile's credentials to (the core decides).
#[tauri::command]
#[specta::specta]
pub fn discovery_new_hosts(
    state: State<'_, AppState>,
    profile: ProfileId,
    discovery: Discovery,
) -> CommandResult<Vec<String>> {
    Ok(discovery.new_hosts_for(&state.registrar.profile(&profile)?))
}

/// Runs the probe; each step is also sent as a `probe-step` event as it finishes.
#[tauri::command]
#[specta::specta]
pub async fn probe<R: tauri::Runtime>(
    window: tauri::Window<R>,
    state: State<'_, AppState>,
    profile: ProfileId,
    allow_writes: bool,
) -> CommandResult<ProbeReport> {
    let report = state
        .registrar
        .probe(&profile, ProbeOptions { allow_writes }, &|step| {
            let _ = window.emit("probe-step", step);
        })
        .await?;
    Ok(report)
}
