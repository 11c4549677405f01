//! Profiles: saved with their secrets in the keychain (secrets first, so a profile is
//! never saved pointing at a secret that is not there).

use super::Registrar;
use crate::error::{Error, Result};
use crate::profile::{Profile, ProfileSecrets};
use crate::secrets::{Labels, SecretKey};

impl Registrar {
    /// Creates or updates a profile; secrets that are `None` are left as they are.
    pub fn save_profile(&self, profile: &Profile, secrets: &ProfileSecrets) -> Result<Profile> {
        let problems = profile.check();
        if !problems.is_empty() {
            return Err(Error::Validation(problems));
        }
        if let Some(existing) = self.store.find_profile(&profile.name)? {
            if existing.id != profile.id {
                return Err(Error::field(
                    "name",
                    format!("\"{}\" is already used by another profile", profile.name),
                ));
            }
        }
        let pairs = [
            (
                SecretKey::initial_access_token(&profile.id),
                &secrets.initial_access_token,
            ),
            (SecretKey::admin_password(&profile.id), &secrets.admin_password),
            (
                SecretKey::client_credentials_secret(&profile.id),
                &secrets.client_credentials_secret,
            ),
        ];
        let labels = Labels::profile(&profile.name);
        for (key, value) in pairs {
            if let Some(value) = value {
                self.secrets.set(&key, value, &labels)?;
            }
        }
        self.store.save_profile(profile)?;
        self.forget_token(&profile.id);
        Ok(profile.clone())
    }

    /// Lets clients' registration access tokens go to `host` too (the user said the
    /// provider manages clients there).
    pub fn trust_host(&self, profile: &str, host: &str) -> Result<Profile> {
        let mut profile = self.store.profile(profile)?;
        let host = host.trim().to_ascii_lowercase();
        if host.is_empty() || host.contains(['/', ' ', '@']) {
            return Err(Error::field(
                "settings.trusted_hosts",
                format!("{host:?} is not a host name"),
            ));
        }
        if !profile.settings.trusted_hosts.contains(&host) {
            profile.settings.trusted_hosts.push(host);
            self.store.save_profile(&profile)?;
        }
        Ok(profile)
    }

    /// The profile with that name, or else that id; [`Error::NotFound`](crate::Error::NotFound) when none.
    pub fn profile(&self, name_or_id: &str) -> Result<Profile> {
        self.store.profile(name_or_id)
    }

    /// Every profile, by name.
    pub fn profiles(&self) -> Result<Vec<Profile>> {
        self.store.list_profiles()
    }

    /// Removes a profile, its local registrations, its keys and software statements, and
    /// every secret stored for them. The clients on the provider are left as they are.
    pub fn remove_profile(&self, name_or_id: &str) -> Result<Vec<String>> {
        let profile = self.store.profile(name_or_id)?;
        let mut warnings = Vec::new();
        let mut known: Vec<SecretKey> = self
            .store
            .list_registrations(&profile.id)?
            .iter()
            .flat_map(|r| {
                [
                    SecretKey::registration_access_token(&profile.id, &r.client_id),
                    SecretKey::client_secret(&profile.id, &r.client_id),
                ]
            })
            .collect();
        // The private keys in custody, named too: a keychain that cannot list (Windows)
        // finds only the entries it is told.
        known.extend(
            self.store
                .keys(&profile.id, None)?
                .iter()
                .map(|k| SecretKey::private_key(&profile.id, &k.kid)),
        );
        if let Err(e) = self.secrets.delete_profile(&profile.id, &known) {
            warnings.push(format!(
                "could not remove the profile's credentials from the keychain: {e}"
            ));
        }
        self.store.delete_profile(&profile.id)?;
        Ok(warnings)
    }
}
