//! Where each dialect puts its endpoints. One table, so discovery, routing and the URLs in
//! responses cannot disagree.
//!
//! The seed documents only show registration (and SimpleIdServer's token endpoint); the other
//! endpoints follow each product's own layout where it has a well-known one (Liberty keeps
//! everything under the issuer, WSO2 under `/oauth2` with its device page in
//! `/authenticationendpoint`), and conventional names otherwise.

use crate::Dialect;

/// Where the MCP endpoint lives, under the base URL in every dialect.
pub(crate) const MCP_PATH: &str = "/mcp";
/// RFC 9728 §3: the well-known prefix of protected resource metadata.
pub(crate) const RESOURCE_METADATA_PATH: &str = "/.well-known/oauth-protected-resource";

/// Absolute URLs of one running mock.
#[derive(Clone, Debug)]
pub(crate) struct Urls {
    pub(crate) base: String,
    pub(crate) issuer: String,
    pub(crate) registration: String,
    pub(crate) token: String,
    pub(crate) authorization: String,
    pub(crate) jwks: String,
    pub(crate) device_authorization: String,
    /// The page where a user enters a device flow's user code.
    pub(crate) device_verification: String,
    pub(crate) introspection: String,
    pub(crate) revocation: String,
    pub(crate) userinfo: String,
    /// The protected resource: an MCP server (Streamable HTTP), `<base>/mcp` in every dialect.
    pub(crate) mcp: String,
    /// Its RFC 9728 metadata, the well-known path with the resource's path inserted.
    pub(crate) resource_metadata: String,
}

impl Urls {
    pub(crate) fn new(dialect: Dialect, base: &str, liberty_provider: &str) -> Self {
        let at = |path: &str| format!("{base}{path}");
        let mcp = at(MCP_PATH);
        let resource_metadata = at(&format!("{RESOURCE_METADATA_PATH}{MCP_PATH}"));
        match dialect {
            Dialect::Liberty => {
                let issuer = at(&format!("/oidc/endpoint/{liberty_provider}"));
                let under = |path: &str| format!("{issuer}{path}");
                Urls {
                    registration: under("/registration"),
                    token: under("/token"),
                    authorization: under("/authorize"),
                    jwks: under("/jwk"),
                    device_authorization: under("/device_authorization"),
                    device_verification: under("/device"),
                    introspection: under("/introspect"),
                    revocation: under("/revoke"),
                    userinfo: under("/userinfo"),
                    mcp,
                    resource_metadata,
                    base: base.to_owned(),
                    issuer,
                }
            }
            Dialect::Wso2 => Urls {
                base: base.to_owned(),
                issuer: base.to_owned(),
                registration: at("/identity/connect/register"),
                token: at("/oauth2/token"),
                authorization: at("/oauth2/authorize"),
                jwks: at("/oauth2/jwks"),
                device_authorization: at("/oauth2/device_authorize"),
                device_verification: at("/authenticationendpoint/device.do"),
                introspection: at("/oauth2/introspect"),
                revocation: at("/oauth2/revoke"),
                userinfo: at("/oauth2/userinfo"),
                mcp,
                resource_metadata,
            },
            Dialect::Generic | Dialect::Soffid | Dialect::Indigo | Dialect::SimpleIdServer | Dialect::OpenBanking => {
                Urls {
                    base: base.to_owned(),
                    issuer: base.to_owned(),
                    registration: at("/register"),
                    token: at("/token"),
                    authorization: at("/authorize"),
                    jwks: at("/jwks"),
                    device_authorization: at("/device_authorization"),
                    device_verification: at("/device"),
                    introspection: at("/introspect"),
                    revocation: at("/revoke"),
                    userinfo: at("/userinfo"),
                    mcp,
                    resource_metadata,
                }
            }
        }
    }

    /// The path part of one of these URLs, for routing.
    pub(crate) fn path<'u>(&self, url: &'u str) -> &'u str {
        url.strip_prefix(self.base.as_str()).unwrap_or(url)
    }
}
