//! The `profiles` table.

use super::{now, Store};
use crate::error::{Error, Result};
use crate::profile::Profile;
use rusqlite::{params, OptionalExtension};

impl Store {
    /// Inserts or replaces the profile with this id.
    pub(crate) fn save_profile(&self, profile: &Profile) -> Result<()> {
        let config = serde_json::to_string(profile).map_err(|e| Error::Storage(e.to_string()))?;
        let t = now();
        let saved = self.conn_execute(|c| {
            c.execute(
                "INSERT INTO profiles (id, name, kind, config, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)
                 ON CONFLICT (id) DO UPDATE SET name = ?2, kind = ?3, config = ?4, updated_at = ?5",
                params![profile.id, profile.name, profile.kind.as_str(), config, t],
            )
        });
        // The name's UNIQUE constraint, known by SQLite's extended code, not by its message.
        match saved {
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE => {
                return Err(Error::field(
                    "name",
                    format!("\"{}\" is already used by another profile", profile.name),
                ));
            }
            other => other?,
        };
        Ok(())
    }

    /// A profile by name, or by id.
    pub(crate) fn find_profile(&self, name_or_id: &str) -> Result<Option<Profile>> {
        let config: Option<String> = self.with(|c| {
            c.prepare_cached("SELECT config FROM profiles WHERE name = ?1 OR id = ?1 ORDER BY name = ?1 DESC LIMIT 1")?
                .query_row([name_or_id], |r| r.get(0))
                .optional()
        })?;
        config.map(|c| parse(&c)).transpose()
    }

    pub(crate) fn profile(&self, name_or_id: &str) -> Result<Profile> {
        self.find_profile(name_or_id)?
            .ok_or_else(|| Error::not_found(format!("profile \"{name_or_id}\"")))
    }

    pub(crate) fn list_profiles(&self) -> Result<Vec<Profile>> {
        let configs: Vec<String> = self.with(|c| {
            let mut stmt = c.prepare("SELECT config FROM profiles ORDER BY name")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect()
        })?;
        configs.iter().map(|c| parse(c)).collect()
    }

    pub(crate) fn delete_profile(&self, id: &str) -> Result<bool> {
        Ok(self.with(|c| c.execute("DELETE FROM profiles WHERE id = ?1", [id]))? > 0)
    }
}

fn parse(config: &str) -> Result<Profile> {
    serde_json::from_str(config).map_err(|e| Error::Storage(format!("a stored profile is unreadable: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::ProviderKind;

    /// Two writers saving different profiles under one name (the check before the insert
    /// passed for both): the second is told which field, from SQLite's constraint code.
    #[test]
    fn a_name_taken_between_check_and_insert_is_a_field_error() {
        let store = Store::open_in_memory().unwrap();
        let first = Profile::new("same", ProviderKind::Generic, "https://a.example/register");
        // A name whose text holds the word a text match would have looked for.
        let mut unique_name = Profile::new("UNIQUE", ProviderKind::Generic, "https://b.example/register");
        store.save_profile(&first).unwrap();
        store.save_profile(&unique_name).unwrap();
        let second = Profile::new("same", ProviderKind::Generic, "https://c.example/register");
        let e = store.save_profile(&second).unwrap_err();
        assert!(matches!(&e, Error::Validation(f) if f[0].field == "name"), "{e:?}");
        unique_name.registration_endpoint = "https://b2.example/register".into();
        store
            .save_profile(&unique_name)
            .expect("an update of the same id is no conflict");
    }
}
