//! RFC 6749 §6 with rotation (RFC 9700 §4.14.2): each refresh token works once and buys a new
//! one; a narrower `scope` (and fewer RFC 8707 `resource`s) may be asked for, never more.

use axum::response::Response;
use http::StatusCode;

use super::{invalid_grant, issue};
use crate::client_auth::{field, Client};
use crate::error::ApiError;
use crate::grants::RefreshUse;
use crate::state::Shared;

pub(super) fn exchange(shared: &Shared, client: &Client, form: &[(String, String)]) -> Result<Response, ApiError> {
    let token = field(form, "refresh_token").ok_or_else(|| ApiError::invalid_request("refresh_token is required"))?;
    let resource = crate::resource::requested(form).map_err(super::invalid_target)?;
    let (mut authorization, family) =
        match shared
            .grants
            .tokens
            .use_refresh(token, &client.id, field(form, "scope"), resource)
        {
            RefreshUse::Live(authorization, family) => (authorization, family),
            RefreshUse::Refused(why) => return Err(invalid_grant(why)),
            RefreshUse::OtherTarget(why) => return Err(super::invalid_target(why)),
            RefreshUse::WiderScope => {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_scope",
                    "a refresh cannot widen the scope originally granted",
                ))
            }
        };
    // OIDC Core §12.2: a refreshed ID token carries no nonce.
    authorization.nonce = None;
    Ok(issue::respond(&issue::for_user(shared, client, &authorization, family)))
}
