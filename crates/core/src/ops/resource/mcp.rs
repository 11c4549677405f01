//! The Model Context Protocol's opening move over Streamable HTTP: a JSON-RPC `initialize`
//! POSTed to the server's endpoint, answered as `application/json` or as a
//! `text/event-stream` whose `data:` lines carry the JSON-RPC messages.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// The protocol version Registrar asks for; a server answers with the one it speaks.
pub const PROTOCOL_VERSION: &str = "2025-06-18";

/// The `initialize` request (id 1).
pub fn initialize_request() -> Value {
    json!({
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": PROTOCOL_VERSION,
            "capabilities": {},
            "clientInfo": {"name": "registrar", "version": env!("CARGO_PKG_VERSION")},
        },
    })
}

/// The notification a client sends once it has the server's answer.
pub fn initialized_notification() -> Value {
    json!({"jsonrpc": "2.0", "method": "notifications/initialized"})
}

/// What an MCP server said about itself in its `initialize` result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct McpServerInfo {
    /// `protocolVersion` the server chose.
    pub protocol_version: Option<String>,
    /// `serverInfo.name`.
    pub name: Option<String>,
    /// `serverInfo.version`.
    pub version: Option<String>,
    /// `serverInfo.title`, when given.
    pub title: Option<String>,
    /// The capability names (`tools`, `resources`, `prompts`, `logging`, …).
    pub capabilities: Vec<String>,
    /// `capabilities` as sent.
    pub capabilities_document: Map<String, Value>,
    /// `instructions`, when given.
    pub instructions: Option<String>,
    /// The `Mcp-Session-Id` the server assigned, when it keeps sessions.
    pub session_id: Option<String>,
}

/// Why an answer is not an `initialize` result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum McpAnswerError {
    /// The server answered with a JSON-RPC error.
    JsonRpc { code: i64, message: String },
    /// The body is neither JSON-RPC nor an event stream carrying it.
    NotJsonRpc(String),
}

impl std::fmt::Display for McpAnswerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::JsonRpc { code, message } => write!(
                f,
                "the server answered initialize with JSON-RPC error {code}: {message}"
            ),
            Self::NotJsonRpc(why) => write!(f, "the answer is not an MCP initialize result: {why}"),
        }
    }
}

/// Reads the answer to `initialize` (id 1) from a response body of `content_type`.
pub fn read_initialize(
    content_type: &str,
    body: &[u8],
    session_id: Option<&str>,
) -> Result<McpServerInfo, McpAnswerError> {
    let text = std::str::from_utf8(body).map_err(|_| McpAnswerError::NotJsonRpc("the body is not UTF-8".into()))?;
    let message = if content_type.to_ascii_lowercase().starts_with("text/event-stream") {
        event_stream_messages(text)
            .into_iter()
            .find(|m| m.get("id") == Some(&json!(1)))
            .ok_or_else(|| McpAnswerError::NotJsonRpc("the event stream carries no answer to request 1".into()))?
    } else {
        serde_json::from_str::<Value>(text).map_err(|e| McpAnswerError::NotJsonRpc(format!("not JSON ({e})")))?
    };
    if message.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Err(McpAnswerError::NotJsonRpc("no \"jsonrpc\": \"2.0\"".into()));
    }
    if let Some(error) = message.get("error") {
        return Err(McpAnswerError::JsonRpc {
            code: error.get("code").and_then(Value::as_i64).unwrap_or_default(),
            message: error
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        });
    }
    let result = message
        .get("result")
        .and_then(Value::as_object)
        .ok_or_else(|| McpAnswerError::NotJsonRpc("no result object".into()))?;
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let server = result.get("serverInfo");
    let capabilities_document = result
        .get("capabilities")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    Ok(McpServerInfo {
        protocol_version: text(result.get("protocolVersion")),
        name: text(server.and_then(|s| s.get("name"))),
        version: text(server.and_then(|s| s.get("version"))),
        title: text(server.and_then(|s| s.get("title"))),
        capabilities: capabilities_document.keys().cloned().collect(),
        capabilities_document,
        instructions: text(result.get("instructions")),
        session_id: session_id.map(str::to_string),
    })
}

/// The JSON messages of an event stream: each event's `data:` lines joined (SSE §9.2.6).
fn event_stream_messages(text: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut data: Vec<&str> = Vec::new();
    let mut flush = |data: &mut Vec<&str>| {
        if !data.is_empty() {
            if let Ok(v) = serde_json::from_str(&data.join("\n")) {
                out.push(v);
            }
            data.clear();
        }
    };
    for line in text.lines() {
        if line.is_empty() {
            flush(&mut data);
        } else if let Some(rest) = line.strip_prefix("data:") {
            data.push(rest.strip_prefix(' ').unwrap_or(rest));
        }
    }
    flush(&mut data);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const RESULT: &str = r#"{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{"listChanged":true},"logging":{}},"serverInfo":{"name":"demo","version":"1.2.3"},"instructions":"hi"}}"#;

    #[test]
    fn reads_a_json_answer() {
        let info = read_initialize("application/json; charset=utf-8", RESULT.as_bytes(), Some("s-1")).unwrap();
        assert_eq!(info.name.as_deref(), Some("demo"));
        assert_eq!(info.version.as_deref(), Some("1.2.3"));
        assert_eq!(info.capabilities, vec!["tools", "logging"], "in the order sent");
        assert_eq!(info.session_id.as_deref(), Some("s-1"));
        assert_eq!(info.instructions.as_deref(), Some("hi"));
    }

    #[test]
    fn reads_an_event_stream_answer_among_other_messages() {
        let body = format!(
            "event: message\ndata: {{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{{}}}}\n\nid: 7\nevent: message\ndata: {RESULT}\n\n"
        );
        let info = read_initialize("text/event-stream", body.as_bytes(), None).unwrap();
        assert_eq!(info.protocol_version.as_deref(), Some("2025-06-18"));
    }

    #[test]
    fn says_what_is_wrong_with_other_answers() {
        let error =
            br#"{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"Bad Request: Server not initialized"}}"#;
        assert_eq!(
            read_initialize("application/json", error, None),
            Err(McpAnswerError::JsonRpc {
                code: -32600,
                message: "Bad Request: Server not initialized".into()
            })
        );
        assert!(matches!(
            read_initialize("text/html", b"<html>", None),
            Err(McpAnswerError::NotJsonRpc(_))
        ));
        assert!(matches!(
            read_initialize("text/event-stream", b"data: {}\n\n", None),
            Err(McpAnswerError::NotJsonRpc(_))
        ));
        assert!(matches!(
            read_initialize("application/json", br#"{"id":1,"result":{}}"#, None),
            Err(McpAnswerError::NotJsonRpc(_))
        ));
    }
}
