//! Makes an HTTP exchange safe to store and show: Authorization headers, secret-bearing
//! JSON and form fields, and any known secret value anywhere in a body become `***`.

use serde_json::Value;

const SECRET_KEYS: &[&str] = &[
    "client_secret",
    "registration_access_token",
    "access_token",
    "refresh_token",
    "id_token",
    "initial_access_token",
    "password",
    "assertion",
    "client_assertion",
];
const SECRET_HEADERS: &[&str] = &["authorization", "proxy-authorization", "cookie", "set-cookie"];
pub const MASK: &str = "***";

pub fn is_secret_key(key: &str) -> bool {
    SECRET_KEYS.contains(&key.to_ascii_lowercase().as_str())
}

/// Keeps the scheme of an Authorization header, so the history shows Basic vs Bearer.
pub fn headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            if SECRET_HEADERS.contains(&k.to_ascii_lowercase().as_str()) {
                let scheme = v.split_once(' ').map(|(s, _)| s).unwrap_or("");
                let masked = if scheme.is_empty() {
                    MASK.to_string()
                } else {
                    format!("{scheme} {MASK}")
                };
                (k.clone(), masked)
            } else {
                (k.clone(), v.clone())
            }
        })
        .collect()
}

/// A body as text with secrets masked; `known` are secret values to mask wherever they are.
pub fn body(bytes: &[u8], known: &[&str]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let structured = match serde_json::from_slice::<Value>(bytes) {
        Ok(mut v) => {
            mask_json(&mut v);
            serde_json::to_string_pretty(&v).unwrap_or_default()
        }
        Err(_) if looks_like_form(&text) => mask_form(&text),
        Err(_) => text.into_owned(),
    };
    mask_known(structured, known)
}

/// Masks every occurrence of each known secret (too-short values, like Liberty's `*`
/// mask, would mask innocent text and protect nothing).
pub fn mask_known(mut text: String, known: &[&str]) -> String {
    for secret in known {
        // A header value ("Bearer <token>", "Basic <base64>") is masked whole and by its
        // credential alone, since a provider may echo either.
        let credential = secret.rsplit_once(' ').map(|(_, c)| c).filter(|c| c.len() >= 8);
        for value in std::iter::once(*secret).chain(credential) {
            if value.len() >= 4 && text.contains(value) {
                text = text.replace(value, MASK);
            }
        }
    }
    text
}

pub fn mask_json(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                if is_secret_key(k) && matches!(child, Value::String(s) if s != "*" && !s.is_empty()) {
                    *child = Value::String(MASK.into());
                } else {
                    mask_json(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_json),
        _ => {}
    }
}

fn looks_like_form(text: &str) -> bool {
    !text.contains(char::is_whitespace) && text.contains('=')
}

fn mask_form(text: &str) -> String {
    text.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if is_secret_key(k) => format!("{k}={MASK}"),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_keeps_only_its_scheme() {
        let h = headers(&[
            ("Authorization".into(), "Basic YWRtaW46YWRtaW4=".into()),
            ("Accept".into(), "x".into()),
        ]);
        assert_eq!(h[0].1, "Basic ***");
        assert_eq!(h[1].1, "x");
    }

    #[test]
    fn json_form_and_known_values_are_masked() {
        let json = br#"{"client_id":"c1","client_secret":"s3cr3t-value","nested":{"registration_access_token":"rat-value"},"note":"token rat-value here","liberty":"*"}"#;
        let out = body(json, &["rat-value"]);
        assert!(!out.contains("s3cr3t-value") && !out.contains("rat-value"), "{out}");
        assert!(out.contains("c1"));
        let form = body(
            b"grant_type=client_credentials&client_id=a&client_secret=pw123456&scope=register",
            &[],
        );
        assert_eq!(
            form,
            "grant_type=client_credentials&client_id=a&client_secret=***&scope=register"
        );
    }
}
