//! RFC 8707 resource indicators: which protected resources a token is meant for. The
//! authorization and token requests may name one or more (`resource`, repeated); the access
//! token remembers them as its audience, and a resource server (the mock's MCP endpoint)
//! refuses a token meant for another.

use url::Url;

/// The `resource` values of a request, in order, without duplicates. Each must be an absolute
/// URI without a fragment (RFC 8707 §2); otherwise the reason, for an `invalid_target` error.
pub(crate) fn requested(params: &[(String, String)]) -> Result<Vec<String>, String> {
    let mut resources: Vec<String> = Vec::new();
    for (_, value) in params.iter().filter(|(name, _)| name == "resource") {
        match Url::parse(value) {
            Ok(url) if url.fragment().is_none() && !url.cannot_be_a_base() => {}
            _ => {
                return Err(format!(
                    "resource `{value}` is not an absolute URI without a fragment (RFC 8707 §2)"
                ))
            }
        }
        if !resources.contains(value) {
            resources.push(value.clone());
        }
    }
    Ok(resources)
}

/// The resources a token request may have: those it names, if the grant allows each (a grant
/// that named none allows any), else all the grant had. `Err` names one not granted.
pub(crate) fn narrow(granted: &[String], requested: Vec<String>) -> Result<Vec<String>, String> {
    if requested.is_empty() {
        return Ok(granted.to_vec());
    }
    if granted.is_empty() {
        return Ok(requested);
    }
    match requested.iter().find(|r| !granted.contains(r)) {
        Some(extra) => Err(format!(
            "resource `{extra}` was not part of the authorization (granted: {})",
            granted.join(", ")
        )),
        None => Ok(requested),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(values: &[&str]) -> Vec<(String, String)> {
        values
            .iter()
            .map(|v| ("resource".to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn resources_are_absolute_without_fragment_and_deduplicated() {
        let ok = requested(&params(&[
            "https://a.example/mcp",
            "https://b.example",
            "https://a.example/mcp",
        ]));
        assert_eq!(
            ok,
            Ok(vec!["https://a.example/mcp".to_owned(), "https://b.example".to_owned()])
        );
        assert!(requested(&params(&["/mcp"])).is_err());
        assert!(requested(&params(&["https://a.example/mcp#x"])).is_err());
        assert!(requested(&params(&["mailto:x@example.com"])).is_err());
    }

    #[test]
    fn token_requests_narrow_within_the_grant() {
        let granted = vec!["https://a.example".to_owned(), "https://b.example".to_owned()];
        assert_eq!(narrow(&granted, vec![]), Ok(granted.clone()));
        assert_eq!(
            narrow(&granted, vec!["https://b.example".to_owned()]),
            Ok(vec!["https://b.example".to_owned()])
        );
        assert!(narrow(&granted, vec!["https://c.example".to_owned()]).is_err());
        assert_eq!(
            narrow(&[], vec!["https://c.example".to_owned()]),
            Ok(vec!["https://c.example".to_owned()])
        );
    }
}
