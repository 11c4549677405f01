//! [`OAuthClient`]: the client being tried, as the endpoints see it (its id and its
//! authentication), with Registrar's recorded transport under it.

use super::client_auth::ClientAuth;
use super::recorder::Recorder;
use crate::error::Result;
use crate::http::Transport;
use crate::ops::{CallInfo, CallKind};
use crate::profile::{Profile, ProfileId};
use crate::secret::Secret;
use crate::Registrar;
use oauth2::basic::{BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenType};
use oauth2::{
    AuthType, ClientId, ClientSecret, EmptyExtraTokenFields, EndpointNotSet, ExtraTokenFields, StandardRevocableToken,
    StandardTokenIntrospectionResponse, StandardTokenResponse,
};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

/// The fields of a token response beyond RFC 6749's: the OpenID `id_token`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub(super) struct OidcFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
}
impl ExtraTokenFields for OidcFields {}

pub(super) type Tokens = StandardTokenResponse<OidcFields, BasicTokenType>;

/// oauth2's client with Registrar's response types, no endpoint set yet.
pub(super) type Oauth2Client = oauth2::Client<
    BasicErrorResponse,
    Tokens,
    StandardTokenIntrospectionResponse<EmptyExtraTokenFields, BasicTokenType>,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
>;

/// The client being tried: its id, how it authenticates, and the transport every call
/// goes through (recorded in the history as `try` calls of this profile and client).
/// Cheap to make: one per flow, or per step.
#[derive(Debug)]
pub struct OAuthClient<'r> {
    pub(super) registrar: &'r Registrar,
    pub(super) transport: Arc<dyn Transport>,
    pub(super) profile_id: ProfileId,
    pub(super) client_id: String,
    pub(super) auth: ClientAuth,
    /// Every secret this client sent or received so far: masked in every later record.
    known: Mutex<Vec<Secret>>,
}

impl Registrar {
    /// The client `client_id` of `profile`, authenticating with `auth`, over the profile's
    /// transport (its TLS options and timeouts).
    pub fn oauth_client(&self, profile: &Profile, client_id: &str, auth: ClientAuth) -> Result<OAuthClient<'_>> {
        // A client that authenticates with its certificate presents it; any other uses the
        // profile's transport (with the profile's own certificate, if it has one).
        let transport = match &auth {
            ClientAuth::TlsClientAuth { identity, .. } => self.transport_with(profile, Some(identity))?,
            _ => self.transport(profile)?,
        };
        Ok(OAuthClient::with_transport(
            self,
            transport,
            profile.id.clone(),
            client_id,
            auth,
        ))
    }
}

impl<'r> OAuthClient<'r> {
    /// A client over a transport of the caller's making: one presenting the client's
    /// certificate for [`ClientAuth::TlsClientAuth`], or a fake in tests.
    pub fn with_transport(
        registrar: &'r Registrar,
        transport: Arc<dyn Transport>,
        profile_id: ProfileId,
        client_id: &str,
        auth: ClientAuth,
    ) -> Self {
        let known = auth.secret().cloned().into_iter().collect();
        Self {
            registrar,
            transport,
            profile_id,
            client_id: client_id.to_string(),
            auth,
            known: Mutex::new(known),
        }
    }

    /// The client's id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// How it authenticates.
    pub fn auth(&self) -> &ClientAuth {
        &self.auth
    }

    /// Adds secrets to mask in every later record of this client (tokens obtained
    /// elsewhere, a code pasted back).
    pub fn remember(&self, secrets: &[&Secret]) {
        let mut known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        for s in secrets {
            if !s.is_empty() && !known.contains(s) {
                known.push((*s).clone());
            }
        }
    }

    /// The secrets to mask: every one remembered, and `also`.
    pub(super) fn known(&self, also: &[&Secret]) -> Vec<String> {
        self.remember(also);
        let known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        known.iter().map(|s| s.expose().to_string()).collect()
    }

    pub(super) fn info(&self) -> CallInfo<'_> {
        CallInfo {
            profile_id: Some(&self.profile_id),
            client_id: Some(&self.client_id),
            operation: CallKind::Try,
        }
    }

    /// oauth2's client for this one: the secret and where it goes, or the id alone in the
    /// form (public, assertion and certificate clients; the assertion is added per request
    /// by the [`Recorder`]).
    pub(super) fn oauth2(&self) -> Oauth2Client {
        let client = Oauth2Client::new(ClientId::new(self.client_id.clone()));
        match &self.auth {
            ClientAuth::SecretBasic { secret } => client
                .set_client_secret(ClientSecret::new(secret.expose().to_string()))
                .set_auth_type(AuthType::BasicAuth),
            ClientAuth::SecretPost { secret } => client
                .set_client_secret(ClientSecret::new(secret.expose().to_string()))
                .set_auth_type(AuthType::RequestBody),
            ClientAuth::None | ClientAuth::PrivateKeyJwt(_) | ClientAuth::TlsClientAuth { .. } => {
                client.set_auth_type(AuthType::RequestBody)
            }
        }
    }

    /// The HTTP client oauth2 sends through, masking `also` besides what is known.
    pub(super) fn recorder(&self, also: &[&Secret]) -> Recorder<'_> {
        Recorder::new(self, self.known(also))
    }
}
