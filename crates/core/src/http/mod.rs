//! Talking to providers. Operations see only the `Transport` trait, so their logic can be
//! tested without a server; `ReqwestTransport` is the real one (rustls, capped bodies, no
//! redirects). `provider_response` turns what came back into metadata or a typed error;
//! `redact` makes an exchange safe to store.

pub(crate) mod loopback_server;
pub(crate) mod oauth2_bridge;
mod provider_response;
pub mod redact;
mod reqwest_transport;
mod transport;
mod trust;

pub use provider_response::{json_object, provider_error, provider_error_masked, MAX_JSON_DEPTH};
pub use reqwest_transport::{ReqwestFactory, ReqwestTransport, MAX_RESPONSE_BYTES};
pub use transport::{
    ClientCertificate, HttpRequest, HttpResponse, KeyToCome, Transport, TransportError, TransportFactory,
};
