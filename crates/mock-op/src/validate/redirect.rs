//! Redirect URI rules: RFC 7591 §2 (absolute, no fragment), OIDC DCR §2 (web clients using
//! the implicit grant need https and no localhost; native clients use custom schemes or http
//! loopback), as strict as node-oidc-provider (no javascript:, data:, file: or vbscript:
//! for anyone; web clients http and https only), and WSO2's extensions (a bare host name,
//! and `regexp=(a|b)` alternatives).

use serde_json::{Map, Value};
use url::{Host, Url};

use super::Rules;
use crate::error::ApiError;

/// Which redirect URI forms a dialect accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RedirectSyntax {
    Standard,
    Wso2,
}

/// The client's situation, which decides which URIs it may use.
#[derive(Clone, Copy)]
struct Context {
    native: bool,
    implicit: bool,
}

pub(super) fn check(meta: &Map<String, Value>, rules: &Rules, grants: &[&str]) -> Result<(), ApiError> {
    let redirect_based = grants.iter().any(|g| matches!(*g, "authorization_code" | "implicit"));
    let uris = match meta.get("redirect_uris") {
        None => &Vec::new(),
        Some(Value::Array(uris)) => uris,
        Some(_) => {
            return Err(ApiError::invalid_redirect_uri(
                "redirect_uris must be an array of strings",
            ))
        }
    };
    if uris.is_empty() && redirect_based && rules.redirect_uris_required {
        return Err(ApiError::invalid_redirect_uri(
            "redirect_uris is required for the authorization_code and implicit grant types",
        ));
    }
    let context = Context {
        native: meta.get("application_type").and_then(Value::as_str) == Some("native"),
        implicit: grants.contains(&"implicit"),
    };
    for uri in uris {
        let Some(uri) = uri.as_str() else {
            return Err(ApiError::invalid_redirect_uri(
                "redirect_uris must be an array of strings",
            ));
        };
        let verdict = match rules.redirect_syntax {
            RedirectSyntax::Standard => standard(uri, context),
            RedirectSyntax::Wso2 => wso2(uri, context),
        };
        if let Err(reason) = verdict {
            return Err(ApiError::invalid_redirect_uri(match rules.redirect_syntax {
                // WSO2's own wording, from its document.
                RedirectSyntax::Wso2 => "One or more redirect_uri values are invalid".to_owned(),
                RedirectSyntax::Standard => {
                    format!("redirect URI `{uri}` is not allowed: {reason}")
                }
            }));
        }
    }
    Ok(())
}

fn standard(uri: &str, context: Context) -> Result<(), &'static str> {
    if uri.is_empty() || uri.chars().any(char::is_whitespace) {
        return Err("it is empty or contains whitespace");
    }
    let url = Url::parse(uri).map_err(|_| "it is not an absolute URI")?;
    if url.fragment().is_some() {
        return Err("it has a fragment");
    }
    let loopback = is_loopback(&url);
    // As node-oidc-provider: schemes that run or read content in the browser are refused
    // for every client, and web clients are web URIs only.
    if matches!(url.scheme(), "javascript" | "data" | "file" | "vbscript") {
        return Err("it uses a scheme no client may use (javascript, data, file, vbscript)");
    }
    match (context.native, url.scheme()) {
        (false, scheme) if scheme != "http" && scheme != "https" => Err("web clients may use only http and https"),
        (true, "http") if !loopback => Err("native clients may use http only with a loopback host"),
        (false, scheme) if context.implicit && (scheme != "https" || loopback) => {
            Err("web clients using the implicit grant must use https and not localhost")
        }
        _ => Ok(()),
    }
}

fn wso2(uri: &str, context: Context) -> Result<(), &'static str> {
    match uri.strip_prefix("regexp=") {
        Some(pattern) => {
            let inner = pattern
                .strip_prefix('(')
                .and_then(|p| p.strip_suffix(')'))
                .unwrap_or(pattern);
            inner.split('|').try_for_each(|alt| wso2_single(alt, context))
        }
        None => wso2_single(uri, context),
    }
}

fn wso2_single(uri: &str, context: Context) -> Result<(), &'static str> {
    if uri.contains("://") {
        standard(uri, context)
    } else if is_bare_host(uri) {
        Ok(())
    } else {
        standard(uri, context)
    }
}

/// `server.example.com`, optionally with a port and path, as WSO2's example registers.
fn is_bare_host(uri: &str) -> bool {
    let starts_like_a_host = uri.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '[');
    if !starts_like_a_host || uri.contains('#') || uri.chars().any(char::is_whitespace) {
        return false;
    }
    Url::parse(&format!("https://{uri}")).is_ok_and(|url| url.host_str().is_some_and(|h| !h.is_empty()))
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}
