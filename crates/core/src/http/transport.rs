//! The seam between operations and the network.

use crate::custody::ClientIdentity;
use crate::error::Result;
use crate::profile::{Timeouts, TlsOptions};
use async_trait::async_trait;
use std::sync::Arc;
use url::Url;

/// One request to a provider, as operations build it and a [`Transport`] sends it.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    /// The HTTP method.
    pub method: http::Method,
    /// The absolute URL, query included.
    pub url: Url,
    /// Headers in the order they are sent; may hold credentials, so never log them unredacted.
    pub headers: Vec<(String, String)>,
    /// The body's bytes; `None` sends none.
    pub body: Option<Vec<u8>>,
}

impl HttpRequest {
    /// A request with no body that accepts JSON (`Accept: application/json`).
    pub fn new(method: http::Method, url: Url) -> Self {
        Self {
            method,
            url,
            headers: vec![("Accept".into(), "application/json".into())],
            body: None,
        }
    }

    /// Adds a header after the others (a name may repeat).
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets `body` as a signed JWT, with `Content-Type: application/jwt` (RFC 7519 §10.3.1).
    pub fn jwt(mut self, compact: String) -> Self {
        self.headers.push(("Content-Type".into(), "application/jwt".into()));
        self.body = Some(compact.into_bytes());
        self
    }

    /// Sets `body` as its JSON serialisation, with `Content-Type: application/json`.
    pub fn json(mut self, body: &serde_json::Value) -> Self {
        self.headers.push(("Content-Type".into(), "application/json".into()));
        self.body = Some(serde_json::to_vec(body).unwrap_or_default());
        self
    }
}

/// What a provider answered, whole: the body was read to its end, within [`super::MAX_RESPONSE_BYTES`].
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// The HTTP status; redirects never get here (they are [`TransportError::Redirect`]).
    pub status: u16,
    /// Headers as received, names in lower case from the real transport.
    pub headers: Vec<(String, String)>,
    /// The body's bytes; may be empty.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first header named `name`, compared without case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Why no usable answer came back, classified by how far the request got, so "nothing was
/// sent" is told from "may have been applied" ([`TransportError::maybe_applied`]).
#[derive(Debug, Clone, thiserror::Error)]
pub enum TransportError {
    /// Nothing reached the provider.
    #[error("could not connect: {0}")]
    Connect(String),
    /// Nothing reached the provider: no program accepts connections at that address.
    #[error("nothing is listening at {address} (the connection was refused): is the provider running, and is the port right?")]
    Refused {
        /// The `host:port` that refused.
        address: String,
    },
    /// Nothing reached the provider: the certificate was refused or the handshake failed.
    #[error("certificate or TLS handshake failed: {0}")]
    Tls(String),
    /// The request may have been processed.
    #[error("no answer within the timeout")]
    Timeout,
    /// The answer broke off (reset, truncated body): the request may have been processed.
    #[error("the connection broke: {0}")]
    Broken(String),
    /// The answer was longer than `limit` bytes and was dropped: the request may have been processed.
    #[error("the answer is larger than {limit} bytes")]
    TooLarge {
        /// The cap, in bytes ([`super::MAX_RESPONSE_BYTES`]).
        limit: usize,
    },
    /// Redirects are never followed, so credentials never reach another host.
    #[error("the provider answered HTTP {status}, a redirect to {location}; it was not followed, so no credentials went there: use that URL in the profile if it is right")]
    Redirect {
        /// The 3xx status.
        status: u16,
        /// The `Location` header, or "(no Location header)".
        location: String,
    },
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

/// Sends requests: [`super::ReqwestTransport`] for real, a fake in tests.
#[async_trait]
pub trait Transport: Send + Sync + std::fmt::Debug {
    /// Sends `request` and reads the whole answer; redirects are never followed.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

/// Builds the transport for a set of TLS options and timeouts.
pub trait TransportFactory: Send + Sync + std::fmt::Debug {
    /// The transport for these options, presenting `identity` for mutual TLS when given;
    /// an error when the TLS options are unusable (a bad PEM).
    fn transport_for(
        &self,
        tls: &TlsOptions,
        timeouts: &Timeouts,
        identity: Option<&ClientIdentity>,
    ) -> Result<Arc<dyn Transport>>;

    /// As [`TransportFactory::transport_for`] with a client certificate whose private key
    /// is given later ([`KeyToCome::give`], before the first request): built while the
    /// caller still waits for the keychain. `None` where this factory cannot (the caller
    /// then asks [`TransportFactory::transport_for`] once it has the key).
    fn transport_awaiting_key(
        &self,
        tls: &TlsOptions,
        timeouts: &Timeouts,
        certificate: &ClientCertificate,
    ) -> Result<Option<AwaitingKey>> {
        let _ = (tls, timeouts, certificate);
        Ok(None)
    }
}

/// A transport built before its client key, and where that key is to be given.
pub type AwaitingKey = (Arc<dyn Transport>, Arc<dyn KeyToCome>);

/// The public half of a client identity: known from the database before its key is read.
#[derive(Debug, Clone)]
pub struct ClientCertificate {
    /// The certificates, leaf first.
    pub chain: Vec<Vec<u8>>,
    /// The leaf's subject, to name it in errors.
    pub subject_dn: String,
}

/// The private key a transport from [`TransportFactory::transport_awaiting_key`] presents.
pub trait KeyToCome: Send + Sync + std::fmt::Debug {
    /// The leaf's private key as PKCS#8 DER; an error, naming the certificate, when it is
    /// not the key of that certificate (nothing is then sent with it).
    fn give(&self, key_pkcs8: &[u8]) -> Result<()>;
}
