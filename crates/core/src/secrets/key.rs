//! Names of keychain entries, one place so that every writer and reader agrees.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SecretKey(String);

impl SecretKey {
    pub fn initial_access_token(profile_id: &str) -> Self {
        Self(format!("profile/{profile_id}/initial_access_token"))
    }

    pub fn admin_password(profile_id: &str) -> Self {
        Self(format!("profile/{profile_id}/admin_password"))
    }

    pub fn client_credentials_secret(profile_id: &str) -> Self {
        Self(format!("profile/{profile_id}/client_credentials_secret"))
    }

    pub fn client_secret(profile_id: &str, client_id: &str) -> Self {
        Self(format!("client/{profile_id}/{client_id}/client_secret"))
    }

    pub fn registration_access_token(profile_id: &str, client_id: &str) -> Self {
        Self(format!("client/{profile_id}/{client_id}/registration_access_token"))
    }

    /// One entry for all of a profile's client credentials (see `vault`).
    pub fn clients_of(profile_id: &str) -> Self {
        Self(format!("profile/{profile_id}/clients"))
    }

    /// (profile id, client id, credential name) of a client credential's key. Profile ids
    /// have no `/`; client ids may.
    pub fn client_parts(&self) -> Option<(&str, &str, &str)> {
        let rest = self.0.strip_prefix("client/")?;
        let (profile, rest) = rest.split_once('/')?;
        let (client, name) = rest.rsplit_once('/')?;
        Some((profile, client, name))
    }

    /// The profile whose client credentials this key holds, for a `clients_of` key.
    pub fn clients_profile(&self) -> Option<&str> {
        self.0.strip_prefix("profile/")?.strip_suffix("/clients")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
