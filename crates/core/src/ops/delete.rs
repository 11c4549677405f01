//! Delete a client on the provider (RFC 7592 section 2.3, or WSO2's variant with its
//! query parameters), then forget its credentials.

use super::managed_call::ManagedCall;
use super::outcome::DeleteOutcome;
use super::Registrar;
use crate::error::Result;
use crate::http::HttpRequest;
use crate::profile::{Operation, Profile};
use crate::store::registrations::{Registration, RegistrationStatus};

impl Registrar {
    /// Deletes a client of `profile` (its id or name) on the provider (RFC 7592 §2.3), then
    /// forgets its credentials and marks its record deleted. Unsupported where the profile
    /// says the provider offers no delete.
    pub async fn delete(&self, profile: &str, client_id: &str) -> Result<DeleteOutcome> {
        let profile = self.store.profile(profile)?;
        self.delete_with(&profile, client_id).await
    }

    pub(crate) async fn delete_with(&self, profile: &Profile, client_id: &str) -> Result<DeleteOutcome> {
        self.ensure_offered(profile, Operation::Delete)?;
        let _one_at_a_time = self.client_locks.lock(&profile.id, client_id).await;
        let reg = self.store.registration(&profile.id, client_id)?;
        let mut url = self.management_target(profile, &reg)?;
        if !profile.settings.delete_query.is_empty() {
            let mut query = url.query_pairs_mut();
            for (name, template) in &profile.settings.delete_query {
                let template = profile.extra_params.get(name).unwrap_or(template);
                query.append_pair(name, &fill(template, profile, &reg));
            }
        }
        let mut request = HttpRequest::new(http::Method::DELETE, url);
        if profile.settings.use_etag {
            if let Some(etag) = &reg.etag {
                request = request.header("If-Match", etag.clone());
            }
        }
        let journal = self.store.journal_open(&profile.id, Some(client_id), "delete", None)?;
        let call = ManagedCall {
            profile,
            registration: &reg,
            operation: Operation::Delete,
            journal,
            sent_secret: None,
        };
        let (response, _) = self.send_managed(&call, request).await?;
        let warnings = self.forget_credentials(&profile.id, client_id);
        self.store
            .set_registration_status(&profile.id, client_id, RegistrationStatus::Deleted)?;
        // Drift is about a client that lives on the provider; a deleted one has none to act on.
        self.store.set_drift(&profile.id, client_id, false)?;
        call.journal.done()?;
        Ok(DeleteOutcome {
            client_id: client_id.to_string(),
            status: response.status,
            warnings,
        })
    }
}

/// Fills `{client_id}`, `{client_name}`, `{username}` and `{<extra param>}`.
fn fill(template: &str, profile: &Profile, reg: &Registration) -> String {
    let mut out = template
        .replace("{client_id}", &reg.client_id)
        .replace("{client_name}", reg.metadata_returned.client_name().unwrap_or_default())
        .replace("{username}", profile.admin_username().unwrap_or_default());
    for (k, v) in &profile.extra_params {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}
