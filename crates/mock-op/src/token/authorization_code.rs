//! RFC 6749 §4.1.3 with RFC 7636 §4.6: a code is exchanged once, by the client it was issued
//! to, with the same redirect URI, and with the verifier whose S256 hash the request carried.

use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

use super::{invalid_grant, issue};
use crate::client_auth::{field, Client};
use crate::error::ApiError;
use crate::grants::Redeem;
use crate::secret;
use crate::state::Shared;

pub(super) fn exchange(shared: &Shared, client: &Client, form: &[(String, String)]) -> Result<Response, ApiError> {
    let code = field(form, "code").ok_or_else(|| ApiError::invalid_request("code is required"))?;
    // Malformed resources are refused before the code is spent.
    crate::resource::requested(form).map_err(super::invalid_target)?;
    let issued = match shared.grants.codes.redeem(code) {
        Redeem::Live(issued) => issued,
        Redeem::Reused(family) => {
            shared.grants.tokens.revoke_family(family);
            return Err(invalid_grant(
                "the code was already used; the tokens it bought are revoked",
            ));
        }
        Redeem::Unknown => return Err(invalid_grant("the code is unknown or expired")),
    };
    if issued.authorization.client_id != client.id {
        return Err(invalid_grant("the code was issued to another client"));
    }
    match field(form, "redirect_uri") {
        Some(uri) if uri != issued.redirect_uri => {
            return Err(invalid_grant("redirect_uri differs from the authorization request's"))
        }
        None if issued.redirect_uri_given => {
            return Err(invalid_grant(
                "redirect_uri is required: the authorization request had one",
            ))
        }
        _ => {}
    }
    let verifier = field(form, "code_verifier");
    match (&issued.code_challenge, verifier) {
        (Some(challenge), Some(verifier)) => {
            if !well_formed_verifier(verifier) {
                return Err(invalid_grant("code_verifier must be 43 to 128 unreserved characters"));
            }
            let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
            if !secret::same(&computed, challenge) {
                return Err(invalid_grant("code_verifier does not match the code_challenge"));
            }
        }
        (Some(_), None) => return Err(invalid_grant("code_verifier is required: the request used PKCE")),
        // RFC 9700 §2.1.1: a verifier without a challenge is a downgrade attempt.
        (None, Some(_)) => {
            return Err(invalid_grant(
                "code_verifier sent, but the request had no code_challenge",
            ))
        }
        (None, None) => {}
    }
    let mut authorization = issued.authorization;
    authorization.resource = super::audience(&authorization.resource, form)?;
    Ok(issue::respond(&issue::for_user(
        shared,
        client,
        &authorization,
        issued.family,
    )))
}

/// RFC 7636 §4.1: 43–128 characters of `[A-Za-z0-9-._~]`.
fn well_formed_verifier(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}
