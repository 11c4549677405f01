//! `private_key_jwt` (OIDC Core §9, RFC 7523 §2.2/§3): the client proves itself with a JWT it
//! signed with a key it registered (`jwks` or `jwks_uri`). Offered by every dialect, since a
//! client that registered keys can use it anywhere; the openbanking dialect narrows the
//! algorithms and requires it of clients registered for it.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use jsonwebtoken::Algorithm;
use serde_json::Value;

use crate::client_auth::field;
use crate::error::ApiError;
use crate::state::Shared;
use crate::{clock, jose};

/// RFC 7523 §2.2's `client_assertion_type`.
pub(crate) const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// Algorithms accepted where the dialect says nothing narrower (no HMAC: that would be
/// `client_secret_jwt`).
pub(crate) const ANY_ASYMMETRIC: &[Algorithm] = &[
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

/// Whether the form carries a client assertion at all.
pub(crate) fn present(form: &[(String, String)]) -> bool {
    field(form, "client_assertion").is_some() || field(form, "client_assertion_type").is_some()
}

fn refused(description: impl Into<std::borrow::Cow<'static, str>>) -> ApiError {
    ApiError::invalid_client_because(description)
}

/// Checks the form's client assertion and answers the client id it authenticates.
pub(crate) async fn verify(
    shared: &Shared,
    form: &[(String, String)],
    algorithms: &[Algorithm],
) -> Result<String, ApiError> {
    if field(form, "client_assertion_type") != Some(JWT_BEARER) {
        return Err(refused(format!("client_assertion_type must be {JWT_BEARER}")));
    }
    let assertion = field(form, "client_assertion").ok_or_else(|| refused("client_assertion is required"))?;
    let jwt = jose::read(assertion).map_err(|why| refused(format!("the client assertion {why}")))?;
    let claim = |name: &str| jwt.claims.get(name).and_then(Value::as_str);
    let (Some(iss), Some(sub)) = (claim("iss"), claim("sub")) else {
        return Err(refused("the client assertion needs iss and sub, both the client_id"));
    };
    if iss != sub {
        return Err(refused(
            "the client assertion's iss and sub differ; both must be the client_id",
        ));
    }
    if field(form, "client_id").is_some_and(|id| id != iss) {
        return Err(refused("client_id differs from the client assertion's iss"));
    }
    let alg = jose::algorithm(&jwt.alg, algorithms).ok_or_else(|| {
        refused(format!(
            "the client assertion is signed with {}; accepted: {}",
            jwt.alg,
            jose::names(algorithms)
        ))
    })?;
    let meta = shared
        .store
        .read(iss, |record| record.metadata())
        .ok_or_else(|| refused(format!("no client {iss} (the client assertion's iss)")))?;
    let keys = jose::client_keys(&meta).await.map_err(refused)?;
    let key = jose::find_key(&keys, jwt.kid.as_deref()).ok_or_else(|| {
        refused(match &jwt.kid {
            Some(kid) => format!("no key with kid {kid} among the client's registered keys"),
            None => "the client assertion has no kid and the client has several keys".to_owned(),
        })
    })?;
    jose::verify(assertion, key, alg).map_err(|why| refused(format!("client assertion: {why}")))?;
    let audiences = [shared.urls.token.as_str(), shared.urls.issuer.as_str()];
    if !jose::audience_is(&jwt.claims, &audiences) {
        return Err(refused(format!(
            "the client assertion's aud must be the token endpoint {} or the issuer {}",
            shared.urls.token, shared.urls.issuer
        )));
    }
    let now = clock::unix_seconds();
    let exp = jose::seconds(&jwt.claims, "exp").ok_or_else(|| refused("the client assertion has no exp"))?;
    if exp <= now {
        return Err(refused("the client assertion has expired (exp is past)"));
    }
    let jti = claim("jti").ok_or_else(|| refused("the client assertion has no jti"))?;
    if !shared.assertion_ids.first_use(iss, jti, exp) {
        return Err(refused("the client assertion's jti was already used (replay)"));
    }
    Ok(iss.to_owned())
}

/// The `jti`s of assertions already accepted, per client, until they expire (RFC 7523 §3
/// item 7: an assertion is used once).
#[derive(Debug, Default)]
pub(crate) struct SeenAssertions {
    seen: Mutex<HashMap<(String, String), u64>>,
}

impl SeenAssertions {
    /// Records `jti` for `client_id` until `exp`; false if it was already there.
    fn first_use(&self, client_id: &str, jti: &str, exp: u64) -> bool {
        let now = clock::unix_seconds();
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        if seen.len() > 4096 {
            seen.retain(|_, until| *until > now);
        }
        let key = (client_id.to_owned(), jti.to_owned());
        if seen.get(&key).is_some_and(|until| *until > now) {
            return false;
        }
        seen.insert(key, exp);
        true
    }
}
