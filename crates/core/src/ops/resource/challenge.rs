//! `WWW-Authenticate` as a protected resource answers it (RFC 9110 §11.6.1): one or more
//! challenges, each a scheme and its auth-params. The Bearer challenge (RFC 6750 §3) says
//! why the request was refused (`error`, `scope`) and, since RFC 9728 §5.1, where the
//! resource's metadata is (`resource_metadata`).

use serde::{Deserialize, Serialize};

/// A Bearer challenge's parameters, as the resource sent them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct BearerChallenge {
    /// `realm`.
    pub realm: Option<String>,
    /// `error`: `invalid_token`, `insufficient_scope`, `invalid_request`; absent when the
    /// request carried no token at all (RFC 6750 §3.1).
    pub error: Option<String>,
    /// `error_description`.
    pub error_description: Option<String>,
    /// `scope`: the scopes the resource needs, space-delimited.
    pub scope: Option<String>,
    /// `resource_metadata` (RFC 9728 §5.1): the URL of the resource's metadata.
    pub resource_metadata: Option<String>,
    /// Any other parameter, as `name=value`.
    pub other: Vec<String>,
}

impl BearerChallenge {
    /// The scopes the challenge names, in order.
    pub fn scopes(&self) -> Vec<String> {
        self.scope
            .as_deref()
            .unwrap_or_default()
            .split_ascii_whitespace()
            .map(str::to_string)
            .collect()
    }
}

/// Every `WWW-Authenticate` value of a response, in order.
pub fn www_authenticate(response: &crate::http::HttpResponse) -> Vec<&str> {
    response
        .headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("www-authenticate"))
        .map(|(_, value)| value.as_str())
        .collect()
}

/// The Bearer challenge of a response, if it has one.
pub fn response_challenge(response: &crate::http::HttpResponse) -> Option<BearerChallenge> {
    bearer_challenge(www_authenticate(response))
}

/// The Bearer challenge among the `WWW-Authenticate` header values, if one is there (a
/// resource may offer `DPoP` or `Basic` beside it, in one header or several).
pub fn bearer_challenge<'a>(values: impl IntoIterator<Item = &'a str>) -> Option<BearerChallenge> {
    values
        .into_iter()
        .flat_map(challenges)
        .find(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, params)| {
            let mut challenge = BearerChallenge::default();
            for (name, value) in params {
                let slot = match name.to_ascii_lowercase().as_str() {
                    "realm" => &mut challenge.realm,
                    "error" => &mut challenge.error,
                    "error_description" => &mut challenge.error_description,
                    "scope" => &mut challenge.scope,
                    "resource_metadata" => &mut challenge.resource_metadata,
                    _ => {
                        challenge.other.push(format!("{name}={value}"));
                        continue;
                    }
                };
                // The first of a repeated parameter counts (RFC 9110 says each appears once).
                slot.get_or_insert(value);
            }
            challenge
        })
}

type Challenge = (String, Vec<(String, String)>);

/// Every challenge in one header value: `Scheme a=b, c="d, e", Other f=g`. A challenge
/// starts at a token that is not followed by `=`; a token68 (`Basic abc==`) is kept as a
/// parameter with an empty name. Malformed pieces are skipped rather than refused: a
/// challenge is read to help the user, and half of one still helps.
fn challenges(header: &str) -> Vec<Challenge> {
    let mut lexer = Lexer { rest: header };
    let mut out: Vec<Challenge> = Vec::new();
    loop {
        lexer.skip(|c| c == ',' || c.is_ascii_whitespace());
        let Some(word) = lexer.token() else {
            // Not a token: skip one character and carry on.
            if lexer.rest.is_empty() {
                return out;
            }
            lexer.advance(lexer.rest.chars().next().map_or(1, char::len_utf8));
            continue;
        };
        lexer.skip(|c| c == ' ' || c == '\t');
        if lexer.rest.starts_with('=') && !lexer.rest.starts_with("==") {
            lexer.advance(1);
            lexer.skip(|c| c == ' ' || c == '\t');
            let value = lexer.value();
            if let Some((_, params)) = out.last_mut() {
                params.push((word, value));
            }
        } else if out.last().is_some_and(|(_, params)| params.is_empty()) && lexer.is_token68_tail() {
            // `Basic dXNlcg==`: the token68 after a scheme.
            let tail = lexer.take_while(|c| c == '=');
            if let Some((_, params)) = out.last_mut() {
                params.push((String::new(), format!("{word}{tail}")));
            }
        } else {
            out.push((word, Vec::new()));
        }
    }
}

struct Lexer<'a> {
    rest: &'a str,
}

impl Lexer<'_> {
    fn advance(&mut self, n: usize) {
        self.rest = &self.rest[n.min(self.rest.len())..];
    }

    fn skip(&mut self, what: impl Fn(char) -> bool) {
        self.rest = self.rest.trim_start_matches(what);
    }

    fn take_while(&mut self, what: impl Fn(char) -> bool) -> String {
        let end = self.rest.find(|c: char| !what(c)).unwrap_or(self.rest.len());
        let taken = self.rest[..end].to_string();
        self.advance(end);
        taken
    }

    /// An RFC 9110 token (tchar), also taking `/` `+` so a token68 reads as one word.
    fn token(&mut self) -> Option<String> {
        let word = self.take_while(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~/".contains(c));
        (!word.is_empty()).then_some(word)
    }

    /// Whether the word just read reads as a token68 rather than the next challenge's
    /// scheme: it ends the value (`,` or the end) or is padded.
    fn is_token68_tail(&self) -> bool {
        self.rest.starts_with('=') || self.rest.is_empty() || self.rest.starts_with(',')
    }

    /// A parameter value: a quoted-string (with `\` escapes) or a token.
    fn value(&mut self) -> String {
        if let Some(quoted) = self.rest.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, escaped)) = chars.next() {
                            value.push(escaped);
                        }
                    }
                    '"' => {
                        self.rest = &quoted[i + 1..];
                        return value;
                    }
                    c => value.push(c),
                }
            }
            // No closing quote: take what there is.
            self.rest = "";
            value
        } else {
            self.take_while(|c| c != ',' && !c.is_ascii_whitespace())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_mcp_servers_challenge() {
        let c = bearer_challenge([
            r#"Bearer error="invalid_token", error_description="Missing Authorization header", resource_metadata="http://127.0.0.1:3000/.well-known/oauth-protected-resource/mcp""#,
        ])
        .unwrap();
        assert_eq!(c.error.as_deref(), Some("invalid_token"));
        assert_eq!(c.error_description.as_deref(), Some("Missing Authorization header"));
        assert_eq!(
            c.resource_metadata.as_deref(),
            Some("http://127.0.0.1:3000/.well-known/oauth-protected-resource/mcp")
        );
    }

    #[test]
    fn finds_bearer_among_other_schemes_and_headers() {
        let c = bearer_challenge([
            r#"Basic realm="x", DPoP algs="ES256 PS256""#,
            r#"Newauth realm="apps", type=1, title="Login to \"apps\"", bearer realm="example", scope="mcp:tools files:read", error=insufficient_scope"#,
        ])
        .unwrap();
        assert_eq!(c.realm.as_deref(), Some("example"));
        assert_eq!(c.scopes(), vec!["mcp:tools", "files:read"]);
        assert_eq!(c.error.as_deref(), Some("insufficient_scope"));
    }

    #[test]
    fn a_bare_bearer_and_odd_input_do_not_panic() {
        assert_eq!(bearer_challenge(["Bearer"]), Some(BearerChallenge::default()));
        assert_eq!(bearer_challenge(["Basic dXNlcjpwYXNz=="]), None);
        let odd = bearer_challenge([r#"Bearer realm="unterminated, scope=a"#]).unwrap();
        assert_eq!(odd.realm.as_deref(), Some("unterminated, scope=a"));
        for junk in [
            "",
            ",,,",
            "=",
            "Bearer ===",
            "\"",
            "Bearer a=\"\\",
            "Bearer ,, error = x y=z",
        ] {
            let _ = bearer_challenge([junk]);
        }
        let spaced = bearer_challenge(["Bearer ,, error = x y=z"]).unwrap();
        assert_eq!(spaced.error.as_deref(), Some("x"));
        assert_eq!(spaced.other, vec!["y=z"]);
    }

    #[test]
    fn a_token68_after_another_scheme_is_not_a_challenge() {
        let c = bearer_challenge(["Negotiate abcdef, Bearer scope=\"a\""]).unwrap();
        assert_eq!(c.scope.as_deref(), Some("a"));
    }
}
