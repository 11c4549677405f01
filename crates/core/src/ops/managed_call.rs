//! The shared path of read, update and delete: a request to the client's management URL
//! with the management credentials, journalled, and its answer applied with the
//! credentials first. Errors that leave the outcome unknown flag the registration.

use super::call::CallInfo;
use super::credentials::TokenBefore;
use super::management_url::management_url;
use super::outcome::{SecretInAnswer, SyncOutcome};
use super::Registrar;
use crate::error::{Error, Result};
use crate::http::{json_object, provider_error_masked, HttpRequest, HttpResponse};
use crate::metadata::ClientMetadata;
use crate::profile::{ManagementAuth, Operation, Profile};
use crate::secret::Secret;
use crate::store::journal::OpenEntry;
use crate::store::registrations::{ProviderState, Registration};
use url::Url;

pub(crate) struct ManagedCall<'a> {
    pub profile: &'a Profile,
    pub registration: &'a Registration,
    pub operation: Operation,
    pub journal: OpenEntry<'a>,
    /// A secret the request body carries (the current client secret on update): masked
    /// wherever the provider echoes it.
    pub sent_secret: Option<Secret>,
}

impl Registrar {
    /// Refuses an operation the provider does not offer, before anything is sent.
    pub(crate) fn ensure_offered(&self, profile: &Profile, op: Operation) -> Result<()> {
        if profile.settings.operations.offers(op) {
            Ok(())
        } else {
            Err(Error::Unsupported {
                operation: op.as_str().to_string(),
                provider: profile.kind.label().to_string(),
            })
        }
    }

    /// Where `reg` is managed. A client deleted from the provider has no management URL
    /// any more: asking for one says so before anything is sent (not "HTTP 0").
    pub(crate) fn management_target(&self, profile: &Profile, reg: &Registration) -> Result<Url> {
        if reg.status == crate::store::registrations::RegistrationStatus::Deleted {
            return Err(Error::not_found(format!(
                "client {} on the provider: it was deleted, and its record is kept only as history; nothing was sent",
                reg.client_id
            )));
        }
        management_url(profile, reg)
    }

    /// Sends `request` (to which the management Authorization is added) and returns the
    /// answer when it is a success, with the registration access token it was sent with;
    /// on failure, closes the journal entry as it should be.
    pub(crate) async fn send_managed(
        &self,
        call: &ManagedCall<'_>,
        mut request: HttpRequest,
    ) -> Result<(HttpResponse, Option<Secret>)> {
        let profile = call.profile;
        let client_id = call.registration.client_id.as_str();
        // Until the request is on its way nothing can have changed: a keychain or TLS
        // failure here closes the journal entry as failed (left open, it would later read
        // as an interrupted call and flag the client for recovery).
        let nothing_sent = |e: Error| -> Result<Error> {
            call.journal.failed()?;
            Ok(e)
        };
        let transport = match self.transport(profile) {
            Ok(transport) => transport,
            Err(e) => return Err(nothing_sent(e)?),
        };
        let auth = match self
            .management_authorization(profile, transport.as_ref(), client_id)
            .await
        {
            Ok(auth) => auth,
            Err(e) => return Err(nothing_sent(e)?),
        };
        let token_sent = match profile.management_auth {
            ManagementAuth::RegistrationAccessToken => {
                auth.expose().split_once(' ').map(|(_, token)| Secret::new(token))
            }
            ManagementAuth::AdminCredentials => None,
        };
        request = request.header("Authorization", auth.expose());
        let info = CallInfo {
            profile_id: Some(&profile.id),
            client_id: Some(client_id),
            operation: call.operation.into(),
        };
        let known: Vec<&str> = std::iter::once(auth.expose())
            .chain(call.sent_secret.as_ref().map(Secret::expose))
            .collect();
        let result = self.send(info, transport.as_ref(), request, &known).await;
        match result {
            Ok(response) if response.is_success() => Ok((response, token_sent)),
            Ok(response) => {
                // A 5xx may come after the provider acted (and rotated the token): only a
                // refusal (4xx) is known to have changed nothing.
                if response.status >= 500 {
                    call.journal.uncertain()?;
                } else {
                    call.journal.failed()?;
                }
                Err(provider_error_masked(&response, &known))
            }
            Err(e) => {
                if matches!(
                    e,
                    Error::Network {
                        maybe_applied: true,
                        ..
                    }
                ) {
                    call.journal.uncertain()?;
                } else {
                    call.journal.failed()?;
                }
                Err(e)
            }
        }
    }

    /// The answer to a read or update: credentials to the keychain first, then the state.
    pub(crate) fn apply_answer(
        &self,
        call: &ManagedCall<'_>,
        response: &HttpResponse,
        metadata_sent: Option<&ClientMetadata>,
        token_sent: Option<&Secret>,
    ) -> Result<SyncOutcome> {
        let reg = call.registration;
        let answer = match json_object(response) {
            Ok(map) => ClientMetadata::from_map(map),
            Err(why) => {
                call.journal.uncertain()?;
                return Err(Error::InvalidResponse(format!(
                    "{why}; the provider may have changed the client or its token: refresh it, or import it again if that fails"
                )));
            }
        };
        if let Some(id) = answer.client_id() {
            if id != reg.client_id {
                call.journal.failed()?;
                return Err(Error::InvalidResponse(format!(
                    "the provider answered for client {id:?} instead of {:?}",
                    reg.client_id
                )));
            }
        }
        let before = token_sent.map_or(TokenBefore::Unknown, TokenBefore::Sent);
        let credentials = self.store_credentials(call.profile, &reg.client_id, &answer, before);
        if let Some(state) = credentials.state {
            self.store
                .set_credential_state(&call.profile.id, &reg.client_id, state)?;
        }
        let state = ProviderState {
            client_id: reg.client_id.clone(),
            registration_client_uri: answer.registration_client_uri().map(str::to_string),
            metadata_returned: answer.without_secrets(),
            etag: response.header("etag").map(str::to_string),
        };
        let registration = call.journal.closed_by(|id| {
            self.store
                .record_provider_state(&call.profile.id, &state, metadata_sent, Some(id))
        })?;
        let secret_in_answer = match answer.str("client_secret") {
            None | Some("") => SecretInAnswer::Absent,
            Some(s) if super::credentials::is_masked(s, call.profile.settings.secret_mask.as_deref()) => {
                SecretInAnswer::Masked
            }
            Some(_) => SecretInAnswer::Shown,
        };
        let ignore = &call.profile.settings.drift_ignore;
        let drift = match metadata_sent {
            Some(sent) => crate::drift::diff(sent, &registration.metadata_returned, ignore).without_issued_fields(),
            None => crate::drift::diff(&reg.metadata_returned, &registration.metadata_returned, ignore),
        };
        self.store.set_drift(
            &call.profile.id,
            &reg.client_id,
            metadata_sent.is_none() && !drift.is_empty(),
        )?;
        let unstored_registration_access_token = credentials.unstored_token().filter(|_| credentials.rotated_token);
        let unstored_client_secret = credentials.unstored_secret();
        Ok(SyncOutcome {
            registration,
            status: response.status,
            previous: reg.metadata_returned.clone(),
            drift,
            secret_in_answer,
            rotated_registration_access_token: credentials.rotated_token,
            rotated_client_secret: credentials.rotated_secret,
            new_client_secret: credentials.new_secret,
            unstored_registration_access_token,
            unstored_client_secret,
            new_registration_access_token: credentials.new_token.filter(|_| credentials.rotated_token),
            warnings: credentials.warnings,
        })
    }
}
