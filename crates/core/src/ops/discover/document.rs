//! The two discovery documents: where each is looked for, and how they merge. The OpenID
//! document wins where both name a value (an OpenID Provider is read by relying parties
//! from it), the RFC 8414 document fills what it leaves out, and a disagreement is said.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

/// The two discovery documents an issuer may publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum DocumentKind {
    /// OpenID Connect Discovery 1.0: `{issuer}/.well-known/openid-configuration`.
    OpenidConfiguration,
    /// RFC 8414: `/.well-known/oauth-authorization-server` inserted before the issuer's path.
    OauthAuthorizationServer,
}

impl DocumentKind {
    /// The document's name in messages ("OpenID document").
    pub fn label(&self) -> &'static str {
        match self {
            DocumentKind::OpenidConfiguration => "OpenID document",
            DocumentKind::OauthAuthorizationServer => "RFC 8414 document",
        }
    }
}

/// One document asked for, and what came of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct DocumentFetch {
    /// Which of the two documents.
    pub kind: DocumentKind,
    /// Where it was asked for.
    pub url: String,
    /// The HTTP status; `None` when no answer came.
    pub status: Option<u16>,
    /// Whether its content went into the discovery result.
    pub used: bool,
    /// Why it was not used.
    pub problem: Option<String>,
}

impl DocumentFetch {
    pub(super) fn used(kind: DocumentKind, url: &str, status: u16) -> Self {
        Self {
            kind,
            url: url.to_string(),
            status: Some(status),
            used: true,
            problem: None,
        }
    }

    pub(super) fn failed(kind: DocumentKind, url: &str, status: Option<u16>, problem: String) -> Self {
        Self {
            kind,
            url: url.to_string(),
            status,
            used: false,
            problem: Some(problem),
        }
    }

    pub(super) fn summary(&self) -> String {
        match &self.problem {
            Some(p) => format!("{} ({p})", self.url),
            None => self.url.clone(),
        }
    }
}

/// A 2xx answer's document, or why it cannot be one (said with its URL).
pub(super) fn read_document(url: &str, response: &crate::http::HttpResponse) -> Result<Map<String, Value>, String> {
    crate::http::json_object(response).map_err(|why| format!("the discovery document at {url} is unusable: {why}"))
}

/// An endpoint named by a discovery document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct EndpointSource {
    /// The metadata field (`registration_endpoint`, `token_endpoint`, ...).
    pub field: String,
    /// The endpoint's URL, as the document gave it.
    pub url: String,
    /// The kind of document that named it.
    pub document: DocumentKind,
    /// Where that document was fetched.
    pub document_url: String,
}

/// The metadata fields that are endpoints, in the order they are shown.
const ENDPOINT_FIELDS: &[&str] = &[
    "registration_endpoint",
    "token_endpoint",
    "authorization_endpoint",
    "jwks_uri",
    "userinfo_endpoint",
    "introspection_endpoint",
    "revocation_endpoint",
    "device_authorization_endpoint",
    "pushed_authorization_request_endpoint",
    "end_session_endpoint",
];

/// Where to look, per kind, in order: OpenID appends its well-known path to the issuer;
/// RFC 8414 inserts its own between the host and the issuer's path, and many servers
/// that have an issuer with a path serve it appended instead, so that is tried second.
pub(super) fn candidates(issuer: &Url) -> Vec<(DocumentKind, Vec<Url>)> {
    let base = issuer.as_str().trim_end_matches('/');
    let path = issuer.path().trim_end_matches('/');
    let mut origin = issuer.clone();
    origin.set_path("");
    origin.set_query(None);
    origin.set_fragment(None);
    let origin = origin.as_str().trim_end_matches('/').to_string();
    let parse = |u: String| Url::parse(&u).ok();
    let openid = parse(format!("{base}/.well-known/openid-configuration"));
    let mut oauth = vec![parse(format!("{origin}/.well-known/oauth-authorization-server{path}"))];
    if !path.is_empty() {
        oauth.push(parse(format!("{base}/.well-known/oauth-authorization-server")));
    }
    vec![
        (DocumentKind::OpenidConfiguration, openid.into_iter().collect()),
        (
            DocumentKind::OauthAuthorizationServer,
            oauth.into_iter().flatten().collect(),
        ),
    ]
}

/// The documents found, merged.
pub(super) struct Merged {
    pub issuer: String,
    pub document: Map<String, Value>,
    pub endpoints: Vec<EndpointSource>,
    pub warnings: Vec<String>,
}

impl Merged {
    pub fn of(requested: &str, found: &[(DocumentKind, String, Map<String, Value>)]) -> Self {
        let mut document = Map::new();
        let mut warnings = Vec::new();
        let mut named_by: Map<String, Value> = Map::new();
        for (kind, url, doc) in found {
            check_issuer(requested, kind, doc, &mut warnings);
            for (field, value) in doc {
                match document.get(field) {
                    None => {
                        document.insert(field.clone(), value.clone());
                        named_by.insert(field.clone(), Value::String(url.clone()));
                    }
                    Some(first) if first != value && ENDPOINT_FIELDS.contains(&field.as_str()) => {
                        warnings.push(format!(
                            "{field}: the {} says {}, the {} says {}; using the first",
                            found[0].0.label(),
                            show(first),
                            kind.label(),
                            show(value)
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
        let issuer = document
            .get("issuer")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| requested.to_string());
        let endpoints = ENDPOINT_FIELDS
            .iter()
            .filter_map(|field| {
                let url = document.get(*field)?.as_str()?.to_string();
                let document_url = named_by.get(*field)?.as_str()?.to_string();
                let (kind, _, _) = found.iter().find(|(_, u, _)| *u == document_url)?;
                Some(EndpointSource {
                    field: field.to_string(),
                    url,
                    document: *kind,
                    document_url,
                })
            })
            .collect();
        Self {
            issuer,
            document,
            endpoints,
            warnings,
        }
    }
}

fn check_issuer(requested: &str, kind: &DocumentKind, doc: &Map<String, Value>, warnings: &mut Vec<String>) {
    match doc.get("issuer").and_then(Value::as_str) {
        None => warnings.push(format!("the {} has no issuer", kind.label())),
        Some(issuer) if issuer.trim_end_matches('/') != requested.trim_end_matches('/') => warnings.push(format!(
            "the {}'s issuer {issuer} differs from the one asked for ({requested}); both specifications require them to match",
            kind.label()
        )),
        Some(_) => {}
    }
}

fn show(v: &Value) -> String {
    v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn urls(issuer: &str) -> Vec<(DocumentKind, Vec<String>)> {
        candidates(&Url::parse(issuer).unwrap())
            .into_iter()
            .map(|(k, u)| (k, u.into_iter().map(String::from).collect()))
            .collect()
    }

    #[test]
    fn well_known_locations_follow_both_specs() {
        assert_eq!(
            urls("https://op.example/oidc/endpoint/OP"),
            vec![
                (
                    DocumentKind::OpenidConfiguration,
                    vec!["https://op.example/oidc/endpoint/OP/.well-known/openid-configuration".to_string()]
                ),
                (
                    DocumentKind::OauthAuthorizationServer,
                    vec![
                        "https://op.example/.well-known/oauth-authorization-server/oidc/endpoint/OP".to_string(),
                        "https://op.example/oidc/endpoint/OP/.well-known/oauth-authorization-server".to_string(),
                    ]
                ),
            ]
        );
        let root = urls("https://op.example/");
        assert_eq!(
            root[1].1,
            vec!["https://op.example/.well-known/oauth-authorization-server"]
        );
    }

    fn object(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn rfc8414_fills_what_the_openid_document_lacks_and_each_endpoint_names_its_source() {
        let found = vec![
            (
                DocumentKind::OpenidConfiguration,
                "https://op.example/.well-known/openid-configuration".to_string(),
                object(json!({"issuer": "https://op.example", "token_endpoint": "https://op.example/token"})),
            ),
            (
                DocumentKind::OauthAuthorizationServer,
                "https://op.example/.well-known/oauth-authorization-server".to_string(),
                object(
                    json!({"issuer": "https://op.example", "token_endpoint": "https://op.example/other",
                              "registration_endpoint": "https://op.example/register"}),
                ),
            ),
        ];
        let m = Merged::of("https://op.example", &found);
        assert_eq!(m.document["registration_endpoint"], "https://op.example/register");
        assert_eq!(m.document["token_endpoint"], "https://op.example/token");
        let reg = m.endpoints.iter().find(|e| e.field == "registration_endpoint").unwrap();
        assert_eq!(reg.document, DocumentKind::OauthAuthorizationServer);
        let token = m.endpoints.iter().find(|e| e.field == "token_endpoint").unwrap();
        assert_eq!(token.document, DocumentKind::OpenidConfiguration);
        assert_eq!(m.warnings.len(), 1, "{:?}", m.warnings);
        assert!(m.warnings[0].contains("https://op.example/other"), "{:?}", m.warnings);
    }

    #[test]
    fn an_issuer_that_differs_is_a_warning_per_document() {
        let found = vec![(
            DocumentKind::OauthAuthorizationServer,
            "u".to_string(),
            object(json!({"issuer": "https://elsewhere.example"})),
        )];
        let m = Merged::of("https://op.example", &found);
        assert_eq!(m.issuer, "https://elsewhere.example");
        assert!(m.warnings[0].contains("RFC 8414 document's issuer"), "{:?}", m.warnings);
    }
}
