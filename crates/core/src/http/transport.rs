//! The seam between operations and the network.

use crate::error::Result;
use crate::profile::{Profile, Timeouts, TlsOptions};
use async_trait::async_trait;
use std::sync::Arc;
use url::Url;

#[derive(Debug, Clone)]
pub struct HttpRequest {
    pub method: http::Method,
    pub url: Url,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

impl HttpRequest {
    pub fn new(method: http::Method, url: Url) -> Self {
        Self {
            method,
            url,
            headers: vec![("Accept".into(), "application/json".into())],
            body: None,
        }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn json(mut self, body: &serde_json::Value) -> Self {
        self.headers.push(("Content-Type".into(), "application/json".into()));
        self.body = Some(serde_json::to_vec(body).unwrap_or_default());
        self
    }
}

#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum TransportError {
    /// Nothing reached the provider.
    #[error("could not connect: {0}")]
    Connect(String),
    /// Nothing reached the provider: no program accepts connections at that address.
    #[error("nothing is listening at {address} (the connection was refused): is the provider running, and is the port right?")]
    Refused { address: String },
    #[error("certificate or TLS handshake failed: {0}")]
    Tls(String),
    /// The request may have been processed.
    #[error("no answer within the timeout")]
    Timeout,
    /// The answer broke off (reset, truncated body): the request may have been processed.
    #[error("the connection broke: {0}")]
    Broken(String),
    #[error("the answer is larger than {limit} bytes")]
    TooLarge { limit: usize },
    /// Redirects are never followed, so credentials never reach another host.
    #[error("the provider answered HTTP {status}, a redirect to {location}; it was not followed, so no credentials went there: use that URL in the profile if it is right")]
    Redirect { status: u16, location: String },
}

impl TransportError {
    /// Whether the provider may have acted on the request.
    pub fn maybe_applied(&self) -> bool {
        // A redirect is the provider's whole answer: it sends the request elsewhere
        // instead of acting on it (RFC 9110 section 15.4).
        !matches!(
            self,
            TransportError::Connect(_)
                | TransportError::Refused { .. }
                | TransportError::Tls(_)
                | TransportError::Redirect { .. }
        )
    }
}

#[async_trait]
pub trait Transport: Send + Sync + std::fmt::Debug {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

/// Builds the transport for a set of TLS options and timeouts.
pub trait TransportFactory: Send + Sync + std::fmt::Debug {
    fn transport_for(&self, tls: &TlsOptions, timeouts: &Timeouts) -> Result<Arc<dyn Transport>>;

    fn transport(&self, profile: &Profile) -> Result<Arc<dyn Transport>> {
        self.transport_for(&profile.tls, &profile.timeouts)
    }
}
