//! A protected resource beside the authorization server: an MCP server (Model Context
//! Protocol, Streamable HTTP transport) at `<base>/mcp` and its protected resource metadata
//! (RFC 9728), so an MCP client's whole authorization discovery chain can be walked offline:
//! the 401 and its `WWW-Authenticate` challenge, the metadata it points to, the authorization
//! server's metadata, registration, the code flow with PKCE and an RFC 8707 `resource`, and
//! an authorized call. The [`ResourceFault`] switches break the chain where real deployments
//! do.
//!
//! Access tokens are those the mock's token endpoint issued: live, granted [`MCP_SCOPE`], and
//! issued for this resource (their `resource` includes `<base>/mcp`).

mod mcp;

use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use http::header::{CACHE_CONTROL, CONTENT_TYPE, WWW_AUTHENTICATE};
use http::{HeaderMap, HeaderValue, StatusCode};
use serde_json::json;

use crate::error::ApiError;
use crate::extract::Peer;
use crate::grants::Authorization;
use crate::state::Shared;
use crate::tls::PeerCertificate;
use crate::urls::{MCP_PATH, RESOURCE_METADATA_PATH};
use crate::{auth, ResourceFault};

/// The scope the MCP endpoint requires.
pub(crate) const MCP_SCOPE: &str = "mcp:tools";
/// What the metadata names as the resource under the `wrong-resource` fault: another server.
pub(crate) const WRONG_RESOURCE: &str = "https://mcp.example.com/mcp";

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route(MCP_PATH, any(mcp::endpoint))
        .route(&format!("{RESOURCE_METADATA_PATH}{MCP_PATH}"), get(metadata))
        // Clients that find no `resource_metadata` in the challenge try the root too.
        .route(RESOURCE_METADATA_PATH, get(metadata))
}

/// RFC 9728 §3.2: the protected resource metadata; 404 under the `no-metadata` fault.
async fn metadata(State(shared): State<Arc<Shared>>) -> Response {
    let faults = &shared.resource_faults;
    if faults.is_on(ResourceFault::NoMetadata) {
        return ApiError::not_found("this resource publishes no metadata (resource fault no-metadata)").into_response();
    }
    let resource = if faults.is_on(ResourceFault::WrongResource) {
        WRONG_RESOURCE
    } else {
        shared.urls.mcp.as_str()
    };
    let mut response = Json(json!({
        "resource": resource,
        "authorization_servers": [shared.urls.issuer],
        "scopes_supported": [MCP_SCOPE],
        "bearer_methods_supported": ["header"],
        "resource_name": format!("Registrar mock MCP server ({})", shared.dialect),
        "resource_documentation": "https://modelcontextprotocol.io/specification/2025-06-18/basic/authorization",
    }))
    .into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Why a request may not use the resource: the RFC 6750 §3.1 error, if any, and what to say.
#[derive(Debug)]
pub(crate) struct Refusal {
    status: StatusCode,
    /// `None` when no token was sent (§3.1: then no error code).
    error: Option<&'static str>,
    description: &'static str,
}

impl Refusal {
    fn no_token() -> Self {
        Refusal {
            status: StatusCode::UNAUTHORIZED,
            error: None,
            description: "a bearer access token is required; the challenge names the resource metadata",
        }
    }

    fn invalid_token(description: &'static str) -> Self {
        Refusal {
            status: StatusCode::UNAUTHORIZED,
            error: Some("invalid_token"),
            description,
        }
    }

    /// The response: JSON `{"error", "error_description"}` and the Bearer challenge with the
    /// scope and (unless `no-metadata`) the metadata's URL (RFC 9728 §5.1).
    pub(crate) fn respond(self, shared: &Shared) -> Response {
        let mut challenge = String::from("Bearer ");
        let mut params = Vec::new();
        if let Some(error) = self.error {
            params.push(format!("error=\"{error}\""));
            params.push(format!("error_description=\"{}\"", self.description));
        }
        if !shared.resource_faults.is_on(ResourceFault::NoMetadata) {
            params.push(format!("resource_metadata=\"{}\"", shared.urls.resource_metadata));
        }
        params.push(format!("scope=\"{MCP_SCOPE}\""));
        challenge.push_str(&params.join(", "));
        let mut body = serde_json::Map::new();
        if let Some(error) = self.error {
            body.insert("error".into(), error.into());
        }
        body.insert("error_description".into(), self.description.into());
        let mut response = (self.status, serde_json::Value::Object(body).to_string()).into_response();
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Ok(value) = HeaderValue::from_str(&challenge) {
            headers.insert(WWW_AUTHENTICATE, value);
        }
        response
    }
}

/// The authorization of the request's bearer token, if it may use the MCP endpoint.
pub(crate) fn authorize(shared: &Shared, headers: &HeaderMap, peer: &Peer) -> Result<Authorization, Refusal> {
    if !auth::present(headers) {
        return Err(Refusal::no_token());
    }
    let token = auth::token(headers, &["Bearer"])
        .ok_or_else(|| Refusal::invalid_token("the Authorization header is not a Bearer access token"))?;
    let found = shared
        .grants
        .tokens
        .access(token)
        .ok_or_else(|| Refusal::invalid_token("the access token is unknown, expired or revoked"))?;
    let authorization = found.authorization;
    // RFC 8705 §3: a certificate-bound token works only with the same certificate.
    if let Some(bound) = &authorization.cnf {
        if peer.certificate().map(PeerCertificate::thumbprint).as_ref() != Some(bound) {
            return Err(Refusal::invalid_token(
                "the access token is bound to a client certificate that this request did not present",
            ));
        }
    }
    // RFC 8707, and the MCP specification's audience rule: the token must be meant for us.
    let ours = |resource: &String| resource.trim_end_matches('/') == shared.urls.mcp;
    if authorization.resource.is_empty() {
        return Err(Refusal::invalid_token(
            "the access token was issued for no resource; ask for it with resource=<this endpoint> (RFC 8707)",
        ));
    }
    if !authorization.resource.iter().any(ours) {
        return Err(Refusal::invalid_token(
            "the access token was issued for another resource (RFC 8707 audience)",
        ));
    }
    if !authorization.scope.split_whitespace().any(|s| s == MCP_SCOPE) {
        return Err(Refusal {
            status: StatusCode::FORBIDDEN,
            error: Some("insufficient_scope"),
            description: "the access token was not granted the mcp:tools scope",
        });
    }
    Ok(authorization)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_token_gets_a_challenge_without_an_error_code() {
        let shared = Shared::new(
            crate::MockConfig::new(crate::Dialect::Generic),
            "http://127.0.0.1:1",
            crate::shutdown::channel().1,
        );
        let response = Refusal::no_token().respond(&shared);
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            response.headers()[WWW_AUTHENTICATE],
            "Bearer resource_metadata=\"http://127.0.0.1:1/.well-known/oauth-protected-resource/mcp\", scope=\"mcp:tools\""
        );
        shared.resource_faults.set(&[ResourceFault::NoMetadata]);
        let response = Refusal::invalid_token("x").respond(&shared);
        assert_eq!(
            response.headers()[WWW_AUTHENTICATE],
            "Bearer error=\"invalid_token\", error_description=\"x\", scope=\"mcp:tools\""
        );
    }
}
