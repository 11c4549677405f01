//! The discovery chain from a protected resource's URL to an authorization server a client
//! can register with, as the MCP authorization specification walks it: request the
//! resource, read its 401's challenge, fetch its metadata (RFC 9728), check the metadata is
//! about that resource, then read each authorization server's metadata (RFC 8414 and
//! OpenID). Each hop is a [`ChainStep`] with what it said and what is wrong with it, so a
//! chain that breaks shows where.

use super::challenge::{bearer_challenge, response_challenge, www_authenticate, BearerChallenge};
use super::metadata::{resource_match, well_known_candidates, ResourceMatch, ResourceMetadata};
use super::{BoundResource, ResourceProtocol};
use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse, Transport};
use crate::ops::call::{CallInfo, CallKind};
use crate::ops::discover::checked_discovery_url;
use crate::ops::{Discovery, Registrar};
use crate::profile::{Profile, Timeouts, TlsOptions};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

/// One hop of the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct ChainStep {
    /// Which hop.
    pub kind: StepKind,
    /// What was done, for people ("Requested the resource without a token").
    pub title: String,
    /// The URL asked.
    pub url: Option<String>,
    /// The HTTP status, when an answer came.
    pub status: Option<u16>,
    /// How it went.
    pub state: StepState,
    /// What the answer said that matters, one fact per line.
    pub said: Vec<String>,
    /// What is missing or inconsistent, one problem per line.
    pub problems: Vec<String>,
}

/// The hops, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum StepKind {
    /// The request to the resource without a token, and its challenge.
    Resource,
    /// The protected resource metadata (RFC 9728).
    ResourceMetadata,
    /// One authorization server's metadata (RFC 8414, OpenID Connect Discovery).
    AuthorizationServer,
}

/// How a hop went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum StepState {
    /// As the specifications say.
    Ok,
    /// It works, with something to know.
    Warning,
    /// The chain stops here.
    Failed,
}

/// What one authorization server offers a client of the resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct AuthorizationServerFinding {
    /// The issuer the resource names.
    pub issuer: String,
    /// Its discovery, when any document was found.
    pub discovery: Option<Discovery>,
    /// `S256` is in `code_challenge_methods_supported` (MCP clients must refuse otherwise).
    pub pkce_s256: bool,
    /// Dynamic registration (RFC 7591): its registration endpoint.
    pub registration_endpoint: Option<String>,
    /// `client_id_metadata_document_supported`: a client may use an https URL serving its
    /// metadata as its `client_id`.
    pub client_id_metadata_documents: bool,
    /// A client can get a token from it for the resource.
    pub usable: bool,
}

/// The whole chain from a resource URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct ResourceChain {
    /// The URL asked.
    pub url: String,
    /// The resource indicator to ask tokens for (RFC 8707): the metadata's `resource`
    /// when it can be used, else the URL asked.
    pub resource: String,
    /// The 401's Bearer challenge.
    pub challenge: Option<BearerChallenge>,
    /// The resource's metadata, when one was found.
    pub metadata: Option<ResourceMetadata>,
    /// Each authorization server the metadata names, in its order.
    pub authorization_servers: Vec<AuthorizationServerFinding>,
    /// The scopes to ask for: the challenge's, else the metadata's `scopes_supported`.
    pub scopes: Vec<String>,
    /// How the resource is spoken to, guessed from its URL (see [`ResourceProtocol::guess`]).
    pub protocol: ResourceProtocol,
    /// The hops, in order.
    pub steps: Vec<ChainStep>,
}

impl ResourceChain {
    /// The first step that failed, if any.
    pub fn failed_step(&self) -> Option<&ChainStep> {
        self.steps.iter().find(|s| s.state == StepState::Failed)
    }

    /// The first authorization server a client can use.
    pub fn usable_server(&self) -> Option<&AuthorizationServerFinding> {
        self.authorization_servers.iter().find(|s| s.usable)
    }

    /// The resource as a profile remembers it.
    pub fn bound_resource(&self) -> BoundResource {
        BoundResource {
            url: self.url.clone(),
            resource: self.resource.clone(),
            scopes: self.scopes.clone(),
            protocol: self.protocol,
            metadata_url: self.metadata.as_ref().map(|m| m.url.clone()),
        }
    }

    /// A profile for the first usable authorization server, bound to this resource.
    pub fn propose_profile(&self, name: &str) -> Result<Profile> {
        let Some(server) = self.usable_server() else {
            let why = self
                .failed_step()
                .map(|s| format!("{}: {}", s.title, s.problems.join("; ")))
                .unwrap_or_else(|| "no authorization server was found".into());
            return Err(Error::config(
                "resource",
                format!("no profile can be proposed for {}: {why}", self.url),
            ));
        };
        let discovery = server
            .discovery
            .as_ref()
            .ok_or_else(|| Error::config("authorization_servers", "the authorization server has no discovery"))?;
        let mut profile = discovery.propose_profile(name)?;
        profile.resource = Some(self.bound_resource());
        Ok(profile)
    }
}

impl Registrar {
    /// Walks the chain from `url`, a protected resource. A hop that fails is recorded as a
    /// failed step and the walk stops there; only a resource that cannot be reached at all
    /// (or a URL that is not one) is an error.
    pub async fn discover_resource(&self, url: &str, tls: &TlsOptions) -> Result<ResourceChain> {
        let url = checked_discovery_url("url", url, tls)?;
        let transport = self.transports.transport_for(tls, &Timeouts::default(), None)?;
        let first = self.get(transport.as_ref(), &url, true).await?;
        self.chain_from(&url, first, tls, transport.as_ref()).await
    }

    /// The chain, given the resource's answer to a request without a token.
    pub(super) async fn chain_from(
        &self,
        url: &Url,
        first: HttpResponse,
        tls: &TlsOptions,
        transport: &dyn Transport,
    ) -> Result<ResourceChain> {
        let mut chain = ResourceChain {
            url: url.to_string(),
            resource: url.to_string(),
            challenge: None,
            metadata: None,
            authorization_servers: Vec::new(),
            scopes: Vec::new(),
            protocol: ResourceProtocol::guess(url),
            steps: Vec::new(),
        };
        let first_step = resource_step(url, &first);
        chain.challenge = response_challenge(&first);
        chain.steps.push(first_step);
        if chain.steps[0].state == StepState::Failed {
            return Ok(chain);
        }

        let (metadata, step) = self.read_metadata(url, chain.challenge.as_ref(), transport).await;
        let failed = step.state == StepState::Failed;
        chain.steps.push(step);
        let Some(metadata) = metadata else { return Ok(chain) };
        if !failed {
            if let Some(resource) = &metadata.resource {
                chain.resource = resource.clone();
            }
        }
        chain.scopes = match &chain.challenge {
            Some(c) if !c.scopes().is_empty() => c.scopes(),
            _ => metadata.scopes_supported.clone(),
        };
        let servers = metadata.authorization_servers.clone();
        chain.metadata = Some(metadata);
        if failed {
            return Ok(chain);
        }
        for issuer in servers {
            let (finding, step) = self.read_authorization_server(&issuer, tls).await;
            chain.steps.push(step);
            chain.authorization_servers.push(finding);
        }
        Ok(chain)
    }

    /// A GET recorded in the history as a discovery call. `tokenless` asks as a client that
    /// has no token yet would (MCP clients send their first request without one).
    pub(super) async fn get(&self, transport: &dyn Transport, url: &Url, tokenless: bool) -> Result<HttpResponse> {
        let info = CallInfo {
            profile_id: None,
            client_id: None,
            operation: CallKind::Discover,
        };
        let mut request = HttpRequest::new(http::Method::GET, url.clone());
        if tokenless {
            request = request.header("Accept", "application/json, text/event-stream");
        }
        self.send(info, transport, request, &[]).await
    }

    /// The metadata: at the challenge's `resource_metadata`, else at the well-known places.
    async fn read_metadata(
        &self,
        url: &Url,
        challenge: Option<&BearerChallenge>,
        transport: &dyn Transport,
    ) -> (Option<ResourceMetadata>, ChainStep) {
        let mut step = ChainStep {
            kind: StepKind::ResourceMetadata,
            title: "Read the protected resource metadata (RFC 9728)".into(),
            url: None,
            status: None,
            state: StepState::Ok,
            said: Vec::new(),
            problems: Vec::new(),
        };
        let named = challenge.and_then(|c| c.resource_metadata.as_deref());
        let candidates: Vec<Url> = match named.map(Url::parse) {
            Some(Ok(u)) => vec![u],
            Some(Err(e)) => {
                step.problems
                    .push(format!("the challenge's resource_metadata is not a URL ({e})"));
                well_known_candidates(url)
            }
            None => {
                step.said
                    .push("the challenge names no resource_metadata: looked at the well-known places".into());
                well_known_candidates(url)
            }
        };
        let mut tried = Vec::new();
        for candidate in candidates {
            step.url = Some(candidate.to_string());
            let response = match self.get(transport, &candidate, false).await {
                Ok(r) => r,
                Err(e) => {
                    tried.push(format!("{candidate}: {e}"));
                    continue;
                }
            };
            step.status = Some(response.status);
            if !response.is_success() {
                tried.push(format!("{candidate}: HTTP {}", response.status));
                continue;
            }
            let document = match crate::http::json_object(&response) {
                Ok(d) => d,
                Err(why) => {
                    tried.push(format!("{candidate}: {why}"));
                    continue;
                }
            };
            let metadata = ResourceMetadata::from_document(candidate.as_str(), document);
            judge_metadata(url, &metadata, &mut step);
            step.problems
                .splice(0..0, tried.into_iter().map(|t| format!("not at {t}")));
            return (Some(metadata), step);
        }
        step.state = StepState::Failed;
        step.problems
            .extend(tried.into_iter().map(|t| format!("no metadata at {t}")));
        (None, step)
    }

    async fn read_authorization_server(
        &self,
        issuer: &str,
        tls: &TlsOptions,
    ) -> (AuthorizationServerFinding, ChainStep) {
        let mut finding = AuthorizationServerFinding {
            issuer: issuer.to_string(),
            discovery: None,
            pkce_s256: false,
            registration_endpoint: None,
            client_id_metadata_documents: false,
            usable: false,
        };
        let mut step = ChainStep {
            kind: StepKind::AuthorizationServer,
            title: format!("Read the authorization server metadata of {issuer}"),
            url: Some(issuer.to_string()),
            status: None,
            state: StepState::Ok,
            said: Vec::new(),
            problems: Vec::new(),
        };
        let discovery = match self.discover(issuer, tls).await {
            Ok(d) => d,
            Err(e) => {
                step.state = StepState::Failed;
                step.problems.push(e.to_string());
                return (finding, step);
            }
        };
        step.url = Some(discovery.document_url.clone());
        step.status = discovery.documents.iter().find(|d| d.used).and_then(|d| d.status);
        let doc = &discovery.document;
        let methods: Vec<&str> = doc
            .get("code_challenge_methods_supported")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        finding.pkce_s256 = methods.contains(&"S256");
        finding.registration_endpoint = doc
            .get("registration_endpoint")
            .and_then(Value::as_str)
            .map(str::to_string);
        finding.client_id_metadata_documents = doc
            .get("client_id_metadata_document_supported")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        step.said.push(format!("issuer {}", discovery.issuer));
        for fetched in &discovery.documents {
            if fetched.used {
                step.said.push(format!("{} at {}", fetched.kind.label(), fetched.url));
            }
        }
        match &finding.registration_endpoint {
            Some(endpoint) => step.said.push(format!("dynamic registration at {endpoint}")),
            None => step.said.push("no registration_endpoint".into()),
        }
        if finding.client_id_metadata_documents {
            step.said
                .push("accepts Client ID Metadata Documents (client_id_metadata_document_supported)".into());
        }
        step.said.push(if methods.is_empty() {
            "code_challenge_methods_supported: not listed".into()
        } else {
            format!("code_challenge_methods_supported: {}", methods.join(", "))
        });
        if !finding.pkce_s256 {
            step.problems.push(
                "S256 is not in code_challenge_methods_supported: MCP clients must not proceed without PKCE S256"
                    .into(),
            );
        }
        if finding.registration_endpoint.is_none() && !finding.client_id_metadata_documents {
            step.problems.push(
                "neither dynamic registration (registration_endpoint) nor Client ID Metadata Documents are offered: a client must be registered by hand".into(),
            );
        }
        for (field, what) in [("authorization_endpoint", "authorization"), ("token_endpoint", "token")] {
            if !doc.contains_key(field) {
                step.problems
                    .push(format!("no {field}: there is no {what} endpoint to use"));
            }
        }
        if !discovery.issuer.trim_end_matches('/').eq(issuer.trim_end_matches('/')) {
            step.problems.push(format!(
                "the metadata's issuer {} is not the {issuer} the resource names",
                discovery.issuer
            ));
        }
        finding.usable = step.problems.is_empty();
        step.state = if finding.usable {
            if discovery.warnings.is_empty() {
                StepState::Ok
            } else {
                StepState::Warning
            }
        } else {
            StepState::Failed
        };
        step.problems.extend(discovery.warnings.iter().cloned());
        finding.discovery = Some(discovery);
        (finding, step)
    }
}

/// What the resource's answer to a request without a token says.
fn resource_step(url: &Url, response: &HttpResponse) -> ChainStep {
    let mut step = ChainStep {
        kind: StepKind::Resource,
        title: "Requested the resource without a token".into(),
        url: Some(url.to_string()),
        status: Some(response.status),
        state: StepState::Ok,
        said: Vec::new(),
        problems: Vec::new(),
    };
    let values = www_authenticate(response);
    for value in &values {
        step.said.push(format!("WWW-Authenticate: {value}"));
    }
    let challenge = bearer_challenge(values.iter().copied());
    match (response.status, &challenge) {
        (401, Some(c)) => {
            if c.resource_metadata.is_none() {
                step.state = StepState::Warning;
                step.problems.push(
                    "the Bearer challenge has no resource_metadata (RFC 9728 §5.1): the metadata is looked for at the well-known places".into(),
                );
            }
        }
        (401, None) => {
            step.state = StepState::Warning;
            step.problems.push(if values.is_empty() {
                "401 without WWW-Authenticate (RFC 9110 requires one)".into()
            } else {
                "401 without a Bearer challenge".into()
            });
        }
        (s, _) if (200..300).contains(&s) => {
            step.state = StepState::Warning;
            step.problems.push(format!(
                "HTTP {s} without a token: the resource may not be protected here"
            ));
        }
        (s, _) => {
            step.state = StepState::Warning;
            step.problems
                .push(format!("HTTP {s} where a protected resource answers 401"));
        }
    }
    step
}

/// Checks the metadata against the URL asked (RFC 9728 §3.3, §7.3).
fn judge_metadata(url: &Url, metadata: &ResourceMetadata, step: &mut ChainStep) {
    if let Some(r) = &metadata.resource {
        step.said.push(format!("resource {r}"));
    }
    if metadata.authorization_servers.is_empty() {
        step.said.push("authorization_servers: none".into());
    } else {
        step.said.push(format!(
            "authorization_servers: {}",
            metadata.authorization_servers.join(", ")
        ));
    }
    if !metadata.scopes_supported.is_empty() {
        step.said
            .push(format!("scopes_supported: {}", metadata.scopes_supported.join(" ")));
    }
    if let Some(name) = &metadata.resource_name {
        step.said.push(format!("resource_name {name}"));
    }
    match resource_match(url, metadata.resource.as_deref()) {
        ResourceMatch::Same => {}
        ResourceMatch::Parent => {
            step.state = StepState::Warning;
            step.problems.push(format!(
                "its resource {} is above the URL asked ({url}); RFC 9728 §3.3 asks for the same URL. Tokens are asked for {}",
                metadata.resource.as_deref().unwrap_or_default(),
                metadata.resource.as_deref().unwrap_or_default()
            ));
        }
        ResourceMatch::Other => {
            step.state = StepState::Failed;
            step.problems.push(format!(
                "its resource {} is not the URL asked ({url}): RFC 9728 §3.3 says such metadata must not be used (a token for it would not be for this server)",
                metadata.resource.as_deref().unwrap_or_default()
            ));
        }
        ResourceMatch::Missing => {
            step.state = StepState::Failed;
            step.problems.push("no resource: RFC 9728 §2 requires it".into());
        }
    }
    if metadata.authorization_servers.is_empty() {
        step.state = StepState::Failed;
        step.problems
            .push("no authorization_servers: nothing says where tokens come from".into());
    }
}
