//! The embedded mock provider, so a demo needs no network: starting a mock in a dialect
//! also creates (or points anew) its "Local mock" profile, since the port changes.

use crate::state::AppState;
use registrar_core::{ErrorCode, ErrorView, Profile, ProfileId};
use registrar_mock_op::{Dialect, MockConfig, MockServer};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct MockInfo {
    pub dialect: String,
    pub base_url: String,
    /// The name of the profile that points at it, for the message that says so.
    pub profile: String,
}

/// The profile name for a dialect's local mock; the generic one is the default profile.
pub fn profile_name(dialect: Dialect) -> String {
    match dialect {
        Dialect::Generic => "Local mock".to_string(),
        other => format!("Local mock ({other})"),
    }
}

pub async fn start(state: &AppState, dialect: Dialect) -> Result<MockInfo, ErrorView> {
    let mut mocks = state.mocks.lock().await;
    if let Some(running) = mocks.get(&dialect) {
        return Ok(info(running));
    }
    let server = MockServer::start(MockConfig::new(dialect)).await.map_err(|e| {
        ErrorView::new(
            ErrorCode::Network,
            format!("the local mock provider could not start: {e}"),
        )
    })?;
    let profiles = state.registrar.profiles().map_err(ErrorView::from)?;
    let (id, name) = own_profile(&profiles, dialect);
    let (mut profile, secrets) = registrar_local_mock::profile_for(&name, &server);
    profile.id = id;
    if profiles.iter().any(|p| p.id == profile.id) {
        // The app's own profile from an earlier run: a new mock starts empty, so the
        // clients registered on the old one are gone with it and forgotten here.
        state.registrar.forget_all(&profile.id).map_err(ErrorView::from)?;
    }
    state
        .registrar
        .save_profile(&profile, &secrets)
        .map_err(ErrorView::from)?;
    let running = MockInfo {
        profile: name,
        ..info(&server)
    };
    mocks.insert(dialect, server);
    Ok(running)
}

/// The id and name of the app's own profile for a dialect's mock. It is known by its id,
/// never by its name: a profile of the user's that happens to be called "Local mock" is
/// not the app's to take over (and its clients are not the app's to forget), so the app's
/// profile then takes another name.
fn own_profile(profiles: &[Profile], dialect: Dialect) -> (ProfileId, String) {
    let id = profile_id(dialect);
    if let Some(ours) = profiles.iter().find(|p| p.id == id) {
        return (id, ours.name.clone());
    }
    let wanted = profile_name(dialect);
    let taken = |name: &str| profiles.iter().any(|p| p.name == name);
    let name = std::iter::once(wanted.clone())
        .chain((2..).map(|n| format!("{wanted} {n}")))
        .find(|n| !taken(n))
        .unwrap_or(wanted);
    (id, name)
}

/// The id of the app's own profile for a dialect's mock.
pub fn profile_id(dialect: Dialect) -> ProfileId {
    ProfileId::from(format!("registrar-local-mock-{}", dialect.name()))
}

pub async fn stop(state: &AppState, dialect: Dialect) -> bool {
    let server = state.mocks.lock().await.remove(&dialect);
    match server {
        Some(server) => {
            server.stop().await;
            true
        }
        None => false,
    }
}

pub fn info(server: &MockServer) -> MockInfo {
    MockInfo {
        dialect: server.dialect().name().to_string(),
        base_url: server.base_url(),
        profile: profile_name(server.dialect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use registrar_core::ProviderKind;

    #[test]
    fn the_apps_profile_is_known_by_its_id_and_a_users_namesake_is_left_alone() {
        let users = Profile::new("Local mock", ProviderKind::Generic, "https://op.example/register");
        let (id, name) = own_profile(std::slice::from_ref(&users), Dialect::Generic);
        assert_ne!(id, users.id);
        assert_eq!(name, "Local mock 2", "the user's name is not taken over");

        let mut ours = Profile::new(
            "Renamed by the user",
            ProviderKind::Generic,
            "http://127.0.0.1:1/register",
        );
        ours.id = id.clone();
        let (again, name) = own_profile(&[users, ours], Dialect::Generic);
        assert_eq!((again, name.as_str()), (id, "Renamed by the user"));
        let (_, liberty) = own_profile(&[], Dialect::Liberty);
        assert_eq!(liberty, "Local mock (liberty)");
    }
}
