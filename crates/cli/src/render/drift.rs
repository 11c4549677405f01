//! Field-by-field changes (the core's drift): what the provider changed since the last
//! known state, or what it made of what was sent.

use super::table;
use registrar_core::drift::{ChangeKind, FieldChange};
use serde_json::Value;

pub fn drift_table(changes: &[FieldChange]) -> String {
    let mut t = table::list(&["field", "change", "before", "after"]);
    for c in changes {
        let kind = match c.kind {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        };
        let show = |v: &Option<Value>| v.as_ref().map(table::cell).unwrap_or_default();
        t.add_row(vec![c.field.clone(), kind.to_string(), show(&c.before), show(&c.after)]);
    }
    t.to_string()
}
