//! Drift you can act on: for each field the provider changed since Registrar last sent the
//! client's metadata, either accept the provider's value (what Registrar holds as sent
//! follows it, nothing is sent) or restore the value sent (an update sends it back, after
//! its preview: exactly which fields change against the provider's current view).

use super::Registrar;
use crate::drift::{diff, Drift};
use crate::error::{Error, Result};
use crate::metadata::{check_update, ClientMetadata, MetadataCheck};
use crate::store::registrations::{Registration, RegistrationStatus};
use serde::{Deserialize, Serialize};

/// What an update would change at the provider, before it is sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct UpdatePreview {
    /// The metadata the update would send (normalised as the update would).
    pub desired: ClientMetadata,
    /// Its differences from the provider's current view: before = the provider's, after =
    /// what would be sent. Empty: the update would change nothing.
    pub changes: Drift,
    /// The checks an update makes; nothing is sent while `check.errors` is not empty.
    pub check: MetadataCheck,
}

impl Registrar {
    /// What the provider changed since Registrar last sent the client's metadata (before =
    /// sent, after = the provider's view); `None` when nothing was ever sent (an imported
    /// client), so there is no value of ours to compare with.
    pub fn drift_since_sent(&self, profile: &str, client_id: &str) -> Result<Option<Drift>> {
        let (profile, reg) = self.active_registration(profile, client_id)?;
        Ok(reg
            .metadata_sent
            .as_ref()
            .map(|sent| diff(sent, &reg.metadata_returned, &profile.settings.drift_ignore).without_issued_fields()))
    }

    /// Takes the provider's values of `fields` (all drifted fields when empty) as ours:
    /// nothing is sent. Answers the drift that remains.
    pub fn accept_provider_values(&self, profile: &str, client_id: &str, fields: &[String]) -> Result<Drift> {
        let (profile, reg) = self.active_registration(profile, client_id)?;
        let Some(mut sent) = reg.metadata_sent.clone() else {
            // Nothing sent to compare with: the provider's view is all there is.
            self.store.set_drift(&profile.id, client_id, false)?;
            return Ok(Drift::default());
        };
        let ignore = &profile.settings.drift_ignore;
        let drift = diff(&sent, &reg.metadata_returned, ignore).without_issued_fields();
        for change in drift
            .changes
            .iter()
            .filter(|c| fields.is_empty() || fields.contains(&c.field))
        {
            match &change.after {
                Some(value) => sent.set(change.field.clone(), value.clone()),
                None => {
                    sent.remove(&change.field);
                }
            }
        }
        let remaining = diff(&sent, &reg.metadata_returned, ignore).without_issued_fields();
        self.store
            .set_metadata_sent(&profile.id, client_id, &sent, !remaining.is_empty())?;
        Ok(remaining)
    }

    /// The update that would send back the values of `fields` (all drifted fields when
    /// empty) as Registrar last sent them, previewed; the shell sends `desired` with
    /// [`Registrar::update`] once the user has seen it.
    pub fn restore_sent_values(&self, profile: &str, client_id: &str, fields: &[String]) -> Result<UpdatePreview> {
        let (profile, reg) = self.active_registration(profile, client_id)?;
        let sent = reg.metadata_sent.clone().ok_or_else(|| {
            Error::config(
                "metadata_sent",
                format!("nothing was ever sent for client {client_id} (it was imported): there is no value of ours to restore"),
            )
        })?;
        let drift = diff(&sent, &reg.metadata_returned, &profile.settings.drift_ignore).without_issued_fields();
        let mut desired = reg.metadata_returned.without_secrets();
        for change in drift
            .changes
            .iter()
            .filter(|c| fields.is_empty() || fields.contains(&c.field))
        {
            match &change.before {
                Some(value) => desired.set(change.field.clone(), value.clone()),
                None => {
                    desired.remove(&change.field);
                }
            }
        }
        self.preview_update(profile.id.as_str(), client_id, desired)
    }

    /// What updating the client to `desired` would change at the provider, with the
    /// update's checks; nothing is sent.
    pub fn preview_update(&self, profile: &str, client_id: &str, desired: ClientMetadata) -> Result<UpdatePreview> {
        let (profile, reg) = self.active_registration(profile, client_id)?;
        let before = reg.metadata_returned.without_secrets();
        let mut desired = desired.without_secrets();
        let check = check_update(&mut desired, &before, &profile.validation_rules());
        let changes = diff(&before, &desired, &profile.settings.drift_ignore).without_issued_fields();
        Ok(UpdatePreview {
            desired,
            changes,
            check,
        })
    }

    fn active_registration(&self, profile: &str, client_id: &str) -> Result<(crate::Profile, Registration)> {
        let profile = self.store.profile(profile)?;
        let reg = self.store.registration(&profile.id, client_id)?;
        if reg.status == RegistrationStatus::Deleted {
            return Err(Error::config(
                "status",
                format!("client {client_id} was deleted at the provider: there is nothing to compare or update"),
            ));
        }
        Ok((profile, reg))
    }
}
