//! Checks client metadata before anything is sent, as RFC 7591 section 2 and OpenID Connect
//! DCR 1.0 require, so the user fixes a typo in a form instead of decoding a provider's 400.
//! The rules relax where a profile's provider accepts more (WSO2's `regexp=` redirect URIs).

use super::{ClientMetadata, FieldError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

/// What the profile's provider accepts beyond the standards.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct ValidationRules {
    /// A redirect URI may be a bare host such as `server.example.com` (WSO2).
    pub bare_host_redirects: bool,
    /// A redirect URI may be `regexp=(a|b)` (WSO2).
    pub regexp_redirects: bool,
    /// The client may choose its own `client_id` and `client_secret` (Liberty).
    pub client_chosen_credentials: bool,
    /// FAPI: signing algorithms limited to PS256 and ES256. Set from the profile's signing
    /// settings for each check ([`crate::Profile::validation_rules`]), never stored here.
    #[serde(skip)]
    pub fapi: bool,
    /// A software statement goes with the request (the profile's own), whose claims may
    /// supply the keys (`software_jwks_endpoint`): keys are then not required in the form.
    #[serde(skip)]
    pub statement_supplies_keys: bool,
}

/// The signing-algorithm fields of RFC 7591, OpenID Connect DCR 1.0 and JARM.
const SIGNING_ALG_FIELDS: &[&str] = &[
    "token_endpoint_auth_signing_alg",
    "request_object_signing_alg",
    "id_token_signed_response_alg",
    "userinfo_signed_response_alg",
    "authorization_signed_response_alg",
    "introspection_signed_response_alg",
];

/// Encryption pairs: an `enc` needs its `alg` (OpenID Connect DCR 1.0 §2).
const ENCRYPTION_PAIRS: &[(&str, &str)] = &[
    ("id_token_encrypted_response_alg", "id_token_encrypted_response_enc"),
    ("userinfo_encrypted_response_alg", "userinfo_encrypted_response_enc"),
    ("request_object_encryption_alg", "request_object_encryption_enc"),
    (
        "authorization_encrypted_response_alg",
        "authorization_encrypted_response_enc",
    ),
];

/// Boolean fields of RFC 8705, RFC 9449, RFC 9126 and RFC 9101.
const BOOLEAN_FIELDS: &[&str] = &[
    "tls_client_certificate_bound_access_tokens",
    "dpop_bound_access_tokens",
    "require_pushed_authorization_requests",
    "require_signed_request_object",
];

/// The subject fields of `tls_client_auth` (RFC 8705 §2.1.2): exactly one is registered.
pub(crate) const TLS_SUBJECT_FIELDS: &[&str] = &[
    "tls_client_auth_subject_dn",
    "tls_client_auth_san_dns",
    "tls_client_auth_san_uri",
    "tls_client_auth_san_ip",
    "tls_client_auth_san_email",
];

pub(super) const STRING_FIELDS: &[&str] = &[
    "client_name",
    "client_uri",
    "logo_uri",
    "scope",
    "tos_uri",
    "policy_uri",
    "jwks_uri",
    "software_id",
    "software_version",
    "software_statement",
    "application_type",
    "sector_identifier_uri",
    "subject_type",
    "token_endpoint_auth_method",
    "initiate_login_uri",
];
const STRING_LIST_FIELDS: &[&str] = &[
    "redirect_uris",
    "grant_types",
    "response_types",
    "contacts",
    "default_acr_values",
    "request_uris",
    "post_logout_redirect_uris",
];
/// Schemes that would hand the authorization response to script, local or browser-internal
/// content, refused for every application type (as node-oidc-provider refuses them); the
/// message for them never suggests another type, which would accept them no more.
const DANGEROUS_SCHEMES: &[&str] = &["javascript", "data", "file", "vbscript", "about", "blob", "filesystem"];
const URL_FIELDS: &[&str] = &["client_uri", "logo_uri", "tos_uri", "policy_uri"];
const HTTPS_URL_FIELDS: &[&str] = &["jwks_uri", "sector_identifier_uri", "initiate_login_uri"];

/// Every problem found, in field order; empty when the metadata may be sent.
pub fn validate(meta: &ClientMetadata, rules: &ValidationRules) -> Vec<FieldError> {
    let mut errors = Vec::new();
    check_types(meta, &mut errors);
    check_provider_fields(meta, rules, &mut errors);
    check_redirect_uris(meta, rules, &mut errors);
    check_flows(meta, &mut errors);
    check_uris(meta, &mut errors);
    check_contacts(meta, &mut errors);
    check_keys_and_algorithms(meta, rules, &mut errors);
    if meta.get("jwks").is_some() && meta.get("jwks_uri").is_some() {
        errors.push(FieldError::new(
            "jwks",
            "and jwks_uri must not both be set; keep one of them",
        ));
    }
    if let Some(jwks) = meta.get("jwks") {
        if !jwks.get("keys").is_some_and(Value::is_array) {
            errors.push(FieldError::new(
                "jwks",
                "must be a JWK Set: an object with a \"keys\" list",
            ));
        }
    }
    errors
}

fn check_types(meta: &ClientMetadata, errors: &mut Vec<FieldError>) {
    for field in STRING_FIELDS {
        if let Some(v) = meta.get(field) {
            if !v.is_string() {
                errors.push(FieldError::new(*field, "must be a string"));
            }
        }
    }
    for field in STRING_LIST_FIELDS {
        if let Some(v) = meta.get(field) {
            let ok = v.as_array().is_some_and(|items| items.iter().all(Value::is_string));
            if !ok {
                errors.push(FieldError::new(*field, "must be a list of strings"));
            }
        }
    }
    if let Some(v) = meta.get("default_max_age") {
        if !v.is_u64() {
            errors.push(FieldError::new("default_max_age", "must be a whole number of seconds"));
        }
    }
    if let Some(v) = meta.get("require_auth_time") {
        if !v.is_boolean() {
            errors.push(FieldError::new("require_auth_time", "must be true or false"));
        }
    }
    if let Some(app) = meta.str("application_type") {
        if app != "web" && app != "native" {
            errors.push(FieldError::new("application_type", "must be \"web\" or \"native\""));
        }
    }
}

fn check_provider_fields(meta: &ClientMetadata, rules: &ValidationRules, errors: &mut Vec<FieldError>) {
    for field in super::RESPONSE_ONLY_FIELDS {
        if meta.get(field).is_some() {
            errors.push(FieldError::new(*field, "is set by the provider; remove it"));
        }
    }
    if !rules.client_chosen_credentials {
        for field in ["client_id", "client_secret"] {
            if meta.get(field).is_some() {
                errors.push(FieldError::new(field, "is chosen by this provider; remove it"));
            }
        }
    }
}

fn check_redirect_uris(meta: &ClientMetadata, rules: &ValidationRules, errors: &mut Vec<FieldError>) {
    let Some(uris) = meta.strings("redirect_uris") else {
        return;
    };
    let native = meta.application_type() == "native";
    let implicit = meta.grant_types().contains(&"implicit");
    for (i, raw) in uris.iter().enumerate() {
        let field = format!("redirect_uris[{i}]");
        if let Some(message) = redirect_uri_problem(raw, native, implicit, rules) {
            errors.push(FieldError::new(field, message));
        }
    }
}

/// Why one redirect URI is unacceptable, if it is.
fn redirect_uri_problem(raw: &str, native: bool, implicit: bool, rules: &ValidationRules) -> Option<String> {
    if raw.trim().is_empty() {
        return Some("is empty".into());
    }
    if rules.regexp_redirects {
        if let Some(pattern) = raw.strip_prefix("regexp=") {
            return regexp_redirect_problem(pattern);
        }
    }
    let url = match Url::parse(raw) {
        Ok(url) => url,
        Err(_) if rules.bare_host_redirects && is_bare_host(raw) => return None,
        Err(e) => return Some(format!("is not an absolute URI ({e})")),
    };
    if url.fragment().is_some() {
        return Some("must not contain a fragment (#...)".into());
    }
    let scheme = url.scheme();
    if let Some(problem) = dangerous_scheme(&url) {
        return Some(problem);
    }
    let loopback = is_loopback(&url);
    if native {
        if scheme == "http" && !loopback {
            return Some(
                "uses http on a non-loopback host; native apps use a custom scheme, https, or http://127.0.0.1".into(),
            );
        }
    } else {
        if scheme != "http" && scheme != "https" {
            return Some(format!(
                "uses the custom scheme \"{scheme}\"; web apps need http or https (set application_type to native for apps)"
            ));
        }
        if implicit && (scheme != "https" || loopback) {
            return Some(
                "must use https on a public host: web clients using the implicit grant may not use http or localhost"
                    .into(),
            );
        }
    }
    None
}

/// Why a redirect URI's scheme is refused for every application type, if it is.
fn dangerous_scheme(url: &Url) -> Option<String> {
    let scheme = url.scheme();
    DANGEROUS_SCHEMES.contains(&scheme).then(|| {
        format!(
            "uses the {scheme}: scheme, which no client may use as a redirect URI (it runs or reads content in the browser instead of reaching the client)"
        )
    })
}

fn regexp_redirect_problem(pattern: &str) -> Option<String> {
    let inner = pattern
        .strip_prefix('(')
        .and_then(|p| p.strip_suffix(')'))
        .unwrap_or(pattern);
    for alternative in inner.split('|') {
        match Url::parse(alternative) {
            Ok(url) if url.fragment().is_some() => return Some(format!("alternative {alternative} has a fragment")),
            Ok(url) => {
                if let Some(problem) = dangerous_scheme(&url) {
                    return Some(format!("alternative {alternative} {problem}"));
                }
            }
            Err(_) => return Some(format!("alternative {alternative} is not an absolute URI")),
        }
    }
    None
}

fn is_bare_host(raw: &str) -> bool {
    !raw.is_empty()
        && raw
            .split(':')
            .next()
            .is_some_and(|host| host.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        && Url::parse(&format!("https://{raw}")).is_ok()
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// RFC 7591 section 2.1: response types imply grant types.
fn check_flows(meta: &ClientMetadata, errors: &mut Vec<FieldError>) {
    if meta.strings("grant_types").is_none() && meta.get("grant_types").is_some() {
        return; // already reported as a type error
    }
    let grants = meta.grant_types();
    // Only response types the client sends are checked: providers do not refuse a
    // password or client_credentials client over the `code` default.
    let responses = meta.strings("response_types").unwrap_or_default();
    let needs_code = responses.iter().any(|r| r.split(' ').any(|p| p == "code"));
    let needs_implicit = responses
        .iter()
        .any(|r| r.split(' ').any(|p| p == "token" || p == "id_token"));
    if needs_code && !grants.contains(&"authorization_code") {
        errors.push(FieldError::new(
            "grant_types",
            "must include authorization_code because response_types includes code",
        ));
    }
    if needs_implicit && !grants.contains(&"implicit") {
        errors.push(FieldError::new(
            "grant_types",
            "must include implicit because response_types includes token or id_token",
        ));
    }
    let redirect_flow = grants.contains(&"authorization_code") || grants.contains(&"implicit");
    if redirect_flow && meta.redirect_uris().is_empty() && meta.get("redirect_uris").is_none_or(Value::is_array) {
        errors.push(FieldError::new(
            "redirect_uris",
            "needs at least one URI for the authorization_code and implicit grants",
        ));
    }
    if meta.token_endpoint_auth_method() == "none" && grants.contains(&"client_credentials") {
        errors.push(FieldError::new(
            "token_endpoint_auth_method",
            "is none (a public client), which cannot use the client_credentials grant",
        ));
    }
}

fn check_uris(meta: &ClientMetadata, errors: &mut Vec<FieldError>) {
    for field in URL_FIELDS.iter().chain(HTTPS_URL_FIELDS) {
        let Some(raw) = meta.str(field) else { continue };
        match Url::parse(raw) {
            Ok(url) if HTTPS_URL_FIELDS.contains(field) && url.scheme() != "https" && !is_loopback(&url) => {
                errors.push(FieldError::new(*field, "must use https"));
            }
            Ok(url) if url.scheme() != "https" && url.scheme() != "http" => {
                errors.push(FieldError::new(*field, "must be an http or https URL"));
            }
            Ok(_) => {}
            Err(e) => errors.push(FieldError::new(*field, format!("is not an absolute URL ({e})"))),
        }
    }
}

/// The fields of key-based clients: the keys a method needs, the certificate subject
/// `tls_client_auth` needs, algorithm names (FAPI's two where the profile says FAPI),
/// encryption pairs and booleans.
fn check_keys_and_algorithms(meta: &ClientMetadata, rules: &ValidationRules, errors: &mut Vec<FieldError>) {
    let method = meta.str("token_endpoint_auth_method").unwrap_or_default();
    let has_keys = meta.get("jwks").is_some() || meta.get("jwks_uri").is_some();
    let statement = meta.get("software_statement").is_some() || rules.statement_supplies_keys;
    if matches!(method, "private_key_jwt" | "self_signed_tls_client_auth") && !has_keys && !statement {
        errors.push(FieldError::new(
            "jwks",
            format!("{method} needs the client's public keys: set jwks or jwks_uri (a key in custody provides them)"),
        ));
    }
    if method == "tls_client_auth" {
        let given: Vec<&str> = TLS_SUBJECT_FIELDS
            .iter()
            .copied()
            .filter(|f| meta.get(f).is_some())
            .collect();
        match given.len() {
            0 => errors.push(FieldError::new(
                "tls_client_auth_subject_dn",
                "tls_client_auth needs the certificate's subject: set tls_client_auth_subject_dn (or one SAN field) from the certificate",
            )),
            1 => {}
            _ => errors.push(FieldError::new(
                given[1],
                format!("only one certificate subject field may be set; {} is set too", given[0]),
            )),
        }
    }
    for field in TLS_SUBJECT_FIELDS {
        if meta.get(field).is_some_and(|v| !v.is_string()) {
            errors.push(FieldError::new(*field, "must be a string"));
        }
    }
    for field in SIGNING_ALG_FIELDS {
        let Some(value) = meta.get(field) else { continue };
        let Some(alg) = value.as_str() else {
            errors.push(FieldError::new(
                *field,
                "must be a string (a JWS algorithm such as PS256)",
            ));
            continue;
        };
        if *field == "token_endpoint_auth_signing_alg" && alg == "none" {
            errors.push(FieldError::new(*field, "must not be none (RFC 7591 §2)"));
        } else if rules.fapi && !matches!(alg, "PS256" | "ES256") {
            errors.push(FieldError::new(
                *field,
                format!("is {alg}; a FAPI profile allows PS256 or ES256 only"),
            ));
        }
    }
    for (alg, enc) in ENCRYPTION_PAIRS {
        if meta.get(enc).is_some() && meta.get(alg).is_none() {
            errors.push(FieldError::new(*enc, format!("needs {alg} as well")));
        }
    }
    for field in BOOLEAN_FIELDS {
        if meta.get(field).is_some_and(|v| !v.is_boolean()) {
            errors.push(FieldError::new(*field, "must be true or false"));
        }
    }
    if rules.fapi
        && matches!(
            method,
            "client_secret_basic" | "client_secret_post" | "client_secret_jwt" | "none"
        )
    {
        errors.push(FieldError::new(
            "token_endpoint_auth_method",
            format!("is {method}; a FAPI profile authenticates clients with private_key_jwt, tls_client_auth or self_signed_tls_client_auth"),
        ));
    }
}

fn check_contacts(meta: &ClientMetadata, errors: &mut Vec<FieldError>) {
    let Some(contacts) = meta.strings("contacts") else {
        return;
    };
    for (i, contact) in contacts.iter().enumerate() {
        let mut parts = contact.split('@');
        let ok = matches!((parts.next(), parts.next(), parts.next()),
            (Some(local), Some(domain), None)
                if !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.'))
            && !contact.chars().any(char::is_whitespace);
        if !ok {
            errors.push(FieldError::new(format!("contacts[{i}]"), "is not an e-mail address"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn meta(v: Value) -> ClientMetadata {
        ClientMetadata::from_map(v.as_object().cloned().unwrap_or_default())
    }

    fn fields(v: Value, rules: ValidationRules) -> Vec<String> {
        validate(&meta(v), &rules).into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_plain_web_client_passes() {
        let errs = fields(
            json!({"redirect_uris": ["https://app.example/cb"], "client_name": "<b>x</b>", "x_vendor": 1}),
            ValidationRules::default(),
        );
        assert!(errs.is_empty(), "{errs:?}");
    }

    #[test]
    fn fragments_and_relative_uris_are_named_by_index() {
        let errs = fields(
            json!({"redirect_uris": ["https://ok.example/cb", "https://a.example/cb#frag", "/relative"]}),
            ValidationRules::default(),
        );
        assert_eq!(errs, vec!["redirect_uris[1]", "redirect_uris[2]"]);
    }

    #[test]
    fn native_and_web_scheme_rules() {
        let native = json!({"application_type": "native",
            "redirect_uris": ["com.example.app:/cb", "http://127.0.0.1:8080/cb", "http://evil.example/cb"]});
        assert_eq!(fields(native, ValidationRules::default()), vec!["redirect_uris[2]"]);
        let web = json!({"redirect_uris": ["com.example.app:/cb"]});
        assert_eq!(fields(web, ValidationRules::default()), vec!["redirect_uris[0]"]);
        for scheme in [
            "javascript:alert(1)",
            "data:text/html,x",
            "file:///etc/passwd",
            "VBScript:msgbox",
            "about:blank",
            "blob:https://a.example/1",
        ] {
            for app in ["web", "native"] {
                let m = meta(json!({"application_type": app, "redirect_uris": [scheme]}));
                let errs = validate(&m, &ValidationRules::default());
                assert_eq!(errs.len(), 1, "{app} {scheme}");
                assert!(
                    errs[0].message.contains("no client may use"),
                    "{app} {scheme}: {errs:?}"
                );
                assert!(
                    !errs[0].message.contains("native"),
                    "never suggests a type that would accept it"
                );
            }
        }
        let implicit = json!({"redirect_uris": ["http://localhost/cb"], "grant_types": ["implicit"], "response_types": ["id_token"]});
        assert_eq!(fields(implicit, ValidationRules::default()), vec!["redirect_uris[0]"]);
    }

    #[test]
    fn grant_and_response_types_must_agree() {
        let errs = fields(
            json!({"redirect_uris": ["https://a.example/cb"], "grant_types": ["client_credentials"], "response_types": ["code", "id_token token"]}),
            ValidationRules::default(),
        );
        assert_eq!(errs, vec!["grant_types", "grant_types"]);
    }

    #[test]
    fn redirect_uris_required_for_code_flow_but_not_machine_clients() {
        assert_eq!(fields(json!({}), ValidationRules::default()), vec!["redirect_uris"]);
        let m2m = json!({"grant_types": ["client_credentials"], "response_types": []});
        assert!(fields(m2m, ValidationRules::default()).is_empty());
    }

    #[test]
    fn wrong_types_contacts_and_jwks() {
        let errs = fields(
            json!({"redirect_uris": ["https://a.example/cb"], "client_name": 7, "contacts": ["not-an-email", "ok@example.org"],
                   "jwks": {"keys": []}, "jwks_uri": "https://a.example/jwks"}),
            ValidationRules::default(),
        );
        assert_eq!(errs, vec!["client_name", "contacts[0]", "jwks"]);
    }

    #[test]
    fn provider_fields_refused_unless_provider_allows() {
        let m =
            json!({"redirect_uris": ["https://a.example/cb"], "client_id": "mine", "registration_access_token": "x"});
        assert_eq!(
            fields(m.clone(), ValidationRules::default()),
            vec!["registration_access_token", "client_id"]
        );
        let liberty = ValidationRules {
            client_chosen_credentials: true,
            ..Default::default()
        };
        assert_eq!(fields(m, liberty), vec!["registration_access_token"]);
    }

    #[test]
    fn wso2_relaxations() {
        let m =
            json!({"redirect_uris": ["server.example.com", "regexp=(https://a.example/cb|https://b.example:8000/cb)"]});
        assert_eq!(
            fields(m.clone(), ValidationRules::default()),
            vec!["redirect_uris[0]", "redirect_uris[1]"]
        );
        let wso2 = ValidationRules {
            bare_host_redirects: true,
            regexp_redirects: true,
            ..Default::default()
        };
        assert!(fields(m, wso2).is_empty());
        let bad = json!({"redirect_uris": ["regexp=(https://a.example/cb|nope)"]});
        assert_eq!(fields(bad, wso2), vec!["redirect_uris[0]"]);
        // A dangerous scheme is no safer as an alternative of a pattern.
        let script = meta(json!({"redirect_uris": ["regexp=(https://a.example/cb|javascript:alert(1))"]}));
        let errs = validate(&script, &wso2);
        assert_eq!(errs.len(), 1);
        assert!(errs[0].message.contains("no client may use"), "{errs:?}");
    }

    #[test]
    fn key_based_clients_need_their_keys_and_subject() {
        let m2m = |extra: Value| {
            let mut v = json!({"grant_types": ["client_credentials"], "response_types": []});
            v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            v
        };
        let rules = ValidationRules::default();
        assert_eq!(
            fields(m2m(json!({"token_endpoint_auth_method": "private_key_jwt"})), rules),
            vec!["jwks"]
        );
        assert!(fields(
            m2m(json!({"token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "https://tpp.example/jwks"})),
            rules
        )
        .is_empty());
        // A software statement may carry the keys (Open Banking's software_jwks_endpoint).
        let with_statement = ValidationRules {
            statement_supplies_keys: true,
            ..rules
        };
        assert!(fields(
            m2m(json!({"token_endpoint_auth_method": "self_signed_tls_client_auth"})),
            with_statement
        )
        .is_empty());
        assert_eq!(
            fields(m2m(json!({"token_endpoint_auth_method": "tls_client_auth"})), rules),
            vec!["tls_client_auth_subject_dn"]
        );
        assert_eq!(
            fields(
                m2m(
                    json!({"token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_subject_dn": "CN=a", "tls_client_auth_san_dns": "a.example"})
                ),
                rules
            ),
            vec!["tls_client_auth_san_dns"]
        );
        assert!(fields(
            m2m(json!({"token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_subject_dn": "CN=a,O=B"})),
            rules
        )
        .is_empty());
    }

    #[test]
    fn algorithms_booleans_and_encryption_pairs_are_checked_and_fapi_narrows() {
        let m = json!({
            "grant_types": ["client_credentials"], "response_types": [],
            "token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "https://tpp.example/jwks",
            "token_endpoint_auth_signing_alg": "RS256",
            "id_token_encrypted_response_enc": "A128GCM",
            "tls_client_certificate_bound_access_tokens": "yes"
        });
        assert_eq!(
            fields(m.clone(), ValidationRules::default()),
            vec![
                "id_token_encrypted_response_enc",
                "tls_client_certificate_bound_access_tokens"
            ]
        );
        let fapi = ValidationRules {
            fapi: true,
            ..ValidationRules::default()
        };
        let errs = validate(&meta(m), &fapi);
        assert_eq!(errs[0].field, "token_endpoint_auth_signing_alg");
        assert!(errs[0].message.contains("PS256 or ES256"), "{}", errs[0].message);
        let secret = json!({"grant_types": ["client_credentials"], "response_types": [], "token_endpoint_auth_method": "client_secret_basic"});
        assert_eq!(fields(secret, fapi), vec!["token_endpoint_auth_method"]);
        let none = json!({"grant_types": ["client_credentials"], "response_types": [], "token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "https://tpp.example/j", "token_endpoint_auth_signing_alg": "none"});
        assert_eq!(
            fields(none, ValidationRules::default()),
            vec!["token_endpoint_auth_signing_alg"]
        );
    }
}
