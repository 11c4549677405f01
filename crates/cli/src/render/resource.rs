//! Protected resources (issue 18): the discovery chain as numbered steps, what the resource
//! answered to a call with the token, and duplicate registrations. The JSON forms are the
//! core's types.

use super::table::{self, or_dash};
use super::{DiscoveryView, Human};
use registrar_core::{CleanupResult, Discovered, DuplicateGroup, ResourceAnswer, ResourceChain, StepState};
use serde::Serialize;

/// `registrar discover`: an issuer's discovery, or a resource's chain. In JSON an issuer's
/// discovery keeps the fields it always had (with `"type": "issuer"` beside them), so
/// scripts written before resources were discovered keep working; a resource is
/// `{"type": "resource", "chain": …}`.
#[derive(Debug)]
pub struct DiscoveredView(pub Discovered);

impl Serialize for DiscoveredView {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(untagged)]
        enum Shown<'a> {
            Issuer {
                #[serde(rename = "type")]
                kind: &'static str,
                #[serde(flatten)]
                discovery: &'a registrar_core::Discovery,
            },
            Resource {
                #[serde(rename = "type")]
                kind: &'static str,
                chain: &'a ResourceChain,
            },
        }
        match &self.0 {
            Discovered::Issuer { discovery } => Shown::Issuer {
                kind: "issuer",
                discovery,
            },
            Discovered::Resource { chain } => Shown::Resource {
                kind: "resource",
                chain,
            },
        }
        .serialize(serializer)
    }
}

impl Human for DiscoveredView {
    fn human(&self) -> String {
        match &self.0 {
            Discovered::Issuer { discovery } => DiscoveryView(discovery.clone()).human(),
            Discovered::Resource { chain } => ChainView(chain.clone()).human(),
        }
    }
}

/// The chain from a protected resource.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct ChainView(pub ResourceChain);

impl Human for ChainView {
    fn human(&self) -> String {
        let chain = &self.0;
        let mut out = format!("{} is a protected resource. The discovery chain:\n", chain.url);
        for (i, step) in chain.steps.iter().enumerate() {
            let mark = match step.state {
                StepState::Ok => "ok",
                StepState::Warning => "warning",
                StepState::Failed => "FAILED",
            };
            out.push_str(&format!("\n{}. [{mark}] {}\n", i + 1, step.title));
            if let Some(url) = &step.url {
                let status = step.status.map(|s| format!(" → HTTP {s}")).unwrap_or_default();
                out.push_str(&format!("   {url}{status}\n"));
            }
            for said in &step.said {
                out.push_str(&format!("   · {said}\n"));
            }
            for problem in &step.problems {
                out.push_str(&format!("   ! {problem}\n"));
            }
        }
        match chain.failed_step() {
            Some(step) => out.push_str(&format!("\nThe chain stops at: {}.\n", step.title)),
            None => {
                let fields = table::fields([
                    ("resource", chain.resource.clone()),
                    ("protocol", format!("{:?}", chain.protocol).to_lowercase()),
                    (
                        "scopes",
                        if chain.scopes.is_empty() {
                            "-".into()
                        } else {
                            chain.scopes.join(" ")
                        },
                    ),
                    (
                        "authorization server",
                        or_dash(chain.usable_server().map(|s| s.issuer.as_str())),
                    ),
                    (
                        "registration",
                        or_dash(chain.usable_server().and_then(|s| s.registration_endpoint.as_deref())),
                    ),
                ]);
                out.push_str(&format!("\n{fields}\n"));
                out.push_str(&format!(
                    "\nAdd it with: registrar profile add NAME --resource {}\n",
                    chain.url
                ));
            }
        }
        out
    }
}

/// What the resource answered to the token.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct ResourceAnswerView(pub ResourceAnswer);

impl Human for ResourceAnswerView {
    fn human(&self) -> String {
        let a = &self.0;
        let mut out = format!(
            "{} {} with the token: HTTP {}\n",
            if a.succeeded { "Called" } else { "Calling" },
            a.url,
            a.status
        );
        if let Some(mcp) = &a.mcp {
            let fields = table::fields([
                ("MCP server", or_dash(mcp.name.as_deref())),
                ("version", or_dash(mcp.version.as_deref())),
                ("protocol version", or_dash(mcp.protocol_version.as_deref())),
                (
                    "capabilities",
                    if mcp.capabilities.is_empty() {
                        "-".into()
                    } else {
                        mcp.capabilities.join(", ")
                    },
                ),
                ("session", or_dash(mcp.session_id.as_deref())),
            ]);
            out.push_str(&format!("initialize succeeded:\n{fields}\n"));
            if let Some(instructions) = &mcp.instructions {
                out.push_str(&format!("instructions: {instructions}\n"));
            }
        } else if let Some(body) = &a.body_preview {
            out.push_str(&format!("{}:\n{body}\n", a.content_type.as_deref().unwrap_or("body")));
        }
        for problem in &a.problems {
            out.push_str(&format!("! {problem}\n"));
        }
        out
    }
}

/// `registrar duplicates`.
#[derive(Debug, Serialize)]
pub struct DuplicatesView {
    pub profile: String,
    pub groups: Vec<DuplicateGroup>,
    /// After `--delete` or `--forget`: what became of each stale client.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cleaned: Option<Vec<CleanupResult>>,
}

impl Human for DuplicatesView {
    fn human(&self) -> String {
        if self.groups.is_empty() {
            return format!("No duplicate registrations in {}.", self.profile);
        }
        let mut t = table::list(&["client name", "redirect URIs", "kept", "stale"]);
        for g in &self.groups {
            t.add_row(vec![
                or_dash(g.client_name.as_deref()),
                g.redirect_uris.join("\n"),
                g.keep.client_id.clone(),
                g.stale
                    .iter()
                    .map(|m| m.client_id.as_str())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ]);
        }
        let stale: usize = self.groups.iter().map(|g| g.stale.len()).sum();
        let mut out = format!("{stale} stale registration(s) in {}:\n{t}\n", self.profile);
        match &self.cleaned {
            None => out.push_str("\nRemove them with --delete (at the provider) or --forget (locally only).\n"),
            Some(results) => {
                for r in results {
                    match &r.error {
                        None => out.push_str(&format!("removed {}\n", r.client_id)),
                        Some(e) => out.push_str(&format!("NOT removed {}: {e}\n", r.client_id)),
                    }
                }
            }
        }
        out
    }
}
