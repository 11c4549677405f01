//! Checking an update: only what the user changed can block it. A value the provider
//! itself returned and the user left alone goes back as it came, so a provider that
//! answers a standard field in its own shape (`token_endpoint_auth_method` as a list) does
//! not make every later update fail; where the standard shape is unambiguous (a list of
//! exactly one string where a string belongs), it is normalised and the user is told.

use super::validate::STRING_FIELDS;
use super::{validate, ClientMetadata, FieldError, ValidationRules};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The result of checking metadata: errors block sending; warnings do not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct MetadataCheck {
    /// Problems with what the user changed: nothing is sent while any remain.
    pub errors: Vec<FieldError>,
    /// Problems with values the provider returned and the user left alone, and normalisations
    /// made: shown, sent as they are.
    pub warnings: Vec<FieldError>,
}

impl MetadataCheck {
    /// Every problem is an error: what a new registration gets.
    pub fn all_errors(errors: Vec<FieldError>) -> Self {
        Self {
            errors,
            warnings: Vec::new(),
        }
    }
}

/// Checks `desired` against the provider's last known state `before`, normalising the
/// untouched fields of `desired` in place, under the profile's `rules`. An update body
/// carries the client's own `client_id` and secret (RFC 7592), so those are never refused.
pub fn check_update(desired: &mut ClientMetadata, before: &ClientMetadata, rules: &ValidationRules) -> MetadataCheck {
    let rules = &ValidationRules {
        client_chosen_credentials: true,
        ..*rules
    };
    let mut warnings = Vec::new();
    let to_normalise: Vec<String> = STRING_FIELDS
        .iter()
        .filter(|f| untouched(desired, before, f))
        .filter(|f| single_string(desired.get(f)).is_some())
        .map(|f| f.to_string())
        .collect();
    for field in to_normalise {
        if let Some(one) = single_string(desired.get(&field)).map(str::to_string) {
            warnings.push(FieldError::new(
                field.clone(),
                format!(
                    "came from the provider as a list of one; sent back as the string {one:?}, as RFC 7591 defines it"
                ),
            ));
            desired.set(field, Value::String(one));
        }
    }
    let mut errors = Vec::new();
    for problem in validate(desired, rules) {
        if untouched(desired, before, root(&problem.field)) {
            warnings.push(FieldError::new(
                problem.field,
                format!(
                    "{} (the provider's own value, left unchanged, so it is sent back as it is)",
                    problem.message
                ),
            ));
        } else {
            errors.push(problem);
        }
    }
    MetadataCheck { errors, warnings }
}

fn untouched(desired: &ClientMetadata, before: &ClientMetadata, field: &str) -> bool {
    desired.get(field).is_some() && desired.get(field) == before.get(field)
}

/// `redirect_uris[2]` is about `redirect_uris`.
fn root(field: &str) -> &str {
    field.split('[').next().unwrap_or(field)
}

fn single_string(v: Option<&Value>) -> Option<&str> {
    match v?.as_array()?.as_slice() {
        [Value::String(s)] => Some(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn meta(v: Value) -> ClientMetadata {
        ClientMetadata::from_map(v.as_object().cloned().unwrap())
    }

    /// The profile's rules; `check_update` allows the client's own id itself.
    fn rules() -> ValidationRules {
        ValidationRules::default()
    }

    #[test]
    fn a_provider_shaped_field_the_user_left_alone_is_normalised_and_does_not_block() {
        let before = meta(
            json!({"client_id": "c", "client_name": "a", "redirect_uris": ["https://a.example/cb"],
                                 "token_endpoint_auth_method": ["client_secret_basic"]}),
        );
        let mut desired = before.clone();
        desired.set("client_name", json!("b"));
        let check = check_update(&mut desired, &before, &rules());
        assert!(check.errors.is_empty(), "{check:?}");
        assert_eq!(desired.str("token_endpoint_auth_method"), Some("client_secret_basic"));
        assert_eq!(check.warnings.len(), 1);
        assert_eq!(check.warnings[0].field, "token_endpoint_auth_method");
    }

    #[test]
    fn an_ambiguous_provider_value_goes_back_as_it_came_with_a_warning() {
        let before = meta(json!({"client_id": "c", "redirect_uris": ["https://a.example/cb"],
                                 "token_endpoint_auth_method": ["client_secret_basic", "private_key_jwt"],
                                 "contacts": ["not-a-mail"]}));
        let mut desired = before.clone();
        desired.set("client_name", json!("b"));
        let check = check_update(&mut desired, &before, &rules());
        assert!(check.errors.is_empty(), "{check:?}");
        assert_eq!(
            desired.get("token_endpoint_auth_method"),
            before.get("token_endpoint_auth_method")
        );
        let fields: Vec<_> = check.warnings.iter().map(|w| w.field.as_str()).collect();
        assert_eq!(fields, vec!["token_endpoint_auth_method", "contacts[0]"]);
    }

    #[test]
    fn what_the_user_changed_is_still_an_error() {
        let before = meta(json!({"client_id": "c", "redirect_uris": ["https://a.example/cb"],
                                 "token_endpoint_auth_method": ["client_secret_basic"]}));
        let mut desired = before.clone();
        desired.set("redirect_uris", json!(["javascript:alert(1)"]));
        desired.set("token_endpoint_auth_method", json!(["a", "b"]));
        let check = check_update(&mut desired, &before, &rules());
        let fields: Vec<_> = check.errors.iter().map(|w| w.field.as_str()).collect();
        assert_eq!(fields, vec!["token_endpoint_auth_method", "redirect_uris[0]"]);
    }
}
