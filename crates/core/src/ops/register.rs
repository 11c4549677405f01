//! Register a client (RFC 7591 section 3): validate, journal, send, keep the credentials,
//! record the registration.

use super::call::{CallInfo, CallKind};
use super::credentials::CredentialUpdate;
use super::outcome::RegisterOutcome;
use super::Registrar;
use crate::error::{Error, Result};
use crate::http::{json_object, provider_error_masked, redact, HttpRequest};
use crate::metadata::{validate, ClientMetadata};
use crate::profile::Profile;
use crate::store::journal::OpenEntry;
use crate::store::registrations::{CredentialState, NewCredentials, ProviderState};
use serde_json::Value;
use std::sync::mpsc;

impl Registrar {
    /// Registers a client through `profile` (its id or name) (RFC 7591 §3): nothing is sent
    /// if the metadata is invalid, and the new credentials are stored before the record.
    pub async fn register(&self, profile: &str, metadata: ClientMetadata) -> Result<RegisterOutcome> {
        let profile = self.store.profile(profile)?;
        self.register_with(&profile, metadata).await
    }

    pub(crate) async fn register_with(&self, profile: &Profile, metadata: ClientMetadata) -> Result<RegisterOutcome> {
        let problems = validate(&metadata, &profile.validation_rules());
        if !problems.is_empty() {
            return Err(Error::Validation(problems));
        }
        let metadata = self.outgoing_metadata(profile, metadata, false)?;
        // Checked while the keychain opens; the key itself is read with the transport's.
        let signing = self
            .signing_plan(profile, metadata.as_map())?
            .map(|plan| plan.start(metadata.as_map()));
        // Made while the keychain opens: all of the transport but its client key.
        let early = self.early_transport(profile)?;
        let keys_at_hand = self.read_profile_keys_ahead(profile);
        // Signed (when the profile signs) while the transport and the authorization are made.
        let outgoing = self.outgoing_body(profile, signing, metadata.as_map())?;
        let transport = early.finish(self, profile)?;
        // Both keys are taken: nothing decrypted is kept longer than the call needs it.
        drop(keys_at_hand);
        let endpoint = url::Url::parse(&profile.registration_endpoint)
            .map_err(|e| Error::config("registration_endpoint", format!("is not a URL: {e}")))?;
        let endpoint_url = endpoint.clone();
        if let (Some(uri), true) = (metadata.str("jwks_uri"), uses_keys(&metadata)) {
            self.check_jwks_uri(transport.as_ref(), uri).await?;
        }
        let auth = self.registration_authorization(profile, transport.as_ref()).await?;

        let body = Value::Object(metadata.as_map().clone());
        let detail = redact::body(&serde_json::to_vec(&body).unwrap_or_default(), &[]);
        // The journal before the body: a signature may still be in the making.
        let journal = self.store.journal_open(&profile.id, None, "register", Some(&detail))?;
        let mut request = match outgoing
            .into_request(HttpRequest::new(http::Method::POST, endpoint))
            .await
        {
            Ok(request) => request,
            Err(e) => {
                journal.failed()?;
                return Err(e);
            }
        };
        if let Some(auth) = &auth {
            request = request.header("Authorization", auth.expose());
        }
        let info = CallInfo {
            profile_id: Some(&profile.id),
            client_id: None,
            operation: CallKind::Register,
        };
        // A secret the client chose (Liberty) is masked too if the provider echoes it.
        let chosen_secret = metadata.str("client_secret").filter(|s| s.len() >= 4);
        let known: Vec<&str> = auth.iter().map(|a| a.expose()).chain(chosen_secret).collect();
        let (sent, exchange) = self.send_recorded(info, transport.as_ref(), request, &known).await;
        let response = match sent {
            Ok(r) => r,
            Err(e) => {
                match &e {
                    Error::Network {
                        maybe_applied: true, ..
                    } => journal.uncertain()?,
                    _ => journal.failed()?,
                }
                return Err(e);
            }
        };
        if !response.is_success() {
            journal.failed()?;
            if response.status == 401 {
                self.forget_token(&profile.id);
            }
            return Err(provider_error_masked(&response, &known));
        }
        // A 2xx means the provider probably created the client: from here on, an answer
        // that cannot be used leaves the journal entry uncertain, to be recovered.
        let answer = match json_object(&response) {
            Ok(map) => ClientMetadata::from_map(map),
            Err(why) => {
                journal.uncertain()?;
                return Err(Error::InvalidResponse(format!(
                    "{why}; the client may have been created: look for it on the provider and import it"
                )));
            }
        };
        let Some(client_id) = answer.client_id().filter(|id| !id.is_empty()).map(str::to_string) else {
            journal.uncertain()?;
            return Err(Error::InvalidResponse(
                "the answer has no client_id; the client may have been created: look for it on the provider".into(),
            ));
        };

        let state = ProviderState {
            client_id: client_id.clone(),
            registration_client_uri: answer.registration_client_uri().map(str::to_string),
            metadata_returned: answer.without_secrets(),
            etag: response.header("etag").map(str::to_string),
        };
        let (credentials, registration) =
            self.store_and_record(profile, &answer, &state, &metadata, &journal, exchange);
        let registration = registration?;
        let provider_changes = crate::drift::diff(
            &metadata.without_secrets(),
            &registration.metadata_returned,
            &profile.settings.drift_ignore,
        )
        .without_issued_fields();
        let unstored_registration_access_token = credentials.unstored_token();
        let mut warnings = credentials.warnings;
        if let Some(uri) = registration
            .registration_client_uri
            .as_deref()
            .and_then(|u| url::Url::parse(u).ok())
        {
            if let Some(host) = super::management_url::steered_host(profile, &endpoint_url, &uri) {
                warnings.push(format!(
                    "the provider names this client's management URL on {host}, another host than the registration endpoint's: nothing will be sent there until the profile trusts {host}"
                ));
            }
        }
        Ok(RegisterOutcome {
            registration,
            status: response.status,
            provider_changes,
            client_secret: credentials.new_secret,
            unstored_registration_access_token,
            registration_access_token: credentials.new_token,
            warnings,
        })
    }
}

impl Registrar {
    /// Stores a new client's credentials and records its registration, the journal entry
    /// closed with it. The credentials go to the keychain on a thread of their own while the
    /// record is written beside them, committed only once the keychain has answered
    /// ([`crate::store::Store::insert_registration`]): the keychain still
    /// comes first, and its daemon's write (milliseconds, most of them its disk syncs) no
    /// longer runs before the record's own work. Without a thread (the system refused one),
    /// the two run one after the other, the credentials first.
    fn store_and_record(
        &self,
        profile: &Profile,
        answer: &ClientMetadata,
        state: &ProviderState,
        metadata: &ClientMetadata,
        journal: &OpenEntry<'_>,
        exchange: Option<i64>,
    ) -> (CredentialUpdate, Result<crate::store::registrations::Registration>) {
        let store_credentials = || self.store_new_client_credentials(profile, &state.client_id, answer);
        let record = |credentials: NewCredentials<'_>| {
            // The history of a client starts with the call that created it.
            journal.closed_by(|id| {
                self.store
                    .insert_registration(&profile.id, state, Some(metadata), credentials, Some(id), exchange)
            })
        };
        let (stored, credential_state) = mpsc::channel();
        std::thread::scope(|scope| {
            let storing = std::thread::Builder::new()
                .name("keychain-store".into())
                .spawn_scoped(scope, move || {
                    let update = store_credentials();
                    let _ = stored.send(update.state.unwrap_or(CredentialState::Stored));
                    update
                });
            let Ok(storing) = storing else {
                let credentials = store_credentials();
                let registration = record(credentials.state.unwrap_or(CredentialState::Stored).into());
                return (credentials, registration);
            };
            // A new thread is queued on its parent's core: let it send its request now.
            std::thread::yield_now();
            let registration = record((&credential_state).into());
            let credentials = storing.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (credentials, registration)
        })
    }
}

/// Whether the client authenticates with keys the provider fetches from its `jwks_uri`.
fn uses_keys(metadata: &ClientMetadata) -> bool {
    matches!(
        metadata.str("token_endpoint_auth_method"),
        Some("private_key_jwt" | "self_signed_tls_client_auth")
    )
}
