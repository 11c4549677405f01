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
        let documents = d
            .documents
            .iter()
            .map(|doc| match &doc.problem {
                None => format!("{} (used)", doc.url),
                Some(p) => format!("{} ({p})", doc.url),
            })
            .collect::<Vec<_>>()
            .join("\n");
        let fields = table::fields([
            ("issuer", d.issuer.clone()),
            ("documents", documents),
            ("registration endpoint", or_dash(d.registration_endpoint.as_deref())),
            ("token endpoint", or_dash(d.token_endpoint.as_deref())),
            ("token auth methods", list(&d.token_endpoint_auth_methods_supported)),
            ("grant types", list(&d.grant_types_supported)),
            ("response types", list(&d.response_types_supported)),
            ("scopes", list(&d.scopes_supported)),
            ("suggested kind", d.suggested_kind.to_string()),
            ("why", or_dash(d.suggested_kind_reason.as_deref())),
        ]);
        let mut out = fields.to_string();
        if !d.endpoints.is_empty() {
            let mut named = table::list(&["endpoint", "url", "named by"]);
            for e in &d.endpoints {
                named.add_row(vec![e.field.clone(), e.url.clone(), e.document.label().to_string()]);
            }
            out.push_str(&format!("\n\nEndpoints, and the document that named each:\n{named}"));
        }
        if d.registration_endpoint.is_some() {
            out.push_str(&format!(
                "\n\nAdd it with: registrar profile add NAME --issuer {} --kind {}",
                d.issuer, d.suggested_kind
            ));
        }
        out
    }
}
