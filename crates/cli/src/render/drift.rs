//! Field-by-field changes (the core's drift): what the provider changed since the last
//! known state, or what it made of what was sent.

use super::table;
use registrar_core::drift::{ChangeKind, FieldChange};
use serde_json::Value;

/// The longest value a drift cell shows; a software statement or a JWK Set is cut (with
/// its length said), so the table stays readable. `--json` has every value whole.
const CELL_MAX: usize = 100;

fn shortened(text: String) -> String {
    let count = text.chars().count();
    if count <= CELL_MAX {
        return text;
    }
    let head: String = text.chars().take(CELL_MAX).collect();
    format!("{head}… ({count} chars; --json shows it whole)")
}

pub fn drift_table(changes: &[FieldChange]) -> String {
    let mut t = table::list(&["field", "change", "before", "after"]);
    for c in changes {
        let kind = match c.kind {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        };
        let show = |v: &Option<Value>| v.as_ref().map(table::cell).map(shortened).unwrap_or_default();
        t.add_row(vec![c.field.clone(), kind.to_string(), show(&c.before), show(&c.after)]);
    }
    t.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_cut_and_say_so() {
        assert_eq!(shortened("short".into()), "short");
        let long = "x".repeat(500);
        let cut = shortened(long);
        assert!(cut.starts_with(&"x".repeat(100)) && cut.contains("500 chars"), "{cut}");
    }
}
