//! What changed between two views of a client's metadata, field by field, leaving out
//! differences that are not changes: the order of a space-delimited `scope`, the order of
//! lists that are sets (grant types, redirect URIs...), and fields a profile marks as
//! volatile (SimpleIdServer's `update_datetime`).

use crate::metadata::{ClientMetadata, SECRET_FIELDS};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeSet;

/// Lists whose order carries no meaning.
const SET_FIELDS: &[&str] = &[
    "redirect_uris",
    "grant_types",
    "response_types",
    "contacts",
    "post_logout_redirect_uris",
    "request_uris",
    "default_acr_values",
    "trusted_uri_prefixes",
    "functional_user_groupIds",
];
/// Space-delimited strings whose order carries no meaning.
const SPACE_SET_FIELDS: &[&str] = &["scope", "preauthorized_scope"];

/// How one field differs between two views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum ChangeKind {
    /// Absent before, present after.
    Added,
    /// Present before, absent after.
    Removed,
    /// Present in both with values that are not equivalent (see the module).
    Changed,
}

/// One field that differs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct FieldChange {
    /// The top-level metadata field's name.
    pub field: String,
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// Its value in the first view; `None` when it was added.
    pub before: Option<Value>,
    /// Its value in the second view; `None` when it was removed.
    pub after: Option<Value>,
}

/// What differs between two views of a client's metadata; secret fields are never compared.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Drift {
    /// The differing fields: those of the first view in its order, then the added ones.
    pub changes: Vec<FieldChange>,
}

impl Drift {
    /// Whether nothing differs.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Without the fields every provider answer adds and a request never carries
    /// (identifiers, issue and expiry times): comparing what was sent with what came back,
    /// they are not changes the provider made.
    pub fn without_issued_fields(self) -> Self {
        // The fields only a provider sets (one list, `metadata::RESPONSE_ONLY_FIELDS`),
        // and the client's id.
        let issued = |field: &str| field == "client_id" || crate::metadata::RESPONSE_ONLY_FIELDS.contains(&field);
        Drift {
            changes: self.changes.into_iter().filter(|c| !issued(&c.field)).collect(),
        }
    }

    /// The changes of one kind, in order.
    pub fn of(&self, kind: ChangeKind) -> impl Iterator<Item = &FieldChange> {
        self.changes.iter().filter(move |c| c.kind == kind)
    }
}

/// The changes from `before` to `after`, in field order; `ignore` lists volatile fields.
pub fn diff(before: &ClientMetadata, after: &ClientMetadata, ignore: &[String]) -> Drift {
    let skip = |k: &str| SECRET_FIELDS.contains(&k) || ignore.iter().any(|i| i == k);
    let mut changes = Vec::new();
    for (field, old) in before.as_map() {
        if skip(field) {
            continue;
        }
        match after.get(field) {
            None => changes.push(FieldChange {
                field: field.clone(),
                kind: ChangeKind::Removed,
                before: Some(old.clone()),
                after: None,
            }),
            Some(new) if !equivalent(field, old, new) => changes.push(FieldChange {
                field: field.clone(),
                kind: ChangeKind::Changed,
                before: Some(old.clone()),
                after: Some(new.clone()),
            }),
            Some(_) => {}
        }
    }
    for (field, new) in after.as_map() {
        if !skip(field) && before.get(field).is_none() {
            changes.push(FieldChange {
                field: field.clone(),
                kind: ChangeKind::Added,
                before: None,
                after: Some(new.clone()),
            });
        }
    }
    Drift { changes }
}

fn equivalent(field: &str, a: &Value, b: &Value) -> bool {
    if a == b {
        return true;
    }
    if SPACE_SET_FIELDS.contains(&field) {
        if let (Some(a), Some(b)) = (a.as_str(), b.as_str()) {
            return a.split_whitespace().collect::<BTreeSet<_>>() == b.split_whitespace().collect::<BTreeSet<_>>();
        }
    }
    if SET_FIELDS.contains(&field) {
        if let (Some(a), Some(b)) = (a.as_array(), b.as_array()) {
            let key = |v: &Value| v.to_string();
            return a.len() == b.len()
                && a.iter().map(key).collect::<BTreeSet<_>>() == b.iter().map(key).collect::<BTreeSet<_>>();
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn m(v: Value) -> ClientMetadata {
        ClientMetadata::from_map(v.as_object().unwrap().clone())
    }

    #[test]
    fn reordering_is_not_a_change_but_edits_are() {
        let a = m(
            json!({"scope": "openid profile", "grant_types": ["a", "b"], "client_name": "x", "gone": 1, "client_secret": "s1", "update_datetime": "t1"}),
        );
        let b = m(
            json!({"scope": "profile openid", "grant_types": ["b", "a"], "client_name": "y", "new": true, "client_secret": "s2", "update_datetime": "t2"}),
        );
        let d = diff(&a, &b, &["update_datetime".to_string()]);
        let summary: Vec<(&str, ChangeKind)> = d.changes.iter().map(|c| (c.field.as_str(), c.kind)).collect();
        assert_eq!(
            summary,
            vec![
                ("client_name", ChangeKind::Changed),
                ("gone", ChangeKind::Removed),
                ("new", ChangeKind::Added)
            ]
        );
        assert!(diff(&a, &a, &[]).is_empty());
        let dup = m(json!({"grant_types": ["a", "a", "b"]}));
        assert!(
            !diff(&m(json!({"grant_types": ["a", "b"]})), &dup, &[]).is_empty(),
            "lengths differ"
        );
    }
}
