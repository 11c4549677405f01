//! The two table shapes the CLI uses: a list with a header row, and a borderless
//! field/value block for one record. Widths adapt to the terminal; piped output is not
//! wrapped.

use comfy_table::{presets, ContentArrangement, Table};
use serde_json::Value;

pub fn list(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.to_vec());
    table
}

pub fn fields<K: ToString, V: ToString>(rows: impl IntoIterator<Item = (K, V)>) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic);
    for (key, value) in rows {
        table.add_row(vec![key.to_string(), value.to_string()]);
    }
    table
}

/// A metadata value in a cell: strings bare, lists of strings one per line, anything
/// else as compact JSON.
pub fn cell(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(Value::is_string) && !items.is_empty() => {
            items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("\n")
        }
        other => other.to_string(),
    }
}

pub fn or_dash(value: Option<&str>) -> String {
    value.unwrap_or("-").to_string()
}
