//! Request bodies: size cap (413), content-type policy (415) and parsing into the JSON object
//! registration metadata must be. Kept apart from the handlers so every dialect refuses hostile
//! bodies the same way, before any of its own logic runs.

use axum::body::Body;
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::HeaderMap;
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::Dialect;

/// How much of an oversized body is read and thrown away before answering 413, so the
/// client sees the answer instead of a reset connection.
const DRAIN_LIMIT: usize = 4 * 1024 * 1024;

/// What a dialect accepts as a metadata body.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BodyRules {
    /// Soffid's document sends JSON labelled `application/x-www-form-urlencoded`.
    pub(crate) form_label_allowed: bool,
    /// The `error` code for a body that is not JSON at all.
    pub(crate) malformed_code: &'static str,
}

impl BodyRules {
    /// JSON labelled as JSON; a body that is not JSON is an `invalid_request`.
    pub(crate) const STRICT: Self = Self {
        form_label_allowed: false,
        malformed_code: "invalid_request",
    };
    /// As strict, but a body that is not JSON is `invalid_client_metadata`.
    pub(crate) const METADATA_ERRORS: Self = Self {
        form_label_allowed: false,
        malformed_code: "invalid_client_metadata",
    };

    pub(crate) fn for_dialect(dialect: Dialect) -> Self {
        crate::dialects::table(dialect).body
    }
}

/// Reads at most `limit` bytes; more is a 413.
pub(crate) async fn read_capped(headers: &HeaderMap, body: Body, limit: usize) -> Result<Bytes, ApiError> {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let mut buf = BytesMut::with_capacity(declared.unwrap_or(0).min(limit));
    let mut stream = body.into_data_stream();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| ApiError::invalid_request("the request body could not be read"))?;
        seen = seen.saturating_add(chunk.len());
        if seen > limit {
            if seen > DRAIN_LIMIT {
                break;
            }
            continue;
        }
        buf.extend_from_slice(&chunk);
    }
    if seen > limit {
        return Err(ApiError::payload_too_large(limit));
    }
    Ok(buf.freeze())
}

/// A registration metadata body: JSON, an object, within the size cap.
pub(crate) async fn json_object(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    rules: BodyRules,
) -> Result<Map<String, Value>, ApiError> {
    check_content_type(headers, rules)?;
    let bytes = read_capped(headers, body, limit).await?;
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::invalid_client_metadata(
            "the request body must be a JSON object",
        )),
        Err(_) => Err(ApiError::new(
            http::StatusCode::BAD_REQUEST,
            rules.malformed_code,
            "the request body is not valid JSON",
        )),
    }
}

/// A form-encoded body (RFC 6749 token requests), within the size cap.
pub(crate) async fn form(headers: &HeaderMap, body: Body, limit: usize) -> Result<Vec<(String, String)>, ApiError> {
    let bytes = read_capped(headers, body, limit).await?;
    Ok(url::form_urlencoded::parse(&bytes).into_owned().collect())
}

fn check_content_type(headers: &HeaderMap, rules: BodyRules) -> Result<(), ApiError> {
    let essence = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase());
    let accepted = match essence.as_deref() {
        Some("application/json") => true,
        Some("application/x-www-form-urlencoded") | None => rules.form_label_allowed,
        Some(_) => false,
    };
    if accepted {
        Ok(())
    } else {
        Err(ApiError::unsupported_media_type(
            "registration requests must be sent as application/json",
        ))
    }
}
