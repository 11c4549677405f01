//! OAuth 2.0 Protected Resource Metadata (RFC 9728): where a resource's document is, what
//! it says, and whether it is about the resource that was asked.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

/// The well-known suffix of RFC 9728 §3.
pub const WELL_KNOWN: &str = "/.well-known/oauth-protected-resource";

/// What a protected resource's metadata document says (RFC 9728 §2), the fields a client
/// acts on; the whole document is kept in `document`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct ResourceMetadata {
    /// Where the document was read.
    pub url: String,
    /// `resource`: the resource identifier the document is about (required).
    pub resource: Option<String>,
    /// `authorization_servers`: the issuers that hand out tokens for it.
    pub authorization_servers: Vec<String>,
    /// `scopes_supported`.
    pub scopes_supported: Vec<String>,
    /// `bearer_methods_supported` (`header`, `body`, `query`).
    pub bearer_methods_supported: Vec<String>,
    /// `resource_name`, for people.
    pub resource_name: Option<String>,
    /// `resource_documentation`.
    pub resource_documentation: Option<String>,
    /// The document as it came.
    pub document: Map<String, Value>,
}

impl ResourceMetadata {
    /// Reads a document fetched from `url`.
    pub fn from_document(url: &str, document: Map<String, Value>) -> Self {
        let text = |k: &str| document.get(k).and_then(Value::as_str).map(str::to_string);
        let list = |k: &str| {
            document
                .get(k)
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
                .unwrap_or_default()
        };
        Self {
            url: url.to_string(),
            resource: text("resource"),
            authorization_servers: list("authorization_servers"),
            scopes_supported: list("scopes_supported"),
            bearer_methods_supported: list("bearer_methods_supported"),
            resource_name: text("resource_name"),
            resource_documentation: text("resource_documentation"),
            document,
        }
    }
}

/// Where to look for a resource's metadata when its 401 did not say (RFC 9728 §3.1): the
/// well-known suffix inserted between the host and the resource's path, then — as the MCP
/// authorization specification has clients do — at the root of the host.
pub fn well_known_candidates(resource: &Url) -> Vec<Url> {
    let mut origin = resource.clone();
    origin.set_path("");
    origin.set_query(None);
    origin.set_fragment(None);
    let origin = origin.as_str().trim_end_matches('/').to_string();
    let path = resource.path().trim_end_matches('/');
    let query = resource.query().map(|q| format!("?{q}")).unwrap_or_default();
    let mut out = Vec::new();
    if !path.is_empty() {
        out.extend(Url::parse(&format!("{origin}{WELL_KNOWN}{path}{query}")).ok());
    }
    out.extend(Url::parse(&format!("{origin}{WELL_KNOWN}")).ok());
    out
}

/// How the metadata's `resource` relates to the URL that was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum ResourceMatch {
    /// The same URL (scheme and host compared without case, a trailing `/` ignored).
    Same,
    /// The same origin, and the metadata names a path above the one asked (`https://h/`
    /// for `https://h/mcp`). RFC 9728 §3.3 asks for the identical URL; servers that guard
    /// a whole host publish their root, and a token for it is what they take.
    Parent,
    /// Another resource: RFC 9728 §3.3 says the metadata must not be used.
    Other,
    /// The document names no `resource` at all (it is required).
    Missing,
}

/// Compares the metadata's `resource` with the URL asked.
pub fn resource_match(asked: &Url, resource: Option<&str>) -> ResourceMatch {
    let Some(resource) = resource else {
        return ResourceMatch::Missing;
    };
    let Ok(named) = Url::parse(resource) else {
        return ResourceMatch::Other;
    };
    let canonical = |u: &Url| {
        let mut u = u.clone();
        u.set_fragment(None);
        let path = u.path().trim_end_matches('/').to_string();
        u.set_path(&path);
        u.as_str().trim_end_matches('/').to_string()
    };
    if canonical(asked) == canonical(&named) {
        return ResourceMatch::Same;
    }
    let same_origin = asked.origin() == named.origin();
    let named_path = named.path().trim_end_matches('/');
    let asked_path = asked.path();
    let below = asked_path.starts_with(named_path)
        && (named_path.is_empty() || asked_path[named_path.len()..].starts_with('/'));
    if same_origin && named.query().is_none() && below {
        ResourceMatch::Parent
    } else {
        ResourceMatch::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn the_suffix_goes_between_host_and_path_then_the_root() {
        let got: Vec<String> = well_known_candidates(&url("https://mcp.example.com/tenant/mcp/"))
            .iter()
            .map(Url::to_string)
            .collect();
        assert_eq!(
            got,
            vec![
                "https://mcp.example.com/.well-known/oauth-protected-resource/tenant/mcp",
                "https://mcp.example.com/.well-known/oauth-protected-resource",
            ]
        );
        let root: Vec<String> = well_known_candidates(&url("http://127.0.0.1:8080"))
            .iter()
            .map(Url::to_string)
            .collect();
        assert_eq!(root, vec!["http://127.0.0.1:8080/.well-known/oauth-protected-resource"]);
    }

    #[test]
    fn resources_match_as_rfc_9728_and_real_servers_publish_them() {
        let asked = url("https://MCP.example.com/mcp");
        assert_eq!(
            resource_match(&asked, Some("https://mcp.example.com/mcp/")),
            ResourceMatch::Same
        );
        assert_eq!(
            resource_match(&asked, Some("https://mcp.example.com/")),
            ResourceMatch::Parent
        );
        assert_eq!(
            resource_match(&asked, Some("https://mcp.example.com")),
            ResourceMatch::Parent
        );
        assert_eq!(
            resource_match(&asked, Some("https://mcp.example.com/mc")),
            ResourceMatch::Other
        );
        assert_eq!(
            resource_match(&asked, Some("https://other.example.com/mcp")),
            ResourceMatch::Other
        );
        assert_eq!(
            resource_match(&asked, Some("http://mcp.example.com/mcp")),
            ResourceMatch::Other
        );
        assert_eq!(resource_match(&asked, Some("not a url")), ResourceMatch::Other);
        assert_eq!(resource_match(&asked, None), ResourceMatch::Missing);
    }
}
