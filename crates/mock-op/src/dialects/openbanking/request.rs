//! A registration (or update) request: a JWT (`Content-Type: application/jwt`) signed by the
//! software, whose claims are the client metadata plus `iss` (the software_id), `aud` (this
//! provider's issuer), `iat`, `exp`, `jti` and the `software_statement`.
//!
//! Its signing key is looked up by `kid` in the software's keys: the request's own `jwks`,
//! the statement's `software_jwks`, the set at the statement's `software_jwks_endpoint`, then
//! the set at the request's `jwks_uri`, in that order (the inline sets first, so a key
//! rotated into `jwks` by an update signs that update).

use axum::body::Body;
use http::header::CONTENT_TYPE;
use http::HeaderMap;
use serde_json::{Map, Value};

use super::errors::{invalid_client_metadata, invalid_redirect_uri, invalid_software_statement};
use super::statement::{self, Statement};
use super::{text, ALGORITHMS, AUTH_METHODS};
use crate::error::ApiError;
use crate::jose::{self, Unverified};
use crate::state::Shared;
use crate::{body, clock, validate};

/// The request's own claims, which are not client metadata.
const JWT_CLAIMS: &[&str] = &["iss", "aud", "iat", "exp", "nbf", "jti"];
/// Metadata naming an algorithm, each limited to [`ALGORITHMS`].
const ALGORITHM_FIELDS: &[&str] = &[
    "token_endpoint_auth_signing_alg",
    "request_object_signing_alg",
    "id_token_signed_response_alg",
];

/// A request whose signature, statement and metadata all checked out.
#[derive(Debug)]
pub(super) struct Checked {
    /// What the client asked for: the claims without the JWT's own.
    pub(super) metadata: Map<String, Value>,
    pub(super) statement: Statement,
}

/// Reads and checks a registration or update request.
pub(super) async fn check(shared: &Shared, headers: &HeaderMap, body: Body) -> Result<Checked, ApiError> {
    if shared.accept_unsigned_requests && content_type(headers).as_deref() == Some("application/json") {
        return check_unsigned(shared, headers, body).await;
    }
    let token = jwt_body(shared, headers, body).await?;
    let jwt = jose::read(&token).map_err(|why| invalid_client_metadata(format!("the registration request {why}")))?;
    let alg = jose::algorithm(&jwt.alg, ALGORITHMS).ok_or_else(|| {
        invalid_client_metadata(format!(
            "the registration request is signed with {}; accepted: {}",
            jwt.alg,
            jose::names(ALGORITHMS)
        ))
    })?;
    let statement_text = text(&jwt.claims, "software_statement")
        .ok_or_else(|| invalid_software_statement("the registration request carries no software_statement"))?;
    let statement = statement::verify(shared, statement_text)?;
    let key = signing_key(&jwt, &statement).await?;
    jose::verify(&token, &key, alg)
        .map_err(|why| invalid_client_metadata(format!("the registration request: {why}")))?;
    check_claims(shared, &jwt.claims, &statement)?;
    let metadata: Map<String, Value> = jwt
        .claims
        .into_iter()
        .filter(|(name, _)| !JWT_CLAIMS.contains(&name.as_str()))
        .collect();
    check_metadata(shared, &metadata, &statement)?;
    Ok(Checked { metadata, statement })
}

/// A plain JSON request (`--accept-unsigned-requests`): the metadata with its software
/// statement, checked as a signed one's are, without a request signature to check.
async fn check_unsigned(shared: &Shared, headers: &HeaderMap, body: Body) -> Result<Checked, ApiError> {
    let bytes = body::read_capped(headers, body, shared.max_body_bytes).await?;
    let metadata: Map<String, Value> = serde_json::from_slice(&bytes)
        .map_err(|e| invalid_client_metadata(format!("the registration request is not a JSON object: {e}")))?;
    let statement_text = text(&metadata, "software_statement")
        .ok_or_else(|| invalid_software_statement("the registration request carries no software_statement"))?;
    let statement = statement::verify(shared, statement_text)?;
    check_metadata(shared, &metadata, &statement)?;
    Ok(Checked { metadata, statement })
}

/// The media type of the body, lower-case, without parameters.
fn content_type(headers: &HeaderMap) -> Option<String> {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
}

/// The body as JWT text: only `application/jwt` (or the older specifications' `application/jose`).
async fn jwt_body(shared: &Shared, headers: &HeaderMap, body: Body) -> Result<String, ApiError> {
    let essence = content_type(headers);
    if !matches!(essence.as_deref(), Some("application/jwt" | "application/jose")) {
        return Err(invalid_client_metadata(format!(
            "the request body must be a signed JWT sent as Content-Type: application/jwt (got {})",
            essence.as_deref().unwrap_or("no content type")
        )));
    }
    let bytes = body::read_capped(headers, body, shared.max_body_bytes).await?;
    String::from_utf8(bytes.to_vec())
        .map_err(|_| invalid_client_metadata("the registration request is not text (a compact JWS)"))
}

/// The software key that signed the request, by `kid` (see the module notes for the order).
async fn signing_key(jwt: &Unverified, statement: &Statement) -> Result<Value, ApiError> {
    let kid = jwt.kid.as_deref();
    let mut tried = Vec::new();
    let mut problems = Vec::new();
    if let Some(jwks) = jwt.claims.get("jwks") {
        if let Some(key) = jose::find_key(jwks, kid) {
            return Ok(key.clone());
        }
        tried.push("the request's jwks".to_owned());
    }
    if let Some(jwks) = &statement.jwks {
        if let Some(key) = jose::find_key(jwks, kid) {
            return Ok(key.clone());
        }
        tried.push("the statement's software_jwks".to_owned());
    }
    let endpoints = [statement.jwks_endpoint.as_deref(), text(&jwt.claims, "jwks_uri")];
    for url in endpoints.into_iter().flatten() {
        match jose::fetch_jwks(url).await {
            Ok(jwks) => {
                if let Some(key) = jose::find_key(&jwks, kid) {
                    return Ok(key.clone());
                }
                tried.push(url.to_owned());
            }
            Err(problem) => problems.push(problem),
        }
    }
    let which = match kid {
        Some(kid) => format!("no key with kid {kid}"),
        None => "the request has no kid, and no key set holds exactly one key".to_owned(),
    };
    let mut description = format!("registration request: {which} among the software's keys");
    if !tried.is_empty() {
        description.push_str(&format!(" (looked in {})", tried.join(", ")));
    }
    if !problems.is_empty() {
        description.push_str(&format!("; {}", problems.join("; ")));
    }
    Err(invalid_client_metadata(description))
}

/// The request's own claims: issued by the software, to this provider, not expired.
fn check_claims(shared: &Shared, claims: &Map<String, Value>, statement: &Statement) -> Result<(), ApiError> {
    match text(claims, "iss") {
        Some(iss) if iss == statement.software_id => {}
        Some(iss) => {
            return Err(invalid_client_metadata(format!(
                "the registration request's iss {iss} is not the statement's software_id {}",
                statement.software_id
            )))
        }
        None => {
            return Err(invalid_client_metadata(
                "the registration request has no iss (the software_id)",
            ))
        }
    }
    if !jose::audience_is(claims, &[shared.urls.issuer.as_str()]) {
        return Err(invalid_client_metadata(format!(
            "the registration request's aud must be this provider's issuer {}",
            shared.urls.issuer
        )));
    }
    let now = clock::unix_seconds();
    match jose::seconds(claims, "exp") {
        Some(exp) if exp > now => {}
        Some(_) => {
            return Err(invalid_client_metadata(
                "the registration request has expired (exp is past)",
            ))
        }
        None => return Err(invalid_client_metadata("the registration request has no exp")),
    }
    if jose::seconds(claims, "iat").is_none() {
        return Err(invalid_client_metadata("the registration request has no iat"));
    }
    if text(claims, "jti").is_none_or(str::is_empty) {
        return Err(invalid_client_metadata("the registration request has no jti"));
    }
    Ok(())
}

/// Open Banking's metadata rules, then the shared RFC 7591 checks.
fn check_metadata(shared: &Shared, meta: &Map<String, Value>, statement: &Statement) -> Result<(), ApiError> {
    let method = match meta.get("token_endpoint_auth_method") {
        None => {
            return Err(invalid_client_metadata(format!(
                "token_endpoint_auth_method is required: one of {}",
                AUTH_METHODS.join(", ")
            )))
        }
        Some(Value::String(method)) if AUTH_METHODS.contains(&method.as_str()) => method.as_str(),
        Some(other) => {
            return Err(invalid_client_metadata(format!(
                "token_endpoint_auth_method {other} is not allowed; one of {}",
                AUTH_METHODS.join(", ")
            )))
        }
    };
    if method == "tls_client_auth" && text(meta, "tls_client_auth_subject_dn").is_none_or(|dn| dn.trim().is_empty()) {
        return Err(invalid_client_metadata(
            "tls_client_auth needs tls_client_auth_subject_dn: the subject DN of the client's certificate",
        ));
    }
    if meta.contains_key("jwks") && meta.contains_key("jwks_uri") {
        return Err(invalid_client_metadata("jwks and jwks_uri must not both be present"));
    }
    for field in ALGORITHM_FIELDS {
        if let Some(alg) = meta.get(*field) {
            if alg
                .as_str()
                .is_none_or(|alg| jose::algorithm(alg, ALGORITHMS).is_none())
            {
                return Err(invalid_client_metadata(format!(
                    "{field} {alg} is not allowed; one of {}",
                    jose::names(ALGORITHMS)
                )));
            }
        }
    }
    if let Some(software_id) = meta.get("software_id") {
        if software_id.as_str() != Some(statement.software_id.as_str()) {
            return Err(invalid_client_metadata(
                "software_id differs from the software statement's software_id",
            ));
        }
    }
    if let Some(Value::Array(uris)) = meta.get("redirect_uris") {
        for uri in uris {
            let allowed = uri
                .as_str()
                .is_some_and(|uri| statement.redirect_uris.iter().any(|r| r == uri));
            if !allowed {
                return Err(invalid_redirect_uri(format!(
                    "redirect_uri {uri} is not among the software statement's software_redirect_uris"
                )));
            }
        }
    }
    validate::client_metadata(meta, &shared.rules)
}
