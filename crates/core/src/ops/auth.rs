//! The Authorization header for registration and for management, from the profile's
//! settings and the keychain. Values travel as `Secret` until they are put on the wire.

use super::call::{CallInfo, CallKind};
use super::client_credentials::TokenRequest;
use super::Registrar;
use crate::custody::StoredKeySigner;
use crate::error::{Error, Result};
use crate::http::Transport;
use crate::profile::{ManagementAuth, Profile, RegistrationAuth, TokenAuthMethod};
use crate::secret::Secret;
use crate::secrets::SecretKey;
use crate::ProfileId;
use base64::Engine;
use std::time::{Duration, Instant};

impl Registrar {
    /// The header value that lets a registration through, if the provider wants one.
    pub(crate) async fn registration_authorization(
        &self,
        profile: &Profile,
        transport: &dyn Transport,
    ) -> Result<Option<Secret>> {
        match &profile.registration_auth {
            RegistrationAuth::None => Ok(None),
            RegistrationAuth::InitialAccessToken => {
                let token = self.required_secret(
                    &SecretKey::initial_access_token(&profile.id),
                    "initial access token",
                    profile,
                )?;
                Ok(Some(scheme(&profile.settings.registration_scheme, &token)))
            }
            RegistrationAuth::Basic { username } => Ok(Some(self.admin_basic(profile, username)?)),
            RegistrationAuth::ClientCredentials { client_id, scope } => {
                let token = self
                    .registration_token(profile, transport, client_id, scope.as_deref())
                    .await?;
                Ok(Some(scheme("Bearer", &token)))
            }
        }
    }

    /// The header value for read, update and delete of `client_id`.
    pub(crate) async fn management_authorization(
        &self,
        profile: &Profile,
        transport: &dyn Transport,
        client_id: &str,
    ) -> Result<Secret> {
        match profile.management_auth {
            ManagementAuth::RegistrationAccessToken => {
                let key = SecretKey::registration_access_token(&profile.id, client_id);
                let token = self.secrets.get(&key)?.ok_or_else(|| Error::Auth {
                    status: 0,
                    code: None,
                    description: None,
                    hint: format!(
                        "no registration access token is stored for client {client_id}; import the client again with its token"
                    ),
                    challenge: None,
                })?;
                Ok(scheme(&profile.settings.management_scheme, &token))
            }
            ManagementAuth::AdminCredentials => {
                self.registration_authorization(profile, transport)
                    .await?
                    .ok_or_else(|| {
                        Error::config(
                            "management_auth",
                            "uses the profile's own credentials, but registration is open and has none",
                        )
                    })
            }
        }
    }

    fn admin_basic(&self, profile: &Profile, username: &str) -> Result<Secret> {
        let password = self.required_secret(&SecretKey::admin_password(&profile.id), "admin password", profile)?;
        let raw = Secret::new(format!("{username}:{}", password.expose()));
        let encoded = base64::engine::general_purpose::STANDARD.encode(raw.expose());
        Ok(Secret::new(format!("Basic {encoded}")))
    }

    fn required_secret(&self, key: &SecretKey, what: &str, profile: &Profile) -> Result<Secret> {
        self.secrets.get(key)?.ok_or_else(|| {
            Error::config(
                what.replace(' ', "_"),
                format!(
                    "the {what} of profile \"{}\" is not in the keychain; edit the profile and enter it",
                    profile.name
                ),
            )
        })
    }

    /// A registration token from the token endpoint, cached until shortly before expiry.
    async fn registration_token(
        &self,
        profile: &Profile,
        transport: &dyn Transport,
        client_id: &str,
        scope: Option<&str>,
    ) -> Result<Secret> {
        if let Some(token) = self.cached_token(&profile.id) {
            return Ok(token);
        }
        let token_endpoint = profile
            .token_endpoint
            .as_deref()
            .ok_or_else(|| Error::config("token_endpoint", "is needed for client_credentials registration"))?;
        let auth = profile.settings.token_auth;
        let secret = if auth.uses_secret() {
            Some(self.required_secret(
                &SecretKey::client_credentials_secret(&profile.id),
                "client credentials secret",
                profile,
            )?)
        } else {
            None
        };
        let signer = match auth {
            TokenAuthMethod::PrivateKeyJwt => Some(self.profile_assertion_signer(profile)?),
            _ => None,
        };
        let info = CallInfo {
            profile_id: Some(&profile.id),
            client_id: None,
            operation: CallKind::Token,
        };
        let grant = self
            .client_credentials(
                info,
                transport,
                TokenRequest {
                    token_endpoint,
                    client_id,
                    client_secret: secret.as_ref(),
                    signer: signer.as_ref().map(|s| s as &dyn crate::oauth::ClientAssertionSigner),
                    scope,
                    auth,
                },
            )
            .await?;
        let lifetime = grant.expires_in.unwrap_or(Duration::from_secs(60));
        // Renew a little early so a token never expires between the check and its use.
        let valid_until = Instant::now() + lifetime.saturating_sub(Duration::from_secs(15));
        self.tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(profile.id.clone(), (grant.access_token.clone(), valid_until));
        Ok(grant.access_token)
    }

    fn cached_token(&self, profile_id: &ProfileId) -> Option<Secret> {
        let tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        tokens
            .get(profile_id)
            .filter(|(_, until)| Instant::now() < *until)
            .map(|(t, _)| t.clone())
    }

    /// Forgets a cached registration token (after the provider refused it).
    pub(crate) fn forget_token(&self, profile_id: &ProfileId) {
        self.tokens.lock().unwrap_or_else(|e| e.into_inner()).remove(profile_id);
    }
}

fn scheme(scheme: &str, token: &Secret) -> Secret {
    Secret::new(format!("{scheme} {}", token.expose()))
}

impl Registrar {
    /// The signer of the profile's own `private_key_jwt` assertions (its registering
    /// client): the request signing key when it has one, else its newest active own key.
    fn profile_assertion_signer(&self, profile: &Profile) -> Result<StoredKeySigner> {
        let now = crate::custody::now();
        let kid = match &profile.signing.request_signing_key {
            Some(kid) => kid.clone(),
            None => self
                .keys(&profile.id, None)?
                .into_iter()
                .rfind(|k| k.client_id.is_none() && k.is_active(now))
                .map(|k| k.kid)
                .ok_or_else(|| {
                    Error::config(
                        "settings.token_auth",
                        "private_key_jwt needs a key of the profile's own: generate or import one",
                    )
                })?,
        };
        let record = self.key(&profile.id, &kid)?;
        let key = self.private_key(&profile.id, &kid)?;
        Ok(StoredKeySigner::new(key, record.algorithm()?, kid))
    }
}
