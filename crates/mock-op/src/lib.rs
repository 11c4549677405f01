//! An embedded mock OpenID Provider for Registrar's offline demos and tests.
//!
//! One [`MockServer`] imitates one provider's dynamic client registration API (RFC 7591,
//! RFC 7592, OpenID Connect DCR 1.0) in one of several [`Dialect`]s, each faithful to the
//! provider's own documentation: its paths, authentication, status codes, identifiers and
//! quirks. Every dialect is also a working authorization server for the clients registered on
//! it, so a client can be tried for real: the authorization code grant with PKCE through a
//! demo login page (user [`DEMO_USERNAME`], password [`DEMO_PASSWORD`]), rotating refresh
//! tokens, the device grant, introspection, revocation, userinfo, and ES256 ID tokens whose
//! signing key can be rotated. The openbanking dialect (Open Banking UK DCR v3.3) is served
//! over mutual TLS ([`MockConfig::with_tls_pem`], [`tls`]): registration by signed JWTs with a
//! directory-signed software statement, clients authenticated by keys and certificates,
//! certificate-bound access tokens. Beside the authorization server stands a protected
//! resource, an MCP server at `<base>/mcp` ([`MockServer::mcp_endpoint`]) with its RFC 9728
//! metadata, taking the mock's access tokens issued for it (RFC 8707 `resource`, scope
//! `mcp:tools`); [`ResourceFault`]s break its discovery chain on purpose. An [`AdminHandle`]
//! (and the `/_admin` HTTP API) lets tests look inside, tamper, switch token rotation, rotate
//! the signing key, inject [`Fault`]s and switch [`ResourceFault`]s.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use registrar_mock_op::{Dialect, MockConfig, MockServer};
//! let server = MockServer::start(MockConfig::new(Dialect::Liberty)).await?;
//! println!("register at {}", server.registration_endpoint());
//! server.stop().await;
//! # Ok(()) }
//! ```

mod access_tokens;
mod admin;
mod admin_http;
mod auth;
mod authorize;
mod body;
mod certificate;
mod client_assertion;
mod client_auth;
mod clock;
mod config;
mod demo_user;
mod device;
mod dialect;
mod dialects;
mod discovery;
mod error;
mod extract;
mod faults;
mod grants;
mod host_guard;
mod id_token;
mod interactions;
mod introspect;
mod jose;
mod pages;
mod protected_resource;
mod registration;
mod resource;
mod respond;
mod revoke;
mod rotation;
mod router;
mod secret;
mod serve;
mod server;
mod shutdown;
mod signing_keys;
mod state;
mod store;
pub mod tls;
mod token;
mod urls;
mod userinfo;
mod validate;

pub use admin::AdminHandle;
pub use config::{Credentials, MockConfig, Timing};
pub use demo_user::{PASSWORD as DEMO_PASSWORD, SUBJECT as DEMO_SUBJECT, USERNAME as DEMO_USERNAME};
pub use dialect::{Dialect, UnknownDialect};
pub use faults::{Fault, ResourceFault};
pub use server::MockServer;
