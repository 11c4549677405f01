//! The mock provider as Registrar's shells use it (the app's ready "Local mock" profile,
//! `registrar mock`, the tests and the benchmarks): the profile that talks to a running mock.
//! Apart from the core, which knows nothing of the mock, and from the mock, which knows
//! nothing of Registrar.

use registrar_core::profile::LocalProvider;
use registrar_core::{Profile, ProfileSecrets, ProviderKind};
use registrar_mock_op::{Dialect, MockServer};

/// The profile for a running mock provider, with the credentials it holds and its admin
/// view as the client list (so orphans work against it).
pub fn profile_for(name: &str, server: &MockServer) -> (Profile, ProfileSecrets) {
    let (mut profile, secrets) = Profile::for_local_provider(name, kind_of(server.dialect()), &described(server));
    profile.settings.list_endpoint = Some(format!("{}/_admin/clients", server.base_url()));
    (profile, secrets)
}

/// What a running mock tells its users, as the core takes it.
pub fn described(server: &MockServer) -> LocalProvider {
    let c = server.credentials().clone();
    LocalProvider {
        issuer: server.issuer(),
        registration_endpoint: server.registration_endpoint(),
        token_endpoint: server.token_endpoint(),
        initial_access_token: c.initial_access_token,
        admin_username: c.admin_username,
        admin_password: c.admin_password,
        registrar_client_id: c.registrar_client_id,
        registrar_client_secret: c.registrar_client_secret,
        registration_scope: c.registration_scope,
    }
}

/// The provider kind whose preset talks to a mock of `dialect`: one exhaustive match, so a
/// dialect added or renamed cannot silently fall back to the generic preset.
pub fn kind_of(dialect: Dialect) -> ProviderKind {
    match dialect {
        Dialect::Generic => ProviderKind::Generic,
        Dialect::Soffid => ProviderKind::Soffid,
        Dialect::Wso2 => ProviderKind::Wso2,
        Dialect::Indigo => ProviderKind::Indigo,
        Dialect::SimpleIdServer => ProviderKind::SimpleIdServer,
        Dialect::Liberty => ProviderKind::Liberty,
        Dialect::OpenBanking => ProviderKind::OpenBanking,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each dialect imitates the provider its kind's preset is written for: the names agree,
    /// and no two dialects share a kind.
    #[test]
    fn every_dialect_maps_to_the_kind_of_its_name() {
        let mut kinds = Vec::new();
        for dialect in Dialect::ALL {
            let kind = kind_of(dialect);
            assert_eq!(kind.as_str(), dialect.name(), "{dialect:?}");
            assert!(!kinds.contains(&kind), "{dialect:?} shares {kind:?}");
            kinds.push(kind);
        }
    }
}
