//! An embedded mock OpenID Provider for Registrar's offline demos and tests.
//!
//! One [`MockServer`] imitates one provider's dynamic client registration API (RFC 7591,
//! RFC 7592, OpenID Connect DCR 1.0) in one of several [`Dialect`]s, each faithful to the
//! provider's own documentation: its paths, authentication, status codes, identifiers and
//! quirks. An [`AdminHandle`] (and the `/_admin` HTTP API) lets tests look inside, tamper,
//! switch token rotation and inject [`Fault`]s.
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
mod body;
mod clock;
mod config;
mod dialect;
mod dialects;
mod discovery;
mod error;
mod extract;
mod faults;
mod host_guard;
mod registration;
mod respond;
mod rotation;
mod router;
mod secret;
mod serve;
mod server;
mod shutdown;
mod state;
mod store;
mod token;
mod urls;
mod validate;

pub use admin::AdminHandle;
pub use config::{Credentials, MockConfig};
pub use dialect::{Dialect, UnknownDialect};
pub use faults::Fault;
pub use server::MockServer;
