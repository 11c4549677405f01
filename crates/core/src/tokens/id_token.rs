//! The checks an OpenID Connect relying party makes of an ID token (OpenID Connect Core 1.0
//! §3.1.3.7, with `at_hash` from §3.1.3.6 and `c_hash` from §3.3.2.11), each reported
//! passed, failed or skipped with the reason in words.
//!
//! Key rotation: the caller fetches the provider's `jwks_uri` and passes the JWK Set in. When
//! the token names a `kid` the set does not hold (or, without a `kid`, no key in the set
//! fits), [`IdTokenReport::needs_fresh_jwks`] is true: the caller fetches `jwks_uri` once
//! more and calls [`verify`] again with the new set.
//!
//! Signatures are verified by the `jsonwebtoken` crate (RustCrypto): RS256/384/512,
//! PS256/384/512, ES256, ES384, EdDSA with Ed25519 (also under RFC 9864's name `Ed25519`),
//! and HS256/384/512 keyed with the client secret when it is given. Its own claim validation
//! is not used: the claims are checked here, one by one, so that each gets its reason.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256, Sha384, Sha512};

use super::jwt::{self, DecodedJwt, JoseHeader, JwtError, Parts};
use super::times::{duration, numeric_date, relative, rfc3339};

/// The clock difference allowed between this machine and the provider, in seconds: `exp` may
/// be this far in the past, `iat` and `nbf` this far in the future.
pub const CLOCK_SKEW_SECS: i64 = 60;

/// The oldest `iat` accepted, in seconds before now: an ID token just received from a token
/// endpoint is seconds old, and one a day old is not fresh.
pub const MAX_IAT_AGE_SECS: i64 = 24 * 60 * 60;

/// The smallest RSA modulus accepted, in bits (RFC 7518 §3.3).
pub const MIN_RSA_BITS: usize = 2048;

/// The largest RSA modulus verified, in bits (the `rsa` crate's limit).
pub const MAX_RSA_BITS: usize = 4096;

/// How one check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CheckOutcome {
    /// The token passed it.
    Passed,
    /// The token failed it: a relying party rejects the token.
    Failed,
    /// Not made: nothing to compare with, or a claim that is optional is absent.
    Skipped,
}

/// One check, with why it came out so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct Check {
    /// What was checked: `signature`, `alg`, or the claim's name (`iss`, `aud`, ...).
    pub name: String,
    /// Passed, failed or skipped.
    pub outcome: CheckOutcome,
    /// Why, in words.
    pub detail: String,
}

impl Check {
    fn new(name: &str, outcome: CheckOutcome, detail: impl Into<String>) -> Self {
        Check {
            name: name.to_owned(),
            outcome,
            detail: detail.into(),
        }
    }
    fn passed(name: &str, detail: impl Into<String>) -> Self {
        Self::new(name, CheckOutcome::Passed, detail)
    }
    fn failed(name: &str, detail: impl Into<String>) -> Self {
        Self::new(name, CheckOutcome::Failed, detail)
    }
    fn skipped(name: &str, detail: impl Into<String>) -> Self {
        Self::new(name, CheckOutcome::Skipped, detail)
    }
}

/// What the relying party knows and expects of the ID token. Borrowed: build one where the
/// values are, with [`Expectations::new`] and the fields that apply.
#[derive(Clone, Copy, Default)]
pub struct Expectations<'a> {
    /// The provider's issuer identifier; `iss` must equal it exactly.
    pub issuer: &'a str,
    /// The client's `client_id`; `aud` must hold it, `azp` must be it.
    pub client_id: &'a str,
    /// The `nonce` sent in the authorization request, if one was.
    pub nonce: Option<&'a str>,
    /// The access token that came with the ID token, for `at_hash`.
    pub access_token: Option<&'a str>,
    /// The authorization code the ID token came for, for `c_hash`.
    pub code: Option<&'a str>,
    /// The provider's `id_token_signing_alg_values_supported`, when discovery gave it.
    pub signing_algs_supported: Option<&'a [String]>,
    /// The client's registered `id_token_signed_response_alg`, when it has one.
    pub registered_alg: Option<&'a str>,
    /// The `max_age` sent in the authorization request, if one was (seconds).
    pub max_age: Option<i64>,
    /// The client secret, to verify an ID token MACed with it (HS256/384/512).
    pub client_secret: Option<&'a str>,
}

impl<'a> Expectations<'a> {
    /// The two things always known: the issuer and the client id. The rest start empty.
    pub fn new(issuer: &'a str, client_id: &'a str) -> Self {
        Expectations {
            issuer,
            client_id,
            ..Self::default()
        }
    }
}

impl fmt::Debug for Expectations<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let given = |o: Option<&str>| o.map(|_| "<given>");
        f.debug_struct("Expectations")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("nonce", &self.nonce)
            .field("access_token", &given(self.access_token))
            .field("code", &given(self.code))
            .field("signing_algs_supported", &self.signing_algs_supported)
            .field("registered_alg", &self.registered_alg)
            .field("max_age", &self.max_age)
            .field("client_secret", &given(self.client_secret))
            .finish()
    }
}

/// The checks of one ID token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct IdTokenReport {
    /// In order: `format` (only when the token cannot be read), `signature`, `alg`, `iss`,
    /// `sub`, `aud`, `azp`, `exp`, `iat`, `nbf`, `nonce`, `at_hash`, `c_hash`, `auth_time`.
    pub checks: Vec<Check>,
    /// The JWK Set given has no key for the token (its `kid` is unknown, or no key fits its
    /// `alg`): the provider may have rotated its keys. Fetch `jwks_uri` again and verify
    /// once more.
    pub needs_fresh_jwks: bool,
}

impl IdTokenReport {
    /// Whether the caller should fetch the provider's `jwks_uri` again and call [`verify`]
    /// once more (key rotation). Do it once: a second miss is a real failure.
    pub fn needs_fresh_jwks(&self) -> bool {
        self.needs_fresh_jwks
    }

    /// Whether no check failed.
    pub fn passed(&self) -> bool {
        !self.checks.iter().any(|c| c.outcome == CheckOutcome::Failed)
    }

    /// The checks that failed.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| c.outcome == CheckOutcome::Failed)
    }

    /// The check of that name.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }
}

/// Checks an ID token as a relying party must: its signature against `jwks` (the document
/// at the provider's `jwks_uri`, `{"keys": [...]}`; `None` when not fetched), its `alg`, and
/// its claims against `expected`, at `now` (seconds since the epoch).
pub fn verify(id_token: &str, jwks: Option<&Value>, expected: Expectations<'_>, now: i64) -> IdTokenReport {
    let decoded = jwt::decode(id_token);
    let parts = jwt::split(id_token).map(|(parts, _)| parts);
    match (decoded, parts) {
        (Ok(decoded), Ok(parts)) => verify_decoded(&decoded, parts, jwks, expected, now),
        (Err(e), _) | (_, Err(e)) => unreadable(id_token, &e),
    }
}

/// The report of a token that is not a JWT.
pub(crate) fn unreadable(token: &str, error: &JwtError) -> IdTokenReport {
    let detail = if token.split('.').count() == 5 {
        "an encrypted ID token (a JWE, five parts): Registrar holds no key to decrypt it, so \
         nothing in it can be checked"
            .to_owned()
    } else {
        format!("not a JWT, so nothing in it can be checked: {error}")
    };
    IdTokenReport {
        checks: vec![Check::failed("format", detail)],
        needs_fresh_jwks: false,
    }
}

/// [`verify`] of a token already decoded.
pub(crate) fn verify_decoded(
    jwt: &DecodedJwt,
    parts: Parts<'_>,
    jwks: Option<&Value>,
    expected: Expectations<'_>,
    now: i64,
) -> IdTokenReport {
    let claims = &jwt.claims;
    let (signature, needs_fresh_jwks) = signature_check(&jwt.header, jwt.signature_present, parts, jwks, expected);
    let alg = jwt.header.alg.as_deref();
    let (audiences, aud) = aud_check(claims, expected.client_id);
    let checks = vec![
        signature,
        alg_check(jwt, expected),
        iss_check(claims, expected.issuer),
        sub_check(claims),
        aud,
        azp_check(claims, expected.client_id, audiences),
        exp_check(claims, now),
        iat_check(claims, now),
        nbf_check(claims, now),
        nonce_check(claims, expected.nonce),
        hash_check("at_hash", "access token", claims, alg, expected.access_token),
        hash_check("c_hash", "authorization code", claims, alg, expected.code),
        auth_time_check(claims, expected.max_age, now),
    ];
    IdTokenReport {
        checks,
        needs_fresh_jwks,
    }
}

// ---- the algorithm and the key ---------------------------------------------------------------

/// What kind of key an algorithm verifies with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Rsa,
    /// An EC key on this curve, with coordinates of this many bytes.
    Ec(&'static str, usize),
    Ed25519,
    /// A MAC keyed with the client secret.
    ClientSecret,
}

/// The algorithms verified, as `jsonwebtoken` names them, with their kind of key.
fn algorithm(alg: &str) -> Option<(Algorithm, KeyKind)> {
    Some(match alg {
        "RS256" => (Algorithm::RS256, KeyKind::Rsa),
        "RS384" => (Algorithm::RS384, KeyKind::Rsa),
        "RS512" => (Algorithm::RS512, KeyKind::Rsa),
        "PS256" => (Algorithm::PS256, KeyKind::Rsa),
        "PS384" => (Algorithm::PS384, KeyKind::Rsa),
        "PS512" => (Algorithm::PS512, KeyKind::Rsa),
        "ES256" => (Algorithm::ES256, KeyKind::Ec("P-256", 32)),
        "ES384" => (Algorithm::ES384, KeyKind::Ec("P-384", 48)),
        // RFC 8037's polymorphic name, and RFC 9864's fully specified one.
        "EdDSA" | "Ed25519" => (Algorithm::EdDSA, KeyKind::Ed25519),
        "HS256" => (Algorithm::HS256, KeyKind::ClientSecret),
        "HS384" => (Algorithm::HS384, KeyKind::ClientSecret),
        "HS512" => (Algorithm::HS512, KeyKind::ClientSecret),
        _ => return None,
    })
}

fn text<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    map.get(name).and_then(Value::as_str)
}

/// "kid \"abc\"" or "the key without a kid".
fn key_name(key: &Map<String, Value>) -> String {
    match text(key, "kid") {
        Some(kid) => format!("key \"{kid}\""),
        None => "the key without a kid".to_owned(),
    }
}

/// Why a key from the set cannot verify `alg`, or `None` when it can.
fn unfit(key: &Map<String, Value>, alg: &str, kind: KeyKind) -> Option<String> {
    if let Some(usage) = text(key, "use") {
        if usage != "sig" {
            return Some(format!("its use is \"{usage}\", not \"sig\""));
        }
    }
    if let Some(ops) = key.get("key_ops").and_then(Value::as_array) {
        if !ops.iter().any(|op| op == "verify") {
            return Some("its key_ops do not include \"verify\"".to_owned());
        }
    }
    if let Some(key_alg) = text(key, "alg") {
        let same = key_alg == alg || (matches!(alg, "EdDSA" | "Ed25519") && matches!(key_alg, "EdDSA" | "Ed25519"));
        if !same {
            return Some(format!("it is for {key_alg}, not {alg}"));
        }
    }
    let kty = text(key, "kty").unwrap_or("(none)");
    let crv = text(key, "crv");
    match kind {
        KeyKind::Rsa if kty != "RSA" => Some(format!("its kty is {kty}, and {alg} needs an RSA key")),
        KeyKind::Ec(curve, _) if kty != "EC" || crv != Some(curve) => Some(format!(
            "it is a {kty} key{}, and {alg} needs an EC key on {curve}",
            crv.map(|c| format!(" on {c}")).unwrap_or_default()
        )),
        KeyKind::Ed25519 if kty != "OKP" || crv != Some("Ed25519") => Some(format!(
            "it is a {kty} key{}, and {alg} is verified here with an OKP Ed25519 key",
            crv.map(|c| format!(" on {c}")).unwrap_or_default()
        )),
        _ => None,
    }
}

/// A base64url member of a JWK, decoded, with its length checked when one is required.
fn member(key: &Map<String, Value>, name: &str, len: Option<usize>) -> Result<Vec<u8>, String> {
    let value = text(key, name).ok_or_else(|| format!("it has no \"{name}\""))?;
    let bytes = URL_SAFE_NO_PAD
        .decode(value)
        .map_err(|e| format!("its \"{name}\" is not base64url: {e}"))?;
    match len {
        Some(len) if bytes.len() != len => Err(format!("its \"{name}\" is {} bytes, not {len}", bytes.len())),
        _ => Ok(bytes),
    }
}

/// The verification key a JWK holds, checked before `jsonwebtoken` sees it (which trusts its
/// lengths).
fn decoding_key(key: &Map<String, Value>, kind: KeyKind) -> Result<DecodingKey, String> {
    match kind {
        KeyKind::Rsa => {
            let n = member(key, "n", None)?;
            let e = member(key, "e", None)?;
            let significant = n.iter().skip_while(|b| **b == 0).count();
            let bits = significant * 8 - n.iter().find(|b| **b != 0).map_or(0, |b| b.leading_zeros() as usize);
            if bits < MIN_RSA_BITS {
                return Err(format!(
                    "its modulus is {bits} bits, fewer than the {MIN_RSA_BITS} RFC 7518 §3.3 requires"
                ));
            }
            if bits > MAX_RSA_BITS {
                return Err(format!(
                    "its modulus is {bits} bits, more than the {MAX_RSA_BITS} Registrar verifies"
                ));
            }
            if e.iter().all(|b| *b == 0) {
                return Err("its exponent is zero".to_owned());
            }
            Ok(DecodingKey::from_rsa_raw_components(&n, &e))
        }
        KeyKind::Ec(_, len) => {
            member(key, "x", Some(len))?;
            member(key, "y", Some(len))?;
            DecodingKey::from_ec_components(text(key, "x").unwrap_or_default(), text(key, "y").unwrap_or_default())
                .map_err(|e| format!("it is not a usable EC key: {e}"))
        }
        KeyKind::Ed25519 => {
            member(key, "x", Some(32))?;
            DecodingKey::from_ed_components(text(key, "x").unwrap_or_default())
                .map_err(|e| format!("it is not a usable Ed25519 key: {e}"))
        }
        KeyKind::ClientSecret => Err("a MAC is keyed with the client secret, not a JWK".to_owned()),
    }
}

/// Verifies the signature with one key: `Err(None)` when it does not match, `Err(Some(why))`
/// when it could not be verified at all.
fn verify_with(parts: Parts<'_>, key: &DecodingKey, algorithm: Algorithm) -> Result<(), Option<String>> {
    match jsonwebtoken::crypto::verify(parts.signature, parts.signing_input.as_bytes(), key, algorithm) {
        Ok(true) => Ok(()),
        Ok(false) => Err(None),
        Err(e) => Err(Some(e.to_string())),
    }
}

/// The `signature` check, and whether the JWK Set should be fetched again.
/// Works on any compact JWS, whether or not its payload is claims.
pub(crate) fn signature_check(
    header: &JoseHeader,
    signature_present: bool,
    parts: Parts<'_>,
    jwks: Option<&Value>,
    expected: Expectations<'_>,
) -> (Check, bool) {
    const NAME: &str = "signature";
    let failed = |detail: String| (Check::failed(NAME, detail), false);
    let Some(alg) = header.alg.as_deref() else {
        return failed("the header names no alg, so there is no way to verify the token".into());
    };
    if alg == "none" {
        return failed("the token is not signed (alg is none): anyone could have written it".into());
    }
    if !signature_present {
        return failed(format!("the header says {alg} but the token has no signature"));
    }
    if let Some(crit) = header.fields.get("crit") {
        return failed(format!(
            "the header's crit ({crit}) names extensions Registrar does not understand; RFC 7515 \
             §4.1.11 says to reject the token"
        ));
    }
    let Some((algorithm, kind)) = algorithm(alg) else {
        return (
            Check::skipped(
                NAME,
                format!(
                    "{alg} is not an algorithm Registrar verifies (RS256/384/512, PS256/384/512, \
                     ES256, ES384, EdDSA with Ed25519, HS256/384/512)"
                ),
            ),
            false,
        );
    };
    if kind == KeyKind::ClientSecret {
        return match expected.client_secret {
            None => (
                Check::skipped(
                    NAME,
                    format!("{alg} is a MAC keyed with the client secret, and no client secret was given"),
                ),
                false,
            ),
            Some(secret) => match verify_with(parts, &DecodingKey::from_secret(secret.as_bytes()), algorithm) {
                Ok(()) => (
                    Check::passed(NAME, format!("{alg} MAC verified with the client secret")),
                    false,
                ),
                Err(None) => failed(format!("the {alg} MAC does not match the client secret")),
                Err(Some(why)) => failed(format!(
                    "the {alg} MAC could not be verified with the client secret: {why}"
                )),
            },
        };
    }
    let Some(jwks) = jwks else {
        return (
            Check::skipped(NAME, "no JWK Set was given (the provider's jwks_uri was not fetched)"),
            false,
        );
    };
    let Some(keys) = jwks.get("keys").and_then(Value::as_array) else {
        return failed(format!(
            "the JWK Set is not a JSON object with a \"keys\" array (it is {})",
            jwt::json_kind(jwks)
        ));
    };
    let keys: Vec<&Map<String, Value>> = keys.iter().filter_map(Value::as_object).collect();
    let refetch = " The provider may have rotated its keys: fetch its jwks_uri again and verify once more.";
    let candidates: Vec<&Map<String, Value>> = match header.kid.as_deref() {
        Some(kid) => {
            let with_kid: Vec<_> = keys.iter().copied().filter(|k| text(k, "kid") == Some(kid)).collect();
            if with_kid.is_empty() {
                let known: Vec<String> = keys
                    .iter()
                    .filter_map(|k| text(k, "kid"))
                    .map(|k| format!("\"{k}\""))
                    .collect();
                let holds = if known.is_empty() {
                    format!("it holds {} keys, none with a kid", keys.len())
                } else {
                    format!("it holds {}", known.join(", "))
                };
                return (
                    Check::failed(
                        NAME,
                        format!("no key with kid \"{kid}\" in the JWK Set ({holds}).{refetch}"),
                    ),
                    true,
                );
            }
            let (fit, unfit_keys): (Vec<_>, Vec<_>) = with_kid.into_iter().partition(|k| unfit(k, alg, kind).is_none());
            if fit.is_empty() {
                let why = unfit_keys.first().and_then(|k| unfit(k, alg, kind)).unwrap_or_default();
                return failed(format!("key \"{kid}\" cannot verify {alg}: {why}"));
            }
            fit
        }
        None => {
            let fit: Vec<_> = keys.iter().copied().filter(|k| unfit(k, alg, kind).is_none()).collect();
            match fit.len() {
                0 => {
                    return (
                        Check::failed(
                            NAME,
                            format!(
                            "the token names no kid and none of the {} keys in the JWK Set can verify {alg}.{refetch}",
                            keys.len()
                        ),
                        ),
                        true,
                    )
                }
                1 => fit,
                n => {
                    return failed(format!(
                        "the token names no kid and {n} keys in the JWK Set could verify {alg}; OpenID \
                         Connect Core §10.1 requires a kid when a set holds several keys"
                    ))
                }
            }
        }
    };
    let mut last = String::new();
    for key in &candidates {
        let name = key_name(key);
        let verified = decoding_key(key, kind)
            .map_err(|why| format!("{name} cannot be used: {why}"))
            .and_then(|k| {
                verify_with(parts, &k, algorithm).map_err(|why| match why {
                    None => format!(
                        "the {alg} signature does not match {name}: the token was altered, or signed with another key"
                    ),
                    Some(why) => format!("the {alg} signature could not be verified with {name}: {why}"),
                })
            });
        match verified {
            Ok(()) => {
                let how = if header.kid.is_some() {
                    format!("{name} of the JWK Set")
                } else {
                    format!("{name}, the JWK Set's only key for {alg} (the token names no kid)")
                };
                return (
                    Check::passed(NAME, format!("{alg} signature verified with {how}")),
                    false,
                );
            }
            Err(why) => last = why,
        }
    }
    failed(last)
}

/// The `alg` check: not `none`, advertised by the provider, and the registered one.
fn alg_check(jwt: &DecodedJwt, expected: Expectations<'_>) -> Check {
    const NAME: &str = "alg";
    let Some(alg) = jwt.header.alg.as_deref() else {
        return Check::failed(NAME, "the header has no alg (or it is not a string)");
    };
    if alg == "none" {
        return Check::failed(
            NAME,
            "alg is none: the ID token is unsigned, which a token endpoint's ID token may never be",
        );
    }
    if let Some(registered) = expected.registered_alg {
        if registered != alg {
            return Check::failed(
                NAME,
                format!("alg is {alg}, but the client registered id_token_signed_response_alg {registered}"),
            );
        }
    }
    match expected.signing_algs_supported {
        Some(supported) if !supported.iter().any(|s| s == alg) => Check::failed(
            NAME,
            format!(
                "{alg} is not among the provider's id_token_signing_alg_values_supported ({})",
                supported.join(", ")
            ),
        ),
        Some(_) => Check::passed(NAME, format!("{alg}, one the provider advertises")),
        None => Check::passed(
            NAME,
            format!("{alg} (the provider's id_token_signing_alg_values_supported were not given)"),
        ),
    }
}

// ---- the claims -------------------------------------------------------------------------------

fn quoted(value: &Value) -> String {
    match value {
        Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    }
}

fn iss_check(claims: &Map<String, Value>, issuer: &str) -> Check {
    const NAME: &str = "iss";
    match claims.get(NAME) {
        None => Check::failed(NAME, "no iss claim: an ID token must name its issuer"),
        Some(Value::String(iss)) if iss == issuer => Check::passed(NAME, format!("\"{iss}\", the provider's issuer")),
        Some(Value::String(iss)) => Check::failed(
            NAME,
            format!("iss is \"{iss}\", not the provider's issuer \"{issuer}\" (they must be equal, character for character)"),
        ),
        Some(other) => Check::failed(NAME, format!("iss is {}, not a string", jwt::json_kind(other))),
    }
}

fn sub_check(claims: &Map<String, Value>) -> Check {
    const NAME: &str = "sub";
    match claims.get(NAME) {
        None => Check::failed(NAME, "no sub claim: an ID token must name its subject"),
        Some(Value::String(sub)) if !sub.is_empty() => Check::passed(NAME, format!("the subject is \"{sub}\"")),
        Some(Value::String(_)) => Check::failed(NAME, "sub is empty"),
        Some(other) => Check::failed(NAME, format!("sub is {}, not a string", jwt::json_kind(other))),
    }
}

/// The `aud` check, and how many audiences the token names.
fn aud_check(claims: &Map<String, Value>, client_id: &str) -> (usize, Check) {
    const NAME: &str = "aud";
    match claims.get(NAME) {
        None => (
            0,
            Check::failed(NAME, "no aud claim: an ID token must name its audience"),
        ),
        Some(Value::String(aud)) if aud == client_id => (1, Check::passed(NAME, format!("\"{aud}\", the client_id"))),
        Some(Value::String(aud)) => (
            1,
            Check::failed(
                NAME,
                format!("aud is \"{aud}\", not the client_id \"{client_id}\": the token is for another client"),
            ),
        ),
        Some(Value::Array(list)) => {
            if let Some(bad) = list.iter().find(|v| !v.is_string()) {
                return (
                    list.len(),
                    Check::failed(
                        NAME,
                        format!("aud holds {}, and audiences are strings", jwt::json_kind(bad)),
                    ),
                );
            }
            let all: Vec<String> = list.iter().map(quoted).collect();
            let check = if !list.iter().any(|v| v == client_id) {
                Check::failed(
                    NAME,
                    format!("aud [{}] does not hold the client_id \"{client_id}\"", all.join(", ")),
                )
            } else if list.len() == 1 {
                Check::passed(NAME, format!("[\"{client_id}\"], the client_id"))
            } else {
                Check::passed(
                    NAME,
                    format!(
                        "holds the client_id among {} audiences ({}); the others must be parties the client trusts",
                        list.len(),
                        all.join(", ")
                    ),
                )
            };
            (list.len(), check)
        }
        Some(other) => (
            0,
            Check::failed(
                NAME,
                format!("aud is {}, not a string or an array of strings", jwt::json_kind(other)),
            ),
        ),
    }
}

fn azp_check(claims: &Map<String, Value>, client_id: &str, audiences: usize) -> Check {
    const NAME: &str = "azp";
    match claims.get(NAME) {
        Some(Value::String(azp)) if azp == client_id => Check::passed(NAME, format!("\"{azp}\", the client_id")),
        Some(Value::String(azp)) => Check::failed(
            NAME,
            format!("azp is \"{azp}\": the token was issued to that party, not to the client_id \"{client_id}\""),
        ),
        Some(other) => Check::failed(NAME, format!("azp is {}, not a string", jwt::json_kind(other))),
        None if audiences > 1 => Check::failed(
            NAME,
            format!("the token has {audiences} audiences and no azp to say which party it was issued to"),
        ),
        None => Check::skipped(NAME, "absent, and not needed with a single audience"),
    }
}

/// A time claim's value: `Ok(None)` when absent, `Err` when not a NumericDate.
fn time_claim(claims: &Map<String, Value>, name: &str) -> Result<Option<i64>, Check> {
    match claims.get(name) {
        None => Ok(None),
        Some(value) => numeric_date(value).map(Some).ok_or_else(|| {
            Check::failed(
                name,
                format!(
                    "{name} is {}, not a NumericDate (a number of seconds since 1970)",
                    jwt::json_kind(value)
                ),
            )
        }),
    }
}

fn when(claim: &str, epoch: i64, now: i64) -> String {
    match rfc3339(epoch) {
        Some(date) => format!("{} ({date})", relative(claim, epoch, now)),
        None => relative(claim, epoch, now),
    }
}

fn exp_check(claims: &Map<String, Value>, now: i64) -> Check {
    const NAME: &str = "exp";
    let exp = match time_claim(claims, NAME) {
        Err(check) => return check,
        Ok(None) => return Check::failed(NAME, "no exp claim: an ID token must say when it expires"),
        Ok(Some(exp)) => exp,
    };
    if now < exp {
        Check::passed(NAME, when(NAME, exp, now))
    } else if now < exp.saturating_add(CLOCK_SKEW_SECS) {
        Check::passed(
            NAME,
            format!(
                "{}, within the {CLOCK_SKEW_SECS} s of clock skew allowed",
                when(NAME, exp, now)
            ),
        )
    } else {
        Check::failed(
            NAME,
            format!(
                "{}; {CLOCK_SKEW_SECS} s of clock skew are allowed",
                when(NAME, exp, now)
            ),
        )
    }
}

fn iat_check(claims: &Map<String, Value>, now: i64) -> Check {
    const NAME: &str = "iat";
    let iat = match time_claim(claims, NAME) {
        Err(check) => return check,
        Ok(None) => return Check::failed(NAME, "no iat claim: an ID token must say when it was issued"),
        Ok(Some(iat)) => iat,
    };
    if iat > now.saturating_add(CLOCK_SKEW_SECS) {
        Check::failed(
            NAME,
            format!(
                "{}: the provider's clock or this machine's is wrong ({CLOCK_SKEW_SECS} s of skew are allowed)",
                when(NAME, iat, now)
            ),
        )
    } else if now.saturating_sub(iat) > MAX_IAT_AGE_SECS {
        Check::failed(
            NAME,
            format!(
                "{}: older than the {} a freshly issued ID token may be",
                when(NAME, iat, now),
                duration(MAX_IAT_AGE_SECS.unsigned_abs())
            ),
        )
    } else {
        Check::passed(NAME, when(NAME, iat, now))
    }
}

fn nbf_check(claims: &Map<String, Value>, now: i64) -> Check {
    const NAME: &str = "nbf";
    match time_claim(claims, NAME) {
        Err(check) => check,
        Ok(None) => Check::skipped(NAME, "absent (optional)"),
        Ok(Some(nbf)) if nbf > now.saturating_add(CLOCK_SKEW_SECS) => Check::failed(
            NAME,
            format!(
                "{}; {CLOCK_SKEW_SECS} s of clock skew are allowed",
                when(NAME, nbf, now)
            ),
        ),
        Ok(Some(nbf)) => Check::passed(NAME, when(NAME, nbf, now)),
    }
}

fn nonce_check(claims: &Map<String, Value>, sent: Option<&str>) -> Check {
    const NAME: &str = "nonce";
    match (sent, claims.get(NAME)) {
        (Some(sent), Some(Value::String(got))) if got == sent => Check::passed(NAME, "matches the nonce sent"),
        (Some(sent), Some(Value::String(got))) => Check::failed(
            NAME,
            format!("nonce is \"{got}\", not the \"{sent}\" sent: a replayed token, or one from another request"),
        ),
        (Some(sent), None) => Check::failed(NAME, format!("no nonce claim, but \"{sent}\" was sent")),
        (Some(_), Some(other)) => Check::failed(NAME, format!("nonce is {}, not a string", jwt::json_kind(other))),
        (None, Some(_)) => Check::skipped(
            NAME,
            "the token carries a nonce, but no nonce was given to compare it with",
        ),
        (None, None) => Check::skipped(NAME, "no nonce was sent"),
    }
}

/// The hash an `alg` implies for `at_hash` and `c_hash`, with its name.
fn hash_for(alg: &str) -> Option<&'static str> {
    match alg {
        // OpenID Connect Core errata and the Token Hash Algorithms guide: Ed25519 uses SHA-512.
        "EdDSA" | "Ed25519" => Some("SHA-512"),
        a if a.ends_with("256") => Some("SHA-256"),
        a if a.ends_with("384") => Some("SHA-384"),
        a if a.ends_with("512") => Some("SHA-512"),
        _ => None,
    }
}

/// The `at_hash` / `c_hash` of `value` for a token signed with `alg`: the base64url of the
/// left half of its hash (SHA-256 for `*256`, SHA-384 for `*384`, SHA-512 for `*512` and
/// for EdDSA with Ed25519). None when the algorithm implies no hash Registrar knows.
pub fn token_hash(alg: &str, value: &str) -> Option<String> {
    let digest: Vec<u8> = match hash_for(alg)? {
        "SHA-256" => Sha256::digest(value.as_bytes()).to_vec(),
        "SHA-384" => Sha384::digest(value.as_bytes()).to_vec(),
        _ => Sha512::digest(value.as_bytes()).to_vec(),
    };
    Some(URL_SAFE_NO_PAD.encode(&digest[..digest.len() / 2]))
}

fn hash_check(name: &str, what: &str, claims: &Map<String, Value>, alg: Option<&str>, value: Option<&str>) -> Check {
    let Some(value) = value else {
        return Check::skipped(name, format!("no {what} was given"));
    };
    let claimed = match claims.get(name) {
        None => {
            return Check::skipped(
                name,
                format!("no {name} claim (optional for an ID token from the token endpoint)"),
            )
        }
        Some(Value::String(claimed)) => claimed,
        Some(other) => return Check::failed(name, format!("{name} is {}, not a string", jwt::json_kind(other))),
    };
    let alg = alg.unwrap_or("(none)");
    let (Some(hash), Some(computed)) = (hash_for(alg), token_hash(alg, value)) else {
        return Check::skipped(
            name,
            format!("{alg} implies no hash Registrar knows, so {name} cannot be computed"),
        );
    };
    if &computed == claimed {
        Check::passed(name, format!("matches the {what} (left half of its {hash}, for {alg})"))
    } else {
        Check::failed(
            name,
            format!(
                "{name} is \"{claimed}\", and the {what} gives \"{computed}\" (left half of its {hash}, for \
                 {alg}): the token was not issued with this {what}"
            ),
        )
    }
}

fn auth_time_check(claims: &Map<String, Value>, max_age: Option<i64>, now: i64) -> Check {
    const NAME: &str = "auth_time";
    let auth_time = match time_claim(claims, NAME) {
        Err(check) => return check,
        Ok(t) => t,
    };
    match (max_age, auth_time) {
        (None, None) => Check::skipped(NAME, "no max_age was sent"),
        (None, Some(t)) => Check::skipped(NAME, format!("no max_age was sent; {}", when(NAME, t, now))),
        (Some(max_age), None) => Check::failed(
            NAME,
            format!("max_age {max_age} was sent, so the token must say when the user authenticated, and it has no auth_time"),
        ),
        (Some(max_age), Some(t)) if now > t.saturating_add(max_age).saturating_add(CLOCK_SKEW_SECS) => Check::failed(
            NAME,
            format!("{}, longer ago than the max_age of {max_age} s sent", when(NAME, t, now)),
        ),
        (Some(max_age), Some(t)) => Check::passed(NAME, format!("{}, within the max_age of {max_age} s", when(NAME, t, now))),
    }
}

#[cfg(test)]
mod tests;
