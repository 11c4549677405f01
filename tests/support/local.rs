//! A Registrar on a temporary database and an in-memory keychain, for providers that are
//! not the mock: the real third-party servers and the recording server.

use registrar_core::secrets::MemoryStore;
use registrar_core::Store;
use registrar_core::{
    http::ReqwestFactory, Profile, ProfileSecrets, ProviderKind, Registrar, RegistrationAuth, Secret,
};
use std::sync::Arc;

#[derive(Debug)]
pub struct Local {
    pub registrar: Registrar,
    pub memory: Arc<MemoryStore>,
    pub dir: tempfile::TempDir,
}

impl Local {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = Store::open(&dir.path().join("registrar.sqlite3")).expect("the database opens");
        let memory = Arc::new(MemoryStore::new());
        let registrar = Registrar::with_parts(store, memory.clone(), Arc::new(ReqwestFactory::new()));
        Self { registrar, memory, dir }
    }

    pub fn database_path(&self) -> std::path::PathBuf {
        self.dir.path().join("registrar.sqlite3")
    }

    /// Saves a `kind` profile named `name` for `registration_endpoint`, with an initial
    /// access token when one is given.
    pub fn profile(
        &self,
        name: &str,
        kind: ProviderKind,
        issuer: Option<&str>,
        registration_endpoint: &str,
        initial_access_token: Option<&str>,
    ) -> Profile {
        let mut profile = Profile::new(name, kind, registration_endpoint);
        profile.issuer = issuer.map(str::to_string);
        let mut secrets = ProfileSecrets::default();
        match initial_access_token {
            Some(token) => {
                profile.registration_auth = RegistrationAuth::InitialAccessToken;
                secrets.initial_access_token = Some(Secret::new(token));
            }
            None => profile.registration_auth = RegistrationAuth::None,
        }
        self.registrar
            .save_profile(&profile, &secrets)
            .expect("the profile is valid")
    }
}

impl Local {
    /// An open-registration generic profile named "p" registering at `{base_url}/register`:
    /// what most recording-server tests play against.
    pub fn open_profile(&self, base_url: &str) -> Profile {
        self.profile("p", ProviderKind::Generic, None, &format!("{base_url}/register"), None)
    }
}

impl Default for Local {
    fn default() -> Self {
        Self::new()
    }
}
