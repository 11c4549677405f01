//! From a protected resource to a working token (issue 18): the MCP authorization
//! specification's discovery chain and its last hop.
//!
//! - [`Registrar::discover_url`] takes any URL: an issuer gives its [`Discovery`] as
//!   before; a protected resource (a 401 with a Bearer challenge, or RFC 9728 metadata at
//!   its well-known place) gives the [`ResourceChain`] from it to its authorization servers,
//!   each hop a [`ChainStep`], ending in a profile bound to the resource.
//! - [`Registrar::call_resource`] calls the resource with a try's access token: an MCP
//!   `initialize`, or a GET, and reads what came back ([`ResourceAnswer`]).

mod call;
mod chain;
mod challenge;
mod cimd;
mod client_template;
mod mcp;
mod metadata;

pub use crate::profile::{BoundResource, ResourceProtocol};
pub use call::ResourceAnswer;
pub use chain::{AuthorizationServerFinding, ChainStep, ResourceChain, StepKind, StepState};
pub use challenge::{bearer_challenge, BearerChallenge};
pub use cimd::{check_document, check_document_url, metadata_document, MetadataDocumentServer};
pub use client_template::{mcp_client_metadata, MCP_REDIRECT_URI};
pub use mcp::{read_initialize as read_mcp_initialize, McpServerInfo};
pub use metadata::{resource_match, well_known_candidates, ResourceMatch, ResourceMetadata};

use super::{Discovery, Registrar};
use crate::error::{Error, Result};
use crate::profile::{Timeouts, TlsOptions};
use serde::{Deserialize, Serialize};

/// What a URL turned out to be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum Discovered {
    /// An authorization server's issuer.
    Issuer {
        /// Its discovery.
        discovery: Discovery,
    },
    /// A protected resource.
    Resource {
        /// The chain from it.
        chain: ResourceChain,
    },
}

impl Registrar {
    /// Discovery from any URL: a protected resource when the URL answers 401 with a Bearer
    /// challenge; else an issuer when its discovery documents are found; else a protected
    /// resource when its metadata is at the well-known place. The URL's first answer is
    /// reused as the chain's first step, so it is asked once.
    pub async fn discover_url(&self, url: &str, tls: &TlsOptions) -> Result<Discovered> {
        let parsed = super::discover::checked_discovery_url("url", url, tls)?;
        let transport = self.transports.transport_for(tls, &Timeouts::default(), None)?;
        let first = self.get(transport.as_ref(), &parsed, true).await?;
        let challenged = first.status == 401 && challenge::response_challenge(&first).is_some();
        if challenged {
            let chain = self.chain_from(&parsed, first, tls, transport.as_ref()).await?;
            return Ok(Discovered::Resource { chain });
        }
        let issuer_error = match self.discover(url, tls).await {
            Ok(discovery) => return Ok(Discovered::Issuer { discovery }),
            Err(e) => e,
        };
        let chain = self.chain_from(&parsed, first, tls, transport.as_ref()).await?;
        if chain.metadata.is_some() {
            return Ok(Discovered::Resource { chain });
        }
        Err(match issuer_error {
            Error::NotFound { what } => Error::not_found(format!(
                "{what}; nor is {url} a protected resource (no Bearer challenge, no metadata at {})",
                well_known_candidates(&parsed)
                    .iter()
                    .map(url::Url::as_str)
                    .collect::<Vec<_>>()
                    .join(" or ")
            )),
            other => other,
        })
    }
}
