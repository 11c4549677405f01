//! The embedded mock provider, so a demo needs no network: starting a mock in a dialect
//! also creates (or points anew) its "Local mock" profile, since the port changes.

use crate::state::AppState;
use registrar_core::{ErrorView, Profile};
use registrar_mock_op::{Dialect, MockConfig, MockServer};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct MockInfo {
    pub dialect: String,
    pub base_url: String,
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
    let server = MockServer::start(MockConfig::new(dialect))
        .await
        .map_err(|e| ErrorView::new("network", format!("the local mock provider could not start: {e}")))?;
    let name = profile_name(dialect);
    let (mut profile, secrets) = Profile::for_mock(&name, &server);
    if let Ok(existing) = state.registrar.profile(&name) {
        // Keep the profile's id; a new mock starts empty, so the clients an earlier run
        // registered on it are gone with it and are forgotten here, secrets included.
        profile.id = existing.id;
        for stale in state
            .registrar
            .store()
            .list_registrations(&profile.id)
            .map_err(ErrorView::from)?
        {
            let _ = state.registrar.forget(&name, &stale.client_id);
        }
    }
    state
        .registrar
        .save_profile(&profile, &secrets)
        .map_err(ErrorView::from)?;
    let running = info(&server);
    mocks.insert(dialect, server);
    Ok(running)
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
