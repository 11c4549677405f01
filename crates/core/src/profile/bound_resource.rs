//! The protected resource a profile was made for (issue 18): a profile discovered from an
//! MCP server's URL remembers the server, so "connect" knows what to ask a token for and
//! whom to call with it.

use serde::{Deserialize, Serialize};
use url::Url;

/// A protected resource whose tokens the profile's authorization server issues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct BoundResource {
    /// The URL that is called with the token (the MCP server's endpoint).
    pub url: String,
    /// The resource indicator tokens are asked for (RFC 8707 `resource`): the metadata's
    /// `resource`, which RFC 9728 makes the URL itself.
    pub resource: String,
    /// The scopes to ask for (from the resource's challenge or metadata).
    #[serde(default)]
    pub scopes: Vec<String>,
    /// How it is spoken to.
    #[serde(default)]
    pub protocol: ResourceProtocol,
    /// Where its metadata was read, when it was.
    #[serde(default)]
    pub metadata_url: Option<String>,
}

/// How a protected resource is called with a token.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum ResourceProtocol {
    /// An MCP server over Streamable HTTP: a JSON-RPC `initialize`.
    Mcp,
    /// Anything else: a GET, whose status and body are shown.
    #[default]
    Http,
}

impl ResourceProtocol {
    /// MCP when the URL's last path segment is `mcp` or `sse`, the endpoints MCP servers
    /// are conventionally mounted at; plain HTTP otherwise (the user can say otherwise).
    pub fn guess(url: &Url) -> Self {
        let last = url
            .path_segments()
            .and_then(|mut s| s.rfind(|seg| !seg.is_empty()))
            .unwrap_or_default()
            .to_ascii_lowercase();
        if last == "mcp" || last == "sse" {
            Self::Mcp
        } else {
            Self::Http
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mcp_endpoints_are_recognised_by_their_path() {
        let guess = |u: &str| ResourceProtocol::guess(&Url::parse(u).unwrap());
        assert_eq!(guess("https://h.example/mcp"), ResourceProtocol::Mcp);
        assert_eq!(guess("https://h.example/t/MCP/"), ResourceProtocol::Mcp);
        assert_eq!(guess("https://h.example/sse"), ResourceProtocol::Mcp);
        assert_eq!(guess("https://h.example/api/v1"), ResourceProtocol::Http);
        assert_eq!(guess("https://h.example"), ResourceProtocol::Http);
    }
}
