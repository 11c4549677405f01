//! Public keys as JWKs (RFC 7517, RFC 7518 §6, RFC 8037 §2) and their RFC 7638 thumbprints,
//! which Registrar uses as `kid`: the same key always gets the same id, on any machine.

use crate::{b64, unb64, Alg, KeyError};
use serde_json::{json, Map, Value};
use sha2::{Digest as _, Sha256};

/// The public half of a key as a JWK: its type's required members, `kid`, `alg`, `use: sig`
/// and, once a certificate is attached, `x5c`.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicJwk {
    /// The required members only (`kty`, `crv`, `x`, `y`, `n`, `e`), in thumbprint order.
    pub(crate) members: Map<String, Value>,
    kid: String,
    alg: Alg,
    x5c: Vec<String>,
}

impl PublicJwk {
    pub(crate) fn new(members: Map<String, Value>, alg: Alg) -> Self {
        let kid = thumbprint_of(&members);
        Self {
            members,
            kid,
            alg,
            x5c: Vec::new(),
        }
    }

    /// Reads a public JWK (private members, if any, are ignored and never kept).
    pub fn from_value(jwk: &Value) -> Result<Self, KeyError> {
        let text = |name: &str| -> Result<String, KeyError> {
            let v = jwk
                .get(name)
                .and_then(Value::as_str)
                .ok_or_else(|| KeyError::Jwk(format!("`{name}` is missing")))?;
            unb64(name, v)?;
            Ok(v.trim_end_matches('=').to_string())
        };
        let members = match jwk.get("kty").and_then(Value::as_str) {
            Some("EC") => {
                let crv = jwk.get("crv").and_then(Value::as_str).unwrap_or_default();
                if crv != "P-256" {
                    return Err(KeyError::Jwk(format!("EC curve {crv:?} is not supported (P-256 is)")));
                }
                ordered(&[
                    ("crv", crv.into()),
                    ("kty", "EC".into()),
                    ("x", text("x")?),
                    ("y", text("y")?),
                ])
            }
            Some("RSA") => ordered(&[("e", text("e")?), ("kty", "RSA".into()), ("n", text("n")?)]),
            Some("OKP") => {
                let crv = jwk.get("crv").and_then(Value::as_str).unwrap_or_default();
                if crv != "Ed25519" {
                    return Err(KeyError::Jwk(format!(
                        "OKP curve {crv:?} is not supported (Ed25519 is)"
                    )));
                }
                ordered(&[("crv", crv.into()), ("kty", "OKP".into()), ("x", text("x")?)])
            }
            other => return Err(KeyError::Jwk(format!("`kty` {other:?} is not EC, RSA or OKP"))),
        };
        let default_alg = match jwk.get("kty").and_then(Value::as_str) {
            Some("EC") => Alg::ES256,
            Some("RSA") => Alg::PS256,
            _ => Alg::EdDSA,
        };
        let alg = match jwk.get("alg").and_then(Value::as_str) {
            Some(a) => a.parse()?,
            None => default_alg,
        };
        let mut key = Self::new(members, alg);
        if let Some(kid) = jwk.get("kid").and_then(Value::as_str) {
            key.kid = kid.to_string();
        }
        if let Some(chain) = jwk.get("x5c").and_then(Value::as_array) {
            key.x5c = chain.iter().filter_map(Value::as_str).map(str::to_string).collect();
        }
        Ok(key)
    }

    /// The key id: the RFC 7638 thumbprint unless the JWK came with its own.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The algorithm it is published for.
    pub fn alg(&self) -> Alg {
        self.alg
    }

    /// The RFC 7638 SHA-256 thumbprint, whatever the `kid`.
    pub fn thumbprint(&self) -> String {
        thumbprint_of(&self.members)
    }

    /// Attaches a certificate chain (leaf first, DER) as `x5c`, as `self_signed_tls_client_auth`
    /// asks for (RFC 8705 §2.2).
    pub fn with_x5c(mut self, chain_der: &[Vec<u8>]) -> Self {
        use base64::Engine as _;
        self.x5c = chain_der
            .iter()
            .map(|der| base64::engine::general_purpose::STANDARD.encode(der))
            .collect();
        self
    }

    /// The JWK as JSON: members, then `kid`, `alg`, `use` and `x5c`.
    pub fn to_value(&self) -> Value {
        let mut map = self.members.clone();
        map.insert("kid".into(), self.kid.clone().into());
        map.insert("alg".into(), self.alg.as_str().into());
        map.insert("use".into(), "sig".into());
        if !self.x5c.is_empty() {
            map.insert("x5c".into(), json!(self.x5c));
        }
        Value::Object(map)
    }
}

/// A JWK Set (`{"keys": […]}`) of these keys, in order.
pub fn set(keys: &[PublicJwk]) -> Value {
    json!({ "keys": keys.iter().map(PublicJwk::to_value).collect::<Vec<_>>() })
}

pub(crate) fn ec_members(x: &[u8], y: &[u8]) -> Map<String, Value> {
    ordered(&[
        ("crv", "P-256".into()),
        ("kty", "EC".into()),
        ("x", b64(x)),
        ("y", b64(y)),
    ])
}

pub(crate) fn rsa_members(n: &[u8], e: &[u8]) -> Map<String, Value> {
    ordered(&[("e", b64(e)), ("kty", "RSA".into()), ("n", b64(n))])
}

pub(crate) fn okp_members(x: &[u8]) -> Map<String, Value> {
    ordered(&[("crv", "Ed25519".into()), ("kty", "OKP".into()), ("x", b64(x))])
}

fn ordered(pairs: &[(&str, String)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), Value::String(v.clone())))
        .collect()
}

/// RFC 7638 §3: SHA-256 over the required members, lexicographically ordered, no whitespace.
/// `members` is built in that order, and serde_json keeps insertion order here.
fn thumbprint_of(members: &Map<String, Value>) -> String {
    let mut sorted: Vec<(&String, &Value)> = members.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let canonical = format!(
        "{{{}}}",
        sorted
            .iter()
            .map(|(k, v)| format!("{}:{}", Value::String((*k).clone()), v))
            .collect::<Vec<_>>()
            .join(",")
    );
    b64(Sha256::digest(canonical.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7638 §3.1's example RSA key and its thumbprint.
    #[test]
    fn the_rfc_7638_example_thumbprint() {
        let jwk = json!({
            "kty": "RSA",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            "e": "AQAB",
            "alg": "RS256",
            "kid": "2011-04-29"
        });
        let key = PublicJwk::from_value(&jwk).unwrap();
        assert_eq!(key.thumbprint(), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
        assert_eq!(key.kid(), "2011-04-29", "a JWK's own kid is kept");
    }

    /// RFC 8037 Appendix A.3's Ed25519 thumbprint.
    #[test]
    fn the_rfc_8037_ed25519_thumbprint() {
        let jwk = json!({"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"});
        let key = PublicJwk::from_value(&jwk).unwrap();
        assert_eq!(key.thumbprint(), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
        assert_eq!(key.kid(), key.thumbprint(), "no kid given: the thumbprint is the kid");
        assert_eq!(key.alg(), Alg::EdDSA);
    }

    #[test]
    fn unsupported_curves_and_types_are_named() {
        let e = PublicJwk::from_value(&json!({"kty":"EC","crv":"P-521","x":"AA","y":"AA"})).unwrap_err();
        assert!(e.to_string().contains("P-521"), "{e}");
        let e = PublicJwk::from_value(&json!({"kty":"oct","k":"AA"})).unwrap_err();
        assert!(e.to_string().contains("oct"), "{e}");
        let e = PublicJwk::from_value(&json!({"kty":"RSA","e":"AQAB"})).unwrap_err();
        assert!(e.to_string().contains("`n` is missing"), "{e}");
    }
}
