//! Misconfigurations of the protected resource (the mock's MCP endpoint) and of the
//! authorization server behind it, as an MCP client meets them while walking the discovery
//! chain. Unlike the queued [`crate::Fault`]s these are switches: on until switched off.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::Method;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::state::Shared;

/// One misconfiguration of the protected resource or its authorization server.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
#[value(rename_all = "kebab-case")]
pub enum ResourceFault {
    /// The protected resource metadata names another `resource` than the MCP endpoint
    /// (`https://mcp.example.com/mcp`), which RFC 9728 §3.3 tells clients to reject.
    #[serde(alias = "wrong_resource")]
    WrongResource,
    /// The authorization server offers no dynamic client registration: discovery has no
    /// `registration_endpoint`, and registering answers 404.
    #[serde(alias = "no_registration")]
    NoRegistration,
    /// Discovery has no `code_challenge_methods_supported` (PKCE still works), so an MCP
    /// client must refuse to go on.
    #[serde(alias = "no_pkce")]
    NoPkce,
    /// No protected resource metadata: its well-known URLs answer 404 and the 401 challenge
    /// has no `resource_metadata`.
    #[serde(alias = "no_metadata")]
    NoMetadata,
}

impl ResourceFault {
    /// Every switch, in documentation order.
    pub const ALL: [ResourceFault; 4] = [
        ResourceFault::WrongResource,
        ResourceFault::NoRegistration,
        ResourceFault::NoPkce,
        ResourceFault::NoMetadata,
    ];

    /// The name on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            ResourceFault::WrongResource => "wrong-resource",
            ResourceFault::NoRegistration => "no-registration",
            ResourceFault::NoPkce => "no-pkce",
            ResourceFault::NoMetadata => "no-metadata",
        }
    }

    fn bit(self) -> u8 {
        match self {
            ResourceFault::WrongResource => 1,
            ResourceFault::NoRegistration => 2,
            ResourceFault::NoPkce => 4,
            ResourceFault::NoMetadata => 8,
        }
    }
}

impl std::fmt::Display for ResourceFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The switches of one running mock, read once per request without a lock.
#[derive(Debug, Default)]
pub(crate) struct ResourceFaults(AtomicU8);

impl ResourceFaults {
    pub(crate) fn new(on: &[ResourceFault]) -> Self {
        let faults = ResourceFaults::default();
        faults.set(on);
        faults
    }

    /// Exactly these switches on, the others off.
    pub(crate) fn set(&self, on: &[ResourceFault]) {
        let bits = on.iter().fold(0, |bits, fault| bits | fault.bit());
        self.0.store(bits, Ordering::Relaxed);
    }

    pub(crate) fn is_on(&self, fault: ResourceFault) -> bool {
        self.0.load(Ordering::Relaxed) & fault.bit() != 0
    }

    /// The switches that are on, in documentation order.
    pub(crate) fn list(&self) -> Vec<ResourceFault> {
        ResourceFault::ALL.into_iter().filter(|f| self.is_on(*f)).collect()
    }
}

/// `no-registration`: a registration request answers 404, as on a provider without the
/// endpoint. Reading and managing clients already registered still works.
pub(crate) async fn registration_gate(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let registering = request.method() == Method::POST
        && request.uri().path() == shared.urls.path(&shared.urls.registration)
        && shared.resource_faults.is_on(ResourceFault::NoRegistration);
    if registering {
        return ApiError::not_found(
            "this provider offers no dynamic client registration (resource fault no-registration)",
        )
        .into_response();
    }
    next.run(request).await
}
