//! A try's tokens, held in memory for the actions that follow (refresh, introspect, revoke,
//! userinfo) and dropped with the session: nothing here reaches SQLite, logs or history.

use super::report::TryReport;
use super::target::TryTarget;
use crate::error::{Error, Result};
use crate::oauth::{ClientAuth, OAuthClient, ProviderMetadata, TokenResponse, TokenTypeHint, UserInfo};
use crate::ops::Registrar;
use crate::profile::Profile;
use crate::secret::Secret;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

/// Which of a session's tokens an action is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum TokenChoice {
    /// The access token.
    AccessToken,
    /// The refresh token.
    RefreshToken,
}

/// The tokens of a try and what acting on them needs. Not serializable on purpose: a
/// shell keeps it (the CLI for one command, the window under an id) and shows the
/// [`TryReport`]; it reveals a token only when the user asks ([`TrySession::token`]).
#[derive(Clone)]
pub struct TrySession {
    pub(crate) profile: Profile,
    pub(crate) client_id: String,
    pub(crate) auth: ClientAuth,
    pub(crate) provider: ProviderMetadata,
    pub(crate) token_endpoint: Url,
    pub(crate) issuer: Option<String>,
    pub(crate) registered_id_token_alg: Option<String>,
    pub(crate) warnings: Vec<String>,
    /// The `nonce` the authorization request carried, which the ID token must repeat.
    pub(crate) nonce: Option<String>,
    /// The provider's JWK Set as last read (refetched on an unknown `kid`).
    pub(crate) jwks: Option<Value>,
    /// The latest tokens.
    pub(crate) tokens: Option<TokenResponse>,
}

impl std::fmt::Debug for TrySession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrySession")
            .field("profile", &self.profile.id)
            .field("client_id", &self.client_id)
            .field("has_tokens", &self.tokens.is_some())
            .finish_non_exhaustive()
    }
}

/// What a grant gives: the session to act on, and the report to show.
#[derive(Debug)]
pub struct TryOutcome {
    /// The tokens, for refresh, introspection, revocation and userinfo.
    pub session: TrySession,
    /// What to show.
    pub report: TryReport,
}

impl TrySession {
    pub(super) fn new(target: &TryTarget, nonce: Option<String>) -> Result<Self> {
        let token_endpoint = target.provider.require(crate::oauth::Endpoint::Token)?.clone();
        Ok(Self {
            profile: target.profile.clone(),
            client_id: target.registration.client_id.clone(),
            auth: target.auth.clone(),
            provider: target.provider.clone(),
            token_endpoint,
            issuer: target.provider.issuer.clone(),
            registered_id_token_alg: target
                .registration
                .metadata_returned
                .str("id_token_signed_response_alg")
                .map(str::to_string),
            warnings: target.warnings.clone(),
            nonce,
            jwks: None,
            tokens: None,
        })
    }

    /// The client tried.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// A token's value, for a user who asked to see it (or to copy it).
    pub fn token(&self, which: TokenChoice) -> Option<&Secret> {
        let tokens = self.tokens.as_ref()?;
        match which {
            TokenChoice::AccessToken => Some(&tokens.access_token),
            TokenChoice::RefreshToken => tokens.refresh_token.as_ref(),
        }
    }

    /// The ID token's value, for a user who asked to see it.
    pub fn id_token(&self) -> Option<&Secret> {
        self.tokens.as_ref()?.id_token.as_ref()
    }

    pub(crate) fn required(&self, which: TokenChoice) -> Result<&Secret> {
        self.token(which).ok_or_else(|| {
            Error::config(
                match which {
                    TokenChoice::AccessToken => "access_token",
                    TokenChoice::RefreshToken => "refresh_token",
                },
                "did not come back from the provider, so there is none to use",
            )
        })
    }
}

impl Registrar {
    pub(crate) fn session_client(&self, session: &TrySession) -> Result<OAuthClient<'_>> {
        let client = self.oauth_client(&session.profile, &session.client_id, session.auth.clone())?;
        if let Some(tokens) = &session.tokens {
            client.remember(&tokens.secrets());
        }
        Ok(client)
    }

    /// Uses the session's refresh token (`refresh_token` grant) and keeps the new tokens.
    /// The report says whether the provider rotated the refresh token; one that sent none
    /// back leaves the old one in use (RFC 6749 §6).
    pub async fn try_refresh(&self, session: &mut TrySession) -> Result<TryReport> {
        let old = session.required(TokenChoice::RefreshToken)?.clone();
        let mark = self.exchanges_mark(session);
        let client = self.session_client(session)?;
        let mut tokens = client.refresh(&session.token_endpoint, &old, None).await?;
        let rotated = tokens.refresh_token.as_ref().map(|new| new != &old);
        if tokens.refresh_token.is_none() {
            tokens.refresh_token = Some(old);
        }
        // A refreshed ID token (OIDC Core §12.2) carries no nonce.
        session.nonce = None;
        let mut report = self.report(session, "refresh_token", &tokens, None, mark).await?;
        report.refresh_token_rotated = Some(rotated.unwrap_or(false));
        session.tokens = Some(tokens);
        Ok(report)
    }

    /// What the provider's introspection endpoint (RFC 7662) says of one of the session's
    /// tokens, as the JSON it answered, authenticated as the client.
    pub async fn try_introspect(&self, session: &TrySession, which: TokenChoice) -> Result<Map<String, Value>> {
        let endpoint = session.provider.require(crate::oauth::Endpoint::Introspection)?;
        let token = session.required(which)?;
        let answer = self
            .session_client(session)?
            .introspect(endpoint, token, Some(hint(which)))
            .await?;
        match serde_json::to_value(answer) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(Error::InvalidResponse(
                "the introspection answer could not be shown".into(),
            )),
        }
    }

    /// Revokes one of the session's tokens (RFC 7009). The session keeps it, so a later
    /// introspection can show it is no longer active.
    pub async fn try_revoke(&self, session: &TrySession, which: TokenChoice) -> Result<()> {
        let endpoint = session.provider.require(crate::oauth::Endpoint::Revocation)?;
        let token = session.required(which)?;
        self.session_client(session)?
            .revoke(endpoint, token, hint(which))
            .await
            .map_err(Error::from)
    }

    /// The userinfo endpoint's claims for the session's access token; a signed answer
    /// (`application/jwt`) is decoded, not verified.
    pub async fn try_userinfo(&self, session: &TrySession) -> Result<Map<String, Value>> {
        let endpoint = session.provider.require(crate::oauth::Endpoint::Userinfo)?;
        let token = session.required(TokenChoice::AccessToken)?;
        match self.session_client(session)?.userinfo(endpoint, token).await? {
            UserInfo::Claims(claims) => Ok(claims),
            UserInfo::Jwt(jwt) => crate::tokens::decode(&jwt)
                .map(|d| d.claims)
                .map_err(|e| Error::InvalidResponse(format!("the userinfo JWT cannot be read: {e}"))),
        }
    }
}

fn hint(which: TokenChoice) -> TokenTypeHint {
    match which {
        TokenChoice::AccessToken => TokenTypeHint::AccessToken,
        TokenChoice::RefreshToken => TokenTypeHint::RefreshToken,
    }
}
