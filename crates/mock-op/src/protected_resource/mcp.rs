//! The MCP endpoint (Streamable HTTP transport, answering with plain JSON, no SSE): JSON-RPC 2.0
//! over POST with `initialize`, `ping`, `tools/list` and `tools/call` of one tool, `echo`.
//! Stateless: no `Mcp-Session-Id`. GET (a server-sent event stream) and DELETE (ending a
//! session) are not offered: 405 once the token is good.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::header::{ALLOW, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde_json::{json, Value};

use super::authorize;
use crate::body;
use crate::extract::Peer;
use crate::state::Shared;

/// The protocol versions this server speaks; the first is the answer to a client asking for
/// one it does not know.
const VERSIONS: [&str; 4] = ["2025-06-18", "2025-11-25", "2025-03-26", "2024-11-05"];
const SERVER_NAME: &str = "registrar-mock-mcp";

// JSON-RPC 2.0 error codes (§5.1).
const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;

pub(super) async fn endpoint(
    State(shared): State<Arc<Shared>>,
    method: Method,
    peer: Peer,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if let Err(refusal) = authorize(&shared, &headers, &peer) {
        return refusal.respond(&shared);
    }
    if method != Method::POST {
        let mut response = (
            StatusCode::METHOD_NOT_ALLOWED,
            "this MCP server offers no server-sent event stream and no sessions: POST JSON-RPC messages\n",
        )
            .into_response();
        response.headers_mut().insert(ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    // The transport's version header (MCP 2025-06-18, Streamable HTTP): one we don't know → 400.
    if let Some(version) = headers.get("mcp-protocol-version") {
        if !version.to_str().is_ok_and(|v| VERSIONS.contains(&v)) {
            return error(
                StatusCode::BAD_REQUEST,
                Value::Null,
                INVALID_REQUEST,
                "unsupported MCP-Protocol-Version",
            );
        }
    }
    let bytes = match body::read_capped(&headers, body, shared.max_body_bytes).await {
        Ok(bytes) => bytes,
        Err(refusal) => return refusal.into_response(),
    };
    let message: Value = match serde_json::from_slice(&bytes) {
        Ok(message) => message,
        Err(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                Value::Null,
                PARSE_ERROR,
                "parse error: not JSON",
            )
        }
    };
    answer(message)
}

/// One JSON-RPC message's answer.
fn answer(message: Value) -> Response {
    let Value::Object(message) = message else {
        // Batches were part of 2025-03-26 only; this server takes one message per request.
        return error(
            StatusCode::BAD_REQUEST,
            Value::Null,
            INVALID_REQUEST,
            "invalid request: one JSON-RPC object per POST (no batches)",
        );
    };
    let id = message.get("id").cloned();
    let id_ok = id
        .as_ref()
        .is_none_or(|id| id.is_string() || id.is_i64() || id.is_u64());
    if message.get("jsonrpc").and_then(Value::as_str) != Some("2.0") || !id_ok {
        return error(
            StatusCode::BAD_REQUEST,
            id.filter(|_| id_ok).unwrap_or(Value::Null),
            INVALID_REQUEST,
            "invalid request: jsonrpc must be \"2.0\" and id a string or an integer",
        );
    }
    let Some(method) = message.get("method") else {
        // A response to a request of ours (we send none); accepted like a notification.
        if id.is_some() && (message.contains_key("result") || message.contains_key("error")) {
            return StatusCode::ACCEPTED.into_response();
        }
        return error(
            StatusCode::BAD_REQUEST,
            id.unwrap_or(Value::Null),
            INVALID_REQUEST,
            "invalid request: no method",
        );
    };
    let Some(method) = method.as_str() else {
        return error(
            StatusCode::BAD_REQUEST,
            id.unwrap_or(Value::Null),
            INVALID_REQUEST,
            "invalid request: method must be a string",
        );
    };
    let params = message.get("params").cloned().unwrap_or(Value::Null);
    let Some(id) = id else {
        // Notifications (`notifications/initialized`, `notifications/cancelled`, ...).
        return StatusCode::ACCEPTED.into_response();
    };
    match call(method, &params) {
        Ok(result) => json_rpc(StatusCode::OK, json!({"jsonrpc": "2.0", "id": id, "result": result})),
        Err((code, message)) => error(StatusCode::OK, id, code, &message),
    }
}

/// A request's result, or its JSON-RPC error.
fn call(method: &str, params: &Value) -> Result<Value, (i64, String)> {
    match method {
        "initialize" => {
            let asked = params.get("protocolVersion").and_then(Value::as_str);
            let version = asked.filter(|v| VERSIONS.contains(v)).unwrap_or(VERSIONS[0]);
            Ok(json!({
                "protocolVersion": version,
                "capabilities": {"tools": {}},
                "serverInfo": {"name": SERVER_NAME, "version": env!("CARGO_PKG_VERSION")},
                "instructions": "Registrar's mock MCP server: one tool, echo, which answers the text it is given.",
            }))
        }
        "ping" => Ok(json!({})),
        "tools/list" => Ok(json!({"tools": [echo_tool()]})),
        "tools/call" => {
            let name = params.get("name").and_then(Value::as_str);
            if name != Some("echo") {
                return Err((INVALID_PARAMS, format!("unknown tool: {}", name.unwrap_or("(none)"))));
            }
            let text = params
                .get("arguments")
                .and_then(|a| a.get("text"))
                .and_then(Value::as_str)
                .ok_or_else(|| (INVALID_PARAMS, "echo needs arguments.text, a string".to_owned()))?;
            Ok(json!({"content": [{"type": "text", "text": text}], "isError": false}))
        }
        other => Err((METHOD_NOT_FOUND, format!("method not found: {other}"))),
    }
}

fn echo_tool() -> Value {
    json!({
        "name": "echo",
        "title": "Echo",
        "description": "Answers the text it is given.",
        "inputSchema": {
            "type": "object",
            "properties": {"text": {"type": "string", "description": "What to echo"}},
            "required": ["text"],
        },
    })
}

fn error(status: StatusCode, id: Value, code: i64, message: &str) -> Response {
    json_rpc(
        status,
        json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}}),
    )
}

fn json_rpc(status: StatusCode, body: Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result_of(message: Value) -> (StatusCode, Option<Value>) {
        let response = answer(message);
        let status = response.status();
        let body = futures_util::FutureExt::now_or_never(axum::body::to_bytes(response.into_body(), 1 << 20))
            .and_then(Result::ok)
            .filter(|b| !b.is_empty())
            .map(|b| serde_json::from_slice(&b).expect("JSON"));
        (status, body)
    }

    #[test]
    fn initialize_echoes_known_versions_and_falls_back_to_its_own() {
        for (asked, answered) in [("2025-03-26", "2025-03-26"), ("1999-01-01", "2025-06-18")] {
            let (status, body) = result_of(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"protocolVersion": asked, "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}));
            assert_eq!(status, StatusCode::OK);
            let body = body.expect("a body");
            assert_eq!(body["result"]["protocolVersion"], answered);
            assert_eq!(body["result"]["serverInfo"]["name"], SERVER_NAME);
            assert_eq!(body["id"], 1);
        }
    }

    #[test]
    fn notifications_are_accepted_and_bad_messages_refused() {
        let (status, body) = result_of(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        assert_eq!((status, body), (StatusCode::ACCEPTED, None));
        let (status, body) = result_of(json!({"jsonrpc": "2.0", "id": "x", "method": "nope"}));
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body.expect("body")["error"]["code"], METHOD_NOT_FOUND);
        for bad in [
            json!([]),
            json!({"id": 1, "method": "ping"}),
            json!({"jsonrpc": "2.0", "id": 1.5, "method": "ping"}),
        ] {
            let (status, body) = result_of(bad);
            assert_eq!(status, StatusCode::BAD_REQUEST);
            assert_eq!(body.expect("body")["error"]["code"], INVALID_REQUEST);
        }
        let (_, body) = result_of(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
            "params": {"name": "echo", "arguments": {"text": "hi"}}}));
        assert_eq!(body.expect("body")["result"]["content"][0]["text"], "hi");
    }
}
