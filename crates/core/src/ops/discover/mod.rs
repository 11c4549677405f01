//! Discovery from an issuer: OpenID Connect Discovery 1.0 and RFC 8414 both, merged, so a
//! provider that names its registration endpoint in only one of its two documents is
//! still found. Each endpoint says which document named it.

mod document;
mod vendor;

pub use document::{DocumentFetch, DocumentKind, EndpointSource};

use super::call::{CallInfo, CallKind};
use super::Registrar;
use crate::error::{Error, Result};
use crate::http::HttpRequest;
use crate::profile::{Profile, ProviderKind, Timeouts, TlsOptions};
use document::{candidates, read_document, Merged};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

/// What an issuer's discovery documents say, merged (see the module), with the product they
/// look like.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Discovery {
    /// The issuer the documents name, or the one asked for when they name none.
    pub issuer: String,
    /// The first document that was found (the OpenID one when there is one).
    pub document_url: String,
    /// Every document asked for, in order, with what came of it.
    pub documents: Vec<DocumentFetch>,
    /// Each endpoint the documents name, with the document that named it.
    pub endpoints: Vec<EndpointSource>,
    /// Where clients are registered; from the documents, else the suggested product's usual
    /// place (with a warning); `None` when neither says.
    pub registration_endpoint: Option<String>,
    /// The token endpoint, when a document names it.
    pub token_endpoint: Option<String>,
    /// As the documents list it; empty when they do not.
    pub token_endpoint_auth_methods_supported: Vec<String>,
    /// As the documents list it; empty when they do not.
    pub grant_types_supported: Vec<String>,
    /// As the documents list it; empty when they do not.
    pub response_types_supported: Vec<String>,
    /// As the documents list it; empty when they do not.
    pub scopes_supported: Vec<String>,
    /// The kind the documents look like.
    pub suggested_kind: ProviderKind,
    /// Why that kind was suggested, when it is not the generic one.
    pub suggested_kind_reason: Option<String>,
    /// Disagreements and gaps to tell the user: an issuer that differs from the one asked
    /// for, documents that name different endpoints, no registration endpoint.
    pub warnings: Vec<String>,
    /// The merged document: the OpenID one's fields, then the RFC 8414 one's others.
    pub document: Map<String, Value>,
}

impl Discovery {
    /// Reads one discovery document that `document_url` answered for `requested_issuer`
    /// (as if it were the only one found): what the fuzz target feeds.
    pub fn parse(requested_issuer: &str, document_url: &str, response: &crate::http::HttpResponse) -> Result<Self> {
        let doc = read_document(document_url, response).map_err(Error::InvalidResponse)?;
        let kind = if document_url.contains("oauth-authorization-server") {
            DocumentKind::OauthAuthorizationServer
        } else {
            DocumentKind::OpenidConfiguration
        };
        let fetched = DocumentFetch::used(kind, document_url, response.status);
        Self::from_documents(
            requested_issuer,
            vec![fetched],
            vec![(kind, document_url.to_string(), doc)],
        )
    }

    /// Reads documents already fetched (`(kind, url, document)` in the order they were
    /// asked for) as discovery for `requested_issuer`.
    pub fn from_documents(
        requested_issuer: &str,
        documents: Vec<DocumentFetch>,
        found: Vec<(DocumentKind, String, Map<String, Value>)>,
    ) -> Result<Self> {
        let Some((_, first_url, _)) = found.first() else {
            return Err(Error::not_found(format!(
                "a discovery document; tried {}",
                documents
                    .iter()
                    .map(DocumentFetch::summary)
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        };
        let document_url = first_url.clone();
        let merged = Merged::of(requested_issuer, &found);
        let (suggested_kind, suggested_kind_reason) = vendor::recognise(&merged.document);
        let text = |k: &str| merged.document.get(k).and_then(Value::as_str).map(str::to_string);
        let list = |k: &str| {
            merged
                .document
                .get(k)
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
                .unwrap_or_default()
        };
        let mut warnings = merged.warnings;
        let mut registration_endpoint = text("registration_endpoint");
        if registration_endpoint.is_none() {
            registration_endpoint = vendor::default_registration_endpoint(suggested_kind, &merged.issuer);
            if let Some(endpoint) = &registration_endpoint {
                warnings.push(format!(
                    "no document names a registration_endpoint; {} serves it at {endpoint} when dynamic registration is enabled",
                    suggested_kind.label()
                ));
            }
        }
        if registration_endpoint.is_none() {
            warnings.push(format!(
                "no registration_endpoint in {}: the provider may not offer dynamic registration",
                found
                    .iter()
                    .map(|(_, url, _)| url.as_str())
                    .collect::<Vec<_>>()
                    .join(" or ")
            ));
        }
        Ok(Discovery {
            issuer: merged.issuer,
            document_url,
            documents,
            endpoints: merged.endpoints,
            token_endpoint: text("token_endpoint"),
            token_endpoint_auth_methods_supported: list("token_endpoint_auth_methods_supported"),
            grant_types_supported: list("grant_types_supported"),
            response_types_supported: list("response_types_supported"),
            scopes_supported: list("scopes_supported"),
            registration_endpoint,
            suggested_kind,
            suggested_kind_reason,
            warnings,
            document: merged.document,
        })
    }

    /// The hosts this discovery would send `profile`'s stored credentials to that the
    /// profile does not send them to now (its registration and token endpoints moving
    /// elsewhere): a shell asks before applying it to a profile that has secrets.
    pub fn new_hosts_for(&self, profile: &Profile) -> Vec<String> {
        let host = |u: &str| {
            Url::parse(u)
                .ok()
                .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        };
        let current: Vec<String> = [
            Some(profile.registration_endpoint.as_str()),
            profile.token_endpoint.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter_map(host)
        .chain(profile.settings.trusted_hosts.iter().map(|h| h.to_ascii_lowercase()))
        .collect();
        let mut new: Vec<String> = [self.registration_endpoint.as_deref(), self.token_endpoint.as_deref()]
            .into_iter()
            .flatten()
            .filter_map(host)
            .filter(|h| !current.contains(h))
            .collect();
        new.dedup();
        new
    }

    /// The document that named `field`, if any did.
    pub fn source_of(&self, field: &str) -> Option<&EndpointSource> {
        self.endpoints.iter().find(|e| e.field == field)
    }

    /// A profile for this provider with the suggested kind's preset; the probe refines it.
    pub fn propose_profile(&self, name: &str) -> Result<Profile> {
        let endpoint = self.registration_endpoint.clone().ok_or_else(|| {
            let asked = self
                .documents
                .iter()
                .filter(|d| d.used)
                .map(|d| d.url.as_str())
                .collect::<Vec<_>>()
                .join(" and ");
            Error::config(
                "registration_endpoint",
                format!("neither discovery document ({asked}) names a registration_endpoint; enter it by hand"),
            )
        })?;
        let mut profile = Profile::new(name, self.suggested_kind, endpoint);
        profile.issuer = Some(self.issuer.clone());
        profile.token_endpoint = self.token_endpoint.clone();
        Ok(profile)
    }
}

impl Registrar {
    /// Fetches the issuer's OpenID document and its RFC 8414 document (path insertion
    /// first, the appended form second) and merges them.
    pub async fn discover(&self, issuer: &str, tls: &TlsOptions) -> Result<Discovery> {
        let issuer_url = checked_discovery_url("issuer", issuer, tls)?;
        let transport = self.transports.transport_for(tls, &Timeouts::default(), None)?;
        let info = CallInfo {
            profile_id: None,
            client_id: None,
            operation: CallKind::Discover,
        };
        let mut documents = Vec::new();
        let mut found = Vec::new();
        let mut unusable = None;
        for (kind, urls) in candidates(&issuer_url) {
            for url in urls {
                let request = HttpRequest::new(http::Method::GET, url.clone());
                let response = match self.send(info, transport.as_ref(), request, &[]).await {
                    Ok(r) => r,
                    // Every candidate is on the same host: one that cannot be reached
                    // means none can.
                    Err(e @ (Error::Network { .. } | Error::Tls { .. })) if found.is_empty() => return Err(e),
                    Err(e) => {
                        documents.push(DocumentFetch::failed(kind, url.as_str(), None, e.to_string()));
                        continue;
                    }
                };
                if !response.is_success() {
                    documents.push(DocumentFetch::failed(
                        kind,
                        url.as_str(),
                        Some(response.status),
                        format!("HTTP {}", response.status),
                    ));
                    continue;
                }
                match read_document(url.as_str(), &response) {
                    Ok(doc) => {
                        documents.push(DocumentFetch::used(kind, url.as_str(), response.status));
                        found.push((kind, url.to_string(), doc));
                        break; // one document of each kind
                    }
                    Err(why) => {
                        documents.push(DocumentFetch::failed(
                            kind,
                            url.as_str(),
                            Some(response.status),
                            why.clone(),
                        ));
                        unusable.get_or_insert(why);
                    }
                }
            }
        }
        if found.is_empty() {
            if let Some(why) = unusable {
                return Err(Error::InvalidResponse(why));
            }
        }
        Discovery::from_documents(issuer_url.as_str(), documents, found)
    }
}

/// A URL discovery may read, as `field`: http or https, https unless the host is a
/// loopback one (discovery names the endpoints credentials go to: never read it in clear
/// text from another machine), and certificate checks skipped only on loopback hosts.
pub(crate) fn checked_discovery_url(field: &str, url: &str, tls: &TlsOptions) -> Result<Url> {
    let parsed = Url::parse(url.trim()).map_err(|e| Error::field(field, format!("is not a URL: {e}")))?;
    let loopback = crate::profile::is_loopback_host(&parsed);
    if tls.accept_invalid_certificates && !loopback {
        return Err(Error::field(
            field,
            "is not a loopback host, so its certificate must be checked: trust its CA instead of skipping the check",
        ));
    }
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::field(field, "must be an http or https URL"));
    }
    if parsed.scheme() == "http" && !loopback {
        return Err(Error::field(
            field,
            "must use https (plain http is only allowed for loopback hosts)",
        ));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn endpoints_moving_to_another_host_are_named() {
        let found = vec![(
            DocumentKind::OpenidConfiguration,
            "https://op.example/.well-known/openid-configuration".to_string(),
            json!({"issuer": "https://op.example", "registration_endpoint": "https://elsewhere.example/register",
                   "token_endpoint": "https://op.example/token"})
            .as_object()
            .cloned()
            .unwrap(),
        )];
        let d = Discovery::from_documents("https://op.example", Vec::new(), found).unwrap();
        let mut p = Profile::new("p", ProviderKind::Generic, "https://op.example/register");
        assert_eq!(d.new_hosts_for(&p), vec!["elsewhere.example"]);
        p.settings.trusted_hosts.push("elsewhere.example".into());
        assert!(d.new_hosts_for(&p).is_empty());
    }
}
