//! Signed JWTs from clients (RFC 7515 compact JWS): reading one before its key is known,
//! finding the key by `kid` in a JWK Set, verifying the signature, and fetching a JWK Set
//! from a URL. The claims are checked by the callers, each with errors of its own.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};

/// A fetched JWK Set larger than this is refused.
const MAX_JWKS_BYTES: usize = 256 * 1024;
/// How long fetching a JWK Set may take.
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);

/// A compact JWS read without verifying it: its header and its claims.
#[derive(Debug)]
pub(crate) struct Unverified {
    pub(crate) alg: String,
    pub(crate) kid: Option<String>,
    pub(crate) claims: Map<String, Value>,
}

/// Reads a compact JWS whose payload is a JSON object; the error says what is wrong.
pub(crate) fn read(token: &str) -> Result<Unverified, &'static str> {
    let mut parts = token.trim().split('.');
    let (Some(header), Some(payload), Some(signature), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("is not a compact JWS (three base64url parts separated by dots)");
    };
    if signature.is_empty() {
        return Err("is not signed (its signature part is empty)");
    }
    let json = |part: &str| -> Option<Value> {
        let bytes = URL_SAFE_NO_PAD.decode(part).ok()?;
        serde_json::from_slice(&bytes).ok()
    };
    let header = json(header).ok_or("has a header that is not base64url JSON")?;
    let Some(Value::Object(claims)) = json(payload) else {
        return Err("has a payload that is not a base64url JSON object");
    };
    let alg = header
        .get("alg")
        .and_then(Value::as_str)
        .ok_or("has no alg in its header")?
        .to_owned();
    let kid = header.get("kid").and_then(Value::as_str).map(str::to_owned);
    Ok(Unverified { alg, kid, claims })
}

/// The algorithm named `alg` if it is one of `allowed`.
pub(crate) fn algorithm(alg: &str, allowed: &[Algorithm]) -> Option<Algorithm> {
    alg.parse::<Algorithm>().ok().filter(|a| allowed.contains(a))
}

/// Names of algorithms, for error messages.
pub(crate) fn names(algorithms: &[Algorithm]) -> String {
    algorithms
        .iter()
        .map(|a| format!("{a:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The key with `kid` in a JWK Set; without a `kid`, the set's only key.
pub(crate) fn find_key<'k>(jwks: &'k Value, kid: Option<&str>) -> Option<&'k Value> {
    let keys = jwks.get("keys")?.as_array()?;
    match kid {
        Some(kid) => keys
            .iter()
            .find(|key| key.get("kid").and_then(Value::as_str) == Some(kid)),
        None if keys.len() == 1 => keys.first(),
        None => None,
    }
}

/// Verifies the signature of `token` by the public JWK `key` with `alg`; claims are left to
/// the caller.
pub(crate) fn verify(token: &str, key: &Value, alg: Algorithm) -> Result<(), String> {
    let jwk: Jwk = serde_json::from_value(key.clone()).map_err(|e| format!("the key is not a usable JWK: {e}"))?;
    let decoding = DecodingKey::from_jwk(&jwk).map_err(|e| format!("the key is not a usable JWK: {e}"))?;
    let mut validation = Validation::new(alg);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    jsonwebtoken::decode::<Value>(token.trim(), &decoding, &validation)
        .map(|_| ())
        .map_err(|e| match e.kind() {
            jsonwebtoken::errors::ErrorKind::InvalidSignature => "the signature does not verify".to_owned(),
            _ => format!("the signature does not verify ({e})"),
        })
}

/// Fetches a JWK Set (`jwks_uri`, `software_jwks_endpoint`).
pub(crate) async fn fetch_jwks(url: &str) -> Result<Value, String> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(FETCH_TIMEOUT)
        .build()
        .map_err(|e| format!("cannot fetch {url}: {e}"))?;
    let response = client
        .get(url)
        .header(http::header::ACCEPT, "application/json, application/jwk-set+json")
        .send()
        .await
        .map_err(|e| format!("cannot fetch {url}: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("{url} answered {}", response.status()));
    }
    let mut response = response;
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| format!("cannot read {url}: {e}"))? {
        if body.len() + chunk.len() > MAX_JWKS_BYTES {
            return Err(format!("{url} sent more than {MAX_JWKS_BYTES} bytes"));
        }
        body.extend_from_slice(&chunk);
    }
    match serde_json::from_slice::<Value>(&body) {
        Ok(set) if set.get("keys").is_some_and(Value::is_array) => Ok(set),
        _ => Err(format!("{url} did not send a JWK Set")),
    }
}

/// A client's registered keys: its `jwks`, or the set at its `jwks_uri`.
pub(crate) async fn client_keys(meta: &Map<String, Value>) -> Result<Value, String> {
    if let Some(jwks) = meta.get("jwks") {
        return Ok(jwks.clone());
    }
    match meta.get("jwks_uri").and_then(Value::as_str) {
        Some(uri) => fetch_jwks(uri).await,
        None => Err("the client registered no keys (neither jwks nor jwks_uri)".to_owned()),
    }
}

/// Whether a `aud` claim (a string or an array of strings) names one of `accepted`.
pub(crate) fn audience_is(claims: &Map<String, Value>, accepted: &[&str]) -> bool {
    let names = |value: &str| {
        accepted
            .iter()
            .any(|a| a.trim_end_matches('/') == value.trim_end_matches('/'))
    };
    match claims.get("aud") {
        Some(Value::String(aud)) => names(aud),
        Some(Value::Array(auds)) => auds.iter().filter_map(Value::as_str).any(names),
        _ => false,
    }
}

/// A numeric date claim (`exp`, `iat`), whole seconds.
pub(crate) fn seconds(claims: &Map<String, Value>, name: &str) -> Option<u64> {
    let value = claims.get(name)?;
    value
        .as_u64()
        .or_else(|| value.as_f64().filter(|f| f.is_finite() && *f >= 0.0).map(|f| f as u64))
}
