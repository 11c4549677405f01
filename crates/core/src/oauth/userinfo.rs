//! The userinfo endpoint (OpenID Connect Core §5.3): a GET with the access token as a
//! Bearer credential (RFC 6750 §2.1).

use super::client::OAuthClient;
use super::error::{clean, Endpoint, FlowError, OAuthError};
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse};
use crate::secret::Secret;
use serde_json::{Map, Value};
use url::Url;

/// The userinfo endpoint's answer.
#[derive(Debug, Clone, PartialEq)]
pub enum UserInfo {
    /// Claims as JSON (`application/json`).
    Claims(Map<String, Value>),
    /// A signed or encrypted JWT (`application/jwt`), as sent: to be decoded and checked
    /// like an ID token.
    Jwt(String),
}

impl OAuthClient<'_> {
    /// The claims about the user the access token was issued for.
    pub async fn userinfo(&self, endpoint: &Url, access_token: &Secret) -> Result<UserInfo, FlowError> {
        let http = self.recorder(&[access_token]);
        let request = HttpRequest::new(http::Method::GET, endpoint.clone())
            .header("Authorization", format!("Bearer {}", access_token.expose()));
        let response = http.send(request).await?;
        if !response.is_success() {
            let known = http.known();
            return Err(match bearer_error(&response) {
                Some(e) => FlowError::OAuth(e),
                None => FlowError::refused(Endpoint::Userinfo, &response, &known),
            });
        }
        let content_type = response.header("content-type").unwrap_or_default().to_ascii_lowercase();
        if content_type.starts_with("application/jwt") {
            let jwt = String::from_utf8(response.body)
                .map_err(|_| Error::InvalidResponse("the userinfo JWT is not text".into()))?;
            return Ok(UserInfo::Jwt(jwt.trim().to_string()));
        }
        crate::http::json_object(&response)
            .map(UserInfo::Claims)
            .map_err(|why| FlowError::Core(Error::InvalidResponse(format!("the userinfo endpoint: {why}"))))
    }
}

/// The error in a `WWW-Authenticate: Bearer error="..."` challenge (RFC 6750 §3).
fn bearer_error(response: &HttpResponse) -> Option<OAuthError> {
    let challenge = response.header("www-authenticate")?;
    let param = |name: &str| {
        let at = challenge.find(&format!("{name}=\""))? + name.len() + 2;
        let rest = &challenge[at..];
        Some(clean(&rest[..rest.find('"')?]))
    };
    Some(OAuthError {
        endpoint: Endpoint::Userinfo,
        status: Some(response.status),
        error: param("error")?,
        error_description: param("error_description"),
        error_uri: param("error_uri"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bearer_challenge_is_an_oauth_error() {
        let r = HttpResponse {
            status: 401,
            headers: vec![(
                "www-authenticate".into(),
                r#"Bearer realm="op", error="invalid_token", error_description="The access token expired""#.into(),
            )],
            body: vec![],
        };
        let e = bearer_error(&r).unwrap();
        assert_eq!(e.error, "invalid_token");
        assert_eq!(e.error_description.as_deref(), Some("The access token expired"));
        assert_eq!(e.status, Some(401));
        let bare = HttpResponse {
            status: 401,
            headers: vec![("www-authenticate".into(), "Bearer realm=\"op\"".into())],
            body: vec![],
        };
        assert!(bearer_error(&bare).is_none());
    }
}
