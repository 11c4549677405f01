//! Recognising a provider's product from its discovery document: each product names its
//! endpoints in a shape of its own (the vendor documentation cited with each preset in
//! `profile/kind.rs`). Anything unrecognised is the generic kind until probed.

use crate::profile::ProviderKind;
use serde_json::{Map, Value};

/// A product's mark: which field, and what its value contains or ends with.
struct Mark {
    kind: ProviderKind,
    field: &'static str,
    pattern: Pattern,
}

enum Pattern {
    Contains(&'static str),
    EndsWith(&'static str),
    HostEndsWith(&'static str),
    /// A list that holds this value.
    Lists(&'static str),
    /// A field only this product's documents have.
    Present,
}

impl Pattern {
    fn matches(&self, value: &Value) -> bool {
        let text = value.as_str();
        match self {
            Pattern::Contains(p) => text.is_some_and(|v| v.contains(p)),
            Pattern::EndsWith(p) => text.is_some_and(|v| v.trim_end_matches('/').ends_with(p)),
            Pattern::HostEndsWith(p) => text
                .and_then(|v| url::Url::parse(v).ok())
                .and_then(|u| u.host_str().map(|h| h.ends_with(p)))
                .unwrap_or(false),
            Pattern::Lists(p) => value.as_array().is_some_and(|a| a.iter().any(|v| v == p)),
            Pattern::Present => true,
        }
    }

    fn describe(&self) -> String {
        match self {
            Pattern::Contains(p) => format!("contains {p}"),
            Pattern::EndsWith(p) => format!("ends with {p}"),
            Pattern::HostEndsWith(p) => format!("is on a host under {p}"),
            Pattern::Lists(p) => format!("lists {p}"),
            Pattern::Present => "is there".into(),
        }
    }
}

/// Most specific first: the first mark found decides.
const MARKS: &[Mark] = &[
    Mark {
        kind: ProviderKind::Keycloak,
        field: "registration_endpoint",
        pattern: Pattern::Contains("/clients-registrations/openid-connect"),
    },
    Mark {
        kind: ProviderKind::Wso2,
        field: "registration_endpoint",
        pattern: Pattern::Contains("/identity/connect/register"),
    },
    Mark {
        kind: ProviderKind::Liberty,
        field: "registration_endpoint",
        pattern: Pattern::Contains("/oidc/endpoint/"),
    },
    Mark {
        kind: ProviderKind::Janssen,
        field: "registration_endpoint",
        pattern: Pattern::Contains("/jans-auth/restv1/register"),
    },
    Mark {
        kind: ProviderKind::Janssen,
        field: "registration_endpoint",
        pattern: Pattern::Contains("/oxauth/restv1/register"),
    },
    Mark {
        kind: ProviderKind::Curity,
        field: "registration_endpoint",
        pattern: Pattern::Contains("/oauth-dynamic-client-registration"),
    },
    Mark {
        kind: ProviderKind::Okta,
        field: "registration_endpoint",
        pattern: Pattern::EndsWith("/oauth2/v1/clients"),
    },
    Mark {
        kind: ProviderKind::Okta,
        field: "issuer",
        pattern: Pattern::HostEndsWith(".okta.com"),
    },
    Mark {
        kind: ProviderKind::Auth0,
        field: "registration_endpoint",
        pattern: Pattern::EndsWith("/oidc/register"),
    },
    Mark {
        kind: ProviderKind::Auth0,
        field: "issuer",
        pattern: Pattern::HostEndsWith(".auth0.com"),
    },
    Mark {
        kind: ProviderKind::Hydra,
        field: "registration_endpoint",
        pattern: Pattern::EndsWith("/oauth2/register"),
    },
    // Signals that hold where the registration endpoint is absent or has a custom path.
    Mark {
        kind: ProviderKind::Keycloak,
        field: "token_endpoint",
        pattern: Pattern::Contains("/protocol/openid-connect/token"),
    },
    Mark {
        kind: ProviderKind::Okta,
        field: "response_modes_supported",
        pattern: Pattern::Lists("okta_post_message"),
    },
    Mark {
        kind: ProviderKind::Auth0,
        field: "mfa_challenge_endpoint",
        pattern: Pattern::Present,
    },
    Mark {
        kind: ProviderKind::Janssen,
        field: "ssa_endpoint",
        pattern: Pattern::Present,
    },
    Mark {
        kind: ProviderKind::Curity,
        field: "issuer",
        pattern: Pattern::Contains("/oauth-anonymous"),
    },
    Mark {
        kind: ProviderKind::Curity,
        field: "registration_endpoint",
        pattern: Pattern::EndsWith("/oauth-registration"),
    },
    Mark {
        kind: ProviderKind::Hydra,
        field: "credentials_endpoint_draft_00",
        pattern: Pattern::Present,
    },
];

/// Where a product registers clients when its discovery document does not say: Hydra
/// names its registration endpoint only when `webfinger.oidc_discovery.client_registration_url`
/// is configured, but always serves it at `{issuer}/oauth2/register` once DCR is enabled.
pub(super) fn default_registration_endpoint(kind: ProviderKind, issuer: &str) -> Option<String> {
    match kind {
        ProviderKind::Hydra => Some(format!("{}/oauth2/register", issuer.trim_end_matches('/'))),
        _ => None,
    }
}

/// The kind the document looks like, and why.
pub(super) fn recognise(document: &Map<String, Value>) -> (ProviderKind, Option<String>) {
    for mark in MARKS {
        let Some(value) = document.get(mark.field) else {
            continue;
        };
        if mark.pattern.matches(value) {
            let liberty_path = value
                .as_str()
                .is_some_and(|v| v.trim_end_matches('/').ends_with("/registration"));
            if mark.kind == ProviderKind::Liberty && !liberty_path {
                continue;
            }
            let reason = format!("its {} {}", mark.field, mark.pattern.describe());
            return (mark.kind, Some(format!("looks like {}: {reason}", mark.kind.label())));
        }
    }
    (ProviderKind::Generic, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kind_of(doc: Value) -> ProviderKind {
        recognise(doc.as_object().unwrap()).0
    }

    #[test]
    fn each_product_is_recognised_by_its_endpoints() {
        let cases = [
            (
                json!({"issuer": "https://kc.example/realms/demo",
                       "registration_endpoint": "https://kc.example/realms/demo/clients-registrations/openid-connect"}),
                ProviderKind::Keycloak,
            ),
            (
                json!({"registration_endpoint": "https://is.example/identity/connect/register"}),
                ProviderKind::Wso2,
            ),
            (
                json!({"registration_endpoint": "https://lib.example/oidc/endpoint/OP/registration"}),
                ProviderKind::Liberty,
            ),
            (
                json!({"registration_endpoint": "https://jans.example/jans-auth/restv1/register"}),
                ProviderKind::Janssen,
            ),
            (
                json!({"registration_endpoint": "https://idsvr.example/oauth/v2/oauth-dynamic-client-registration"}),
                ProviderKind::Curity,
            ),
            (
                json!({"issuer": "https://dev-1.okta.com/oauth2/default",
                       "registration_endpoint": "https://dev-1.okta.com/oauth2/v1/clients"}),
                ProviderKind::Okta,
            ),
            (
                json!({"issuer": "https://tenant.eu.auth0.com/",
                       "registration_endpoint": "https://tenant.eu.auth0.com/oidc/register"}),
                ProviderKind::Auth0,
            ),
            (
                json!({"registration_endpoint": "https://hydra.example/oauth2/register"}),
                ProviderKind::Hydra,
            ),
            (
                json!({"registration_endpoint": "https://op.example/reg"}),
                ProviderKind::Generic,
            ),
            (
                json!({"issuer": "https://hydra.example", "credentials_endpoint_draft_00": "https://hydra.example/credentials"}),
                ProviderKind::Hydra,
            ),
            (
                json!({"issuer": "https://sso.example/realms/demo",
                       "token_endpoint": "https://sso.example/realms/demo/protocol/openid-connect/token"}),
                ProviderKind::Keycloak,
            ),
            (
                json!({"issuer": "https://login.example.com", "response_modes_supported": ["query", "okta_post_message"]}),
                ProviderKind::Okta,
            ),
            (
                json!({"issuer": "https://login.example.com/", "mfa_challenge_endpoint": "https://login.example.com/mfa/challenge"}),
                ProviderKind::Auth0,
            ),
            (
                json!({"issuer": "https://id.example", "ssa_endpoint": "https://id.example/jans-auth/restv1/ssa"}),
                ProviderKind::Janssen,
            ),
        ];
        for (doc, kind) in cases {
            assert_eq!(kind_of(doc.clone()), kind, "{doc}");
        }
        let (_, why) = recognise(
            json!({"registration_endpoint": "https://hydra.example/oauth2/register"})
                .as_object()
                .unwrap(),
        );
        assert!(why
            .unwrap()
            .contains("registration_endpoint ends with /oauth2/register"));
    }
}
