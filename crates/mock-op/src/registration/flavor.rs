//! What differs between the token-managed dialects: identifiers, token formats, defaults and
//! what a read reveals.

use crate::state::Shared;
use crate::store::Metadata;
use http::StatusCode;

/// One dialect's choices within the RFC 7591/7592 flows.
#[derive(Debug)]
pub(crate) struct Flavor {
    /// Status of a successful registration (Soffid answers 200).
    pub(crate) created: StatusCode,
    pub(crate) new_client_id: fn(&Shared) -> String,
    pub(crate) new_secret: fn() -> String,
    pub(crate) new_rat: fn(&Shared, &str) -> String,
    /// The `registration_client_uri` of a client id.
    pub(crate) client_uri: fn(&Shared, &str) -> String,
    /// Vendor defaults and rewrites, given the previous metadata on update.
    pub(crate) finish: fn(&mut Metadata, Option<&Metadata>),
    /// Whether `client_secret_expires_at` accompanies a secret (SimpleIdServer omits it).
    pub(crate) secret_expires_at: bool,
    /// Whether `client_id_issued_at` is recorded (Soffid's document never shows it).
    pub(crate) issued_at: bool,
    /// `Authorization` schemes accepted for the registration access token.
    pub(crate) rat_schemes: &'static [&'static str],
    /// Whether reads show `client_secret` and the current token (Soffid's do not).
    pub(crate) read_reveals: bool,
}

impl Flavor {
    pub(crate) fn no_defaults(_: &mut Metadata, _: Option<&Metadata>) {}
}
