//! Where each dialect puts its endpoints. One table, so discovery, routing and the URLs in
//! responses cannot disagree.

use crate::Dialect;

/// Absolute URLs of one running mock.
#[derive(Clone, Debug)]
pub(crate) struct Urls {
    pub(crate) base: String,
    pub(crate) issuer: String,
    pub(crate) registration: String,
    pub(crate) token: String,
    pub(crate) authorization: String,
    pub(crate) jwks: String,
}

impl Urls {
    pub(crate) fn new(dialect: Dialect, base: &str, liberty_provider: &str) -> Self {
        let at = |path: &str| format!("{base}{path}");
        match dialect {
            Dialect::Liberty => {
                let issuer = at(&format!("/oidc/endpoint/{liberty_provider}"));
                Urls {
                    registration: format!("{issuer}/registration"),
                    token: format!("{issuer}/token"),
                    authorization: format!("{issuer}/authorize"),
                    jwks: format!("{issuer}/jwk"),
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
            },
            Dialect::Generic | Dialect::Soffid | Dialect::Indigo | Dialect::SimpleIdServer => Urls {
                base: base.to_owned(),
                issuer: base.to_owned(),
                registration: at("/register"),
                token: at("/token"),
                authorization: at("/authorize"),
                jwks: at("/jwks"),
            },
        }
    }

    /// The path part of one of these URLs, for routing.
    pub(crate) fn path<'u>(&self, url: &'u str) -> &'u str {
        url.strip_prefix(self.base.as_str()).unwrap_or(url)
    }
}
