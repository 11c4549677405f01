//! Client metadata checks from RFC 7591 §2 and OpenID Connect DCR 1.0 §2, with the exceptions
//! the providers' documents show. Pure functions over the JSON object, so every dialect runs
//! the same checks and they can be tested without HTTP.

mod fields;
mod grants;
mod redirect;

use serde_json::{Map, Value};

pub(crate) use fields::Kind;
pub(crate) use redirect::RedirectSyntax;

use crate::error::ApiError;
use crate::Dialect;

/// How strict a dialect is about metadata.
#[derive(Debug)]
pub(crate) struct Rules {
    pub(crate) redirect_syntax: RedirectSyntax,
    /// OIDC DCR makes `redirect_uris` required for redirect-based grants; Liberty's document
    /// lists it as optional.
    pub(crate) redirect_uris_required: bool,
    /// Vendor fields this dialect knows the type of.
    pub(crate) extra_fields: &'static [(&'static str, Kind)],
    /// Liberty documents "an empty value is valid" for its enumerated fields.
    pub(crate) blank_values_allowed: bool,
    /// SimpleIdServer itself stores `response_types: ["code"]` for `client_credentials`-only
    /// clients, so it cannot refuse that combination when a client sends it back.
    pub(crate) grant_consistency: bool,
}

const LIBERTY_FIELDS: &[(&str, Kind)] = &[
    ("preauthorized_scope", Kind::Text),
    ("introspect_tokens", Kind::Flag),
    ("trusted_uri_prefixes", Kind::TextList),
    ("functional_user_id", Kind::Text),
    ("functional_user_groupIds", Kind::TextList),
];

/// RFC 8705 §2.1.2 and the Open Banking profile's fields.
const OPEN_BANKING_FIELDS: &[(&str, Kind)] = &[
    ("tls_client_auth_subject_dn", Kind::Text),
    ("tls_client_certificate_bound_access_tokens", Kind::Flag),
];

const WSO2_FIELDS: &[(&str, Kind)] = &[("ext_param_owner", Kind::Text)];

impl Rules {
    pub(crate) fn for_dialect(dialect: Dialect) -> Self {
        let standard = Rules {
            redirect_syntax: RedirectSyntax::Standard,
            redirect_uris_required: true,
            extra_fields: &[],
            blank_values_allowed: false,
            grant_consistency: true,
        };
        match dialect {
            Dialect::Wso2 => Rules {
                redirect_syntax: RedirectSyntax::Wso2,
                extra_fields: WSO2_FIELDS,
                ..standard
            },
            Dialect::Liberty => Rules {
                redirect_uris_required: false,
                extra_fields: LIBERTY_FIELDS,
                blank_values_allowed: true,
                ..standard
            },
            Dialect::SimpleIdServer => Rules {
                grant_consistency: false,
                ..standard
            },
            Dialect::OpenBanking => Rules {
                extra_fields: OPEN_BANKING_FIELDS,
                ..standard
            },
            Dialect::Generic | Dialect::Soffid | Dialect::Indigo => standard,
        }
    }
}

/// Checks registration (or full update) metadata; the first problem found is the error.
pub(crate) fn client_metadata(meta: &Map<String, Value>, rules: &Rules) -> Result<(), ApiError> {
    fields::check(meta, rules)?;
    if meta.contains_key("jwks") && meta.contains_key("jwks_uri") {
        return Err(ApiError::invalid_client_metadata(
            "jwks and jwks_uri must not both be present",
        ));
    }
    let grants = grants::effective(meta);
    if rules.grant_consistency {
        grants::check_consistency(meta, &grants)?;
    }
    redirect::check(meta, rules, &grants)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(dialect: Dialect, value: Value) -> Result<(), &'static str> {
        let Value::Object(meta) = value else {
            return Err("not an object");
        };
        client_metadata(&meta, &Rules::for_dialect(dialect)).map_err(|e| e.code())
    }

    #[test]
    fn accepts_the_documents_examples() {
        let soffid = json!({
            "application_type": "web",
            "redirect_uris": ["https://client.example.org/callback"],
            "client_name": "My Example 7",
            "subject_type": "pairwise",
            "token_endpoint_auth_method": "client_secret_basic",
            "jwks_uri": "https://client.example.org/my_public_keys.jwks",
            "contacts": ["ve7jtb@example.org"],
            "request_uris": ["https://client.example.org/rf.txt#qpXaRLh"]
        });
        assert_eq!(check(Dialect::Soffid, soffid), Ok(()));
        let wso2 = json!({
            "redirect_uris": ["server.example.com",
                "regexp=(https://server.example.com/callback|https://testapp:8000/callback)"],
            "client_name": "application_1",
            "ext_param_owner": "application_owner",
            "grant_types": ["password"]
        });
        assert_eq!(check(Dialect::Wso2, wso2), Ok(()));
        let liberty = json!({
            "grant_types": ["authorization_code", "client_credentials", "implicit"],
            "response_types": ["code", "token", "id_token token"],
            "application_type": "web",
            "introspect_tokens": true,
            "redirect_uris": ["https://server.example.com:443/resource/redirect1"]
        });
        assert_eq!(check(Dialect::Liberty, liberty), Ok(()));
    }

    #[test]
    fn refuses_bad_metadata() {
        let g = Dialect::Generic;
        assert_eq!(
            check(g, json!({"client_name": 3, "redirect_uris": ["https://a/cb"]})),
            Err("invalid_client_metadata")
        );
        assert_eq!(
            check(g, json!({"contacts": "a@b", "redirect_uris": ["https://a/cb"]})),
            Err("invalid_client_metadata")
        );
        assert_eq!(
            check(g, json!({"redirect_uris": ["https://a/cb#x"]})),
            Err("invalid_redirect_uri")
        );
        assert_eq!(
            check(g, json!({"redirect_uris": ["/relative"]})),
            Err("invalid_redirect_uri")
        );
        assert_eq!(
            check(g, json!({"redirect_uris": "https://a/cb"})),
            Err("invalid_redirect_uri")
        );
        assert_eq!(
            check(g, json!({"client_name": "no redirect"})),
            Err("invalid_redirect_uri")
        );
        assert_eq!(
            check(
                g,
                json!({"redirect_uris": ["https://a/cb"], "response_types": ["token"]})
            ),
            Err("invalid_client_metadata")
        );
        assert_eq!(
            check(
                g,
                json!({"redirect_uris": ["https://a/cb"], "jwks": {"keys": []}, "jwks_uri": "https://a/j"})
            ),
            Err("invalid_client_metadata")
        );
        assert_eq!(
            check(g, json!({"redirect_uris": ["server.example.com"]})),
            Err("invalid_redirect_uri")
        );
        assert_eq!(
            check(
                Dialect::Wso2,
                json!({"redirect_uris": ["regexp=(https://ok/cb|not a uri)"]})
            ),
            Err("invalid_redirect_uri")
        );
    }

    #[test]
    fn applies_oidc_redirect_rules_by_application_type() {
        let g = Dialect::Generic;
        let implicit = |uri: &str, app: &str| json!({"redirect_uris": [uri], "grant_types": ["implicit"], "response_types": ["id_token"], "application_type": app});
        assert_eq!(
            check(g, implicit("http://app.example/cb", "web")),
            Err("invalid_redirect_uri")
        );
        assert_eq!(
            check(g, implicit("https://localhost/cb", "web")),
            Err("invalid_redirect_uri")
        );
        assert_eq!(check(g, implicit("https://app.example/cb", "web")), Ok(()));
        assert_eq!(check(g, implicit("com.example.app:/cb", "native")), Ok(()));
        assert_eq!(check(g, implicit("http://127.0.0.1:8765/cb", "native")), Ok(()));
        assert_eq!(
            check(g, implicit("http://app.example/cb", "native")),
            Err("invalid_redirect_uri")
        );
        let code = json!({"redirect_uris": ["http://localhost:9000/cb"], "application_type": "web"});
        assert_eq!(check(g, code), Ok(()));
    }

    #[test]
    fn refuses_dangerous_schemes_for_every_type_and_custom_schemes_for_web_clients() {
        let g = Dialect::Generic;
        let client = |uri: &str, app: &str| json!({"redirect_uris": [uri], "application_type": app});
        for uri in [
            "javascript:alert(1)",
            "data:text/html,x",
            "file:///etc/passwd",
            "vbscript:msgbox",
        ] {
            for app in ["web", "native"] {
                assert_eq!(check(g, client(uri, app)), Err("invalid_redirect_uri"), "{app} {uri}");
            }
        }
        assert_eq!(
            check(g, client("com.example.app:/cb", "web")),
            Err("invalid_redirect_uri")
        );
        assert_eq!(check(g, client("com.example.app:/cb", "native")), Ok(()));
        assert_eq!(
            check(g, client("http://example.com/cb", "native")),
            Err("invalid_redirect_uri")
        );
        assert_eq!(check(g, client("http://[::1]:8080/cb", "native")), Ok(()));
    }

    #[test]
    fn liberty_allows_blank_values_and_no_redirects() {
        let meta = json!({"application_type": "", "token_endpoint_auth_method": "", "grant_types": []});
        assert_eq!(check(Dialect::Liberty, meta.clone()), Ok(()));
        assert_eq!(check(Dialect::Generic, meta), Err("invalid_client_metadata"));
        assert_eq!(check(Dialect::Liberty, json!({})), Ok(()));
    }
}
