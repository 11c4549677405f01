//! Edits expressed as text, as the command line takes them: `key=value` sets a field,
//! `key+=value` appends to a list, `key-=value` removes from a list, `key=` with nothing
//! after it removes the field. A value that parses as JSON is taken as JSON
//! (`introspect_tokens=true`, `redirect_uris=["https://a/cb"]`), anything else as a string.

use super::{ClientMetadata, FieldError};
use serde_json::Value;

/// One change to a client's metadata, as the command line writes it (see the module).
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// `key=value`: sets the field, replacing its value.
    Set(String, Value),
    /// `key+=value`: appends to a list (every item of a JSON list); an absent field starts empty.
    Append(String, Value),
    /// `key-=value`: removes every equal item from a list; an error if there is none.
    RemoveItem(String, Value),
    /// `key=`: removes the field.
    Remove(String),
}

impl Edit {
    /// Reads one edit; the error names the text when it is not `key=value`, `key+=value` or
    /// `key-=value`, or has no field name.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let (key, op, raw) = if let Some((k, v)) = text.split_once("+=") {
            (k, '+', v)
        } else if let Some((k, v)) = text.split_once("-=") {
            (k, '-', v)
        } else if let Some((k, v)) = text.split_once('=') {
            (k, '=', v)
        } else {
            return Err(FieldError::new(
                text,
                "is not an edit: write key=value, key+=value or key-=value",
            ));
        };
        let key = key.trim();
        if key.is_empty() || key.contains(char::is_whitespace) {
            return Err(FieldError::new(text, "needs a field name before the ="));
        }
        let value = serde_json::from_str::<Value>(raw).unwrap_or_else(|_| Value::String(raw.to_string()));
        Ok(match (op, raw.is_empty()) {
            ('=', true) => Edit::Remove(key.into()),
            ('=', false) => Edit::Set(key.into(), value),
            ('+', _) => Edit::Append(key.into(), value),
            _ => Edit::RemoveItem(key.into(), value),
        })
    }

    /// Applies the edit; an error when appending to or removing from a field that is not a
    /// list, or removing an item the list does not hold.
    pub fn apply(&self, meta: &mut ClientMetadata) -> Result<(), FieldError> {
        match self {
            Edit::Set(k, v) => meta.set(k.clone(), v.clone()),
            Edit::Remove(k) => {
                meta.remove(k);
            }
            Edit::Append(k, v) => {
                let mut items = list(meta, k)?;
                match v {
                    Value::Array(more) => items.extend(more.iter().cloned()),
                    one => items.push(one.clone()),
                }
                meta.set(k.clone(), Value::Array(items));
            }
            Edit::RemoveItem(k, v) => {
                let mut items = list(meta, k)?;
                let before = items.len();
                items.retain(|item| item != v);
                if items.len() == before {
                    return Err(FieldError::new(k.clone(), format!("has no item {v}")));
                }
                meta.set(k.clone(), Value::Array(items));
            }
        }
        Ok(())
    }
}

fn list(meta: &ClientMetadata, key: &str) -> Result<Vec<Value>, FieldError> {
    match meta.get(key) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => Ok(items.clone()),
        Some(_) => Err(FieldError::new(key, "is not a list, so nothing can be appended to it")),
    }
}

/// Applies every edit in order, stopping at the first that does not fit.
pub fn apply_edits(meta: &mut ClientMetadata, edits: &[Edit]) -> Result<(), FieldError> {
    edits.iter().try_for_each(|e| e.apply(meta))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn edits_set_append_remove_and_parse_json() {
        let mut m = ClientMetadata::from_map(
            json!({"redirect_uris": ["https://a/cb"], "x": 1})
                .as_object()
                .unwrap()
                .clone(),
        );
        let edits: Vec<Edit> = [
            "redirect_uris+=https://b/cb",
            "introspect_tokens=true",
            "client_name=My app",
            "x=",
            "redirect_uris-=https://a/cb",
        ]
        .iter()
        .map(|t| Edit::parse(t).unwrap())
        .collect();
        apply_edits(&mut m, &edits).unwrap();
        assert_eq!(m.get("redirect_uris"), Some(&json!(["https://b/cb"])));
        assert_eq!(m.get("introspect_tokens"), Some(&json!(true)));
        assert_eq!(m.str("client_name"), Some("My app"));
        assert!(m.get("x").is_none());
        assert!(Edit::parse("nothing").is_err());
        assert!(
            Edit::parse("client_name+=x").unwrap().apply(&mut m).is_err(),
            "not a list"
        );
    }
}
