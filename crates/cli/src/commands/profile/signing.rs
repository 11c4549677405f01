//! The signing settings of a profile (issue 17), for `profile edit`: requests sent as a
//! JWS with a key in custody, their audience, and FAPI's algorithm rules. The key must be
//! in the profile already, so `profile add` has none of these.

use crate::commands::custody::resolve_key;
use crate::failure::Failure;
use clap::Args;
use registrar_core::profile::TokenAuthMethod;
use registrar_core::{Profile, Registrar};

#[derive(Debug, Args)]
pub struct SigningFlags {
    /// Send registrations and updates as a JWS (application/jwt) signed with this key (its
    /// kid, or a prefix only it has), as Open Banking UK's DCR asks.
    #[arg(
        long,
        value_name = "KID",
        conflicts_with = "no_sign_requests",
        allow_hyphen_values = true
    )]
    pub sign_requests: Option<String>,
    /// Send registrations and updates as plain JSON.
    #[arg(long)]
    pub no_sign_requests: bool,
    /// The `aud` of signed requests [default: the issuer] ("" goes back to the issuer).
    #[arg(long, value_name = "URL")]
    pub request_audience: Option<String>,
    /// FAPI rules: keys and signing algorithms limited to PS256 and ES256.
    #[arg(long, conflicts_with = "no_fapi")]
    pub fapi: bool,
    /// No FAPI algorithm rules.
    #[arg(long)]
    pub no_fapi: bool,
    /// How the profile's registering client (client-credentials registration) authenticates
    /// at the token endpoint: with its secret, or with the profile's key (private_key_jwt)
    /// or client certificate (tls_client_auth), which need no secret.
    #[arg(long, value_enum, value_name = "METHOD")]
    pub token_auth: Option<TokenAuthMethod>,
}

impl SigningFlags {
    pub fn apply(&self, registrar: &Registrar, profile: &mut Profile) -> Result<(), Failure> {
        let signing = &mut profile.signing;
        if let Some(kid) = &self.sign_requests {
            signing.request_signing_key = Some(resolve_key(registrar, &profile.id, kid)?.kid);
        }
        if self.no_sign_requests {
            signing.request_signing_key = None;
        }
        if let Some(aud) = &self.request_audience {
            let aud = aud.trim();
            signing.request_audience = (!aud.is_empty()).then(|| aud.to_string());
        }
        if self.fapi {
            signing.fapi = true;
        }
        if self.no_fapi {
            signing.fapi = false;
        }
        if let Some(method) = self.token_auth {
            profile.settings.token_auth = method;
        }
        Ok(())
    }
}
