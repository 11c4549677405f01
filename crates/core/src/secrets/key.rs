//! Names of keychain entries, one place so that every writer and reader agrees. Names are
//! built from ids (never from names a user can change), so renaming a profile or a client
//! never orphans its credentials.

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

    /// The single entry that held all of a profile's client credentials before they had an
    /// entry each; read once to move its content (see `vault`).
    pub fn legacy_clients_of(profile_id: &str) -> Self {
        Self(format!("profile/{profile_id}/clients"))
    }

    /// A key as its name reads back (from an entry's envelope).
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        let key = Self(name.to_string());
        (key.profile_id().is_some() && key.credential().is_some()).then_some(key)
    }

    /// (profile id, client id, credential name) of a client credential's key. Profile ids
    /// have no `/`; client ids may.
    pub fn client_parts(&self) -> Option<(&str, &str, &str)> {
        let rest = self.0.strip_prefix("client/")?;
        let (profile, rest) = rest.split_once('/')?;
        let (client, name) = rest.rsplit_once('/')?;
        Some((profile, client, name))
    }

    /// The profile the credential belongs to: the group its entries are listed by.
    pub fn profile_id(&self) -> Option<&str> {
        match self.client_parts() {
            Some((profile, _, _)) => Some(profile),
            None => self.0.strip_prefix("profile/")?.split_once('/').map(|(p, _)| p),
        }
    }

    /// The credential's field name (`registration_access_token`, `admin_password`, …).
    pub fn credential(&self) -> Option<&str> {
        match self.client_parts() {
            Some((_, _, name)) => Some(name),
            None => self.0.strip_prefix("profile/")?.split_once('/').map(|(_, name)| name),
        }
    }

    /// The credential in words, for an entry's label.
    pub fn describe(&self) -> String {
        self.credential().unwrap_or("credential").replace('_', " ")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_back_their_parts() {
        let k = SecretKey::registration_access_token("p1", "a/b");
        assert_eq!(k.client_parts(), Some(("p1", "a/b", "registration_access_token")));
        assert_eq!(k.profile_id(), Some("p1"));
        assert_eq!(k.describe(), "registration access token");
        let k = SecretKey::admin_password("p2");
        assert_eq!((k.profile_id(), k.credential()), (Some("p2"), Some("admin_password")));
        assert_eq!(SecretKey::from_name(k.as_str()), Some(k));
        assert_eq!(SecretKey::from_name("elsewhere/x"), None);
    }
}
