//! A discovery result: the endpoints and capabilities that matter for registration. The
//! JSON form is the core's `Discovery`, with the whole document in it.

use super::table::{self, or_dash};
use super::Human;
use registrar_core::Discovery;
use serde::Serialize;

#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct DiscoveryView(pub Discovery);

impl Human for DiscoveryView {
    fn human(&self) -> String {
        let d = &self.0;
        let list = |items: &[String]| {
            if items.is_empty() {
                "-".to_string()
            } else {
                items.join(" ")
            }
        };
        let fields = table::fields([
            ("issuer", d.issuer.clone()),
            ("document", d.document_url.clone()),
            ("registration endpoint", or_dash(d.registration_endpoint.as_deref())),
            ("token endpoint", or_dash(d.token_endpoint.as_deref())),
            ("token auth methods", list(&d.token_endpoint_auth_methods_supported)),
            ("grant types", list(&d.grant_types_supported)),
            ("response types", list(&d.response_types_supported)),
            ("scopes", list(&d.scopes_supported)),
            ("suggested kind", d.suggested_kind.to_string()),
        ]);
        let mut out = fields.to_string();
        if d.registration_endpoint.is_some() {
            out.push_str(&format!(
                "\n\nAdd it with: registrar profile add NAME --issuer {} --kind {}",
                d.issuer, d.suggested_kind
            ));
        }
        out
    }
}
