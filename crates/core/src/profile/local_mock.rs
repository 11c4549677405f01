//! The profile for a locally running provider (the mock): what it prints is all the core
//! needs. The core does not depend on the mock crate; `registrar-local-mock` describes a
//! running mock this way for the shells, the tests and the benchmarks.

use super::{Profile, ProfileSecrets, ProviderKind, RegistrationAuth};
use crate::secret::Secret;

/// What a running mock provider tells its users.
#[derive(Debug, Clone, Default)]
pub struct LocalProvider {
    pub issuer: String,
    pub registration_endpoint: String,
    pub token_endpoint: String,
    pub initial_access_token: Option<String>,
    pub admin_username: Option<String>,
    pub admin_password: Option<String>,
    pub registrar_client_id: Option<String>,
    pub registrar_client_secret: Option<String>,
    pub registration_scope: Option<String>,
}

impl Profile {
    pub fn for_local_provider(name: &str, kind: ProviderKind, p: &LocalProvider) -> (Profile, ProfileSecrets) {
        let mut profile = Profile::new(name, kind, p.registration_endpoint.clone());
        profile.issuer = Some(p.issuer.clone());
        profile.token_endpoint = Some(p.token_endpoint.clone());
        let mut secrets = ProfileSecrets::default();
        if let (Some(user), Some(password)) = (&p.admin_username, &p.admin_password) {
            profile.registration_auth = RegistrationAuth::Basic { username: user.clone() };
            secrets.admin_password = Some(Secret::new(password.clone()));
        } else if let (Some(id), Some(secret)) = (&p.registrar_client_id, &p.registrar_client_secret) {
            profile.registration_auth = RegistrationAuth::ClientCredentials {
                client_id: id.clone(),
                scope: p.registration_scope.clone(),
            };
            secrets.client_credentials_secret = Some(Secret::new(secret.clone()));
        } else if let Some(iat) = &p.initial_access_token {
            profile.registration_auth = RegistrationAuth::InitialAccessToken;
            secrets.initial_access_token = Some(Secret::new(iat.clone()));
        }
        (profile, secrets)
    }
}
