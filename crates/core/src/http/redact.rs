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
    // The authorization code grant (RFC 6749 §4.1.3, RFC 7636 §4.5), the device flow
    // (RFC 8628 §3.4), and the token presented to introspection and revocation
    // (RFC 7662 §2.1, RFC 7009 §2.1).
    "code",
    "code_verifier",
    "device_code",
    "token",
];
const SECRET_HEADERS: &[&str] = &["authorization", "proxy-authorization", "cookie", "set-cookie"];
/// What stands in place of a masked secret.
pub const MASK: &str = "***";

/// Whether a JSON or form field named `key` (any case) holds a secret: client secrets,
/// tokens, passwords, assertions.
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
        // Not JSON (cut short, junk after it, a BOM...) but it may still hold credentials.
        Err(_) => mask_credentials_in_text(&text),
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

/// A URL with the values of secret query and fragment parameters masked (a redirect
/// carrying `code`, an implicit-style fragment carrying `access_token`), and known secret
/// values masked wherever they are.
pub fn url(url: &str, known: &[&str]) -> String {
    let masked = match url.split_once('#') {
        Some((before, fragment)) => format!("{}#{}", mask_query(before), mask_form(fragment)),
        None => mask_query(url),
    };
    mask_known(masked, known)
}

fn mask_query(url: &str) -> String {
    match url.split_once('?') {
        Some((base, query)) => format!("{base}?{}", mask_form(query)),
        None => url.to_string(),
    }
}

/// Masks, in place and at any depth, the string values of secret fields; an empty value
/// and Liberty's `*` mask are left as they are, since they reveal nothing.
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

/// Masks the value after every secret field name in text that is not a document serde can
/// read — a JSON object cut short, one with junk after it, single quotes, `key=value` —
/// by its shape alone: the name (quoted or not), `:` or `=`, then a quoted value (to its
/// closing quote, or the end of a body cut short) or a bare one (to a delimiter).
pub fn mask_credentials_in_text(text: &str) -> String {
    // ASCII lowercasing keeps byte offsets, so positions found in `lower` hold in `text`.
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some((at, key)) = next_secret_key(&lower, from) {
        from = at + key.len();
        let Some((start, end)) = value_after(bytes, from) else {
            continue;
        };
        out.push_str(&text[copied..start]);
        out.push_str(MASK);
        copied = end;
        from = end.max(from);
    }
    out.push_str(&text[copied..]);
    out
}

/// The first secret field name at or after `from` that stands alone (not part of a
/// longer name such as `client_secret_expires_at`).
fn next_secret_key(lower: &str, from: usize) -> Option<(usize, &'static str)> {
    SECRET_KEYS
        .iter()
        .filter_map(|key| {
            let mut search = from;
            while let Some(found) = lower.get(search..)?.find(key) {
                let at = search + found;
                let before = lower[..at].chars().next_back();
                let after = lower[at + key.len()..].chars().next();
                let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
                if !word(before) && !word(after) {
                    return Some((at, *key));
                }
                search = at + key.len();
            }
            None
        })
        .min_by_key(|(at, _)| *at)
}

/// The byte range of the value that follows a field name ending at `i`, if a separator
/// follows it.
fn value_after(bytes: &[u8], mut i: usize) -> Option<(usize, usize)> {
    let skip_space = |mut i: usize| {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
        i += 1;
    }
    i = skip_space(i);
    if i >= bytes.len() || !(bytes[i] == b':' || bytes[i] == b'=') {
        return None;
    }
    i = skip_space(i + 1);
    if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
        let quote = bytes[i];
        let start = i + 1;
        let mut j = start;
        while j < bytes.len() && bytes[j] != quote {
            j += if bytes[j] == b'\\' { 2 } else { 1 };
        }
        let end = j.min(bytes.len());
        return (end > start).then_some((start, end));
    }
    let start = i;
    let mut j = i;
    while j < bytes.len() && !matches!(bytes[j], b',' | b'}' | b'&' | b';' | b' ' | b'\n' | b'\r' | b'\t') {
        j += 1;
    }
    (j > start).then_some((start, j))
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
    fn credentials_in_text_that_is_not_json_are_masked_by_shape() {
        let cases = [
            r#"{"client_id":"c1","client_secret":"s3cr3t-value","registration_access_token":"rat-va"#,
            "\u{feff}{\"client_secret\" : \"s3cr3t-value\"} trailing junk",
            "{'client_secret': 's3cr3t-value', 'client_secret_expires_at': 0}",
            "error at client_secret=s3cr3t-value&x=1",
        ];
        for text in cases {
            let out = mask_credentials_in_text(text);
            assert!(
                !out.contains("s3cr3t-value") && !out.contains("rat-va"),
                "{text} -> {out}"
            );
            assert!(out.contains(MASK), "{out}");
        }
        let kept = mask_credentials_in_text(r#"{"client_secret_expires_at": 0, "client_id": "c1"}"#);
        assert!(
            kept.contains("\"client_secret_expires_at\": 0"),
            "a longer name is not a secret: {kept}"
        );
    }

    #[test]
    fn the_authorization_code_grant_device_flow_and_token_endpoints_are_masked() {
        let form = body(
            b"grant_type=authorization_code&code=c0de-value&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&code_verifier=v3rifier-value",
            &[],
        );
        assert_eq!(
            form,
            "grant_type=authorization_code&code=***&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&code_verifier=***"
        );
        let device = body(
            b"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=dev1ce-value&client_id=c",
            &[],
        );
        assert!(
            !device.contains("dev1ce-value") && device.contains("client_id=c"),
            "{device}"
        );
        let introspect = body(b"token=t0ken-value&token_type_hint=refresh_token", &[]);
        assert_eq!(introspect, "token=***&token_type_hint=refresh_token");
        let answer = body(
            br#"{"device_code":"dev1ce-value","user_code":"BCDF-GHJK","verification_uri":"https://op/device"}"#,
            &[],
        );
        assert!(
            !answer.contains("dev1ce-value") && answer.contains("BCDF-GHJK"),
            "{answer}"
        );
        let cut = mask_credentials_in_text(r#"{"device_code":"dev1ce-value","user_co"#);
        assert!(!cut.contains("dev1ce-value"), "{cut}");
        // Longer names that merely contain a secret one are not secrets.
        let kept = body(
            br#"{"user_code":"BCDF","token_type":"Bearer","code_challenge":"x"}"#,
            &[],
        );
        assert!(
            kept.contains("BCDF") && kept.contains("Bearer") && kept.contains("\"x\""),
            "{kept}"
        );
    }

    #[test]
    fn secrets_in_query_strings_and_fragments_are_masked() {
        let u = url(
            "http://127.0.0.1:4711/callback?code=c0de-value&state=st4te&iss=https%3A%2F%2Fop",
            &[],
        );
        assert_eq!(
            u,
            "http://127.0.0.1:4711/callback?code=***&state=st4te&iss=https%3A%2F%2Fop"
        );
        let f = url("https://app/cb#access_token=t0ken-value&token_type=Bearer", &[]);
        assert_eq!(f, "https://app/cb#access_token=***&token_type=Bearer");
        assert_eq!(url("https://op/userinfo", &["irrelevant"]), "https://op/userinfo");
        assert_eq!(
            url("https://op/x?hint=s3cret-value", &["s3cret-value"]),
            "https://op/x?hint=***"
        );
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
