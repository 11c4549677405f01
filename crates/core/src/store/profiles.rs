//! The `profiles` table.

use super::{now, Store};
use crate::error::{Error, Result};
use crate::profile::Profile;
use rusqlite::{params, OptionalExtension};

impl Store {
    /// Inserts or replaces the profile with this id.
    pub fn save_profile(&self, profile: &Profile) -> Result<()> {
        let config = serde_json::to_string(profile).map_err(|e| Error::Storage(e.to_string()))?;
        let t = now();
        self.with(|c| {
            c.execute(
                "INSERT INTO profiles (id, name, kind, config, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)
                 ON CONFLICT (id) DO UPDATE SET name = ?2, kind = ?3, config = ?4, updated_at = ?5",
                params![profile.id, profile.name, profile.kind.as_str(), config, t],
            )
        })
        .map_err(|e| match e {
            Error::Storage(m) if m.contains("UNIQUE") => Error::field(
                "name",
                format!("\"{}\" is already used by another profile", profile.name),
            ),
            other => other,
        })?;
        Ok(())
    }

    /// A profile by name, or by id.
    pub fn find_profile(&self, name_or_id: &str) -> Result<Option<Profile>> {
        let config: Option<String> = self.with(|c| {
            c.prepare_cached("SELECT config FROM profiles WHERE name = ?1 OR id = ?1 ORDER BY name = ?1 DESC LIMIT 1")?
                .query_row([name_or_id], |r| r.get(0))
                .optional()
        })?;
        config.map(|c| parse(&c)).transpose()
    }

    pub fn profile(&self, name_or_id: &str) -> Result<Profile> {
        self.find_profile(name_or_id)?
            .ok_or_else(|| Error::not_found(format!("profile \"{name_or_id}\"")))
    }

    pub fn list_profiles(&self) -> Result<Vec<Profile>> {
        let configs: Vec<String> = self.with(|c| {
            let mut stmt = c.prepare("SELECT config FROM profiles ORDER BY name")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect()
        })?;
        configs.iter().map(|c| parse(c)).collect()
    }

    pub fn delete_profile(&self, id: &str) -> Result<bool> {
        Ok(self.with(|c| c.execute("DELETE FROM profiles WHERE id = ?1", [id]))? > 0)
    }
}

fn parse(config: &str) -> Result<Profile> {
    serde_json::from_str(config).map_err(|e| Error::Storage(format!("a stored profile is unreadable: {e}")))
}
