//! The `client_credentials` grant through the `oauth2` crate, sent over Registrar's own
//! transport so that the token request is in the history (redacted) like any other call.

use super::call::CallInfo;
use super::Registrar;
use crate::error::{Error, Result};
use crate::http::oauth2_bridge::{from_oauth2, to_oauth2};
use crate::http::{provider_error_masked, HttpResponse, Transport};
use crate::oauth::ClientAssertionSigner;
use crate::profile::TokenAuthMethod;
use crate::secret::Secret;
use oauth2::basic::BasicClient;
use oauth2::{AuthType, ClientId, ClientSecret, RequestTokenError, Scope, TokenResponse, TokenUrl};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A token the provider granted.
#[derive(Debug, Clone)]
pub struct TokenGrant {
    /// The access token itself.
    pub access_token: Secret,
    /// Its type as the provider named it (`Bearer`...).
    pub token_type: String,
    /// Its lifetime from when it was issued, when the provider said (RFC 6749 §5.1).
    pub expires_in: Option<Duration>,
    /// The granted scope, space-delimited, when the provider said.
    pub scope: Option<String>,
}

/// Who asks for the token, and how.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokenRequest<'a> {
    pub token_endpoint: &'a str,
    pub client_id: &'a str,
    /// For the secret methods; `None` for the key and certificate ones.
    pub client_secret: Option<&'a Secret>,
    /// Signs the assertion of `private_key_jwt`.
    pub signer: Option<&'a dyn ClientAssertionSigner>,
    pub scope: Option<&'a str>,
    pub auth: TokenAuthMethod,
}

impl Registrar {
    pub(crate) async fn client_credentials(
        &self,
        info: CallInfo<'_>,
        transport: &dyn Transport,
        req: TokenRequest<'_>,
    ) -> Result<TokenGrant> {
        let token_url = TokenUrl::new(req.token_endpoint.to_string())
            .map_err(|e| Error::config("token_endpoint", format!("is not a URL: {e}")))?;
        let client = BasicClient::new(ClientId::new(req.client_id.to_string()))
            .set_auth_type(match req.auth {
                TokenAuthMethod::ClientSecretBasic => AuthType::BasicAuth,
                _ => AuthType::RequestBody,
            })
            .set_token_uri(token_url);
        let client = match req.client_secret.filter(|_| req.auth.uses_secret()) {
            Some(secret) => client.set_client_secret(ClientSecret::new(secret.expose().to_string())),
            None => client,
        };
        let mut request = client.exchange_client_credentials();
        if let Some(scope) = req.scope {
            for s in scope.split_whitespace() {
                request = request.add_scope(Scope::new(s.to_string()));
            }
        }
        let known: Vec<&str> = req.client_secret.iter().map(|s| s.expose()).collect();
        let http_client = RecordedClient {
            registrar: self,
            info,
            transport,
            known: &known,
            signer: req.signer.filter(|_| req.auth == TokenAuthMethod::PrivateKeyJwt),
            client_id: req.client_id,
            last_response: std::sync::Mutex::new(None),
        };
        let result = request.request_async(&http_client).await;
        let last_response = http_client.last_response;
        match result {
            Ok(token) => Ok(TokenGrant {
                access_token: Secret::new(token.access_token().secret().clone()),
                token_type: token.token_type().as_ref().to_string(),
                expires_in: token.expires_in(),
                scope: token
                    .scopes()
                    .map(|s| s.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(" ")),
            }),
            Err(RequestTokenError::Request(e)) => Err(e),
            Err(RequestTokenError::ServerResponse(_)) => {
                let response = last_response.lock().unwrap_or_else(|e| e.into_inner()).take();
                Err(response
                    .map(|r| provider_error_masked(&r, &known))
                    .unwrap_or_else(|| Error::InvalidResponse("the token endpoint refused the request".into())))
            }
            Err(RequestTokenError::Parse(e, _)) => Err(Error::InvalidResponse(format!(
                "the token endpoint's answer is not a token response: {e}"
            ))),
            Err(RequestTokenError::Other(m)) => Err(Error::InvalidResponse(format!("the token endpoint: {m}"))),
        }
    }
}

/// oauth2's HTTP client: Registrar's transport, recorded in the history. A named type
/// with a boxed `Send` future, because a closure here makes every caller's future
/// fail the compiler's higher-ranked `Send` check.
struct RecordedClient<'a> {
    registrar: &'a Registrar,
    info: CallInfo<'a>,
    transport: &'a dyn Transport,
    known: &'a [&'a str],
    /// Adds a fresh `client_assertion` to each request (`private_key_jwt`).
    signer: Option<&'a dyn ClientAssertionSigner>,
    client_id: &'a str,
    /// The raw answer of the last call, so a refused request can be typed precisely.
    last_response: std::sync::Mutex<Option<HttpResponse>>,
}

impl<'c> oauth2::AsyncHttpClient<'c> for RecordedClient<'_> {
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<oauth2::HttpResponse>> + Send + 'c>>;

    fn call(&'c self, request: oauth2::HttpRequest) -> Self::Future {
        Box::pin(async move {
            let mut ours = from_oauth2(request)?;
            if let Some(signer) = self.signer {
                let assertion = signer.assertion(self.client_id, ours.url.as_str())?;
                crate::oauth::add_client_assertion(&mut ours, &assertion);
            }
            let response = self.registrar.send(self.info, self.transport, ours, self.known).await?;
            *self.last_response.lock().unwrap_or_else(|e| e.into_inner()) = Some(response.clone());
            to_oauth2(response, "the token endpoint's")
        })
    }
}
