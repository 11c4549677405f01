//! Reading what a provider answered. Providers answer errors as RFC 7591 JSON, as JSON
//! without a description, or as HTML and plain-text pages; hostile ones send deep nesting
//! or wrong types. All of it becomes metadata or a typed error with a readable message.

use super::HttpResponse;
use crate::error::Error;
use crate::metadata::KNOWN_FIELDS;
use serde_json::{Map, Value};

/// Deeper JSON is refused before parsing.
pub const MAX_JSON_DEPTH: usize = 32;

/// The body as a JSON object, or why it is not one.
pub fn json_object(response: &HttpResponse) -> Result<Map<String, Value>, String> {
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return Err(format!("HTTP {} with an empty body", response.status));
    }
    if nesting_depth(&response.body) > MAX_JSON_DEPTH {
        return Err(format!("JSON nested deeper than {MAX_JSON_DEPTH} levels"));
    }
    match serde_json::from_slice::<Value>(&response.body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(format!(
            "HTTP {} with JSON that is not an object ({})",
            response.status,
            kind(&other)
        )),
        Err(_) => Err(format!(
            "HTTP {} with a {} body instead of JSON: {}",
            response.status,
            response.header("content-type").unwrap_or("untyped"),
            safe_excerpt(&response.body)
        )),
    }
}

/// The typed error for a non-2xx answer.
pub fn provider_error(response: &HttpResponse) -> Error {
    let (code, description) = match json_object(response) {
        Ok(map) => (
            map.get("error").and_then(Value::as_str).map(clean),
            map.get("error_description").and_then(Value::as_str).map(clean),
        ),
        Err(_) if response.body.is_empty() => (None, None),
        Err(_) => (None, Some(safe_excerpt(&response.body))),
    };
    let status = response.status;
    if status == 412 {
        return Error::Conflict;
    }
    // Authlib answers a missing or wrong bearer token with 400 `access_denied` instead of
    // RFC 6750's 401 `invalid_token`: both refuse the caller, not the request.
    let refused = matches!(code.as_deref(), Some("invalid_token" | "access_denied"));
    if status == 401 || status == 403 || refused {
        let wants_certificate = description
            .as_deref()
            .is_some_and(|d| d.to_ascii_lowercase().contains("certificate"));
        let hint = match status {
            403 => "the account lacks the right role or scope for this operation".to_string(),
            // RFC 8705: the provider wants (another) client certificate, not a token.
            _ if wants_certificate => "the provider authenticates by client certificate (mutual TLS): name one the provider accepts in the profile (tls.client_certificate) or give the client its own".to_string(),
            _ => "check the profile's credentials; a registration access token may have been rotated or revoked, or the client deleted on the provider".to_string(),
        };
        return Error::Auth {
            status,
            code,
            description,
            hint,
            challenge: response
                .header("www-authenticate")
                .map(|c| c.chars().filter(|ch| !ch.is_control()).take(300).collect()),
        };
    }
    let field = field_named(code.as_deref(), description.as_deref());
    Error::Provider {
        status,
        code,
        description,
        field,
    }
}

/// `provider_error`, with every secret the call sent masked out of the provider's text:
/// some providers echo the token they refuse, and the message reaches screens and logs.
pub fn provider_error_masked(response: &HttpResponse, known: &[&str]) -> Error {
    if known.is_empty() {
        return provider_error(response);
    }
    let body = super::redact::mask_known(String::from_utf8_lossy(&response.body).into_owned(), known);
    provider_error(&HttpResponse {
        status: response.status,
        headers: response.headers.clone(),
        body: body.into_bytes(),
    })
}

/// Which metadata field an error is about, so a form can show it there.
fn field_named(code: Option<&str>, description: Option<&str>) -> Option<String> {
    match code {
        Some("invalid_redirect_uri") => return Some("redirect_uris".into()),
        Some("invalid_software_statement") | Some("unapproved_software_statement") => {
            return Some("software_statement".into())
        }
        _ => {}
    }
    let description = description?;
    KNOWN_FIELDS
        .iter()
        .filter(|f| description.contains(**f))
        .max_by_key(|f| f.len())
        .map(|f| f.to_string())
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "a list",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "null",
        Value::Object(_) => "an object",
    }
}

/// Counts bracket depth outside strings without parsing.
fn nesting_depth(body: &[u8]) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in body {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                max = max.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// An excerpt with every credential-looking value masked first: an error is shown, logged
/// and stored, so it may quote no credential (a new client's secret in a broken answer).
fn safe_excerpt(body: &[u8]) -> String {
    let masked = super::redact::mask_credentials_in_text(&String::from_utf8_lossy(body));
    excerpt(masked.as_bytes())
}

/// A short, tag-free, single-line summary of a text or HTML body.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(8192)]);
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if in_tag => {}
            c => out.push(c),
        }
    }
    let collapsed = clean(&out);
    if collapsed.chars().count() > 200 {
        format!("{}\u{2026}", collapsed.chars().take(200).collect::<String>())
    } else if collapsed.is_empty() {
        "(no readable text)".into()
    } else {
        collapsed
    }
}

/// Collapses white space and drops control characters, so a provider's text cannot
/// forge lines in a terminal or a log.
fn clean(s: &str) -> String {
    s.split_whitespace()
        .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, ct: &str, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![("content-type".into(), ct.into())],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn a_refusal_for_want_of_a_client_certificate_says_so() {
        let e = provider_error(&resp(
            401,
            "application/json",
            r#"{"error":"invalid_client","error_description":"a client certificate (mutual TLS) is required"}"#,
        ));
        let text = e.to_string();
        assert!(text.contains("tls.client_certificate"), "{text}");
        assert!(!text.contains("registration access token"), "{text}");
        let e = provider_error(&resp(401, "application/json", r#"{"error":"invalid_token"}"#));
        assert!(e.to_string().contains("registration access token"), "{e}");
    }

    #[test]
    fn rfc_errors_keep_code_description_and_field() {
        let e = provider_error(&resp(
            400,
            "application/json",
            r#"{"error":"invalid_redirect_uri","error_description":"One or more redirect_uri values are invalid"}"#,
        ));
        match e {
            Error::Provider {
                status: 400,
                code,
                description,
                field,
            } => {
                assert_eq!(code.as_deref(), Some("invalid_redirect_uri"));
                assert_eq!(
                    description.as_deref(),
                    Some("One or more redirect_uri values are invalid")
                );
                assert_eq!(field.as_deref(), Some("redirect_uris"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn html_pages_become_readable_text() {
        let e = provider_error(&resp(
            500,
            "text/html",
            "<html><body><h1>Internal\nError</h1><script>x</script></body></html>",
        ));
        let text = e.to_string();
        assert!(text.contains("HTTP 500"), "{text}");
        assert!(text.contains("Internal Error"), "{text}");
        assert!(!text.contains('<'), "{text}");
    }

    #[test]
    fn bad_tokens_are_auth_errors() {
        let e = provider_error(&resp(400, "application/json", r#"{"error":"invalid_token"}"#));
        assert_eq!(e.code(), crate::ErrorCode::Auth);
        assert_eq!(
            provider_error(&resp(412, "text/plain", "")).code(),
            crate::ErrorCode::Conflict
        );
    }

    #[test]
    fn hostile_bodies_are_refused_with_reasons() {
        let deep = "[".repeat(10_000);
        assert!(json_object(&resp(200, "application/json", &deep))
            .unwrap_err()
            .contains("nested"));
        assert!(json_object(&resp(200, "application/json", "[1,2]"))
            .unwrap_err()
            .contains("a list"));
        assert!(json_object(&resp(201, "text/plain", "created!"))
            .unwrap_err()
            .contains("instead of JSON"));
        assert!(json_object(&resp(201, "application/json", ""))
            .unwrap_err()
            .contains("empty"));
        let braces_in_strings = r#"{"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}"#;
        assert!(json_object(&resp(200, "application/json", braces_in_strings)).is_ok());
    }
}
