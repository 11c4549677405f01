//! Token introspection (RFC 7662). oauth2 builds and authenticates the request; the answer
//! is read from its JSON leniently, so one field of an unexpected type (an `exp` sent as a
//! string) does not hide the others.

use super::client::OAuthClient;
use super::error::{Endpoint, FlowError};
use super::revoke::TokenTypeHint;
use crate::error::Error;
use crate::secret::Secret;
use oauth2::{AccessToken, IntrospectionUrl};
use serde::Serialize;
use serde_json::{Map, Value};
use url::Url;

/// What the introspection endpoint says of a token (RFC 7662 §2.2).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Introspection {
    /// `active`: whether the token is usable now. Only this is required.
    pub active: bool,
    /// `scope`, space-delimited.
    pub scope: Option<String>,
    /// `client_id`: the client it was issued to.
    pub client_id: Option<String>,
    /// `username`.
    pub username: Option<String>,
    /// `token_type`.
    pub token_type: Option<String>,
    /// `exp`, seconds since the epoch.
    pub exp: Option<i64>,
    /// `iat`, seconds since the epoch.
    pub iat: Option<i64>,
    /// `nbf`, seconds since the epoch.
    pub nbf: Option<i64>,
    /// `sub`.
    pub sub: Option<String>,
    /// `aud`, one or several.
    pub aud: Vec<String>,
    /// `iss`.
    pub iss: Option<String>,
    /// `jti`.
    pub jti: Option<String>,
    /// Every other member, as the provider sent it.
    pub other: Map<String, Value>,
}

impl Introspection {
    /// The certificate the token is bound to (RFC 8705 §3.1: `cnf.x5t#S256`), if any.
    pub fn certificate_thumbprint(&self) -> Option<&str> {
        self.other.get("cnf")?.get("x5t#S256")?.as_str()
    }

    /// Reads an answer's JSON object; `active` must be a boolean.
    pub fn from_json(mut map: Map<String, Value>) -> Result<Self, Error> {
        let active = match map.shift_remove("active") {
            Some(Value::Bool(b)) => b,
            // Some servers send "true"/"false".
            Some(Value::String(s)) if s == "true" || s == "false" => s == "true",
            other => {
                return Err(Error::InvalidResponse(format!(
                    "the introspection endpoint's answer has no boolean active (RFC 7662 §2.2), but {}",
                    other.map(|v| v.to_string()).unwrap_or_else(|| "nothing".into())
                )))
            }
        };
        let mut text = |k: &str| match map.shift_remove(k) {
            Some(Value::String(s)) => Some(s),
            Some(other) => {
                map.insert(k.to_string(), other);
                None
            }
            None => None,
        };
        let (scope, client_id, username, token_type, sub, iss, jti) = (
            text("scope"),
            text("client_id"),
            text("username"),
            text("token_type"),
            text("sub"),
            text("iss"),
            text("jti"),
        );
        let mut time = |k: &str| {
            let v = map.get(k)?;
            let t = v
                .as_i64()
                .or_else(|| v.as_f64().map(|f| f as i64))
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))?;
            map.shift_remove(k);
            Some(t)
        };
        let (exp, iat, nbf) = (time("exp"), time("iat"), time("nbf"));
        let aud = match map.shift_remove("aud") {
            Some(Value::String(s)) => vec![s],
            Some(Value::Array(a)) if a.iter().all(Value::is_string) => {
                a.into_iter().filter_map(|v| v.as_str().map(str::to_string)).collect()
            }
            Some(other) => {
                map.insert("aud".into(), other);
                Vec::new()
            }
            None => Vec::new(),
        };
        Ok(Self {
            active,
            scope,
            client_id,
            username,
            token_type,
            exp,
            iat,
            nbf,
            sub,
            aud,
            iss,
            jti,
            other: map,
        })
    }
}

impl OAuthClient<'_> {
    /// Asks the introspection endpoint about `token`, authenticating as the client.
    pub async fn introspect(
        &self,
        endpoint: &Url,
        token: &Secret,
        hint: Option<TokenTypeHint>,
    ) -> Result<Introspection, FlowError> {
        let client = self
            .oauth2()
            .set_introspection_url(IntrospectionUrl::from_url(endpoint.clone()));
        let http = self.recorder(&[token]);
        let access = AccessToken::new(token.expose().to_string());
        let mut request = client.introspect(&access);
        if let Some(hint) = hint {
            request = request.set_token_type_hint(hint.as_str());
        }
        let result = request.request_async(&http).await;
        let response = match (result, http.last()) {
            (Err(oauth2::RequestTokenError::Request(e)), _) => return Err(FlowError::Core(e)),
            (_, Some(r)) if r.status == 200 => r,
            (Err(e), _) => return Err(http.failure(Endpoint::Introspection, e)),
            (Ok(_), _) => {
                return Err(Error::InvalidResponse("the introspection endpoint sent no answer".into()).into())
            }
        };
        let map = crate::http::json_object(&response)
            .map_err(|why| Error::InvalidResponse(format!("the introspection endpoint: {why}")))?;
        Ok(Introspection::from_json(map)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn known_members_are_typed_and_the_rest_kept() {
        let i = Introspection::from_json(
            json!({"active": true, "scope": "openid", "exp": "1700000000", "iat": 1699990000,
                   "aud": "api", "client_id": "c1", "acr": "1", "cnf": {"x5t#S256": "abc"}})
            .as_object()
            .cloned()
            .unwrap(),
        )
        .unwrap();
        assert!(i.active);
        assert_eq!(i.exp, Some(1_700_000_000));
        assert_eq!(i.iat, Some(1_699_990_000));
        assert_eq!(i.aud, vec!["api"]);
        assert_eq!(i.client_id.as_deref(), Some("c1"));
        assert_eq!(i.other.keys().collect::<Vec<_>>(), ["acr", "cnf"]);
        assert!(Introspection::from_json(json!({"scope": "x"}).as_object().cloned().unwrap()).is_err());
        let odd = Introspection::from_json(json!({"active": false, "sub": 7}).as_object().cloned().unwrap()).unwrap();
        assert_eq!(odd.sub, None);
        assert_eq!(odd.other["sub"], 7, "a member of an unexpected type is kept as sent");
    }
}
