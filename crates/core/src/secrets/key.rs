//! What each keychain entry holds, as a type: which credential, of which profile and client.
//! Entry names are made from ids here and only here (never from names a user can change, so
//! renaming a profile or a client never orphans its credentials), and never parsed back:
//! an entry's envelope carries the key's parts (see `vault`).

use crate::ProfileId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which credential a keychain entry holds: of which profile, of which client. Its
/// [`name`](SecretKey::name) is the entry's name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SecretKey {
    /// A profile's own credential.
    Profile {
        /// The profile it belongs to.
        profile_id: ProfileId,
        /// Which of the profile's credentials.
        credential: ProfileCredential,
    },
    /// A client's credential.
    Client {
        /// The profile the client is registered through.
        profile_id: ProfileId,
        /// The client's id as the provider issued it.
        client_id: String,
        /// Which of the client's credentials.
        credential: ClientCredential,
    },
    /// The private half of a key in the profile's custody (a client's signing key, a
    /// certificate's key, a local directory's key), by its `kid` (RFC 7638 thumbprint).
    PrivateKey {
        /// The profile whose custody it is in.
        profile_id: ProfileId,
        /// The key's id.
        kid: String,
    },
    /// The single entry that held all of a profile's client credentials before they had an
    /// entry each; read once to move its content.
    LegacyClients {
        /// The profile whose clients it held.
        profile_id: ProfileId,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileCredential {
    InitialAccessToken,
    AdminPassword,
    ClientCredentialsSecret,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientCredential {
    ClientSecret,
    RegistrationAccessToken,
}

/// The credential name of a private key's entry.
pub(crate) const PRIVATE_KEY: &str = "private_key";

impl ProfileCredential {
    fn as_str(self) -> &'static str {
        match self {
            Self::InitialAccessToken => "initial_access_token",
            Self::AdminPassword => "admin_password",
            Self::ClientCredentialsSecret => "client_credentials_secret",
        }
    }
}

impl ClientCredential {
    fn as_str(self) -> &'static str {
        match self {
            Self::ClientSecret => "client_secret",
            Self::RegistrationAccessToken => "registration_access_token",
        }
    }
}

impl SecretKey {
    /// The profile's initial access token (RFC 7591 §3).
    pub fn initial_access_token(profile_id: &ProfileId) -> Self {
        Self::profile(profile_id, ProfileCredential::InitialAccessToken)
    }

    /// The profile's admin password, for HTTP Basic registration and management.
    pub fn admin_password(profile_id: &ProfileId) -> Self {
        Self::profile(profile_id, ProfileCredential::AdminPassword)
    }

    /// The secret of the client that gets the profile's registration tokens (`client_credentials`).
    pub fn client_credentials_secret(profile_id: &ProfileId) -> Self {
        Self::profile(profile_id, ProfileCredential::ClientCredentialsSecret)
    }

    /// A registered client's `client_secret` (RFC 7591 §3.2.1).
    pub fn client_secret(profile_id: &ProfileId, client_id: &str) -> Self {
        Self::client(profile_id, client_id, ClientCredential::ClientSecret)
    }

    /// A registered client's registration access token (RFC 7592 §3), which some providers rotate.
    pub fn registration_access_token(profile_id: &ProfileId, client_id: &str) -> Self {
        Self::client(profile_id, client_id, ClientCredential::RegistrationAccessToken)
    }

    /// The private key `kid` of the profile's custody.
    pub fn private_key(profile_id: &ProfileId, kid: &str) -> Self {
        Self::PrivateKey {
            profile_id: profile_id.clone(),
            kid: kid.to_string(),
        }
    }

    /// The profile's pre-split entry ([`SecretKey::LegacyClients`]).
    pub fn legacy_clients_of(profile_id: &ProfileId) -> Self {
        Self::LegacyClients {
            profile_id: profile_id.clone(),
        }
    }

    /// A profile's credential, by kind.
    pub fn profile(profile_id: &ProfileId, credential: ProfileCredential) -> Self {
        Self::Profile {
            profile_id: profile_id.clone(),
            credential,
        }
    }

    /// A client's credential, by kind.
    pub fn client(profile_id: &ProfileId, client_id: &str, credential: ClientCredential) -> Self {
        Self::Client {
            profile_id: profile_id.clone(),
            client_id: client_id.to_string(),
            credential,
        }
    }

    /// The entry's name in the keychain: stable, made of ids.
    pub fn name(&self) -> String {
        match self {
            Self::Profile { profile_id, credential } => format!("profile/{profile_id}/{}", credential.as_str()),
            Self::Client {
                profile_id,
                client_id,
                credential,
            } => format!("client/{profile_id}/{client_id}/{}", credential.as_str()),
            Self::PrivateKey { profile_id, kid } => format!("key/{profile_id}/{kid}"),
            Self::LegacyClients { profile_id } => format!("profile/{profile_id}/clients"),
        }
    }

    /// The profile the credential belongs to: the group its entries are listed by.
    pub fn profile_id(&self) -> &ProfileId {
        match self {
            Self::Profile { profile_id, .. }
            | Self::Client { profile_id, .. }
            | Self::PrivateKey { profile_id, .. }
            | Self::LegacyClients { profile_id } => profile_id,
        }
    }

    /// The client the credential belongs to; `None` for a profile's own.
    pub fn client_id(&self) -> Option<&str> {
        match self {
            Self::Client { client_id, .. } => Some(client_id),
            _ => None,
        }
    }

    /// The key id of a private key; `None` for any other credential.
    pub fn kid(&self) -> Option<&str> {
        match self {
            Self::PrivateKey { kid, .. } => Some(kid),
            _ => None,
        }
    }

    /// The credential's field name (`registration_access_token`, `admin_password`, …).
    pub fn credential(&self) -> &'static str {
        match self {
            Self::Profile { credential, .. } => credential.as_str(),
            Self::Client { credential, .. } => credential.as_str(),
            Self::PrivateKey { .. } => PRIVATE_KEY,
            Self::LegacyClients { .. } => "clients",
        }
    }

    /// The credential in words, for an entry's label.
    pub fn describe(&self) -> String {
        self.credential().replace('_', " ")
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_of_ids() {
        let k = SecretKey::registration_access_token(&ProfileId::from("p1"), "a/b");
        assert_eq!(k.name(), "client/p1/a/b/registration_access_token");
        assert_eq!((k.profile_id().as_str(), k.client_id()), ("p1", Some("a/b")));
        assert_eq!(k.describe(), "registration access token");
        let k = SecretKey::admin_password(&ProfileId::from("p2"));
        assert_eq!(
            (k.name().as_str(), k.credential()),
            ("profile/p2/admin_password", "admin_password")
        );
        assert_eq!(
            SecretKey::legacy_clients_of(&ProfileId::from("p3")).name(),
            "profile/p3/clients"
        );
    }
}
