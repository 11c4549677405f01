//! Token revocation (RFC 7009) through oauth2, authenticating as the client.

use super::client::OAuthClient;
use super::error::{Endpoint, FlowError};
use crate::secret::Secret;
use oauth2::{AccessToken, RefreshToken, RevocationUrl, StandardRevocableToken};
use serde::Serialize;
use url::Url;

/// Which kind of token is presented (`token_type_hint`, RFC 7009 §2.1, RFC 7662 §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum TokenTypeHint {
    /// `access_token`.
    AccessToken,
    /// `refresh_token`.
    RefreshToken,
}

impl TokenTypeHint {
    /// The hint's value.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenTypeHint::AccessToken => "access_token",
            TokenTypeHint::RefreshToken => "refresh_token",
        }
    }
}

impl OAuthClient<'_> {
    /// Revokes `token`. A provider answers 200 for a token it does not know (RFC 7009
    /// §2.2), so success says the token is unusable now, not that it was valid.
    pub async fn revoke(&self, endpoint: &Url, token: &Secret, hint: TokenTypeHint) -> Result<(), FlowError> {
        let mut http = self.recorder(&[token]);
        let client = self
            .oauth2()
            .set_revocation_url(RevocationUrl::from_url(http.loopback_http(endpoint)));
        let token = match hint {
            TokenTypeHint::AccessToken => StandardRevocableToken::AccessToken(AccessToken::new(token.expose().into())),
            TokenTypeHint::RefreshToken => {
                StandardRevocableToken::RefreshToken(RefreshToken::new(token.expose().into()))
            }
        };
        let request = client
            .revoke_token(token)
            .map_err(|e| crate::Error::InvalidResponse(format!("the revocation request: {e}")))?;
        request
            .request_async(&http)
            .await
            .map_err(|e| http.failure(Endpoint::Revocation, e))
    }
}
