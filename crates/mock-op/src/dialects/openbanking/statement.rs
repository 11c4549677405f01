//! The software statement assertion (SSA): a JWS the directory signed about one piece of
//! software. It must verify with a key of the trusted directory's JWK Set (its `kid` picks
//! the key) and carry the claims registration relies on.

use serde_json::{Map, Value};

use super::errors::{invalid_software_statement, unapproved_software_statement};
use super::{text, ALGORITHMS};
use crate::error::ApiError;
use crate::state::Shared;
use crate::{clock, jose};

/// Clock skew tolerated on `iat`.
const SKEW: u64 = 60;

/// What registration takes from a verified statement.
#[derive(Debug)]
pub(super) struct Statement {
    pub(super) software_id: String,
    pub(super) redirect_uris: Vec<String>,
    /// `software_jwks`: the software's keys inline (the directory's own statements point to
    /// an endpoint instead; inline keys are accepted for local directories and tests).
    pub(super) jwks: Option<Value>,
    /// `software_jwks_endpoint`.
    pub(super) jwks_endpoint: Option<String>,
    pub(super) client_name: Option<String>,
}

/// Verifies the statement `token`; the error names what is wrong with it.
pub(super) fn verify(shared: &Shared, token: &str) -> Result<Statement, ApiError> {
    let jwt = jose::read(token).map_err(|why| invalid_software_statement(format!("the software statement {why}")))?;
    let alg = jose::algorithm(&jwt.alg, ALGORITHMS).ok_or_else(|| {
        invalid_software_statement(format!(
            "the software statement is signed with {}; accepted: {}",
            jwt.alg,
            jose::names(ALGORITHMS)
        ))
    })?;
    let kid = jwt
        .kid
        .as_deref()
        .ok_or_else(|| invalid_software_statement("the software statement has no kid in its header"))?;
    let directory = shared.trusted_directory().ok_or_else(|| {
        unapproved_software_statement(
            "this provider trusts no directory yet, so no software statement is approved (set one: POST /_admin/directory_jwks)",
        )
    })?;
    let key = jose::find_key(&directory, Some(kid)).ok_or_else(|| {
        unapproved_software_statement(format!(
            "the software statement is signed with key {kid}, which is not in the trusted directory's JWK Set"
        ))
    })?;
    jose::verify(token, key, alg).map_err(|why| {
        invalid_software_statement(format!("the software statement's {why} with directory key {kid}"))
    })?;
    check_claims(&jwt.claims)
}

fn check_claims(claims: &Map<String, Value>) -> Result<Statement, ApiError> {
    let missing: Vec<&str> = ["iss", "jti", "software_id"]
        .into_iter()
        .filter(|name| text(claims, name).is_none_or(str::is_empty))
        .chain(jose::seconds(claims, "iat").is_none().then_some("iat"))
        .chain(
            (!claims.contains_key("software_jwks_endpoint") && !claims.contains_key("software_jwks"))
                .then_some("software_jwks_endpoint (or software_jwks)"),
        )
        .chain((!claims.contains_key("software_redirect_uris")).then_some("software_redirect_uris"))
        .collect();
    if !missing.is_empty() {
        return Err(invalid_software_statement(format!(
            "the software statement lacks {}",
            missing.join(", ")
        )));
    }
    let now = clock::unix_seconds();
    if let Some(exp) = claims.get("exp") {
        match jose::seconds(claims, "exp") {
            Some(exp) if exp > now => {}
            Some(_) => {
                return Err(invalid_software_statement(
                    "the software statement has expired (exp is past)",
                ))
            }
            None => {
                return Err(invalid_software_statement(format!(
                    "the software statement's exp {exp} is not a number"
                )))
            }
        }
    }
    if jose::seconds(claims, "iat").is_some_and(|iat| iat > now + SKEW) {
        return Err(invalid_software_statement(
            "the software statement's iat is in the future",
        ));
    }
    let redirect_uris = match claims.get("software_redirect_uris") {
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
            items.iter().filter_map(Value::as_str).map(str::to_owned).collect()
        }
        _ => {
            return Err(invalid_software_statement(
                "the software statement's software_redirect_uris must be an array of strings",
            ))
        }
    };
    let jwks = match claims.get("software_jwks") {
        None => None,
        Some(set) if set.get("keys").is_some_and(Value::is_array) => Some(set.clone()),
        Some(_) => {
            return Err(invalid_software_statement(
                "the software statement's software_jwks is not a JWK Set",
            ))
        }
    };
    let jwks_endpoint = match claims.get("software_jwks_endpoint") {
        None => None,
        Some(Value::String(url)) if url.starts_with("https://") || url.starts_with("http://") => Some(url.clone()),
        Some(_) => {
            return Err(invalid_software_statement(
                "the software statement's software_jwks_endpoint is not an http(s) URL",
            ))
        }
    };
    Ok(Statement {
        software_id: text(claims, "software_id").unwrap_or_default().to_owned(),
        redirect_uris,
        jwks,
        jwks_endpoint,
        client_name: text(claims, "software_client_name").map(str::to_owned),
    })
}
