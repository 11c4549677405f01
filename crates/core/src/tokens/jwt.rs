//! Reading a compact JWS (RFC 7515 §7.1) without verifying it: the JOSE header, the claims
//! and whether a signature is there. Verification is [`super::id_token`]'s.
//!
//! Everything here takes hostile input: any string gives a [`DecodedJwt`] or a [`JwtError`],
//! never a panic, and a token longer than [`MAX_TOKEN_LEN`] is refused before it is decoded.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The longest token decoded, in bytes. Real tokens are a few kilobytes (tens with large
/// group claims); anything longer is refused rather than decoded.
pub const MAX_TOKEN_LEN: usize = 128 * 1024;

/// One of the three parts of a compact JWS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum JwtPart {
    /// The JOSE header (first part).
    Header,
    /// The payload: the claims of a JWT (second part).
    Payload,
    /// The signature (third part).
    Signature,
}

impl std::fmt::Display for JwtPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            JwtPart::Header => "header",
            JwtPart::Payload => "payload",
            JwtPart::Signature => "signature",
        })
    }
}

/// Why a string is not a decodable JWT.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    /// Empty.
    #[error("the token is empty")]
    Empty,
    /// Longer than [`MAX_TOKEN_LEN`].
    #[error("the token is {len} bytes long, more than the {max} bytes Registrar decodes")]
    TooLong {
        /// Its length in bytes.
        len: usize,
        /// [`MAX_TOKEN_LEN`].
        max: usize,
    },
    /// Not three dot-separated parts.
    #[error("a compact JWS has 3 dot-separated parts; this has {parts}")]
    NotThreeParts {
        /// How many parts it has.
        parts: usize,
    },
    /// A part that is not unpadded base64url.
    #[error("the {part} is not base64url (RFC 7515 §2: no padding, alphabet A-Z a-z 0-9 - _): {detail}")]
    BadBase64 {
        /// Which part.
        part: JwtPart,
        /// What the decoder said.
        detail: String,
    },
    /// The header or payload decodes but is not JSON.
    #[error("the {part} is not JSON: {detail}")]
    BadJson {
        /// Which part.
        part: JwtPart,
        /// What the parser said.
        detail: String,
    },
    /// The header or payload is JSON but not an object.
    #[error("the {part} is JSON but not an object (it is {found})")]
    NotAnObject {
        /// Which part.
        part: JwtPart,
        /// What it is instead: `an array`, `a string`...
        found: &'static str,
    },
}

/// A JOSE header: the fields a reader looks for first, and all of them as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct JoseHeader {
    /// `alg`, when it is a string.
    pub alg: Option<String>,
    /// `kid`, when it is a string.
    pub kid: Option<String>,
    /// `typ`, when it is a string.
    pub typ: Option<String>,
    /// Every header field, as sent.
    pub fields: Map<String, Value>,
}

impl JoseHeader {
    fn from_map(fields: Map<String, Value>) -> Self {
        let text = |name: &str| fields.get(name).and_then(Value::as_str).map(str::to_owned);
        JoseHeader {
            alg: text("alg"),
            kid: text("kid"),
            typ: text("typ"),
            fields,
        }
    }
}

/// A JWT read without verification: trust nothing in it until a check says so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct DecodedJwt {
    /// The JOSE header.
    pub header: JoseHeader,
    /// The claims: the payload, a JSON object.
    pub claims: Map<String, Value>,
    /// Whether the third part is non-empty (an unsecured JWT, `alg: none`, has none).
    pub signature_present: bool,
}

/// The three parts of a compact JWS, still encoded.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parts<'a> {
    /// `header '.' payload`: what the signature covers.
    pub signing_input: &'a str,
    pub signature: &'a str,
}

/// Splits a compact serialization into its parts, with the length limit.
pub(crate) fn split(token: &str) -> Result<(Parts<'_>, [&str; 3]), JwtError> {
    if token.is_empty() {
        return Err(JwtError::Empty);
    }
    if token.len() > MAX_TOKEN_LEN {
        return Err(JwtError::TooLong {
            len: token.len(),
            max: MAX_TOKEN_LEN,
        });
    }
    let parts = token.split('.').count();
    let mut it = token.split('.');
    match (it.next(), it.next(), it.next(), it.next()) {
        (Some(h), Some(p), Some(s), None) => {
            let signing_input = &token[..h.len() + 1 + p.len()];
            Ok((
                Parts {
                    signing_input,
                    signature: s,
                },
                [h, p, s],
            ))
        }
        _ => Err(JwtError::NotThreeParts { parts }),
    }
}

/// Decodes one base64url part.
pub(crate) fn b64(part: JwtPart, text: &str) -> Result<Vec<u8>, JwtError> {
    URL_SAFE_NO_PAD.decode(text).map_err(|e| JwtError::BadBase64 {
        part,
        detail: e.to_string(),
    })
}

/// Decodes one base64url part that must hold a JSON object.
pub(crate) fn json_object(part: JwtPart, text: &str) -> Result<Map<String, Value>, JwtError> {
    let bytes = b64(part, text)?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| JwtError::BadJson {
        part,
        detail: e.to_string(),
    })?;
    match value {
        Value::Object(map) => Ok(map),
        other => Err(JwtError::NotAnObject {
            part,
            found: json_kind(&other),
        }),
    }
}

/// "an array", "a string"...: what a JSON value is, in words.
pub(crate) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Decodes the JOSE header alone (the first part of a compact JWS or JWE).
pub fn decode_header(token: &str) -> Result<JoseHeader, JwtError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(JwtError::TooLong {
            len: token.len(),
            max: MAX_TOKEN_LEN,
        });
    }
    let first = token.split('.').next().unwrap_or_default();
    if first.is_empty() {
        return Err(JwtError::Empty);
    }
    json_object(JwtPart::Header, first).map(JoseHeader::from_map)
}

/// Decodes a compact JWS whose payload is a JSON object (a JWT), without verifying anything.
pub fn decode(token: &str) -> Result<DecodedJwt, JwtError> {
    let (_, [header, payload, signature]) = split(token)?;
    let header = JoseHeader::from_map(json_object(JwtPart::Header, header)?);
    let claims = json_object(JwtPart::Payload, payload)?;
    // The signature is not interpreted here, but a part that is not base64url is not a JWS.
    b64(JwtPart::Signature, signature)?;
    Ok(DecodedJwt {
        header,
        claims,
        signature_present: !signature.is_empty(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// RFC 7515 Appendix A.1: the HS256 example, its header and claims with their CRLFs.
    const RFC7515_A1: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    /// RFC 7515 Appendix A.3: ES256 over the same claims.
    const RFC7515_A3: &str = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
    /// RFC 8037 Appendix A.4: an Ed25519 JWS whose payload is a sentence, not claims.
    const RFC8037_A4: &str = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

    fn seg(json: &str) -> String {
        URL_SAFE_NO_PAD.encode(json)
    }

    #[test]
    fn rfc7515_a1_decodes_header_and_claims() {
        let jwt = decode(RFC7515_A1).unwrap();
        assert_eq!(jwt.header.alg.as_deref(), Some("HS256"));
        assert_eq!(jwt.header.typ.as_deref(), Some("JWT"));
        assert_eq!(jwt.header.kid, None);
        assert_eq!(Value::Object(jwt.header.fields), json!({"typ": "JWT", "alg": "HS256"}));
        assert_eq!(
            Value::Object(jwt.claims),
            json!({"iss": "joe", "exp": 1300819380, "http://example.com/is_root": true})
        );
        assert!(jwt.signature_present);
    }

    #[test]
    fn rfc7515_a3_decodes() {
        let jwt = decode(RFC7515_A3).unwrap();
        assert_eq!(jwt.header.alg.as_deref(), Some("ES256"));
        assert_eq!(jwt.claims["iss"], "joe");
    }

    #[test]
    fn a_jws_whose_payload_is_not_claims_is_not_a_jwt() {
        let err = decode(RFC8037_A4).unwrap_err();
        assert!(
            matches!(
                err,
                JwtError::BadJson {
                    part: JwtPart::Payload,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(decode_header(RFC8037_A4).unwrap().alg.as_deref(), Some("EdDSA"));
    }

    #[test]
    fn an_unsecured_jwt_has_no_signature() {
        let token = format!("{}.{}.", seg(r#"{"alg":"none"}"#), seg(r#"{"sub":"a"}"#));
        let jwt = decode(&token).unwrap();
        assert!(!jwt.signature_present);
        assert_eq!(jwt.header.alg.as_deref(), Some("none"));
    }

    #[test]
    fn header_fields_that_are_not_strings_are_kept_but_not_named() {
        let token = format!("{}.{}.c2ln", seg(r#"{"alg":5,"kid":["x"],"crit":["exp"]}"#), seg("{}"));
        let jwt = decode(&token).unwrap();
        assert_eq!(jwt.header.alg, None);
        assert_eq!(jwt.header.kid, None);
        assert_eq!(jwt.header.fields["crit"], json!(["exp"]));
    }

    #[test]
    fn each_kind_of_bad_input_has_its_error() {
        assert_eq!(decode(""), Err(JwtError::Empty));
        assert_eq!(
            decode("2YotnFZFEjr1zCsicMWpAA"),
            Err(JwtError::NotThreeParts { parts: 1 })
        );
        assert_eq!(decode("a.b.c.d.e"), Err(JwtError::NotThreeParts { parts: 5 }));
        assert!(matches!(
            decode("e30=.e30.c2ln"),
            Err(JwtError::BadBase64 {
                part: JwtPart::Header,
                ..
            })
        ));
        assert!(matches!(
            decode("e30.e3*.c2ln"),
            Err(JwtError::BadBase64 {
                part: JwtPart::Payload,
                ..
            })
        ));
        assert!(matches!(
            decode("e30.e30.c2l+"),
            Err(JwtError::BadBase64 {
                part: JwtPart::Signature,
                ..
            })
        ));
        assert!(matches!(
            decode(&format!("{}.e30.c2ln", seg("{"))),
            Err(JwtError::BadJson {
                part: JwtPart::Header,
                ..
            })
        ));
        assert_eq!(
            decode(&format!("e30.{}.c2ln", seg("[1,2]"))),
            Err(JwtError::NotAnObject {
                part: JwtPart::Payload,
                found: "an array"
            })
        );
        assert_eq!(
            decode(&format!("{}.e30.c2ln", seg("\"alg\""))),
            Err(JwtError::NotAnObject {
                part: JwtPart::Header,
                found: "a string"
            })
        );
        // Invalid UTF-8 in the payload.
        let bytes = URL_SAFE_NO_PAD.encode([0xff, 0xfe, 0x7b]);
        assert!(matches!(
            decode(&format!("e30.{bytes}.c2ln")),
            Err(JwtError::BadJson {
                part: JwtPart::Payload,
                ..
            })
        ));
    }

    #[test]
    fn hostile_input_is_refused_without_panicking() {
        let huge = "A".repeat(MAX_TOKEN_LEN + 1);
        assert!(matches!(decode(&huge), Err(JwtError::TooLong { .. })));
        assert!(matches!(decode_header(&huge), Err(JwtError::TooLong { .. })));
        let huge_segment = format!("e30.{}.c2ln", "e".repeat(MAX_TOKEN_LEN - 20));
        assert!(decode(&huge_segment).is_err());
        // Deep nesting: serde_json's recursion limit, an error rather than a stack overflow.
        let deep = seg(&format!("{{\"a\":{}{}}}", "[".repeat(10_000), "]".repeat(10_000)));
        assert!(matches!(
            decode(&format!("e30.{deep}.c2ln")),
            Err(JwtError::BadJson { .. })
        ));
        for garbage in [
            ".",
            "..",
            "...",
            "é.è.ü",
            "\0.\0.\0",
            "eyJ",
            "eyJ.eyJ.eyJ",
            " e30.e30.c2ln",
        ] {
            let _ = decode(garbage);
            let _ = decode_header(garbage);
        }
    }
}
