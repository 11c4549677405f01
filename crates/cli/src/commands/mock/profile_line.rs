//! The `registrar profile add` command line that describes a running mock. The profile
//! itself comes from the core (`registrar_local_mock::profile_for`), so the line, the desktop
//! app's "Local mock" profile and the tests agree on what a mock needs.

use registrar_core::{Profile, ProfileSecrets, ProviderKind, RegistrationAuth, Secret};
use registrar_mock_op::MockServer;
use std::path::Path;

/// The variable the printed line reads the demo secret from.
pub const SECRET_ENV: &str = "REGISTRAR_MOCK_SECRET";

/// The argv of the `profile add` line, and the secret it expects in `SECRET_ENV`.
pub fn profile_add(
    server: &MockServer,
    kind: ProviderKind,
    name: &str,
    data_dir: Option<&Path>,
) -> (Vec<String>, Option<Secret>) {
    let (mut profile, secrets) = registrar_local_mock::profile_for(name, server);
    profile.kind = kind;
    let mut words = argv(&profile, data_dir);
    if let Some(list) = &profile.settings.list_endpoint {
        // The mock's admin view lists its clients, so `registrar orphans` works against it.
        words.extend(["--list-endpoint".into(), list.clone()]);
    }
    (words, secret_of(secrets))
}

fn argv(profile: &Profile, data_dir: Option<&Path>) -> Vec<String> {
    let mut words: Vec<String> = vec!["registrar".into()];
    if let Some(dir) = data_dir {
        words.extend(["--data-dir".into(), dir.display().to_string()]);
    }
    words.extend(["profile".into(), "add".into(), profile.name.clone()]);
    words.extend(["--kind".into(), profile.kind.as_str().into()]);
    if let Some(issuer) = &profile.issuer {
        words.extend(["--issuer".into(), issuer.clone()]);
    }
    words.extend(["--registration-endpoint".into(), profile.registration_endpoint.clone()]);
    match &profile.registration_auth {
        RegistrationAuth::None => words.extend(["--registration-auth".into(), "none".into()]),
        RegistrationAuth::InitialAccessToken => words.extend(["--registration-auth".into(), "bearer".into()]),
        RegistrationAuth::Basic { username } => {
            words.extend([
                "--registration-auth".into(),
                "basic".into(),
                "--username".into(),
                username.clone(),
            ]);
        }
        RegistrationAuth::ClientCredentials { client_id, scope } => {
            words.extend(["--registration-auth".into(), "client-credentials".into()]);
            words.extend(["--client-id".into(), client_id.clone()]);
            if let Some(scope) = scope {
                words.extend(["--scope".into(), scope.clone()]);
            }
            if let Some(token) = &profile.token_endpoint {
                words.extend(["--token-endpoint".into(), token.clone()]);
            }
        }
    }
    if !matches!(profile.registration_auth, RegistrationAuth::None) {
        words.extend(["--secret-env".into(), SECRET_ENV.into()]);
    }
    words
}

fn secret_of(secrets: ProfileSecrets) -> Option<Secret> {
    secrets
        .initial_access_token
        .or(secrets.admin_password)
        .or(secrets.client_credentials_secret)
}
