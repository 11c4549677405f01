//! Responses as a broken provider or network delivers them.

use std::io;
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::stream::{self, StreamExt};
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderValue, StatusCode};

use crate::error::ApiError;
use crate::shutdown;

const FLUSH_PAUSE: Duration = Duration::from_millis(50);

/// A status with an OAuth-style error body; the error code follows the status.
pub(crate) fn json_error(status: StatusCode) -> Response {
    let code = match status.as_u16() {
        400 | 405 | 413 | 415 => "invalid_request",
        401 => "invalid_token",
        403 => "access_denied",
        404 => "not_found",
        429 | 503 => "temporarily_unavailable",
        _ => "server_error",
    };
    ApiError::new(status, code, format!("injected fault: HTTP {}", status.as_u16())).into_response()
}

/// The kind of page a proxy or an application server shows instead of the API's JSON.
pub(crate) fn html_page(status: StatusCode) -> Response {
    let title = format!("{} {}", status.as_u16(), status.canonical_reason().unwrap_or("Error"));
    let page = format!(
        "<!DOCTYPE html>\n<html><head><title>{title}</title></head>\
         <body><h1>{title}</h1><hr><address>mock-op</address></body></html>\n"
    );
    let mut response = (status, page).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    response
}

/// The operation happened; the answer is plain text.
pub(crate) fn not_json(done: Response) -> Response {
    let status = if done.status() == StatusCode::CREATED {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut response = (status, "Request processed successfully.\n").into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    response
}

/// The operation happened; half the body arrives, then the connection breaks.
pub(crate) async fn truncated(done: Response) -> Response {
    let (parts, full) = with_full_body(done).await;
    let half = full.slice(..full.len() / 2);
    let body = stream::iter([Ok::<Bytes, io::Error>(half)]).chain(stream::once(async {
        // Pausing lets hyper flush the head and the first half before the error aborts the
        // connection; without it both may still be buffered when the socket closes.
        tokio::time::sleep(FLUSH_PAUSE).await;
        Err(io::Error::other("injected fault: body truncated"))
    }));
    with_body(parts, full.len(), Body::from_stream(body))
}

/// The operation happened; status and headers arrive, the body never does.
pub(crate) async fn stalled(done: Response, stop: shutdown::Signal) -> Response {
    let (parts, full) = with_full_body(done).await;
    let body = stream::once(async move {
        stop.wait().await;
        Err::<Bytes, io::Error>(io::Error::other("server stopped"))
    });
    with_body(parts, full.len(), Body::from_stream(body))
}

/// Takes the handler's response apart. A body-less answer (204) gets a small JSON body so
/// there is something to cut off.
async fn with_full_body(done: Response) -> (http::response::Parts, Bytes) {
    let (mut parts, body) = done.into_parts();
    let full = to_bytes(body, usize::MAX).await.unwrap_or_default();
    if full.is_empty() {
        if parts.status == StatusCode::NO_CONTENT {
            parts.status = StatusCode::OK;
        }
        parts
            .headers
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        return (parts, Bytes::from_static(b"{\"status\":\"ok\"}"));
    }
    (parts, full)
}

fn with_body(mut parts: http::response::Parts, promised: usize, body: Body) -> Response {
    parts.headers.insert(CONTENT_LENGTH, HeaderValue::from(promised));
    Response::from_parts(parts, body)
}
