//! Read a client from the provider (RFC 7592 section 2.1) and store what it says.

use super::managed_call::ManagedCall;
use super::outcome::SyncOutcome;
use super::Registrar;
use crate::error::Result;
use crate::http::HttpRequest;
use crate::profile::{Operation, Profile};

impl Registrar {
    /// Refreshes the local record from the provider.
    pub async fn read(&self, profile: &str, client_id: &str) -> Result<SyncOutcome> {
        let profile = self.store.profile(profile)?;
        self.read_with(&profile, client_id).await
    }

    pub(crate) async fn read_with(&self, profile: &Profile, client_id: &str) -> Result<SyncOutcome> {
        self.ensure_offered(profile, Operation::Read)?;
        let _one_at_a_time = self.client_locks.lock(&profile.id, client_id).await;
        let reg = self.store.registration(&profile.id, client_id)?;
        let url = self.management_target(profile, &reg)?;
        let journal = self.store.journal_open(&profile.id, Some(client_id), "read", None)?;
        let call = ManagedCall {
            profile,
            registration: &reg,
            operation: Operation::Read,
            journal,
            sent_secret: None,
        };
        let (response, token_sent) = self
            .send_managed(&call, HttpRequest::new(http::Method::GET, url))
            .await?;
        self.apply_answer(&call, &response, None, token_sent.as_ref())
    }
}
