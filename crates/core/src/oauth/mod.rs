//! The protocol layer of "Try": OAuth 2.0 and OpenID Connect flows a registered client can
//! be put through, each HTTP exchange sent through Registrar's own transport and recorded,
//! redacted, in the history (operation `try`).
//!
//! The pieces, in the order a flow uses them:
//! - [`ProviderMetadata`]: what a flow needs from the profile and the discovery documents,
//!   and a clear refusal ("the provider advertises no device_authorization_endpoint")
//!   before anything is opened.
//! - [`ClientAuth`]: how the client authenticates at the token, device, introspection and
//!   revocation endpoints; [`AuthMethod`] maps a registration's
//!   `token_endpoint_auth_method` to it.
//! - [`Pkce`], [`new_state`], [`new_nonce`]; [`AuthorizationRequest`] → the URL to open;
//!   [`loopback_redirect`] picks a registered loopback redirect URI, [`LoopbackListener`]
//!   catches the redirect (RFC 8252); [`parse_callback`] checks it (a URL pasted back
//!   for `https` and custom-scheme redirect URIs too).
//! - [`OAuthClient`] (made by [`crate::Registrar::oauth_client`]): the token grants
//!   ([`OAuthClient::exchange_code`], [`OAuthClient::refresh`],
//!   [`OAuthClient::client_credentials`], [`OAuthClient::start_device`] and
//!   [`OAuthClient::poll_device`]), [`OAuthClient::introspect`], [`OAuthClient::revoke`],
//!   [`OAuthClient::userinfo`], [`OAuthClient::fetch_jwks`].
//! - Failures: [`FlowError`], which is either the endpoint's own OAuth error
//!   ([`OAuthError`], with the [`Endpoint`] that answered it) or a core [`crate::Error`]
//!   (network, unusable answer, setting).
//!
//! Nothing here stores a token: what a flow obtains is handed back in [`crate::Secret`]s.

mod authorize;
mod bearer_call;
mod client;
mod client_auth;
mod device;
mod error;
mod introspect;
mod jwks;
mod loopback;
mod metadata;
mod random;
mod recorder;
mod revoke;
mod token;
mod userinfo;

pub use authorize::{parse_callback, AuthorizationCode, AuthorizationRequest, CallbackError};
pub use client::OAuthClient;
pub use client_auth::{add_client_assertion, AuthMethod, ClientAssertionSigner, ClientAuth, ClientAuthError};
pub use device::{DeviceAuthorization, PollEvent, PollOptions};
pub use error::{Endpoint, FlowError, OAuthError};
pub use introspect::Introspection;
pub use loopback::{
    loopback_redirect, LoopbackError, LoopbackListener, LoopbackRedirect, DEFAULT_CALLBACK_PATH,
    DEFAULT_REDIRECT_TIMEOUT,
};
pub use metadata::{Grant, ProviderMetadata};
pub use random::{new_nonce, new_state, Pkce};
pub use revoke::TokenTypeHint;
pub use token::TokenResponse;
pub use userinfo::UserInfo;
