//! The front channel of the authorization code grant: the URL the browser opens
//! (RFC 6749 §4.1.1, RFC 7636 §4.3, OpenID Connect Core §3.1.2.1, RFC 8707), and the
//! redirect that comes back (RFC 6749 §4.1.2, RFC 9207).

use super::error::clean;
use super::random::Pkce;
use crate::secret::Secret;
use oauth2::basic::BasicClient;
use oauth2::{AuthUrl, ClientId, CsrfToken, RedirectUrl, Scope};
use std::borrow::Cow;
use url::Url;

/// Everything an authorization URL carries. `response_type` is always `code` and the
/// PKCE method always S256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationRequest {
    /// The provider's `authorization_endpoint` (a query it already has is kept).
    pub authorization_endpoint: Url,
    /// The client being tried.
    pub client_id: String,
    /// Where the provider sends the browser back: one of the client's registered URIs.
    pub redirect_uri: String,
    /// Space-delimited scope; `None` leaves the provider's default.
    pub scope: Option<String>,
    /// The `state` ([`super::new_state`]), checked by [`parse_callback`].
    pub state: String,
    /// The OpenID `nonce` ([`super::new_nonce`]); the ID token must carry it back.
    pub nonce: Option<String>,
    /// The S256 `code_challenge` ([`Pkce::challenge`]); `None` sends no PKCE.
    pub code_challenge: Option<String>,
    /// `prompt` (`login`, `consent`, `select_account`, `none`).
    pub prompt: Option<String>,
    /// `acr_values`, space-delimited.
    pub acr_values: Option<String>,
    /// `login_hint`.
    pub login_hint: Option<String>,
    /// `resource` indicators (RFC 8707), one parameter each.
    pub resource: Vec<String>,
    /// Any other parameters, in order, after the ones above.
    pub extra: Vec<(String, String)>,
}

impl AuthorizationRequest {
    /// A request with fresh `state` and `nonce` and the challenge of `pkce`; the rest empty.
    pub fn new(authorization_endpoint: Url, client_id: &str, redirect_uri: &str, pkce: &Pkce) -> Self {
        Self {
            authorization_endpoint,
            client_id: client_id.to_string(),
            redirect_uri: redirect_uri.to_string(),
            scope: None,
            state: super::new_state(),
            nonce: Some(super::new_nonce()),
            code_challenge: Some(pkce.challenge.clone()),
            prompt: None,
            acr_values: None,
            login_hint: None,
            resource: Vec::new(),
            extra: Vec::new(),
        }
    }

    /// The URL to show, then open in the browser. Fails only when `redirect_uri` is not a URL.
    pub fn url(&self) -> Result<Url, crate::Error> {
        let redirect = RedirectUrl::new(self.redirect_uri.clone())
            .map_err(|e| crate::Error::field("redirect_uri", format!("is not a URL: {e}")))?;
        let client = BasicClient::new(ClientId::new(self.client_id.clone()))
            .set_auth_uri(AuthUrl::from_url(self.authorization_endpoint.clone()))
            .set_redirect_uri(redirect);
        let state = self.state.clone();
        let mut request = client.authorize_url(move || CsrfToken::new(state));
        if let Some(scope) = &self.scope {
            request = request.add_scopes(scope.split_whitespace().map(|s| Scope::new(s.to_string())));
        }
        let optional = [
            ("code_challenge", self.code_challenge.as_deref()),
            (
                "code_challenge_method",
                self.code_challenge.as_ref().map(|_| Pkce::METHOD),
            ),
            ("nonce", self.nonce.as_deref()),
            ("prompt", self.prompt.as_deref()),
            ("acr_values", self.acr_values.as_deref()),
            ("login_hint", self.login_hint.as_deref()),
        ];
        for (name, value) in optional {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                request = request.add_extra_param(name, Cow::Owned(value.to_string()));
            }
        }
        for resource in &self.resource {
            request = request.add_extra_param("resource", Cow::Owned(resource.clone()));
        }
        for (name, value) in &self.extra {
            request = request.add_extra_param(Cow::Owned(name.clone()), Cow::Owned(value.clone()));
        }
        Ok(request.url().0)
    }
}

/// The authorization code a redirect carried; single use, short-lived.
#[derive(Debug, Clone)]
pub struct AuthorizationCode(pub Secret);

impl AuthorizationCode {
    /// The code itself.
    pub fn secret(&self) -> &Secret {
        &self.0
    }
}

/// Why a redirect did not deliver a usable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackError {
    /// The `state` is not the one sent: the answer is to another request (or forged).
    #[error("the redirect's state {got:?} is not the one Registrar sent; it answers another request (or a forged one) and was not used")]
    StateMismatch {
        /// The `state` that came back, if any.
        got: Option<String>,
    },
    /// The provider refused the request (`access_denied`, `invalid_scope`...).
    #[error("the provider answered {error}{}", .description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    ProviderError {
        /// The `error` code.
        error: String,
        /// The `error_description`, when given.
        description: Option<String>,
        /// The `error_uri`, when given.
        uri: Option<String>,
    },
    /// A successful-looking redirect without `code`.
    #[error("the redirect carries neither a code nor an error")]
    MissingCode,
    /// The `iss` (RFC 9207) names another issuer: a mix-up attack, or the wrong provider.
    #[error("the redirect's iss {got:?} is not the provider's issuer {expected:?}; the code was not used (RFC 9207 mix-up defence)")]
    IssuerMismatch {
        /// The issuer expected.
        expected: String,
        /// The `iss` that came.
        got: String,
    },
    /// The provider advertises `authorization_response_iss_parameter_supported` but the
    /// redirect has no `iss`.
    #[error("the provider says its redirects carry iss (RFC 9207), but this one has none; the code was not used")]
    IssuerMissing,
    /// A parameter came more than once (RFC 6749 §3.1 forbids it).
    #[error("the redirect carries {0} more than once")]
    Repeated(String),
}

/// Reads the redirect back from the provider: `state` must be `expected_state`; `iss`,
/// when present, must be `expected_issuer` (when known), and must be present when
/// `iss_required` (the provider's `authorization_response_iss_parameter_supported`);
/// then an `error` is the provider's refusal, and otherwise `code` is the result.
pub fn parse_callback(
    url: &Url,
    expected_state: &str,
    expected_issuer: Option<&str>,
    iss_required: bool,
) -> Result<AuthorizationCode, CallbackError> {
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let mut seen: Vec<&str> = Vec::new();
    for (name, _) in &pairs {
        if seen.contains(&name.as_str()) {
            return Err(CallbackError::Repeated(clean(name)));
        }
        seen.push(name);
    }
    let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let state = get("state");
    if state != Some(expected_state) {
        return Err(CallbackError::StateMismatch { got: state.map(clean) });
    }
    match (get("iss"), expected_issuer) {
        (Some(iss), Some(expected)) if iss != expected => {
            return Err(CallbackError::IssuerMismatch {
                expected: expected.to_string(),
                got: clean(iss),
            })
        }
        (None, _) if iss_required => return Err(CallbackError::IssuerMissing),
        _ => {}
    }
    if let Some(error) = get("error") {
        return Err(CallbackError::ProviderError {
            error: clean(error),
            description: get("error_description").map(clean),
            uri: get("error_uri").map(clean),
        });
    }
    match get("code").filter(|c| !c.is_empty()) {
        Some(code) => Ok(AuthorizationCode(Secret::new(code))),
        None => Err(CallbackError::MissingCode),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> AuthorizationRequest {
        let mut r = AuthorizationRequest::new(
            Url::parse("https://op.example/authorize?tenant=a").unwrap(),
            "client 1",
            "http://127.0.0.1:4711/callback",
            &Pkce::new_s256(),
        );
        r.scope = Some("openid  profile".into());
        r.prompt = Some("consent".into());
        r.login_hint = Some("demo".into());
        r.acr_values = Some("urn:a urn:b".into());
        r.resource = vec!["https://api.a/".into(), "https://api.b/".into()];
        r.extra = vec![("ui_locales".into(), "fr en".into())];
        r
    }

    #[test]
    fn the_url_carries_every_parameter_once_and_keeps_the_endpoints_query() {
        let r = request();
        let url = r.url().unwrap();
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let get = |k: &str| {
            pairs
                .iter()
                .filter(|(n, _)| n == k)
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(url.path(), "/authorize");
        assert_eq!(get("tenant"), ["a"]);
        assert_eq!(get("response_type"), ["code"]);
        assert_eq!(get("client_id"), ["client 1"]);
        assert_eq!(get("redirect_uri"), ["http://127.0.0.1:4711/callback"]);
        assert_eq!(get("scope"), ["openid profile"]);
        assert_eq!(get("state"), [r.state.as_str()]);
        assert_eq!(get("nonce"), [r.nonce.as_deref().unwrap()]);
        assert_eq!(get("code_challenge"), [r.code_challenge.as_deref().unwrap()]);
        assert_eq!(get("code_challenge_method"), ["S256"]);
        assert_eq!(get("prompt"), ["consent"]);
        assert_eq!(get("login_hint"), ["demo"]);
        assert_eq!(get("acr_values"), ["urn:a urn:b"]);
        assert_eq!(get("resource"), ["https://api.a/", "https://api.b/"]);
        assert_eq!(get("ui_locales"), ["fr en"]);
        let mut bare = r.clone();
        bare.code_challenge = None;
        bare.nonce = None;
        let url = bare.url().unwrap();
        assert!(!url.as_str().contains("code_challenge") && !url.as_str().contains("nonce"));
    }

    fn callback(query: &str) -> Url {
        Url::parse(&format!("http://127.0.0.1:4711/callback?{query}")).unwrap()
    }

    #[test]
    fn a_callback_is_checked_state_then_issuer_then_error_then_code() {
        let iss = Some("https://op.example");
        let ok = parse_callback(
            &callback("code=c0de&state=s1&iss=https%3A%2F%2Fop.example"),
            "s1",
            iss,
            true,
        )
        .unwrap();
        assert_eq!(ok.secret().expose(), "c0de");
        assert_eq!(
            parse_callback(&callback("code=c&state=other"), "s1", iss, false).unwrap_err(),
            CallbackError::StateMismatch {
                got: Some("other".into())
            }
        );
        assert_eq!(
            parse_callback(&callback("code=c"), "s1", iss, false).unwrap_err(),
            CallbackError::StateMismatch { got: None }
        );
        assert!(matches!(
            parse_callback(
                &callback("code=c&state=s1&iss=https%3A%2F%2Fevil.example"),
                "s1",
                iss,
                false
            ),
            Err(CallbackError::IssuerMismatch { .. })
        ));
        assert_eq!(
            parse_callback(&callback("code=c&state=s1"), "s1", iss, true).unwrap_err(),
            CallbackError::IssuerMissing
        );
        assert!(parse_callback(&callback("code=c&state=s1"), "s1", iss, false).is_ok());
        assert_eq!(
            parse_callback(
                &callback("error=access_denied&error_description=the+user+said+no&state=s1"),
                "s1",
                iss,
                false
            )
            .unwrap_err(),
            CallbackError::ProviderError {
                error: "access_denied".into(),
                description: Some("the user said no".into()),
                uri: None
            }
        );
        assert_eq!(
            parse_callback(&callback("state=s1"), "s1", None, false).unwrap_err(),
            CallbackError::MissingCode
        );
        assert_eq!(
            parse_callback(&callback("code=a&code=b&state=s1"), "s1", None, false).unwrap_err(),
            CallbackError::Repeated("code".into())
        );
    }
}
