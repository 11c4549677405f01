//! Shared by the integration tests: start a mock, talk to it, check OAuth error bodies.
#![allow(dead_code)]

pub mod binary;
pub mod oauth;
pub mod openbanking;

use std::time::Duration;

use registrar_mock_op::{Dialect, MockConfig, MockServer};
use reqwest::{Response, StatusCode};
use serde_json::{Map, Value};

pub async fn start(dialect: Dialect) -> MockServer {
    start_with(MockConfig::new(dialect)).await
}

pub async fn start_with(config: MockConfig) -> MockServer {
    MockServer::start(config).await.expect("mock server starts")
}

/// A client that ignores proxy settings of the environment and never hangs a test for long.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("reqwest client")
}

pub async fn json(response: Response) -> Value {
    let text = response.text().await.expect("body arrives");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("body is not JSON ({e}): {text}"))
}

/// Asserts an OAuth error response: status, JSON content type, `error` code and a description.
pub async fn assert_error(response: Response, status: StatusCode, code: &str) {
    assert_eq!(response.status(), status, "status");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "content type {content_type}"
    );
    let body = json(response).await;
    assert_eq!(body["error"], code, "error code in {body}");
    assert!(body["error_description"].is_string(), "description in {body}");
}

pub fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not a JSON object: {other}"),
    }
}

pub fn str_of<'v>(value: &'v Value, key: &str) -> &'v str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is not a string in {value}"))
}

/// A body that is valid JSON, not an object.
pub const ARRAY_BODY: &str = r#"[{"redirect_uris":["https://app.example.com/cb"]}]"#;
/// A body that is not JSON.
pub const MALFORMED_BODY: &str = r#"{"redirect_uris": ["https://app.example.com/cb"]"#;
