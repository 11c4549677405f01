//! Success responses of the registration endpoints: JSON carrying the caching headers
//! RFC 7591 §3.2.1 requires on anything holding credentials.

use axum::response::{IntoResponse, Response};
use http::header::{CACHE_CONTROL, CONTENT_TYPE, PRAGMA};
use http::{HeaderValue, StatusCode};
use serde_json::{Map, Value};

use crate::error::ApiError;

pub(crate) fn json(status: StatusCode, body: &Map<String, Value>) -> Response {
    match serde_json::to_string(body) {
        Ok(text) => json_text(status, text),
        Err(_) => ApiError::server_error("the response could not be encoded").into_response(),
    }
}

/// The same for a body already encoded (a stored record's text).
pub(crate) fn json_text(status: StatusCode, text: String) -> Response {
    let mut response = (status, text).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// 204 with an empty body. Liberty's document shows `Content-Length: 0` on it; hyper, following
/// RFC 9110 §8.6, never sends Content-Length with a 204, so the header is not attempted.
pub(crate) fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}
