//! JSON types (and enumerated values) of the metadata fields the specifications define.
//! Unknown fields are never checked: they are kept and returned verbatim.

use serde_json::{Map, Value};

use super::Rules;
use crate::error::ApiError;

/// The JSON type a field must have.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind {
    Text,
    TextList,
    Object,
    Flag,
    Count,
}

impl Kind {
    fn accepts(self, value: &Value) -> bool {
        match self {
            Kind::Text => value.is_string(),
            Kind::TextList => value.as_array().is_some_and(|items| items.iter().all(Value::is_string)),
            Kind::Object => value.is_object(),
            Kind::Flag => value.is_boolean(),
            Kind::Count => value.is_u64(),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Kind::Text => "a string",
            Kind::TextList => "an array of strings",
            Kind::Object => "a JSON object",
            Kind::Flag => "a boolean",
            Kind::Count => "a non-negative integer",
        }
    }
}

/// RFC 7591 §2 and OIDC DCR §2 fields. `redirect_uris` is absent on purpose: its errors are
/// `invalid_redirect_uri`, checked in `redirect`.
const STANDARD: &[(&str, Kind)] = &[
    ("client_id", Kind::Text),
    ("client_secret", Kind::Text),
    ("client_name", Kind::Text),
    ("client_uri", Kind::Text),
    ("logo_uri", Kind::Text),
    ("tos_uri", Kind::Text),
    ("policy_uri", Kind::Text),
    ("jwks_uri", Kind::Text),
    ("jwks", Kind::Object),
    ("scope", Kind::Text),
    ("contacts", Kind::TextList),
    ("grant_types", Kind::TextList),
    ("response_types", Kind::TextList),
    ("token_endpoint_auth_method", Kind::Text),
    ("token_endpoint_auth_signing_alg", Kind::Text),
    ("software_id", Kind::Text),
    ("software_version", Kind::Text),
    ("software_statement", Kind::Text),
    ("application_type", Kind::Text),
    ("sector_identifier_uri", Kind::Text),
    ("subject_type", Kind::Text),
    ("id_token_signed_response_alg", Kind::Text),
    ("id_token_encrypted_response_alg", Kind::Text),
    ("id_token_encrypted_response_enc", Kind::Text),
    ("userinfo_signed_response_alg", Kind::Text),
    ("userinfo_encrypted_response_alg", Kind::Text),
    ("userinfo_encrypted_response_enc", Kind::Text),
    ("request_object_signing_alg", Kind::Text),
    ("request_object_encryption_alg", Kind::Text),
    ("request_object_encryption_enc", Kind::Text),
    ("default_max_age", Kind::Count),
    ("require_auth_time", Kind::Flag),
    ("default_acr_values", Kind::TextList),
    ("initiate_login_uri", Kind::Text),
    ("request_uris", Kind::TextList),
    ("post_logout_redirect_uris", Kind::TextList),
];

/// Fields that may carry a BCP 47 language tag (`client_name#ja-Jpan-JP`, RFC 7591 §2.2).
const HUMAN_READABLE: &[&str] = &["client_name", "client_uri", "logo_uri", "tos_uri", "policy_uri"];

const APPLICATION_TYPES: &[&str] = &["web", "native"];
const SUBJECT_TYPES: &[&str] = &["public", "pairwise"];
const AUTH_METHODS: &[&str] = &[
    "none",
    "client_secret_basic",
    "client_secret_post",
    "client_secret_jwt",
    "private_key_jwt",
    "tls_client_auth",
    "self_signed_tls_client_auth",
];

pub(super) fn check(meta: &Map<String, Value>, rules: &Rules) -> Result<(), ApiError> {
    for (key, value) in meta {
        if let Some(kind) = kind_of(key, rules) {
            if !kind.accepts(value) {
                return Err(ApiError::invalid_client_metadata(format!(
                    "{key} must be {}",
                    kind.describe()
                )));
            }
        }
    }
    if meta
        .get("jwks")
        .is_some_and(|jwks| !jwks.get("keys").is_some_and(Value::is_array))
    {
        return Err(ApiError::invalid_client_metadata(
            "jwks must be a JWK Set with a keys array",
        ));
    }
    one_of(meta, "application_type", APPLICATION_TYPES, rules)?;
    one_of(meta, "subject_type", SUBJECT_TYPES, rules)?;
    one_of(meta, "token_endpoint_auth_method", AUTH_METHODS, rules)
}

fn kind_of(key: &str, rules: &Rules) -> Option<Kind> {
    let base = match key.split_once('#') {
        Some((base, _)) if HUMAN_READABLE.contains(&base) => base,
        Some(_) => return None,
        None => key,
    };
    STANDARD
        .iter()
        .chain(rules.extra_fields)
        .find(|(name, _)| *name == base)
        .map(|(_, kind)| *kind)
}

fn one_of(meta: &Map<String, Value>, key: &str, allowed: &[&str], rules: &Rules) -> Result<(), ApiError> {
    match meta.get(key).and_then(Value::as_str) {
        Some("") if rules.blank_values_allowed => Ok(()),
        Some(value) if !allowed.contains(&value) => Err(ApiError::invalid_client_metadata(format!(
            "{key} `{value}` is not supported; expected one of {}",
            allowed.join(", ")
        ))),
        _ => Ok(()),
    }
}
