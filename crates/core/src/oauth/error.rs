//! How a flow fails: the endpoint's own OAuth error (RFC 6749 §5.2, RFC 8628 §3.5,
//! RFC 6750 §3), said with the endpoint that answered it, or a core error (the network, an
//! answer that is not usable, a setting).

use crate::error::Error;
use crate::http::{provider_error_masked, HttpResponse};
use serde::Serialize;
use serde_json::Value;

/// The endpoints a flow talks to, named as the discovery documents name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum Endpoint {
    /// `authorization_endpoint`: opened in the browser, never called by Registrar.
    Authorization,
    /// `token_endpoint`.
    Token,
    /// `device_authorization_endpoint` (RFC 8628).
    DeviceAuthorization,
    /// `introspection_endpoint` (RFC 7662).
    Introspection,
    /// `revocation_endpoint` (RFC 7009).
    Revocation,
    /// `userinfo_endpoint` (OpenID Connect Core §5.3).
    Userinfo,
    /// `jwks_uri`.
    Jwks,
}

impl Endpoint {
    /// The metadata field that names it (`token_endpoint`...).
    pub fn field(self) -> &'static str {
        match self {
            Endpoint::Authorization => "authorization_endpoint",
            Endpoint::Token => "token_endpoint",
            Endpoint::DeviceAuthorization => "device_authorization_endpoint",
            Endpoint::Introspection => "introspection_endpoint",
            Endpoint::Revocation => "revocation_endpoint",
            Endpoint::Userinfo => "userinfo_endpoint",
            Endpoint::Jwks => "jwks_uri",
        }
    }

    /// Its name in sentences ("the token endpoint").
    pub fn label(self) -> &'static str {
        match self {
            Endpoint::Authorization => "the authorization endpoint",
            Endpoint::Token => "the token endpoint",
            Endpoint::DeviceAuthorization => "the device authorization endpoint",
            Endpoint::Introspection => "the introspection endpoint",
            Endpoint::Revocation => "the revocation endpoint",
            Endpoint::Userinfo => "the userinfo endpoint",
            Endpoint::Jwks => "the JWK Set",
        }
    }
}

/// An OAuth error an endpoint answered (`invalid_grant`, `access_denied`, `slow_down`,
/// `invalid_token`...), kept whole so a shell shows it at the step where it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[error("{} answered {error}{}{}{}", .endpoint.label(),
    .status.map(|s| format!(" (HTTP {s})")).unwrap_or_else(|| " (concluded locally)".into()),
    .error_description.as_deref().map(|d| format!(": {d}")).unwrap_or_default(),
    .error_uri.as_deref().map(|u| format!(" (see {u})")).unwrap_or_default())]
pub struct OAuthError {
    /// Which endpoint answered.
    pub endpoint: Endpoint,
    /// The HTTP status; `None` when Registrar concluded it without an answer (a device
    /// code whose lifetime passed while polling).
    pub status: Option<u16>,
    /// The `error` code.
    pub error: String,
    /// The `error_description`, when given.
    pub error_description: Option<String>,
    /// The `error_uri`, when given.
    pub error_uri: Option<String>,
}

impl OAuthError {
    /// Whether the code is `error` (`access_denied`, `expired_token`...).
    pub fn is(&self, error: &str) -> bool {
        self.error == error
    }

    /// The OAuth error in a JSON error answer; `None` when the body holds no `error` string.
    /// `known` secrets are masked out of the texts (a provider may echo what it refuses).
    pub(crate) fn from_response(endpoint: Endpoint, response: &HttpResponse, known: &[&str]) -> Option<Self> {
        let map = crate::http::json_object(response).ok()?;
        let text = |k: &str| {
            map.get(k)
                .and_then(Value::as_str)
                .map(|s| crate::http::redact::mask_known(clean(s), known))
        };
        Some(Self {
            endpoint,
            status: Some(response.status),
            error: text("error")?,
            error_description: text("error_description"),
            error_uri: text("error_uri"),
        })
    }
}

/// Text from a provider, without control characters and of a bounded length.
pub(crate) fn clean(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(500).collect()
}

/// Why a step of a flow failed.
#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    /// The endpoint answered an OAuth error.
    #[error(transparent)]
    OAuth(#[from] OAuthError),
    /// Anything else: the network, an answer that is not usable, a missing endpoint or
    /// setting, the history.
    #[error(transparent)]
    Core(#[from] Error),
}

impl FlowError {
    /// The OAuth error, when that is what it is.
    pub fn oauth(&self) -> Option<&OAuthError> {
        match self {
            FlowError::OAuth(e) => Some(e),
            FlowError::Core(_) => None,
        }
    }

    /// The error for a refused (non-2xx) answer: the OAuth error it carries, else the
    /// core's reading of it (an HTML page, a body without `error`).
    pub(crate) fn refused(endpoint: Endpoint, response: &HttpResponse, known: &[&str]) -> Self {
        match OAuthError::from_response(endpoint, response, known) {
            Some(e) => FlowError::OAuth(e),
            None => FlowError::Core(provider_error_masked(response, known)),
        }
    }
}

/// For operations that answer the core's [`Error`]: an OAuth error becomes
/// [`Error::Auth`] when it refuses the client or the token (`invalid_client`,
/// `invalid_token`, 401) and [`Error::Provider`] otherwise, with the endpoint in the
/// description.
impl From<FlowError> for Error {
    fn from(e: FlowError) -> Self {
        let e = match e {
            FlowError::Core(e) => return e,
            FlowError::OAuth(e) => e,
        };
        let description = Some(format!(
            "{}{}{}",
            e.endpoint.label(),
            e.error_description
                .as_deref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default(),
            e.error_uri
                .as_deref()
                .map(|u| format!(" (see {u})"))
                .unwrap_or_default()
        ));
        let status = e.status.unwrap_or(0);
        if status == 401 || matches!(e.error.as_str(), "invalid_client" | "invalid_token") {
            Error::Auth {
                status,
                code: Some(e.error),
                description,
                hint: "check the client's credentials and its token_endpoint_auth_method, or get a new token".into(),
                challenge: None,
            }
        } else {
            Error::Provider {
                status,
                code: Some(e.error),
                description,
                field: None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn an_oauth_error_keeps_its_fields_and_masks_echoed_secrets() {
        let r = response(
            400,
            r#"{"error":"invalid_grant","error_description":"code abcdef123 was used","error_uri":"https://op/e"}"#,
        );
        let e = FlowError::refused(Endpoint::Token, &r, &["abcdef123"]);
        let e = e.oauth().expect("an OAuth error").clone();
        assert_eq!(e.error, "invalid_grant");
        assert_eq!(e.status, Some(400));
        assert_eq!(e.error_description.as_deref(), Some("code *** was used"));
        assert_eq!(e.error_uri.as_deref(), Some("https://op/e"));
        assert_eq!(
            e.to_string(),
            "the token endpoint answered invalid_grant (HTTP 400): code *** was used (see https://op/e)"
        );
        let core: Error = FlowError::OAuth(e).into();
        assert!(matches!(core, Error::Provider { status: 400, code: Some(ref c), .. } if c == "invalid_grant"));
    }

    #[test]
    fn a_page_instead_of_an_error_is_the_cores_reading() {
        let r = HttpResponse {
            status: 502,
            headers: vec![("content-type".into(), "text/html".into())],
            body: b"<html>bad gateway</html>".to_vec(),
        };
        assert!(matches!(
            FlowError::refused(Endpoint::Token, &r, &[]),
            FlowError::Core(Error::Provider { status: 502, .. })
        ));
        let refused = FlowError::refused(
            Endpoint::Introspection,
            &response(401, r#"{"error":"invalid_client"}"#),
            &[],
        );
        assert!(matches!(Error::from(refused), Error::Auth { status: 401, .. }));
    }
}
