//! OpenID Connect Discovery 1.0 and RFC 8414: from an issuer, find the registration and
//! token endpoints and what the provider supports, and propose a profile from them.

use super::call::CallInfo;
use super::Registrar;
use crate::error::{Error, Result};
use crate::http::{json_object, HttpRequest, HttpResponse};
use crate::profile::{Profile, ProviderKind, Timeouts, TlsOptions};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Discovery {
    pub issuer: String,
    /// Where the document was found.
    pub document_url: String,
    pub registration_endpoint: Option<String>,
    pub token_endpoint: Option<String>,
    pub token_endpoint_auth_methods_supported: Vec<String>,
    pub grant_types_supported: Vec<String>,
    pub response_types_supported: Vec<String>,
    pub scopes_supported: Vec<String>,
    /// The kind the endpoints look like.
    pub suggested_kind: ProviderKind,
    pub warnings: Vec<String>,
    pub document: Map<String, Value>,
}

impl Discovery {
    /// Reads a discovery document that `document_url` answered for `requested_issuer`.
    pub fn parse(requested_issuer: &str, document_url: &str, response: &HttpResponse) -> Result<Self> {
        let doc = json_object(response).map_err(|why| {
            Error::InvalidResponse(format!("the discovery document at {document_url} is unusable: {why}"))
        })?;
        Ok(read_document(requested_issuer, document_url, doc))
    }

    /// A profile for this provider with the suggested kind's preset; the probe refines it.
    pub fn propose_profile(&self, name: &str) -> Result<Profile> {
        let endpoint = self.registration_endpoint.clone().ok_or_else(|| {
            Error::config(
                "registration_endpoint",
                "the provider's discovery document names no registration_endpoint; enter it by hand",
            )
        })?;
        let mut profile = Profile::new(name, self.suggested_kind, endpoint);
        profile.issuer = Some(self.issuer.clone());
        profile.token_endpoint = self.token_endpoint.clone();
        Ok(profile)
    }
}

impl Registrar {
    pub async fn discover(&self, issuer: &str, tls: &TlsOptions) -> Result<Discovery> {
        let issuer_url = Url::parse(issuer.trim()).map_err(|e| Error::field("issuer", format!("is not a URL: {e}")))?;
        let transport = self.transports.transport_for(tls, &Timeouts::default())?;
        let info = CallInfo {
            profile_id: None,
            client_id: None,
            operation: "discover",
        };
        let mut tried = Vec::new();
        for url in candidates(&issuer_url) {
            let response = self
                .send(
                    info,
                    transport.as_ref(),
                    HttpRequest::new(http::Method::GET, url.clone()),
                    &[],
                )
                .await?;
            if response.is_success() {
                return Discovery::parse(issuer_url.as_str(), url.as_str(), &response);
            }
            tried.push(format!("{url} (HTTP {})", response.status));
        }
        Err(Error::not_found(format!(
            "a discovery document; tried {}",
            tried.join(", ")
        )))
    }
}

/// OIDC appends the well-known path to the issuer; RFC 8414 inserts it before the path.
fn candidates(issuer: &Url) -> Vec<Url> {
    let base = issuer.as_str().trim_end_matches('/');
    let path = issuer.path().trim_end_matches('/');
    let mut origin = issuer.clone();
    origin.set_path("");
    origin.set_query(None);
    let origin = origin.as_str().trim_end_matches('/').to_string();
    let mut urls = vec![
        format!("{base}/.well-known/openid-configuration"),
        format!("{origin}/.well-known/oauth-authorization-server{path}"),
    ];
    if !path.is_empty() {
        urls.push(format!("{base}/.well-known/oauth-authorization-server"));
    }
    urls.dedup();
    urls.iter().filter_map(|u| Url::parse(u).ok()).collect()
}

fn read_document(requested: &str, document_url: &str, doc: Map<String, Value>) -> Discovery {
    let text = |k: &str| doc.get(k).and_then(Value::as_str).map(str::to_string);
    let list = |k: &str| {
        doc.get(k)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default()
    };
    let mut warnings = Vec::new();
    let issuer = text("issuer").unwrap_or_else(|| {
        warnings.push("the document has no issuer".into());
        requested.to_string()
    });
    if issuer.trim_end_matches('/') != requested.trim_end_matches('/') {
        warnings.push(format!(
            "the document's issuer {issuer} differs from the one asked for ({requested}); OpenID Connect requires them to match"
        ));
    }
    let registration_endpoint = text("registration_endpoint");
    if registration_endpoint.is_none() {
        warnings.push("no registration_endpoint: the provider may not offer dynamic registration".into());
    }
    let suggested_kind = registration_endpoint
        .as_deref()
        .map(guess_kind)
        .unwrap_or(ProviderKind::Generic);
    Discovery {
        issuer,
        document_url: document_url.to_string(),
        token_endpoint: text("token_endpoint"),
        token_endpoint_auth_methods_supported: list("token_endpoint_auth_methods_supported"),
        grant_types_supported: list("grant_types_supported"),
        response_types_supported: list("response_types_supported"),
        scopes_supported: list("scopes_supported"),
        registration_endpoint,
        suggested_kind,
        warnings,
        document: doc,
    }
}

/// Endpoint shapes that identify a provider; anything else is generic until probed.
fn guess_kind(registration_endpoint: &str) -> ProviderKind {
    if registration_endpoint.contains("/identity/connect/register") {
        ProviderKind::Wso2
    } else if registration_endpoint.contains("/oidc/endpoint/") && registration_endpoint.ends_with("/registration") {
        ProviderKind::Liberty
    } else {
        ProviderKind::Generic
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_locations_follow_both_specs() {
        let urls: Vec<String> = candidates(&Url::parse("https://op.example/oidc/endpoint/OP").unwrap())
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(
            urls,
            vec![
                "https://op.example/oidc/endpoint/OP/.well-known/openid-configuration",
                "https://op.example/.well-known/oauth-authorization-server/oidc/endpoint/OP",
                "https://op.example/oidc/endpoint/OP/.well-known/oauth-authorization-server",
            ]
        );
        assert_eq!(candidates(&Url::parse("https://op.example").unwrap()).len(), 2);
    }
}
