//! Redirect URIs at the authorization endpoint: which one a request may use (exactly a
//! registered one, RFC 6749 §3.1.2.3; for loopback, any port, RFC 8252 §7.3) and the redirect
//! that carries the answer back, with `iss` (RFC 9207) so the client can tell which provider
//! answered.

use axum::response::{IntoResponse, Response};
use http::header::{CACHE_CONTROL, LOCATION};
use http::{HeaderValue, StatusCode};
use url::{Host, Url};

/// The registered URI `requested` may use, if any.
pub(super) fn allowed(requested: &str, registered: &[String]) -> bool {
    registered.iter().any(|entry| {
        // WSO2's `regexp=(a|b)` lists alternatives; each is matched as a plain URI.
        let alternatives: Vec<&str> = match entry.strip_prefix("regexp=") {
            Some(pattern) => pattern
                .strip_prefix('(')
                .and_then(|p| p.strip_suffix(')'))
                .unwrap_or(pattern)
                .split('|')
                .collect(),
            None => vec![entry.as_str()],
        };
        alternatives
            .iter()
            .any(|uri| *uri == requested || same_but_port(uri, requested))
    })
}

/// RFC 8252 §7.3: a native app's loopback redirect gets whatever port is free at the time.
/// Only IP literals count (§8.3 advises against `localhost`), and everything but the port
/// must match.
fn same_but_port(registered: &str, requested: &str) -> bool {
    let (Ok(mut registered), Ok(mut requested)) = (Url::parse(registered), Url::parse(requested)) else {
        return false;
    };
    let loopback_ip = |url: &Url| match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        _ => false,
    };
    if registered.scheme() != "http" || !loopback_ip(&registered) {
        return false;
    }
    let _ = registered.set_port(None);
    let _ = requested.set_port(None);
    registered == requested
}

/// The redirect to `redirect_uri` with `params` added to its query, and `iss`.
pub(super) fn to_client(
    redirect_uri: &str,
    issuer: &str,
    params: &[(&str, Option<&str>)],
    after_post: bool,
) -> Response {
    let location = match Url::parse(redirect_uri) {
        Ok(mut url) => {
            {
                let mut query = url.query_pairs_mut();
                for (name, value) in params {
                    if let Some(value) = value {
                        query.append_pair(name, value);
                    }
                }
                query.append_pair("iss", issuer);
            }
            url.to_string()
        }
        // Registered URIs were validated as absolute; a WSO2 bare host is not one.
        Err(_) => redirect_uri.to_owned(),
    };
    // 303 turns the form's POST into a GET of the redirect URI; 302 for a GET is customary.
    let status = if after_post {
        StatusCode::SEE_OTHER
    } else {
        StatusCode::FOUND
    };
    let mut response = status.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&location) {
        headers.insert(LOCATION, value);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::allowed;

    fn reg(uris: &[&str]) -> Vec<String> {
        uris.iter().map(|u| (*u).to_owned()).collect()
    }

    #[test]
    fn exact_match_or_loopback_port() {
        let registered = reg(&[
            "https://app.example.com/cb",
            "http://127.0.0.1:8400/cb",
            "http://[::1]/cb",
        ]);
        assert!(allowed("https://app.example.com/cb", &registered));
        assert!(!allowed("https://app.example.com/cb/", &registered));
        assert!(!allowed("https://app.example.com:444/cb", &registered));
        assert!(allowed("http://127.0.0.1:51234/cb", &registered));
        assert!(allowed("http://[::1]:6000/cb", &registered));
        assert!(!allowed("http://127.0.0.1:51234/other", &registered));
        assert!(!allowed("http://localhost:8400/cb", &registered));
    }

    #[test]
    fn wso2_alternatives() {
        let registered = reg(&["regexp=(https://a.example/cb|https://b.example/cb)"]);
        assert!(allowed("https://b.example/cb", &registered));
        assert!(!allowed("https://c.example/cb", &registered));
    }
}
