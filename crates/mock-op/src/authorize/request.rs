//! Validating an authorization request (RFC 6749 §4.1.1, RFC 7636, OIDC Core §3.1.2.1, RFC 8707
//! resource indicators). Until
//! the client and its redirect URI are known good, errors are shown to the user; after that
//! they go back to the client (RFC 6749 §4.1.2.1), never to an unchecked URI.

use super::redirect;
use crate::client_auth::{self, narrow_scope};
use crate::state::Shared;

/// A validated authorization request, waiting for the user.
#[derive(Clone, Debug)]
pub(crate) struct AuthRequest {
    pub(crate) client_id: String,
    pub(crate) client_name: String,
    pub(crate) redirect_uri: String,
    /// Whether `redirect_uri` was in the request (then the token request must repeat it).
    pub(crate) redirect_uri_given: bool,
    pub(crate) state: Option<String>,
    pub(crate) nonce: Option<String>,
    /// What will be granted: the requested scopes the client may have.
    pub(crate) scope: String,
    /// RFC 8707 `resource` indicators, carried into the code.
    pub(crate) resource: Vec<String>,
    pub(crate) code_challenge: Option<String>,
    pub(crate) login_hint: Option<String>,
    pub(crate) acr: Option<String>,
}

/// Why a request is refused, and where the user or client learns of it.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// No trustworthy redirect URI: an error page.
    Page(String),
    /// Back to the client.
    Redirect {
        redirect_uri: String,
        state: Option<String>,
        error: &'static str,
        description: String,
    },
}

pub(crate) fn validate(shared: &Shared, params: &[(String, String)]) -> Result<AuthRequest, Refusal> {
    let get = |name: &str| client_auth::field(params, name).filter(|v| !v.is_empty());
    let client_id = get("client_id").ok_or_else(|| Refusal::Page("The request names no client (client_id).".into()))?;
    let client = client_auth::lookup(shared, client_id)
        .ok_or_else(|| Refusal::Page(format!("No client with the id `{client_id}` is registered here.")))?;
    let (redirect_uri, redirect_uri_given) = match get("redirect_uri") {
        Some(uri) if redirect::allowed(uri, &client.redirect_uris) => (uri.to_owned(), true),
        Some(uri) => {
            return Err(Refusal::Page(format!(
                "The redirect URI `{uri}` is not one the client registered."
            )))
        }
        None => match client.redirect_uris.as_slice() {
            [only] if !only.starts_with("regexp=") => (only.clone(), false),
            _ => {
                return Err(Refusal::Page(
                    "The request has no redirect_uri, and the client has not exactly one registered.".into(),
                ))
            }
        },
    };
    let state = get("state").map(str::to_owned);
    let refuse = |error: &'static str, description: &str| Refusal::Redirect {
        redirect_uri: redirect_uri.clone(),
        state: state.clone(),
        error,
        description: description.to_owned(),
    };
    match get("response_type") {
        None => return Err(refuse("invalid_request", "response_type is required")),
        Some("code") => {}
        Some(_) => {
            return Err(refuse(
                "unsupported_response_type",
                "this provider only answers response_type=code",
            ))
        }
    }
    if !client.may_use("authorization_code") {
        return Err(refuse(
            "unauthorized_client",
            "the client is not registered for the authorization_code grant",
        ));
    }
    if get("response_mode").is_some_and(|mode| mode != "query") {
        return Err(refuse("invalid_request", "only response_mode=query is supported"));
    }
    if get("request").is_some() || get("request_uri").is_some() {
        return Err(refuse("request_not_supported", "request objects are not supported"));
    }
    let code_challenge = match (get("code_challenge"), get("code_challenge_method")) {
        (None, None) if client.public => {
            return Err(refuse(
                "invalid_request",
                "public clients must use PKCE (code_challenge with S256)",
            ))
        }
        (None, None) => None,
        (None, Some(_)) => {
            return Err(refuse(
                "invalid_request",
                "code_challenge_method without code_challenge",
            ))
        }
        // RFC 7636 §4.3: no method means `plain`, which this provider refuses like any other.
        (Some(_), None | Some("plain")) => {
            return Err(refuse(
                "invalid_request",
                "code_challenge_method plain is not allowed; use S256",
            ))
        }
        (Some(_), Some(method)) if method != "S256" => {
            return Err(refuse("invalid_request", "code_challenge_method must be S256"))
        }
        (Some(challenge), Some(_)) => {
            // The base64url SHA-256 of a verifier is exactly 43 characters.
            let well_formed = challenge.len() == 43
                && challenge
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !well_formed {
                return Err(refuse(
                    "invalid_request",
                    "code_challenge is not a base64url SHA-256 value",
                ));
            }
            Some(challenge.to_owned())
        }
    };
    let resource = crate::resource::requested(params).map_err(|why| refuse("invalid_target", &why))?;
    let prompt: Vec<&str> = get("prompt").unwrap_or_default().split_whitespace().collect();
    if prompt
        .iter()
        .any(|p| !matches!(*p, "none" | "login" | "consent" | "select_account"))
    {
        return Err(refuse("invalid_request", "prompt has an unknown value"));
    }
    if prompt.contains(&"none") {
        // OIDC Core §3.1.2.1: `none` with anything else is an error; alone, it needs a session,
        // and the mock keeps none.
        if prompt.len() > 1 {
            return Err(refuse(
                "invalid_request",
                "prompt=none cannot be combined with other values",
            ));
        }
        return Err(refuse(
            "login_required",
            "the user must log in (this provider keeps no sessions)",
        ));
    }
    Ok(AuthRequest {
        client_id: client.id.clone(),
        client_name: client.name.clone(),
        redirect_uri,
        redirect_uri_given,
        state,
        nonce: get("nonce").map(str::to_owned),
        scope: narrow_scope(get("scope"), client.allowed_scope.as_deref()),
        resource,
        code_challenge,
        login_hint: get("login_hint").map(str::to_owned),
        acr: get("acr_values")
            .and_then(|v| v.split_whitespace().next())
            .map(str::to_owned),
    })
}
