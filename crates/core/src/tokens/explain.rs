//! A token endpoint's answer explained: for each token its kind, a redacted preview, and for
//! a JWT its header, claims and times; for the ID token, the checks. The tokens themselves are
//! never in the result: the shell holds them (as [`Secret`]s) and reveals them on request.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::id_token::{self, Check, Expectations};
use super::jwt::{self, JoseHeader};
use super::times::{claim_times, ClaimTime};
use crate::secret::Secret;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// A JWT (a compact JWS with JSON claims): decoded.
    Jwt,
    /// A JWE (RFC 7516): its header is readable, its content only by the recipient.
    Encrypted,
    /// Not a JWT: a reference only the provider can read (introspection can tell).
    Opaque,
    /// Looks like a JWT but is not a valid one; the notes say why.
    Malformed,
}

/// One token, explained, without its value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct TokenView {
    /// JWT, encrypted, opaque or malformed.
    pub kind: TokenKind,
    /// The first few characters, an ellipsis and the length: `eyJhbG… (812 chars)`.
    pub preview: String,
    /// The token's length in bytes.
    pub length: usize,
    /// The JOSE header, for a JWT, a JWE, or a malformed JWT whose header reads.
    pub header: Option<JoseHeader>,
    /// The claims, for a JWT.
    pub claims: Option<Map<String, Value>>,
    /// The time claims (`exp`, `iat`, `nbf`, `auth_time`) as dates and relative to now.
    pub times: Vec<ClaimTime>,
    /// For the ID token: the relying party's checks. Empty for the other tokens.
    pub checks: Vec<Check>,
    /// What else there is to say, in words.
    pub notes: Vec<String>,
}

/// The explained answer of a token endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct TokenExplanation {
    /// The access token, when one came back.
    pub access_token: Option<TokenView>,
    /// The ID token, when one came back.
    pub id_token: Option<TokenView>,
    /// The refresh token, when one came back.
    pub refresh_token: Option<TokenView>,
    /// The JWK Set given has no key for the ID token: fetch the provider's `jwks_uri` again
    /// and explain once more (key rotation). See [`super::IdTokenReport::needs_fresh_jwks`].
    pub needs_fresh_jwks: bool,
}

impl TokenExplanation {
    /// Whether the ID token's checks call for the JWK Set to be fetched again.
    pub fn needs_fresh_jwks(&self) -> bool {
        self.needs_fresh_jwks
    }
}

/// The tokens of one answer, borrowed.
#[derive(Clone, Copy, Default)]
pub struct TokenSet<'a> {
    /// `access_token`.
    pub access_token: Option<&'a str>,
    /// `id_token`.
    pub id_token: Option<&'a str>,
    /// `refresh_token`.
    pub refresh_token: Option<&'a str>,
}

impl<'a> TokenSet<'a> {
    /// The tokens as the shell holds them.
    pub fn from_secrets(
        access_token: Option<&'a Secret>,
        id_token: Option<&'a Secret>,
        refresh_token: Option<&'a Secret>,
    ) -> Self {
        TokenSet {
            access_token: access_token.map(Secret::expose),
            id_token: id_token.map(Secret::expose),
            refresh_token: refresh_token.map(Secret::expose),
        }
    }
}

impl std::fmt::Debug for TokenSet<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSet")
            .field("access_token", &self.access_token.map(preview))
            .field("id_token", &self.id_token.map(preview))
            .field("refresh_token", &self.refresh_token.map(preview))
            .finish()
    }
}

/// A token shown without giving it away: its first characters (6 at most, a quarter of it
/// for short ones), an ellipsis, and its length: `eyJhbG… (812 chars)`.
pub fn preview(token: &str) -> String {
    let chars = token.chars().count();
    let shown: String = token.chars().take((chars / 4).min(6)).collect();
    format!("{shown}… ({chars} chars)")
}

/// Explains a token endpoint's answer at `now` (seconds since the epoch). The ID token is
/// checked against `expected` and `jwks` (the document at the provider's `jwks_uri`, when
/// fetched); the access token that came with it is used for `at_hash` unless `expected`
/// names one.
pub fn explain_token_response(
    tokens: TokenSet<'_>,
    expected: Expectations<'_>,
    jwks: Option<&Value>,
    now: i64,
) -> TokenExplanation {
    let access_token = tokens.access_token.map(|t| {
        let (mut view, _) = read(t, now);
        if view.kind == TokenKind::Jwt {
            view.notes.push(access_token_typ_note(view.header.as_ref()));
            view.notes.push(
                "An access token is for the resource server: its signature and claims are not checked here.".to_owned(),
            );
        }
        view
    });
    let mut needs_fresh_jwks = false;
    let id_token = tokens.id_token.map(|t| {
        let (mut view, decoded) = read(t, now);
        let expected = Expectations {
            access_token: expected.access_token.or(tokens.access_token),
            ..expected
        };
        let report = match (&decoded, jwt::split(t)) {
            (Some(jwt), Ok((parts, _))) => id_token::verify_decoded(jwt, parts, jwks, expected, now),
            _ => id_token::verify(t, jwks, expected, now),
        };
        needs_fresh_jwks = report.needs_fresh_jwks;
        view.checks = report.checks;
        view
    });
    let refresh_token = tokens.refresh_token.map(|t| {
        let (mut view, _) = read(t, now);
        if view.kind == TokenKind::Jwt {
            view.notes
                .push("A refresh token is for the provider alone; its claims are shown as sent, unchecked.".to_owned());
        }
        view
    });
    TokenExplanation {
        access_token,
        id_token,
        refresh_token,
        needs_fresh_jwks,
    }
}

/// RFC 9068 names a JWT access token by its `typ`.
fn access_token_typ_note(header: Option<&JoseHeader>) -> String {
    match header.and_then(|h| h.typ.as_deref()) {
        Some(typ) if typ.eq_ignore_ascii_case("at+jwt") || typ.eq_ignore_ascii_case("application/at+jwt") => {
            format!("A JWT access token in RFC 9068's profile (typ {typ}).")
        }
        Some(typ) => format!(
            "A JWT access token, but typ is {typ}, not at+jwt: its format is the provider's own, not RFC 9068's."
        ),
        None => "A JWT access token without a typ: its format is the provider's own, not RFC 9068's (typ at+jwt)."
            .to_owned(),
    }
}

/// Reads one token: its view, and the decoded JWT when it is one.
fn read(token: &str, now: i64) -> (TokenView, Option<jwt::DecodedJwt>) {
    let mut view = TokenView {
        kind: TokenKind::Opaque,
        preview: preview(token),
        length: token.len(),
        header: None,
        claims: None,
        times: Vec::new(),
        checks: Vec::new(),
        notes: Vec::new(),
    };
    match jwt::decode(token) {
        Ok(decoded) => {
            view.kind = TokenKind::Jwt;
            view.header = Some(decoded.header.clone());
            view.claims = Some(decoded.claims.clone());
            view.times = claim_times(&decoded.claims, now);
            if !decoded.signature_present {
                view.notes
                    .push("Unsigned (no signature part): anyone could have written it.".to_owned());
            }
            (view, Some(decoded))
        }
        Err(error) => {
            let header = jwt::decode_header(token).ok();
            let parts = token.split('.').count();
            if parts == 5 && header.as_ref().is_some_and(|h| h.fields.contains_key("enc")) {
                view.kind = TokenKind::Encrypted;
                let field = |name: &str| {
                    header
                        .as_ref()
                        .and_then(|h| h.fields.get(name))
                        .and_then(Value::as_str)
                        .unwrap_or("?")
                        .to_owned()
                };
                view.notes.push(format!(
                    "Encrypted (a JWE, RFC 7516: alg {}, enc {}): only its recipient can read what it holds.",
                    field("alg"),
                    field("enc")
                ));
            } else if header.is_some() || token.starts_with("ey") {
                view.kind = TokenKind::Malformed;
                view.notes.push(format!("Looks like a JWT but is not one: {error}."));
            } else {
                view.notes.push(
                    "Opaque: not a JWT, so only the provider knows what it means (introspection can tell).".to_owned(),
                );
            }
            view.header = header;
            (view, None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::id_token::{token_hash, CheckOutcome};
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use jsonwebtoken::{Algorithm, EncodingKey};
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    use p256::pkcs8::EncodePrivateKey;
    use serde_json::json;

    const NOW: i64 = 1_800_000_000;
    const ISSUER: &str = "https://op.example";
    const CLIENT: &str = "client-1";
    const OPAQUE_ACCESS: &str = "2YotnFZFEjr1zCsicMWpAA-opaque-access";
    const OPAQUE_REFRESH: &str = "tGzv3JOkF0XG5Qx2TlKWIA-opaque-refresh";

    fn b64(bytes: impl AsRef<[u8]>) -> String {
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// An ES256 key from a fixed scalar: the signer, and its JWK Set under `kid`.
    fn key(kid: &str) -> (EncodingKey, Value) {
        let secret = p256::SecretKey::from_slice(&[5; 32]).unwrap();
        let point = secret.public_key().to_encoded_point(false);
        let jwks = json!({"keys": [{"kty": "EC", "crv": "P-256", "kid": kid,
            "x": b64(point.x().unwrap()), "y": b64(point.y().unwrap())}]});
        (
            EncodingKey::from_ec_der(secret.to_pkcs8_der().unwrap().as_bytes()),
            jwks,
        )
    }

    fn sign(header: Value, claims: Value, key: &EncodingKey) -> String {
        let input = format!("{}.{}", b64(header.to_string()), b64(claims.to_string()));
        let sig = jsonwebtoken::crypto::sign(input.as_bytes(), key, Algorithm::ES256).unwrap();
        format!("{input}.{sig}")
    }

    fn id_token(access: &str, key: &EncodingKey) -> String {
        sign(
            json!({"alg": "ES256", "kid": "k1", "typ": "JWT"}),
            json!({"iss": ISSUER, "sub": "u1", "aud": CLIENT, "exp": NOW + 3540, "iat": NOW - 2,
                   "nonce": "n1", "at_hash": token_hash("ES256", access).unwrap()}),
            key,
        )
    }

    fn expected() -> Expectations<'static> {
        Expectations {
            nonce: Some("n1"),
            ..Expectations::new(ISSUER, CLIENT)
        }
    }

    #[test]
    fn a_code_flow_answer_is_explained_without_its_tokens() {
        let (signer, jwks) = key("k1");
        let id = id_token(OPAQUE_ACCESS, &signer);
        let tokens = TokenSet {
            access_token: Some(OPAQUE_ACCESS),
            id_token: Some(&id),
            refresh_token: Some(OPAQUE_REFRESH),
        };
        let explained = explain_token_response(tokens, expected(), Some(&jwks), NOW);

        let access = explained.access_token.as_ref().unwrap();
        assert_eq!(access.kind, TokenKind::Opaque);
        assert_eq!(access.preview, "2YotnF… (36 chars)");
        assert_eq!(access.length, OPAQUE_ACCESS.len());
        assert!(access.notes[0].starts_with("Opaque"));
        assert_eq!(explained.refresh_token.as_ref().unwrap().kind, TokenKind::Opaque);

        let id_view = explained.id_token.as_ref().unwrap();
        assert_eq!(id_view.kind, TokenKind::Jwt);
        assert_eq!(id_view.header.as_ref().unwrap().kid.as_deref(), Some("k1"));
        assert_eq!(id_view.claims.as_ref().unwrap()["sub"], "u1");
        assert_eq!(id_view.times[0].relative, "expires in 59 min");
        assert_eq!(id_view.times[1].relative, "issued 2 s ago");
        assert!(
            id_view.checks.iter().all(|c| c.outcome != CheckOutcome::Failed),
            "{:?}",
            id_view.checks
        );
        // at_hash was checked against the access token that came with it.
        let at_hash = id_view.checks.iter().find(|c| c.name == "at_hash").unwrap();
        assert_eq!(at_hash.outcome, CheckOutcome::Passed, "{}", at_hash.detail);
        assert!(!explained.needs_fresh_jwks());

        // No token, nor the ID token's signature, is in what the window is given.
        let shown = serde_json::to_string(&explained).unwrap();
        let signature = id.rsplit('.').next().unwrap();
        for secret in [OPAQUE_ACCESS, OPAQUE_REFRESH, id.as_str(), signature] {
            assert!(!shown.contains(secret), "{secret} leaked");
        }
    }

    #[test]
    fn a_jwt_access_token_is_decoded_and_named_by_its_typ() {
        let (signer, jwks) = key("k1");
        let access = sign(
            json!({"alg": "ES256", "kid": "k1", "typ": "at+jwt"}),
            json!({"iss": ISSUER, "sub": "u1", "aud": "https://api.example", "client_id": CLIENT,
                   "exp": NOW + 300, "iat": NOW - 10, "jti": "j1"}),
            &signer,
        );
        let id = id_token(&access, &signer);
        let tokens = TokenSet {
            access_token: Some(&access),
            id_token: Some(&id),
            refresh_token: None,
        };
        let explained = explain_token_response(tokens, expected(), Some(&jwks), NOW);
        let view = explained.access_token.unwrap();
        assert_eq!(view.kind, TokenKind::Jwt);
        assert_eq!(view.claims.unwrap()["client_id"], CLIENT);
        assert_eq!(view.times[0].relative, "expires in 5 min");
        assert!(view.notes[0].contains("RFC 9068"), "{:?}", view.notes);
        assert!(view.checks.is_empty());
        assert!(explained.refresh_token.is_none());
        let checks = explained.id_token.unwrap().checks;
        assert!(checks
            .iter()
            .any(|c| c.name == "at_hash" && c.outcome == CheckOutcome::Passed));

        let plain = sign(json!({"alg": "ES256"}), json!({"sub": "u1"}), &signer);
        let tokens = TokenSet {
            access_token: Some(&plain),
            ..TokenSet::default()
        };
        let view = explain_token_response(tokens, expected(), None, NOW)
            .access_token
            .unwrap();
        assert!(view.notes[0].contains("without a typ"), "{:?}", view.notes);
    }

    #[test]
    fn a_rotated_key_is_reported_for_a_refetch() {
        let (signer, _) = key("k1");
        let (_, stale) = key("k0");
        let id = id_token(OPAQUE_ACCESS, &signer);
        let tokens = TokenSet {
            id_token: Some(&id),
            ..TokenSet::default()
        };
        let explained = explain_token_response(tokens, expected(), Some(&stale), NOW);
        assert!(explained.needs_fresh_jwks());
        let checks = &explained.id_token.as_ref().unwrap().checks;
        assert_eq!(checks[0].name, "signature");
        assert_eq!(checks[0].outcome, CheckOutcome::Failed);
    }

    #[test]
    fn encrypted_malformed_and_secret_inputs() {
        let jwe = format!("{}.a.b.c.d", b64(r#"{"alg":"RSA-OAEP","enc":"A256GCM"}"#));
        let malformed = "eyJhbGciOiJSUzI1NiJ9.not-json.sig";
        let access = crate::Secret::new(malformed);
        let id = crate::Secret::new(jwe.as_str());
        let refresh = crate::Secret::new("0.AXYA.dotted-but-opaque");
        let tokens = TokenSet::from_secrets(Some(&access), Some(&id), Some(&refresh));
        assert!(!format!("{tokens:?}").contains("dotted-but-opaque"));
        let explained = explain_token_response(tokens, expected(), None, NOW);

        let id_view = explained.id_token.unwrap();
        assert_eq!(id_view.kind, TokenKind::Encrypted);
        assert!(id_view.notes[0].contains("A256GCM"), "{:?}", id_view.notes);
        assert_eq!(id_view.checks.len(), 1);
        assert_eq!(id_view.checks[0].name, "format");
        assert_eq!(id_view.checks[0].outcome, CheckOutcome::Failed);

        let access_view = explained.access_token.unwrap();
        assert_eq!(access_view.kind, TokenKind::Malformed);
        assert_eq!(access_view.header.unwrap().alg.as_deref(), Some("RS256"));
        assert!(access_view.notes[0].contains("payload"), "{:?}", access_view.notes);

        assert_eq!(explained.refresh_token.unwrap().kind, TokenKind::Opaque);
    }

    #[test]
    fn previews_give_little_away() {
        assert_eq!(preview(""), "… (0 chars)");
        assert_eq!(preview("abcd"), "a… (4 chars)");
        assert_eq!(preview("abcdefghijklmnopqrstuvwxyz"), "abcdef… (26 chars)");
        assert_eq!(preview("ééééééééé"), "éé… (9 chars)");
    }

    #[test]
    fn hostile_tokens_are_explained_without_panicking() {
        let huge = "e".repeat(1 << 20);
        let garbage = [
            "",
            ".",
            "..",
            "eyJ",
            "eyJ.eyJ.eyJ",
            "\u{0}\u{0}",
            huge.as_str(),
            "a.b.c.d.e",
        ];
        for token in garbage {
            let tokens = TokenSet {
                access_token: Some(token),
                id_token: Some(token),
                refresh_token: Some(token),
            };
            let explained = explain_token_response(tokens, expected(), Some(&json!({"keys": []})), NOW);
            let id = explained.id_token.unwrap();
            assert_ne!(id.kind, TokenKind::Jwt);
            assert!(id.checks.iter().any(|c| c.outcome == CheckOutcome::Failed));
        }
    }
}
