//! oauth2's HTTP client: Registrar's transport, each exchange recorded (redacted) in the
//! history. It keeps the raw answer of the last call, so a refusal is typed from what the
//! endpoint really said, and it adds a fresh client assertion to every request of a
//! `private_key_jwt` client.

use super::client::OAuthClient;
use super::client_auth::ClientAuth;
use super::error::{Endpoint, FlowError};
use crate::error::{Error, Result};
use crate::http::oauth2_bridge::{from_oauth2, to_oauth2};
use crate::http::{HttpRequest, HttpResponse};
use oauth2::{ErrorResponse, RequestTokenError};
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

/// Sees each exchange's outcome as it happens (the device flow's poll reports).
pub(super) type Observer<'a> = Box<dyn Fn(&Result<HttpResponse>) + Send + Sync + 'a>;

/// A named type with a boxed `Send` future: a closure here makes every caller's future
/// fail the compiler's higher-ranked `Send` check.
pub(super) struct Recorder<'a> {
    client: &'a OAuthClient<'a>,
    known: Vec<String>,
    last: Mutex<Option<HttpResponse>>,
    observer: Option<Observer<'a>>,
    /// Requests oauth2 was told go to this https URL go to it over http instead (see
    /// [`Recorder::loopback_http`]).
    downgrade: Option<url::Url>,
}

impl<'a> Recorder<'a> {
    pub(super) fn new(client: &'a OAuthClient<'a>, known: Vec<String>) -> Self {
        Self {
            client,
            known,
            last: Mutex::new(None),
            observer: None,
            downgrade: None,
        }
    }

    /// oauth2 refuses a revocation endpoint that is not https, which a provider on this
    /// machine (the mock, a test server) may well be. For a loopback `endpoint` over http,
    /// the URL to give oauth2 instead: the same over https, sent over http by this client.
    pub(super) fn loopback_http(&mut self, endpoint: &url::Url) -> url::Url {
        let mut https = endpoint.clone();
        if endpoint.scheme() == "http"
            && crate::profile::is_loopback_host(endpoint)
            && https.set_scheme("https").is_ok()
        {
            let _ = https.set_port(endpoint.port_or_known_default());
            self.downgrade = Some(https.clone());
        }
        https
    }

    pub(super) fn observe(mut self, observer: Observer<'a>) -> Self {
        self.observer = Some(observer);
        self
    }

    pub(super) fn known(&self) -> Vec<&str> {
        self.known.iter().map(String::as_str).collect()
    }

    /// The raw answer of the last call that got one.
    pub(super) fn last(&self) -> Option<HttpResponse> {
        self.last.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Sends one request of Registrar's own making (userinfo).
    pub(super) async fn send(&self, request: HttpRequest) -> Result<HttpResponse> {
        let known = self.known();
        let result = self
            .client
            .registrar
            .send(self.client.info(), self.client.transport.as_ref(), request, &known)
            .await;
        if let Ok(response) = &result {
            *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some(response.clone());
        }
        if let Some(observer) = &self.observer {
            observer(&result);
        }
        result
    }

    /// What an oauth2 request's failure means: the endpoint's OAuth error when its answer
    /// carries one, the core's reading of a refusal without one, or an unusable 2xx answer.
    pub(super) fn failure<TE: ErrorResponse + 'static>(
        &self,
        endpoint: Endpoint,
        error: RequestTokenError<Error, TE>,
    ) -> FlowError {
        let known = self.known();
        match (error, self.last()) {
            (RequestTokenError::Request(e), _) => FlowError::Core(e),
            (_, Some(r)) if !r.is_success() => FlowError::refused(endpoint, &r, &known),
            (RequestTokenError::Parse(e, _), _) => FlowError::Core(Error::InvalidResponse(format!(
                "{}'s answer is not what RFC 6749 describes: a field is missing or of the wrong type at {}",
                endpoint.label(),
                e.path()
            ))),
            (RequestTokenError::ServerResponse(e), last) => FlowError::refused(
                endpoint,
                &last.unwrap_or(HttpResponse {
                    status: 0,
                    headers: vec![],
                    body: serde_json::to_vec(&e).unwrap_or_default(),
                }),
                &known,
            ),
            (RequestTokenError::Other(m), _) => {
                FlowError::Core(Error::InvalidResponse(format!("{}: {m}", endpoint.label())))
            }
        }
    }

    async fn call_oauth2(&self, request: oauth2::HttpRequest) -> Result<oauth2::HttpResponse> {
        let mut ours = from_oauth2(request)?;
        if self.downgrade.as_ref() == Some(&ours.url) {
            let _ = ours.url.set_scheme("http");
            let _ = ours.url.set_port(self.downgrade.as_ref().and_then(|u| u.port()));
        }
        if let ClientAuth::PrivateKeyJwt(signer) = &self.client.auth {
            let assertion = signer.assertion(&self.client.client_id, ours.url.as_str())?;
            super::client_auth::add_client_assertion(&mut ours, &assertion);
        }
        let response = self.send(ours).await?;
        to_oauth2(response, "an endpoint's")
    }
}

impl<'c> oauth2::AsyncHttpClient<'c> for Recorder<'_> {
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<oauth2::HttpResponse>> + Send + 'c>>;

    fn call(&'c self, request: oauth2::HttpRequest) -> Self::Future {
        Box::pin(self.call_oauth2(request))
    }
}
