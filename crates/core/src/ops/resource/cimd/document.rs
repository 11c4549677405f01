//! A Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-document): the
//! client's metadata served as JSON at an https URL that is itself the `client_id`, so an
//! authorization server that supports it (`client_id_metadata_document_supported`) needs no
//! registration. Its rules, checked here as the draft states them and node-oidc-provider
//! enforces them:
//!
//! - the URL: https, with a path, no `.`/`..` segments, no fragment, no user or password;
//! - `client_id` equals the URL (simple string comparison);
//! - no shared secret: no `client_secret`, no `client_secret_expires_at`, and no
//!   `token_endpoint_auth_method` built on one (`client_secret_basic`, `_post`, `_jwt`);
//! - redirect URIs to come back to, and https for the URLs people follow
//!   (`client_uri`, `logo_uri`, `policy_uri`, `tos_uri`, `jwks_uri`).

use crate::metadata::{ClientMetadata, FieldError};
use serde_json::Value;
use url::Url;

/// Authentication methods built on a shared secret, which a document cannot carry.
const SHARED_SECRET_METHODS: &[&str] = &["client_secret_basic", "client_secret_post", "client_secret_jwt"];

/// URL fields that must be https in a document.
const HTTPS_FIELDS: &[&str] = &["client_uri", "logo_uri", "policy_uri", "tos_uri", "jwks_uri"];

/// What is wrong with `url` as a document's URL (and so as a `client_id`).
pub fn check_document_url(url: &str) -> Vec<FieldError> {
    let field = |m: &str| FieldError::new("client_id", m);
    let mut problems = Vec::new();
    if url.chars().any(|c| c <= ' ' || c == '\\' || c == '\u{7f}') {
        problems.push(field("must not contain spaces, control characters or backslashes"));
    }
    let Ok(parsed) = Url::parse(url) else {
        problems.push(field("is not a URL"));
        return problems;
    };
    if parsed.scheme() != "https" {
        problems.push(field("must be an https URL"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        problems.push(field("must not contain a user name or password"));
    }
    if url.contains('#') {
        problems.push(field("must not contain a fragment"));
    }
    // Dot segments are checked in the text as given: the parser has already removed them.
    let after_scheme = url.split_once("://").map_or("", |(_, rest)| rest);
    let path = after_scheme
        .find('/')
        .map(|i| &after_scheme[i..])
        .unwrap_or_default()
        .split(['?', '#'])
        .next()
        .unwrap_or_default();
    if path.is_empty() || path == "/" {
        problems.push(field("must have a path (https://host/path), not only a host"));
    }
    if path.split('/').any(|seg| {
        let seg = seg.to_ascii_lowercase().replace("%2e", ".");
        seg == "." || seg == ".."
    }) {
        problems.push(field("must not contain . or .. path segments"));
    }
    problems
}

/// What is wrong with `document` as the document served at `url`.
pub fn check_document(document: &ClientMetadata, url: &str) -> Vec<FieldError> {
    let mut problems = check_document_url(url);
    match document.str("client_id") {
        Some(id) if id == url => {}
        Some(id) => problems.push(FieldError::new(
            "client_id",
            format!("is {id}, but must be the document's own URL {url}"),
        )),
        None => problems.push(FieldError::new("client_id", format!("is missing: it must be {url}"))),
    }
    for secret in ["client_secret", "client_secret_expires_at"] {
        if document.get(secret).is_some() {
            problems.push(FieldError::new(
                secret,
                "must not be in a metadata document (it is public: there is no shared secret)",
            ));
        }
    }
    if let Some(method) = document.str("token_endpoint_auth_method") {
        if SHARED_SECRET_METHODS.contains(&method) {
            problems.push(FieldError::new(
                "token_endpoint_auth_method",
                format!("{method} needs a shared secret, which a metadata document cannot have: use none, private_key_jwt or a TLS method"),
            ));
        }
    }
    if document.redirect_uris().is_empty() {
        problems.push(FieldError::new(
            "redirect_uris",
            "must name at least one redirect URI (the authorization server checks the redirect against them)",
        ));
    }
    for field in HTTPS_FIELDS {
        if let Some(value) = document.get(field) {
            let https = value
                .as_str()
                .and_then(|v| Url::parse(v).ok())
                .is_some_and(|u| u.scheme() == "https");
            if !https {
                problems.push(FieldError::new(*field, "must be an https URL in a metadata document"));
            }
        }
    }
    problems
}

/// The document to serve at `url`: `metadata` with `client_id` set to `url`, checked.
pub fn metadata_document(url: &str, metadata: &ClientMetadata) -> Result<ClientMetadata, Vec<FieldError>> {
    let mut document = metadata.clone();
    document.set("client_id", Value::String(url.to_string()));
    let problems = check_document(&document, url);
    if problems.is_empty() {
        Ok(document)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(problems: &[FieldError]) -> Vec<&str> {
        problems.iter().map(|p| p.field.as_str()).collect()
    }

    #[test]
    fn urls_follow_the_drafts_rules() {
        assert!(check_document_url("https://app.example.com/client.json").is_empty());
        assert!(check_document_url("https://app.example.com:8443/c/client?v=2").is_empty());
        for bad in [
            "http://app.example.com/client.json",
            "https://app.example.com",
            "https://app.example.com/",
            "https://app.example.com/a/../client.json",
            "https://app.example.com/a/%2E/client.json",
            "https://app.example.com/client.json#x",
            "https://user:pw@app.example.com/client.json",
            "https://app.example.com/cli ent.json",
            "not a url",
        ] {
            assert!(!check_document_url(bad).is_empty(), "{bad} passed");
        }
    }

    #[test]
    fn a_document_is_public_and_names_itself() {
        let url = "https://app.example.com/client.json";
        let mut m = crate::ops::mcp_client_metadata("Demo");
        let doc = metadata_document(url, &m).unwrap();
        assert_eq!(doc.str("client_id"), Some(url));

        m.set("token_endpoint_auth_method", json!("client_secret_basic"));
        m.set("client_secret", json!("s3cret"));
        m.set("logo_uri", json!("http://app.example.com/logo.png"));
        m.set("redirect_uris", json!([]));
        let problems = metadata_document(url, &m).unwrap_err();
        assert_eq!(
            fields(&problems),
            vec![
                "client_secret",
                "token_endpoint_auth_method",
                "redirect_uris",
                "logo_uri"
            ]
        );

        let mut other = crate::ops::mcp_client_metadata("Demo");
        other.set("client_id", json!("https://elsewhere.example/client.json"));
        let problems = check_document(&other, url);
        assert!(
            problems[0].message.contains("must be the document's own URL"),
            "{problems:?}"
        );
    }
}
