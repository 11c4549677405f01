//! Request parts read the same way everywhere, refusing hostile input with JSON errors
//! instead of axum's plain-text rejections.

use axum::extract::{FromRequestParts, Path};
use http::request::Parts;

use crate::error::ApiError;
use crate::tls::PeerCertificate;

/// The `{client_id}` segment of a management path.
#[derive(Debug)]
pub(crate) struct ClientId(pub(crate) String);

impl<S: Send + Sync> FromRequestParts<S> for ClientId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<String>::from_request_parts(parts, state)
            .await
            .map(|Path(id)| ClientId(id))
            .map_err(|_| ApiError::invalid_request("the client id in the path is malformed"))
    }
}

/// The client certificate of the connection the request came on (mutual TLS), if any.
#[derive(Debug)]
pub(crate) struct Peer(pub(crate) Option<PeerCertificate>);

impl Peer {
    pub(crate) fn certificate(&self) -> Option<&PeerCertificate> {
        self.0.as_ref()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Peer(parts.extensions.get::<PeerCertificate>().cloned()))
    }
}

/// The first value of a query parameter.
pub(crate) fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    url::form_urlencoded::parse(query?.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}
