//! Registration and update requests as a JWS (Open Banking UK DCR v3.3): the metadata as
//! claims with `iss`, `aud`, `iat`, `exp` and `jti`, signed with a key in custody,
//! `Content-Type: application/jwt`.

use super::keys::now;
use crate::error::{Error, Result};
use crate::ops::Registrar;
use crate::profile::Profile;
use registrar_keys::{jws, Alg, PrivateKey};
use serde_json::{Map, Value};

/// How long a signed request is valid: Open Banking asks for a short life.
const LIFETIME_SECS: i64 = 300;

/// The key and the names a profile signs its requests with.
pub(crate) struct SignedRequest {
    key: PrivateKey,
    alg: Alg,
    kid: String,
    audience: String,
}

impl std::fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SignedRequest({} {} for {})", self.alg, self.kid, self.audience)
    }
}

impl SignedRequest {
    /// The compact JWS of `metadata`. `iss` is the software statement's `software_id` when
    /// the metadata carries one (Open Banking), else the metadata's `software_id`, else the
    /// key id; fields the metadata already sets are kept.
    pub fn sign(&self, metadata: &Map<String, Value>) -> Result<String> {
        let mut claims = metadata.clone();
        let iss = claims
            .get("software_statement")
            .and_then(Value::as_str)
            .and_then(|ssa| jws::peek(ssa).ok())
            .and_then(|read| {
                read.claims
                    .get("software_id")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .or_else(|| claims.get("software_id").and_then(Value::as_str).map(str::to_string))
            .unwrap_or_else(|| self.kid.clone());
        let t = now();
        claims.entry("iss").or_insert_with(|| iss.into());
        claims.entry("aud").or_insert_with(|| self.audience.clone().into());
        claims.insert("iat".into(), t.into());
        claims.insert("exp".into(), (t + LIFETIME_SECS).into());
        claims.insert("jti".into(), uuid::Uuid::new_v4().to_string().into());
        Ok(jws::sign(
            &self.key,
            self.alg,
            Some(&self.kid),
            Some("JWT"),
            &Value::Object(claims),
        )?)
    }
}

impl Registrar {
    /// The profile's request signer, when it signs requests.
    pub(crate) fn request_signer(&self, profile: &Profile) -> Result<Option<SignedRequest>> {
        let Some(kid) = profile.signing.request_signing_key.as_deref() else {
            return Ok(None);
        };
        let record = self.key(&profile.id, kid)?;
        let alg = record.algorithm()?;
        if profile.signing.fapi && !alg.is_fapi() {
            return Err(Error::config(
                "signing.request_signing_key",
                format!("key {kid} signs with {alg}; a FAPI profile signs with PS256 or ES256 only"),
            ));
        }
        let audience = profile
            .signing
            .request_audience
            .clone()
            .or_else(|| profile.issuer.clone())
            .ok_or_else(|| {
                Error::config(
                    "signing.request_audience",
                    "a signed request needs an `aud`: set the profile's issuer or the request audience",
                )
            })?;
        Ok(Some(SignedRequest {
            key: self.private_key(&profile.id, kid)?,
            alg,
            kid: kid.to_string(),
            audience,
        }))
    }
}

impl Registrar {
    /// The body of a registration or update for `profile`: the profile's software statement
    /// added (checked for expiry first), then JSON, or a JWS when the profile signs requests.
    /// Nothing is sent when this fails.
    pub(crate) fn request_with_body(
        &self,
        profile: &Profile,
        request: crate::http::HttpRequest,
        metadata: &Map<String, Value>,
    ) -> Result<crate::http::HttpRequest> {
        let mut body = metadata.clone();
        match (
            body.get("software_statement").and_then(Value::as_str),
            &profile.signing.software_statement,
        ) {
            (Some(own), _) => super::software_statements::check_sendable(own, "in the metadata")?,
            (None, Some(label)) => {
                let ssa = self.software_statement(&profile.id, label)?;
                super::software_statements::check_sendable(&ssa.jwt, &format!("{label:?}"))?;
                body.insert("software_statement".into(), ssa.jwt.into());
            }
            (None, None) => {}
        }
        Ok(match self.request_signer(profile)? {
            Some(signer) => request.jwt(signer.sign(&body)?),
            None => request.json(&Value::Object(body)),
        })
    }
}
