//! The token endpoint's grants (RFC 6749 §4.1.3, §4.4, §6; RFC 7636 §4.5) through oauth2,
//! and what they answer.

use super::authorize::AuthorizationCode;
use super::client::{OAuthClient, Tokens};
use super::error::{Endpoint, FlowError};
use crate::secret::Secret;
use oauth2::{PkceCodeVerifier, RedirectUrl, RefreshToken, Scope, TokenResponse as _, TokenUrl};
use std::borrow::Cow;
use std::time::Duration;
use url::Url;

/// What the token endpoint granted (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3).
#[derive(Debug, Clone)]
pub struct TokenResponse {
    /// `access_token`.
    pub access_token: Secret,
    /// `token_type` as the provider named it (`Bearer`, `DPoP`...).
    pub token_type: String,
    /// `expires_in`, when given.
    pub expires_in: Option<Duration>,
    /// `refresh_token`, when one was issued.
    pub refresh_token: Option<Secret>,
    /// The OpenID `id_token` (a JWS, still to be checked), when `openid` was granted.
    pub id_token: Option<Secret>,
    /// The granted `scope`, when the provider said (RFC 6749: when it differs from the request).
    pub scope: Option<String>,
}

impl TokenResponse {
    fn of(tokens: Tokens) -> Self {
        Self {
            access_token: Secret::new(tokens.access_token().secret().as_str()),
            token_type: tokens.token_type().as_ref().to_string(),
            expires_in: tokens.expires_in(),
            refresh_token: tokens.refresh_token().map(|r| Secret::new(r.secret().as_str())),
            id_token: tokens.extra_fields().id_token.as_deref().map(Secret::new),
            scope: tokens
                .scopes()
                .map(|s| s.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(" ")),
        }
    }

    /// Its secrets, to mask in the history and to keep out of anything stored.
    pub fn secrets(&self) -> Vec<&Secret> {
        std::iter::once(&self.access_token)
            .chain(self.refresh_token.as_ref())
            .chain(self.id_token.as_ref())
            .collect()
    }
}

pub(super) fn scopes(scope: Option<&str>) -> Vec<Scope> {
    scope
        .unwrap_or_default()
        .split_whitespace()
        .map(|s| Scope::new(s.to_string()))
        .collect()
}

impl OAuthClient<'_> {
    /// Exchanges an authorization code (RFC 6749 §4.1.3) with its PKCE verifier; the
    /// `redirect_uri` must be the one the authorization request carried.
    pub async fn exchange_code(
        &self,
        token_endpoint: &Url,
        code: &AuthorizationCode,
        redirect_uri: &str,
        code_verifier: &Secret,
    ) -> Result<TokenResponse, FlowError> {
        let redirect = RedirectUrl::new(redirect_uri.to_string())
            .map_err(|e| crate::Error::field("redirect_uri", format!("is not a URL: {e}")))?;
        let client = self.oauth2().set_token_uri(TokenUrl::from_url(token_endpoint.clone()));
        let http = self.recorder(&[code.secret(), code_verifier]);
        let result = client
            .exchange_code(oauth2::AuthorizationCode::new(code.secret().expose().to_string()))
            .set_pkce_verifier(PkceCodeVerifier::new(code_verifier.expose().to_string()))
            .set_redirect_uri(Cow::Owned(redirect))
            .request_async(&http)
            .await;
        self.granted(result.map_err(|e| http.failure(Endpoint::Token, e)))
    }

    /// Uses a refresh token (RFC 6749 §6), for a narrower `scope` when given. A provider
    /// that rotates refresh tokens answers a new one; the old one is then spent.
    pub async fn refresh(
        &self,
        token_endpoint: &Url,
        refresh_token: &Secret,
        scope: Option<&str>,
    ) -> Result<TokenResponse, FlowError> {
        let client = self.oauth2().set_token_uri(TokenUrl::from_url(token_endpoint.clone()));
        let http = self.recorder(&[refresh_token]);
        let token = RefreshToken::new(refresh_token.expose().to_string());
        let result = client
            .exchange_refresh_token(&token)
            .add_scopes(scopes(scope))
            .request_async(&http)
            .await;
        self.granted(result.map_err(|e| http.failure(Endpoint::Token, e)))
    }

    /// The `client_credentials` grant (RFC 6749 §4.4).
    pub async fn client_credentials(
        &self,
        token_endpoint: &Url,
        scope: Option<&str>,
    ) -> Result<TokenResponse, FlowError> {
        let client = self.oauth2().set_token_uri(TokenUrl::from_url(token_endpoint.clone()));
        let http = self.recorder(&[]);
        let result = client
            .exchange_client_credentials()
            .add_scopes(scopes(scope))
            .request_async(&http)
            .await;
        self.granted(result.map_err(|e| http.failure(Endpoint::Token, e)))
    }

    /// The tokens, remembered so later records of this client mask them.
    pub(super) fn granted(&self, result: Result<Tokens, FlowError>) -> Result<TokenResponse, FlowError> {
        let tokens = TokenResponse::of(result?);
        self.remember(&tokens.secrets());
        Ok(tokens)
    }
}
