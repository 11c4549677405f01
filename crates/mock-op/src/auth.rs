//! Reading the `Authorization` header in the schemes the providers' documents show: RFC 6750
//! `Bearer`, Soffid's `Beared` and `token`, and RFC 7617 `Basic`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use http::header::AUTHORIZATION;
use http::HeaderMap;

use crate::secret;

/// The credentials of an HTTP Basic header.
#[derive(Debug)]
pub(crate) struct Basic {
    pub(crate) user: String,
    pub(crate) password: String,
}

impl Basic {
    /// Whether these are exactly `user`/`password`, compared in constant time.
    pub(crate) fn is(&self, user: Option<&str>, password: Option<&str>) -> bool {
        match (user, password) {
            // Both halves are always compared so a wrong user costs as much as a wrong password.
            (Some(user), Some(password)) => secret::same(&self.user, user) & secret::same(&self.password, password),
            _ => false,
        }
    }
}

/// The token of an `Authorization: <scheme> <token>` header whose scheme is one of
/// `schemes` (case-insensitive).
pub(crate) fn token<'h>(headers: &'h HeaderMap, schemes: &[&str]) -> Option<&'h str> {
    let (scheme, token) = split(headers)?;
    schemes
        .iter()
        .any(|s| s.eq_ignore_ascii_case(scheme))
        .then_some(token)
        .filter(|t| !t.is_empty())
}

/// The credentials of an `Authorization: Basic ...` header, if it is one and well formed.
pub(crate) fn basic(headers: &HeaderMap) -> Option<Basic> {
    let (scheme, encoded) = split(headers)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(encoded).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some(Basic {
        user: user.to_owned(),
        password: password.to_owned(),
    })
}

/// Whether the request carries an `Authorization` header at all.
pub(crate) fn present(headers: &HeaderMap) -> bool {
    headers.contains_key(AUTHORIZATION)
}

fn split(headers: &HeaderMap) -> Option<(&str, &str)> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = value.trim().split_once(' ')?;
    Some((scheme, rest.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn with(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn reads_bearer_in_any_case_and_extra_schemes() {
        assert_eq!(token(&with("Bearer abc"), &["Bearer"]), Some("abc"));
        assert_eq!(token(&with("bearer  abc "), &["Bearer"]), Some("abc"));
        assert_eq!(token(&with("Beared abc"), &["Bearer", "Beared"]), Some("abc"));
        assert_eq!(token(&with("token abc"), &["Bearer"]), None);
        assert_eq!(token(&with("Bearer"), &["Bearer"]), None);
    }

    #[test]
    fn reads_basic() {
        let b = basic(&with("Basic YWRtaW46YWRtaW4=")).expect("valid basic");
        assert!(b.is(Some("admin"), Some("admin")));
        assert!(!b.is(Some("admin"), Some("other")));
        assert!(basic(&with("Basic !!!")).is_none());
        assert!(basic(&with("Bearer YWRtaW46YWRtaW4=")).is_none());
    }
}
