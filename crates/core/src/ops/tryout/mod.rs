//! "Try": prove a registered client works by putting it through a grant it was registered
//! for, and explain what came back. The protocol pieces are in [`crate::oauth`] and the
//! token checks in [`crate::tokens`]; this module is the operation a shell calls:
//!
//! - [`Registrar::try_target`] loads the client, works out how it authenticates and what
//!   the provider offers, and refuses a grant that cannot work *before* a browser opens.
//! - The authorization code grant is two steps with the user in between:
//!   [`Registrar::authorization_begin`] (the URL to open and a loopback listener, or a
//!   redirect URI whose final URL the user pastes back) and
//!   [`Registrar::authorization_finish`]. The device grant likewise:
//!   [`Registrar::device_begin`] (the user code) and [`Registrar::device_finish`].
//!   `client_credentials` is one call: [`Registrar::try_client_credentials`].
//! - Each ends in a [`TryOutcome`]: a [`TrySession`] holding the tokens (in memory only;
//!   they never reach SQLite, logs or history), and a [`TryReport`] a shell can show and
//!   serialize: the tokens explained and redacted, the ID token's checks, the exchanges.
//! - On a session: [`Registrar::try_refresh`] (and whether the refresh token rotated),
//!   [`Registrar::try_introspect`], [`Registrar::try_revoke`], [`Registrar::try_userinfo`].

mod authorization;
mod device;
mod report;
mod session;
mod target;

pub use authorization::{AuthorizationOptions, PendingAuthorization, RedirectMode};
pub use device::PendingDevice;
pub use report::{PresentedCertificate, TryReport};
pub use session::{TokenChoice, TryOutcome, TrySession};
pub use target::{TryGrant, TryTarget};
