//! The profile for a locally running mock provider, so the desktop app's ready "Local
//! mock" profile, `registrar mock` and the tests all describe a mock the same way. The
//! core does not depend on the mock crate: callers pass what the mock prints.

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

#[cfg(feature = "mock")]
impl Profile {
    /// The profile for a running embedded mock provider, with the credentials it holds and
    /// its admin view as the client list (so orphans work against it).
    pub fn for_mock(name: &str, server: &registrar_mock_op::MockServer) -> (Profile, ProfileSecrets) {
        let c = server.credentials().clone();
        let local = LocalProvider {
            issuer: server.issuer(),
            registration_endpoint: server.registration_endpoint(),
            token_endpoint: server.token_endpoint(),
            initial_access_token: c.initial_access_token,
            admin_username: c.admin_username,
            admin_password: c.admin_password,
            registrar_client_id: c.registrar_client_id,
            registrar_client_secret: c.registrar_client_secret,
            registration_scope: c.registration_scope,
        };
        let kind = Profile::kind_of_mock(server.dialect());
        let (mut profile, secrets) = Profile::for_local_provider(name, kind, &local);
        profile.settings.list_endpoint = Some(format!("{}/_admin/clients", server.base_url()));
        (profile, secrets)
    }
    /// The provider kind whose preset talks to a mock of `dialect`: one exhaustive match,
    /// so a dialect added or renamed cannot silently fall back to the generic preset.
    pub fn kind_of_mock(dialect: registrar_mock_op::Dialect) -> ProviderKind {
        use registrar_mock_op::Dialect;
        match dialect {
            Dialect::Generic => ProviderKind::Generic,
            Dialect::Soffid => ProviderKind::Soffid,
            Dialect::Wso2 => ProviderKind::Wso2,
            Dialect::Indigo => ProviderKind::Indigo,
            Dialect::SimpleIdServer => ProviderKind::SimpleIdServer,
            Dialect::Liberty => ProviderKind::Liberty,
        }
    }
}
