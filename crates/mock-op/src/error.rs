//! The one error shape every dialect answers with: `{"error","error_description"}` JSON
//! (RFC 6749 §5.2, RFC 7591 §3.2.2), plus the status and, for 401s, the challenge header.

use std::borrow::Cow;

use axum::response::{IntoResponse, Response};
use http::header::{CACHE_CONTROL, CONTENT_TYPE, WWW_AUTHENTICATE};
use http::{HeaderValue, StatusCode};

/// An error response, built by handlers and turned into JSON at the edge.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    description: Cow<'static, str>,
    challenge: Option<&'static str>,
}

type Text = Cow<'static, str>;

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &'static str, description: impl Into<Text>) -> Self {
        ApiError {
            status,
            code,
            description: description.into(),
            challenge: None,
        }
    }

    pub(crate) fn invalid_request(description: impl Into<Text>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    pub(crate) fn invalid_client_metadata(description: impl Into<Text>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_client_metadata", description)
    }

    pub(crate) fn invalid_redirect_uri(description: impl Into<Text>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_redirect_uri", description)
    }

    /// RFC 6750 §3.1: a missing, unknown or dead bearer token.
    pub(crate) fn invalid_token(description: impl Into<Text>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_token", description)
            .with_challenge(r#"Bearer error="invalid_token""#)
    }

    /// RFC 6750 §3.1: a valid bearer token without the needed scope.
    pub(crate) fn insufficient_scope(description: impl Into<Text>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "insufficient_scope", description)
            .with_challenge(r#"Bearer error="insufficient_scope""#)
    }

    /// HTTP Basic authentication of an administrator failed.
    pub(crate) fn bad_admin_credentials(challenge: &'static str) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "valid HTTP Basic administrator credentials are required",
        )
        .with_challenge(challenge)
    }

    /// Authenticated, but not allowed to do this.
    pub(crate) fn access_denied(description: impl Into<Text>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "access_denied", description)
    }

    pub(crate) fn not_found(description: impl Into<Text>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", description)
    }

    pub(crate) fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "invalid_request",
            "this provider does not offer that method on this path",
        )
    }

    pub(crate) fn payload_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "invalid_request",
            format!("request body larger than {limit} bytes"),
        )
    }

    pub(crate) fn unsupported_media_type(description: impl Into<Text>) -> Self {
        Self::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "invalid_request", description)
    }

    pub(crate) fn precondition_failed() -> Self {
        Self::new(
            StatusCode::PRECONDITION_FAILED,
            "precondition_failed",
            "If-Match does not match the client's current ETag",
        )
    }

    pub(crate) fn server_error(description: impl Into<Text>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "server_error", description)
    }

    /// RFC 6749 §5.2 `invalid_client` at the token endpoint.
    pub(crate) fn invalid_client(challenge: Option<&'static str>) -> Self {
        let mut error = Self::new(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "client authentication failed",
        );
        error.challenge = challenge;
        error
    }

    /// `invalid_client` saying what did not match (certificate and key-based client
    /// authentication, where "authentication failed" would leave the client guessing).
    pub(crate) fn invalid_client_because(description: impl Into<Text>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "invalid_client", description)
    }

    fn with_challenge(mut self, challenge: &'static str) -> Self {
        self.challenge = Some(challenge);
        self
    }

    #[cfg(test)]
    pub(crate) fn code(&self) -> &'static str {
        self.code
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": self.code,
            "error_description": self.description,
        });
        let mut response = (self.status, body.to_string()).into_response();
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(challenge) = self.challenge {
            headers.insert(WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        }
        response
    }
}
