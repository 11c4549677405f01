//! Update a client (RFC 7592 section 2.2): send the full metadata the user wants, with
//! `client_id`, the secret as the provider expects it, and none of the fields RFC 7592
//! forbids; store the answer like a read.

use super::managed_call::ManagedCall;
use super::outcome::SyncOutcome;
use super::Registrar;
use crate::error::{Error, Result};
use crate::http::HttpRequest;
use crate::metadata::{check_update, ClientMetadata, FieldError, RESPONSE_ONLY_FIELDS};
use crate::profile::{Operation, Profile, UpdateSecret};
use crate::secrets::SecretKey;
use serde_json::Value;

/// What an update checks before it is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    /// The user's changes must be valid (see `check_update`).
    Changed,
    /// Nothing: the probe sends what a provider should refuse, to see whether it does.
    Nothing,
}

impl Registrar {
    /// `desired` is the whole metadata the client should have: usually the last known
    /// state (`metadata_returned`) with the user's edits applied. Vendor fields in it are
    /// sent back untouched.
    pub async fn update(&self, profile: &str, client_id: &str, desired: ClientMetadata) -> Result<SyncOutcome> {
        let profile = self.store.profile(profile)?;
        self.update_with(&profile, client_id, desired, Check::Changed).await
    }

    pub(crate) async fn update_with(
        &self,
        profile: &Profile,
        client_id: &str,
        desired: ClientMetadata,
        check: Check,
    ) -> Result<SyncOutcome> {
        self.ensure_offered(profile, Operation::Update)?;
        let _one_at_a_time = self.client_locks.lock(&profile.id, client_id).await;
        let reg = self.store.registration(&profile.id, client_id)?;
        let (body, warnings) = self.update_body(profile, client_id, desired, &reg.metadata_returned, check)?;
        let body = self.outgoing_metadata(profile, body, true)?;
        let url = self.management_target(profile, &reg)?;
        let signing = self
            .signing_plan(profile, body.as_map())?
            .map(|plan| plan.start(body.as_map()));
        // Held to the end: the call's transport takes its key from it.
        let _keys_at_hand = self.read_profile_keys_ahead(profile);
        let outgoing = self.outgoing_body(profile, signing, body.as_map())?;

        let mut request = outgoing.into_request(HttpRequest::new(http::Method::PUT, url)).await?;
        if profile.settings.use_etag {
            if let Some(etag) = &reg.etag {
                request = request.header("If-Match", etag.clone());
            }
        }
        let journal = self.store.journal_open(&profile.id, Some(client_id), "update", None)?;
        let call = ManagedCall {
            profile,
            registration: &reg,
            operation: Operation::Update,
            journal,
            sent_secret: body.str("client_secret").map(crate::Secret::new),
        };
        let (response, token_sent) = self.send_managed(&call, request).await?;
        let mut outcome = self.apply_answer(&call, &response, Some(&body.without_secrets()), token_sent.as_ref())?;
        outcome.warnings.extend(warnings.into_iter().map(|w| w.to_string()));
        Ok(outcome)
    }

    /// The PUT body RFC 7592 asks for, checked before anything is sent: what the user
    /// changed against the provider's last known state `before` must be valid; the rest
    /// only warns (see [`check_update`]).
    fn update_body(
        &self,
        profile: &Profile,
        client_id: &str,
        desired: ClientMetadata,
        before: &ClientMetadata,
        check: Check,
    ) -> Result<(ClientMetadata, Vec<FieldError>)> {
        let mut body = desired;
        for field in RESPONSE_ONLY_FIELDS {
            body.remove(field);
        }
        if let Some(other) = body.client_id().filter(|id| *id != client_id) {
            return Err(Error::field(
                "client_id",
                format!("is {other:?} but this client is {client_id:?}; the client_id cannot be changed"),
            ));
        }
        body.set("client_id", Value::String(client_id.to_string()));
        let chosen_secret = body.get("client_secret").is_some();
        if chosen_secret && !profile.settings.validation.client_chosen_credentials {
            body.remove("client_secret");
        }
        if !chosen_secret || !profile.settings.validation.client_chosen_credentials {
            match profile.settings.update_secret {
                UpdateSecret::SendCurrent => {
                    if let Some(secret) = self.secrets.get(&SecretKey::client_secret(&profile.id, client_id))? {
                        body.set("client_secret", Value::String(secret.expose().to_string()));
                    }
                }
                UpdateSecret::SendMask => {
                    let mask = profile.settings.secret_mask.clone().unwrap_or_else(|| "*".into());
                    body.set("client_secret", Value::String(mask));
                }
                UpdateSecret::Omit => {}
            }
        }
        if check == Check::Nothing {
            return Ok((body, Vec::new()));
        }
        let checked = check_update(&mut body, before, &profile.validation_rules());
        if !checked.errors.is_empty() {
            return Err(Error::Validation(checked.errors));
        }
        Ok((body, checked.warnings))
    }
}
