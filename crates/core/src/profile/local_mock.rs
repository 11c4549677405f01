//! The profile for a locally running provider (the mock): what it prints is all the core
//! needs. The core does not depend on the mock crate; `registrar-local-mock` describes a
//! running mock this way for the shells, the tests and the benchmarks.

use super::{Profile, ProfileSecrets, ProviderKind, RegistrationAuth};
use crate::secret::Secret;

/// What a running mock provider tells its users.
#[derive(Debug, Clone, Default)]
pub struct LocalProvider {
    /// The mock's issuer URL.
    pub issuer: String,
    /// Where it registers clients.
    pub registration_endpoint: String,
    /// Where it issues tokens.
    pub token_endpoint: String,
    /// The initial access token registration needs, when the mock requires one.
    pub initial_access_token: Option<String>,
    /// The admin user for Basic registration (the WSO2 and Liberty dialects).
    pub admin_username: Option<String>,
    /// That admin user's password.
    pub admin_password: Option<String>,
    /// A client that gets registration tokens with `client_credentials` (the SimpleIdServer dialect).
    pub registrar_client_id: Option<String>,
    /// That client's secret.
    pub registrar_client_secret: Option<String>,
    /// The scope that client asks for.
    pub registration_scope: Option<String>,
}

impl Profile {
    /// A profile for a running mock, with the secrets it printed. Admin credentials win over a
    /// client, a client over an initial access token; with none, registration is open.
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
