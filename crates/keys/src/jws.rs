//! Compact JWS (RFC 7515) as Registrar makes and checks them: client assertions, signed
//! registration requests and software statements. Times are not judged here (the caller
//! says which claim is wrong and by how much); signatures and algorithms are.

use crate::{Alg, KeyError, PrivateKey};
use serde_json::Value;

/// Signs `claims` with `key` as `alg`, with `kid` and `typ` in the header when given.
pub fn sign(
    key: &PrivateKey,
    alg: Alg,
    kid: Option<&str>,
    typ: Option<&str>,
    claims: &Value,
) -> Result<String, KeyError> {
    key.kind().check(alg)?;
    if matches!(alg, Alg::PS256 | Alg::RS256 | Alg::ES256) {
        return sign_with_ring(key, alg, kid, typ, claims);
    }
    let mut header = jsonwebtoken::Header::new(alg.jsonwebtoken());
    header.kid = kid.map(str::to_string);
    header.typ = typ.map(str::to_string);
    jsonwebtoken::encode(&header, claims, &key.encoding_key()).map_err(|e| KeyError::Sign(e.to_string()))
}

/// RSA and ECDSA through ring: the same JWS jsonwebtoken would make (header `typ`, `alg`,
/// `kid`; base64url parts; ES256 as the fixed-size R||S of RFC 7518 §3.4), signed several
/// times faster than with RustCrypto's rsa and p256.
fn sign_with_ring(
    key: &PrivateKey,
    alg: Alg,
    kid: Option<&str>,
    typ: Option<&str>,
    claims: &Value,
) -> Result<String, KeyError> {
    use ring::signature as sig;
    let mut header = serde_json::Map::new();
    if let Some(typ) = typ {
        header.insert("typ".into(), typ.into());
    }
    header.insert("alg".into(), alg.as_str().into());
    if let Some(kid) = kid {
        header.insert("kid".into(), kid.into());
    }
    let header = serde_json::to_vec(&Value::Object(header)).map_err(|e| KeyError::Sign(e.to_string()))?;
    let payload = serde_json::to_vec(claims).map_err(|e| KeyError::Sign(e.to_string()))?;
    let input = format!("{}.{}", crate::b64(header), crate::b64(payload));
    let rng = ring::rand::SystemRandom::new();
    let der = key.pkcs8_der();
    let signature = match alg {
        Alg::ES256 => {
            let pair = sig::EcdsaKeyPair::from_pkcs8(&sig::ECDSA_P256_SHA256_FIXED_SIGNING, &der, &rng)
                .map_err(|e| KeyError::Sign(format!("the EC key is not usable: {e}")))?;
            pair.sign(&rng, input.as_bytes())
                .map_err(|_| KeyError::Sign("the ECDSA signature failed".into()))?
                .as_ref()
                .to_vec()
        }
        _ => {
            let pair = sig::RsaKeyPair::from_pkcs8(&der)
                .map_err(|e| KeyError::Sign(format!("the RSA key is not usable: {e}")))?;
            let padding: &'static dyn sig::RsaEncoding = match alg {
                Alg::PS256 => &sig::RSA_PSS_SHA256,
                _ => &sig::RSA_PKCS1_SHA256,
            };
            let mut signature = vec![0u8; pair.public().modulus_len()];
            pair.sign(padding, &rng, input.as_bytes(), &mut signature)
                .map_err(|_| KeyError::Sign("the RSA signature failed".into()))?;
            signature
        }
    };
    Ok(format!("{input}.{}", crate::b64(signature)))
}

/// A JWS's protected header and payload, read without checking the signature.
#[derive(Debug, Clone, PartialEq)]
pub struct Unverified {
    /// The protected header.
    pub header: Value,
    /// The payload, as JSON.
    pub claims: Value,
}

impl Unverified {
    /// The header's `alg`.
    pub fn alg(&self) -> Option<&str> {
        self.header.get("alg").and_then(Value::as_str)
    }

    /// The header's `kid`.
    pub fn kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }
}

/// Reads a compact JWS's header and payload; an error says which part is malformed.
pub fn peek(token: &str) -> Result<Unverified, KeyError> {
    let parts: Vec<&str> = token.trim().split('.').collect();
    if parts.len() != 3 {
        return Err(KeyError::Jws(format!(
            "not a compact JWS: it has {} dot-separated parts, not 3",
            parts.len()
        )));
    }
    let part = |i: usize, name: &str| -> Result<Value, KeyError> {
        let bytes = crate::unb64(name, parts[i]).map_err(|_| KeyError::Jws(format!("the {name} is not base64url")))?;
        serde_json::from_slice(&bytes).map_err(|_| KeyError::Jws(format!("the {name} is not JSON")))
    };
    Ok(Unverified {
        header: part(0, "header")?,
        claims: part(1, "payload")?,
    })
}

/// Verifies `token`'s signature with the key of `jwks` its header's `kid` names (or, with no
/// `kid`, the set's only key that fits the algorithm), accepting only `allowed` algorithms.
/// Returns the header and claims; `exp` and the other times are the caller's to judge.
pub fn verify(token: &str, jwks: &Value, allowed: &[Alg]) -> Result<Unverified, KeyError> {
    let read = peek(token)?;
    let alg_name = read.alg().unwrap_or_default().to_string();
    let alg: Alg = alg_name
        .parse()
        .map_err(|_| KeyError::Jws(format!("signed with {alg_name:?}, which Registrar does not verify")))?;
    if !allowed.contains(&alg) {
        let names: Vec<&str> = allowed.iter().map(|a| a.as_str()).collect();
        return Err(KeyError::Jws(format!(
            "signed with {alg}, but only {} are accepted here",
            names.join(", ")
        )));
    }
    let keys = jwks
        .get("keys")
        .and_then(Value::as_array)
        .ok_or_else(|| KeyError::Jws("the JWK Set has no `keys` array".into()))?;
    let fits = |k: &&Value| {
        let kty = k.get("kty").and_then(Value::as_str);
        kty == Some(match alg.key_kind() {
            crate::KeyKind::P256 => "EC",
            crate::KeyKind::Rsa => "RSA",
            crate::KeyKind::Ed25519 => "OKP",
        })
    };
    let key = match read.kid() {
        Some(kid) => keys
            .iter()
            .find(|k| k.get("kid").and_then(Value::as_str) == Some(kid))
            .ok_or_else(|| KeyError::Jws(format!("no key with kid {kid:?} in the JWK Set")))?,
        None => {
            let candidates: Vec<&Value> = keys.iter().filter(fits).collect();
            match candidates.as_slice() {
                [one] => *one,
                [] => return Err(KeyError::Jws(format!("the JWK Set has no key for {alg}"))),
                _ => {
                    return Err(KeyError::Jws(
                        "the JWS names no kid and the JWK Set has several keys that fit".into(),
                    ))
                }
            }
        }
    };
    if !fits(&key) {
        return Err(KeyError::Jws(format!(
            "the key {:?} is not a key for {alg}",
            read.kid().unwrap_or_default()
        )));
    }
    // jsonwebtoken reads only what it knows; drop members it would choke on (x5c is fine).
    let jwk: jsonwebtoken::jwk::Jwk =
        serde_json::from_value(key.clone()).map_err(|e| KeyError::Jws(format!("the JWK is not usable: {e}")))?;
    let decoding =
        jsonwebtoken::DecodingKey::from_jwk(&jwk).map_err(|e| KeyError::Jws(format!("the JWK is not usable: {e}")))?;
    let mut validation = jsonwebtoken::Validation::new(alg.jsonwebtoken());
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    jsonwebtoken::decode::<Value>(token.trim(), &decoding, &validation).map_err(|e| match e.kind() {
        jsonwebtoken::errors::ErrorKind::InvalidSignature => {
            KeyError::Jws("the signature does not verify with that key".into())
        }
        _ => KeyError::Jws(format!("the JWS does not verify: {e}")),
    })?;
    Ok(read)
}
