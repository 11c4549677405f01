//! What a flow needs to know about the provider, from the profile (what the user set) and
//! the discovery documents (what the provider advertises), and a refusal in words before
//! anything is opened when something is missing.

use super::error::Endpoint;
use crate::error::{Error, Result};
use crate::ops::Discovery;
use crate::profile::{is_loopback_host, Profile};
use crate::Registrar;
use serde::Serialize;
use serde_json::{Map, Value};
use url::Url;

/// The grants a client can be tried with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum Grant {
    /// `authorization_code`, with PKCE.
    AuthorizationCode,
    /// `refresh_token`.
    RefreshToken,
    /// `urn:ietf:params:oauth:grant-type:device_code` (RFC 8628).
    DeviceCode,
    /// `client_credentials`.
    ClientCredentials,
}

impl Grant {
    /// The `grant_type` value, as registrations and `grant_types_supported` list it.
    pub fn as_str(self) -> &'static str {
        match self {
            Grant::AuthorizationCode => "authorization_code",
            Grant::RefreshToken => "refresh_token",
            Grant::DeviceCode => "urn:ietf:params:oauth:grant-type:device_code",
            Grant::ClientCredentials => "client_credentials",
        }
    }

    /// The endpoints the grant calls, in the order it calls them.
    pub fn endpoints(self) -> &'static [Endpoint] {
        match self {
            Grant::AuthorizationCode => &[Endpoint::Authorization, Endpoint::Token],
            Grant::DeviceCode => &[Endpoint::DeviceAuthorization, Endpoint::Token],
            Grant::RefreshToken | Grant::ClientCredentials => &[Endpoint::Token],
        }
    }
}

/// The provider as a flow sees it. Lists are `None` when the provider does not advertise
/// them (which says nothing either way).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ProviderMetadata {
    /// The issuer: the documents' (what the provider puts in `iss`), else the profile's.
    pub issuer: Option<String>,
    /// `authorization_endpoint`.
    pub authorization_endpoint: Option<Url>,
    /// `token_endpoint`: the profile's, else the documents'.
    pub token_endpoint: Option<Url>,
    /// `device_authorization_endpoint`.
    pub device_authorization_endpoint: Option<Url>,
    /// `introspection_endpoint`.
    pub introspection_endpoint: Option<Url>,
    /// `revocation_endpoint`.
    pub revocation_endpoint: Option<Url>,
    /// `userinfo_endpoint`.
    pub userinfo_endpoint: Option<Url>,
    /// `jwks_uri`.
    pub jwks_uri: Option<Url>,
    /// `code_challenge_methods_supported`.
    pub code_challenge_methods_supported: Option<Vec<String>>,
    /// `grant_types_supported`.
    pub grant_types_supported: Option<Vec<String>>,
    /// `token_endpoint_auth_methods_supported`.
    pub token_endpoint_auth_methods_supported: Option<Vec<String>>,
    /// `authorization_response_iss_parameter_supported` (RFC 9207): redirects carry `iss`.
    pub authorization_response_iss_parameter_supported: bool,
    /// `token_endpoint_auth_signing_alg_values_supported`: the algorithms a client
    /// assertion may use.
    pub token_endpoint_auth_signing_alg_values_supported: Option<Vec<String>>,
    /// `mtls_endpoint_aliases` (RFC 8705 §5): where a client using mutual TLS calls instead.
    pub mtls_endpoint_aliases: std::collections::BTreeMap<String, Url>,
    /// Fields that are present but unusable (not a URL, not https), in words.
    pub problems: Vec<String>,
}

impl ProviderMetadata {
    /// Reads a discovery document (the merged [`Discovery::document`], or one alone).
    pub fn from_document(document: &Map<String, Value>) -> Self {
        let mut problems = Vec::new();
        let mut url = |field: &str| {
            let text = document.get(field)?.as_str()?;
            match Url::parse(text) {
                Ok(u) if u.scheme() == "https" || (u.scheme() == "http" && is_loopback_host(&u)) => Some(u),
                Ok(_) => {
                    problems.push(format!("{field} {text} is not https; it is not used"));
                    None
                }
                Err(e) => {
                    problems.push(format!("{field} {text:?} is not a URL ({e}); it is not used"));
                    None
                }
            }
        };
        let authorization_endpoint = url("authorization_endpoint");
        let token_endpoint = url("token_endpoint");
        let device_authorization_endpoint = url("device_authorization_endpoint");
        let introspection_endpoint = url("introspection_endpoint");
        let revocation_endpoint = url("revocation_endpoint");
        let userinfo_endpoint = url("userinfo_endpoint");
        let jwks_uri = url("jwks_uri");
        let mut mtls_endpoint_aliases = std::collections::BTreeMap::new();
        if let Some(aliases) = document.get("mtls_endpoint_aliases").and_then(Value::as_object) {
            for (name, value) in aliases {
                match value.as_str().map(Url::parse) {
                    Some(Ok(u)) if u.scheme() == "https" => {
                        mtls_endpoint_aliases.insert(name.clone(), u);
                    }
                    _ => problems.push(format!(
                        "mtls_endpoint_aliases.{name} is not an https URL; it is not used"
                    )),
                }
            }
        }
        let list = |field: &str| {
            document
                .get(field)?
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
        };
        Self {
            issuer: document.get("issuer").and_then(Value::as_str).map(str::to_string),
            authorization_endpoint,
            token_endpoint,
            device_authorization_endpoint,
            introspection_endpoint,
            revocation_endpoint,
            userinfo_endpoint,
            jwks_uri,
            code_challenge_methods_supported: list("code_challenge_methods_supported"),
            grant_types_supported: list("grant_types_supported"),
            token_endpoint_auth_methods_supported: list("token_endpoint_auth_methods_supported"),
            token_endpoint_auth_signing_alg_values_supported: list("token_endpoint_auth_signing_alg_values_supported"),
            mtls_endpoint_aliases,
            authorization_response_iss_parameter_supported: document
                .get("authorization_response_iss_parameter_supported")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            problems,
        }
    }

    /// What discovery found (`None`: nothing), with the profile's token endpoint over it
    /// (the one its credentials are known to go to) and its issuer where the documents name
    /// none.
    pub fn from_profile(profile: &Profile, discovery: Option<&Discovery>) -> Self {
        let mut m = discovery.map(|d| Self::from_document(&d.document)).unwrap_or_default();
        if m.issuer.is_none() {
            m.issuer = profile.issuer.clone();
        }
        if let Some(token) = profile.token_endpoint.as_deref().and_then(|t| Url::parse(t).ok()) {
            m.token_endpoint = Some(token);
        }
        m
    }

    /// Switches each endpoint the provider aliases for mutual TLS (RFC 8705 §5) to its
    /// alias, for a client that authenticates with its certificate; returns what changed,
    /// in words. The authorization endpoint is a browser's and never aliased.
    pub fn use_mtls_aliases(&mut self) -> Vec<String> {
        let mut changed = Vec::new();
        let aliases = self.mtls_endpoint_aliases.clone();
        for (name, alias) in &aliases {
            let slot = match name.as_str() {
                "token_endpoint" => &mut self.token_endpoint,
                "device_authorization_endpoint" => &mut self.device_authorization_endpoint,
                "introspection_endpoint" => &mut self.introspection_endpoint,
                "revocation_endpoint" => &mut self.revocation_endpoint,
                "userinfo_endpoint" => &mut self.userinfo_endpoint,
                _ => continue,
            };
            if slot.as_ref() != Some(alias) {
                changed.push(format!("{name}: {alias} (the provider's mutual TLS alias)"));
                *slot = Some(alias.clone());
            }
        }
        changed
    }

    /// The endpoint, if known.
    pub fn endpoint(&self, endpoint: Endpoint) -> Option<&Url> {
        match endpoint {
            Endpoint::Authorization => self.authorization_endpoint.as_ref(),
            Endpoint::Token => self.token_endpoint.as_ref(),
            Endpoint::DeviceAuthorization => self.device_authorization_endpoint.as_ref(),
            Endpoint::Introspection => self.introspection_endpoint.as_ref(),
            Endpoint::Revocation => self.revocation_endpoint.as_ref(),
            Endpoint::Userinfo => self.userinfo_endpoint.as_ref(),
            Endpoint::Jwks => self.jwks_uri.as_ref(),
        }
    }

    /// The endpoint, or [`Error::Unsupported`] saying the provider advertises none.
    pub fn require(&self, endpoint: Endpoint) -> Result<&Url> {
        self.endpoint(endpoint).ok_or_else(|| Error::Unsupported {
            operation: format!("calling {}", endpoint.label()),
            provider: format!("the provider advertises no {}", endpoint.field()),
        })
    }

    /// Whether `grant` can be tried here: every endpoint it calls is known, the provider
    /// does not leave it out of a `grant_types_supported` it advertises, and for the
    /// authorization code grant, it does not leave S256 out of the PKCE methods it
    /// advertises. `Ok` carries warnings (a list the provider does not advertise).
    pub fn check(&self, grant: Grant) -> Result<Vec<String>> {
        let unsupported = |why: String| Error::Unsupported {
            operation: format!("trying the {} grant", grant.as_str()),
            provider: why,
        };
        for endpoint in grant.endpoints() {
            if self.endpoint(*endpoint).is_none() {
                return Err(unsupported(format!("the provider advertises no {}", endpoint.field())));
            }
        }
        let mut warnings = Vec::new();
        match &self.grant_types_supported {
            Some(list) if !list.iter().any(|g| g == grant.as_str()) => {
                return Err(unsupported(format!(
                    "its grant_types_supported ({}) does not include {}",
                    list.join(", "),
                    grant.as_str()
                )))
            }
            Some(_) => {}
            None => warnings.push(format!(
                "the provider does not advertise grant_types_supported, so whether it allows {} is not known",
                grant.as_str()
            )),
        }
        if grant == Grant::AuthorizationCode {
            match &self.code_challenge_methods_supported {
                Some(list) if !list.iter().any(|m| m == "S256") => {
                    return Err(unsupported(format!(
                        "its code_challenge_methods_supported ({}) does not include S256, and Registrar always uses PKCE with S256",
                        if list.is_empty() { "empty".to_string() } else { list.join(", ") }
                    )))
                }
                Some(_) => {}
                None => warnings.push(
                    "the provider does not advertise code_challenge_methods_supported; PKCE (S256) is sent anyway".into(),
                ),
            }
        }
        Ok(warnings)
    }
}

impl Registrar {
    /// What the profile's provider advertises for flows: discovery from the profile's
    /// issuer (recorded as `discover` calls), under the profile's own settings. A profile
    /// without an issuer gets its own settings alone.
    pub async fn provider_metadata(&self, profile: &Profile) -> Result<ProviderMetadata> {
        let discovery = match &profile.issuer {
            Some(issuer) => Some(self.discover(issuer, &profile.tls).await?),
            None => None,
        };
        Ok(ProviderMetadata::from_profile(profile, discovery.as_ref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn what_is_missing_is_said_before_anything_is_opened() {
        let m = ProviderMetadata::from_document(&doc(json!({
            "issuer": "https://op.example",
            "authorization_endpoint": "https://op.example/authorize",
            "token_endpoint": "https://op.example/token",
            "userinfo_endpoint": "http://op.example/userinfo",
            "revocation_endpoint": "not a url",
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "code_challenge_methods_supported": ["plain"],
            "authorization_response_iss_parameter_supported": true
        })));
        assert!(m.authorization_response_iss_parameter_supported);
        assert_eq!(m.userinfo_endpoint, None, "plain http to another machine is not used");
        assert_eq!(m.problems.len(), 2, "{:?}", m.problems);
        let e = m.require(Endpoint::DeviceAuthorization).unwrap_err();
        assert!(
            e.to_string().contains("advertises no device_authorization_endpoint"),
            "{e}"
        );
        let e = m.check(Grant::DeviceCode).unwrap_err();
        assert!(e.to_string().contains("device_authorization_endpoint"), "{e}");
        let e = m.check(Grant::AuthorizationCode).unwrap_err();
        assert!(e.to_string().contains("S256"), "{e}");
        let e = m.check(Grant::ClientCredentials).unwrap_err();
        assert!(e.to_string().contains("grant_types_supported"), "{e}");
        assert!(m.check(Grant::RefreshToken).unwrap().is_empty());
    }

    #[test]
    fn the_profile_wins_and_silence_is_a_warning() {
        let d = doc(json!({
            "issuer": "http://127.0.0.1:9/",
            "authorization_endpoint": "http://127.0.0.1:9/authorize",
            "token_endpoint": "http://127.0.0.1:9/token"
        }));
        let mut profile = Profile::new("p", crate::ProviderKind::Generic, "http://127.0.0.1:9/register");
        profile.token_endpoint = Some("http://127.0.0.1:9/other-token".into());
        profile.issuer = Some("http://127.0.0.1:9".into());
        let discovery = Discovery::from_documents(
            "http://127.0.0.1:9/",
            Vec::new(),
            vec![(
                crate::ops::DocumentKind::OpenidConfiguration,
                "http://127.0.0.1:9/.well-known/openid-configuration".into(),
                d.clone(),
            )],
        )
        .unwrap();
        let both = ProviderMetadata::from_profile(&profile, Some(&discovery));
        assert_eq!(
            both.issuer.as_deref(),
            Some("http://127.0.0.1:9/"),
            "what iss will carry"
        );
        assert_eq!(both.token_endpoint.as_ref().unwrap().path(), "/other-token");
        assert_eq!(both.authorization_endpoint.as_ref().unwrap().path(), "/authorize");
        let mut m = ProviderMetadata::from_profile(&profile, None);
        assert_eq!(m.issuer.as_deref(), Some("http://127.0.0.1:9"));
        assert_eq!(m.token_endpoint.as_ref().unwrap().path(), "/other-token");
        assert!(m.authorization_endpoint.is_none());
        let from_doc = ProviderMetadata::from_document(&d);
        m.authorization_endpoint = from_doc.authorization_endpoint;
        let warnings = m.check(Grant::AuthorizationCode).unwrap();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
    }
}
