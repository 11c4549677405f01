//! The error codes of Open Banking DCR v3.3 (its `RegistrationError`), all 400: RFC 7591 §3.2.2's
//! `invalid_redirect_uri`, `invalid_client_metadata`, `invalid_software_statement` and
//! `unapproved_software_statement`.

use std::borrow::Cow;

use http::StatusCode;

use crate::error::ApiError;

type Text = Cow<'static, str>;

/// The statement is malformed, badly signed, expired or lacks a claim.
pub(super) fn invalid_software_statement(description: impl Into<Text>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_software_statement", description)
}

/// The statement is well formed but not signed by a directory this provider trusts.
pub(super) fn unapproved_software_statement(description: impl Into<Text>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "unapproved_software_statement", description)
}

pub(super) fn invalid_client_metadata(description: impl Into<Text>) -> ApiError {
    ApiError::invalid_client_metadata(description)
}

pub(super) fn invalid_redirect_uri(description: impl Into<Text>) -> ApiError {
    ApiError::invalid_redirect_uri(description)
}
