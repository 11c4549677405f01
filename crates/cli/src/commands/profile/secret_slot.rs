//! Which secret a profile needs follows from how it registers: an initial access token,
//! an admin password, or the client_credentials client's secret.

use registrar_core::{ProfileSecrets, RegistrationAuth, Secret};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretSlot {
    InitialAccessToken,
    AdminPassword,
    ClientCredentialsSecret,
}

impl SecretSlot {
    pub fn for_auth(auth: &RegistrationAuth) -> Option<Self> {
        match auth {
            RegistrationAuth::None => None,
            RegistrationAuth::InitialAccessToken => Some(Self::InitialAccessToken),
            RegistrationAuth::Basic { .. } => Some(Self::AdminPassword),
            RegistrationAuth::ClientCredentials { .. } => Some(Self::ClientCredentialsSecret),
        }
    }

    /// How the prompt and the messages name it.
    pub fn describe(&self, auth: &RegistrationAuth) -> String {
        match (self, auth) {
            (Self::AdminPassword, RegistrationAuth::Basic { username }) => format!("password of {username}"),
            (Self::ClientCredentialsSecret, RegistrationAuth::ClientCredentials { client_id, .. }) => {
                format!("client secret of {client_id}")
            }
            (Self::InitialAccessToken, _) => "initial access token".into(),
            (Self::AdminPassword, _) => "admin password".into(),
            (Self::ClientCredentialsSecret, _) => "client secret".into(),
        }
    }

    pub fn secrets(&self, value: Secret) -> ProfileSecrets {
        let mut secrets = ProfileSecrets::default();
        match self {
            Self::InitialAccessToken => secrets.initial_access_token = Some(value),
            Self::AdminPassword => secrets.admin_password = Some(value),
            Self::ClientCredentialsSecret => secrets.client_credentials_secret = Some(value),
        }
        secrets
    }
}

impl SecretSlot {
    /// Whose secret it is: the slot and the user or client it belongs to. When this
    /// changes, the stored secret no longer fits.
    pub fn owner(auth: &RegistrationAuth) -> Option<(SecretSlot, Option<String>)> {
        let slot = Self::for_auth(auth)?;
        let who = match auth {
            RegistrationAuth::Basic { username } => Some(username.clone()),
            RegistrationAuth::ClientCredentials { client_id, .. } => Some(client_id.clone()),
            _ => None,
        };
        Some((slot, who))
    }
}
