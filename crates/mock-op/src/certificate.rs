//! What a client certificate says, for certificate-based client authentication (RFC 8705 §2):
//! its subject DN, compared with a registered `tls_client_auth_subject_dn`, and its public key,
//! compared with the keys of a registered JWK Set.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::Value;
use x509_parser::certificate::X509Certificate;
use x509_parser::public_key::PublicKey;

/// One attribute of a distinguished name: its type (a short name such as `CN`, or a dotted
/// OID) and its value, both normalised for comparison.
type Attribute = (String, String);
/// A distinguished name as a list of RDNs, each a sorted list of attributes.
type Name = Vec<Vec<Attribute>>;

/// The subject of a DER certificate in RFC 4514 string form (`CN=app,O=Org,C=GB`: the last
/// RDN first), or `None` when the certificate does not parse.
pub(crate) fn subject_dn(der: &[u8]) -> Option<String> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let rdns = subject(&cert);
    Some(
        rdns.iter()
            .rev()
            .map(|rdn| {
                rdn.iter()
                    .map(|(kind, value)| format!("{kind}={}", escape(value)))
                    .collect::<Vec<_>>()
                    .join("+")
            })
            .collect::<Vec<_>>()
            .join(","),
    )
}

/// Whether `registered` (an RFC 4514 string) names the certificate's subject. Attribute types
/// may be short names, long names or OIDs, values compare case-insensitively with spaces
/// folded, and the RDNs may be written in RFC 4514 order (most specific first, as
/// `openssl x509 -subject -nameopt RFC2253` prints) or in the certificate's own order (as
/// `openssl x509 -subject` and many tools print).
pub(crate) fn subject_matches(der: &[u8], registered: &str) -> bool {
    let Ok((_, cert)) = x509_parser::parse_x509_certificate(der) else {
        return false;
    };
    let Some(mut wanted) = parse_dn(registered) else {
        return false;
    };
    let actual: Name = subject(&cert)
        .into_iter()
        .map(|rdn| {
            let mut rdn: Vec<Attribute> = rdn.into_iter().map(|(k, v)| (k, fold(&v))).collect();
            rdn.sort();
            rdn
        })
        .collect();
    if wanted == actual {
        return true;
    }
    wanted.reverse();
    wanted == actual
}

/// The subject's RDNs in certificate order, attribute types as short names or OIDs.
fn subject(cert: &X509Certificate<'_>) -> Vec<Vec<Attribute>> {
    cert.subject()
        .iter()
        .map(|rdn| {
            rdn.iter()
                .map(|attribute| {
                    let oid = attribute.attr_type().to_id_string();
                    let value = match attribute.as_str() {
                        Ok(text) => text.to_owned(),
                        // BMPString and the like: RFC 4514 §2.4's hex form.
                        Err(_) => format!(
                            "#{}",
                            attribute
                                .as_slice()
                                .iter()
                                .map(|b| format!("{b:02x}"))
                                .collect::<String>()
                        ),
                    };
                    (short_name(&oid), value)
                })
                .collect()
        })
        .collect()
}

/// RFC 4514 §3's short names, and the long names and OIDs they stand for.
const NAMES: &[(&str, &str, &str)] = &[
    ("CN", "commonname", "2.5.4.3"),
    ("L", "localityname", "2.5.4.7"),
    ("ST", "stateorprovincename", "2.5.4.8"),
    ("O", "organizationname", "2.5.4.10"),
    ("OU", "organizationalunitname", "2.5.4.11"),
    ("C", "countryname", "2.5.4.6"),
    ("STREET", "streetaddress", "2.5.4.9"),
    ("DC", "domaincomponent", "0.9.2342.19200300.100.1.25"),
    ("UID", "userid", "0.9.2342.19200300.100.1.1"),
    // Not in RFC 4514's table, but common in Open Banking certificates' DNs.
    ("2.5.4.97", "organizationidentifier", "2.5.4.97"),
    ("2.5.4.5", "serialnumber", "2.5.4.5"),
    ("1.2.840.113549.1.9.1", "emailaddress", "1.2.840.113549.1.9.1"),
];

fn short_name(oid: &str) -> String {
    NAMES
        .iter()
        .find(|(_, _, o)| *o == oid)
        .map_or_else(|| oid.to_owned(), |(short, _, _)| (*short).to_owned())
}

/// An attribute type as written in a DN string, as the short name (or OID) `subject` uses.
fn normalise_type(kind: &str) -> String {
    let kind = kind.trim();
    let bare = kind
        .strip_prefix("OID.")
        .or_else(|| kind.strip_prefix("oid."))
        .unwrap_or(kind);
    let lower = bare.to_ascii_lowercase();
    NAMES
        .iter()
        .find(|(short, long, oid)| short.eq_ignore_ascii_case(bare) || *long == lower || *oid == bare)
        .map_or_else(|| bare.to_owned(), |(short, _, _)| (*short).to_owned())
}

/// Values compare as directory strings usually do: case-insensitively, spaces folded.
fn fold(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        let edge = (i == 0 && (c == ' ' || c == '#')) || (i == last && c == ' ');
        if edge || matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// An RFC 4514 string (`,` or `;` between RDNs, `+` within one, `\` escapes) into a [`Name`]
/// in the order written; `None` if it is not one.
fn parse_dn(text: &str) -> Option<Name> {
    let mut rdns: Name = Vec::new();
    let mut rdn: Vec<Attribute> = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    let finish_attribute = |current: &mut String, rdn: &mut Vec<Attribute>| -> Option<()> {
        let (kind, value) = current.split_once('=')?;
        if kind.trim().is_empty() {
            return None;
        }
        rdn.push((normalise_type(kind), fold(&unescape(value.trim())?)));
        current.clear();
        Some(())
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                // Kept escaped: `unescape` resolves it once the value is cut out.
                current.push('\\');
                current.push(chars.next()?);
            }
            '+' => finish_attribute(&mut current, &mut rdn)?,
            ',' | ';' => {
                finish_attribute(&mut current, &mut rdn)?;
                rdn.sort();
                rdns.push(std::mem::take(&mut rdn));
            }
            c => current.push(c),
        }
    }
    finish_attribute(&mut current, &mut rdn)?;
    rdn.sort();
    rdns.push(rdn);
    Some(rdns)
}

/// Resolves RFC 4514 §2.4 escapes: `\,` and the like, and `\XX` hex pairs (UTF-8 bytes).
fn unescape(value: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0u8; 4];
            bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        let first = chars.next()?;
        match (first.to_digit(16), chars.peek().and_then(|c| c.to_digit(16))) {
            (Some(high), Some(low)) => {
                chars.next();
                bytes.push(u8::try_from(high * 16 + low).ok()?);
            }
            _ => {
                let mut buf = [0u8; 4];
                bytes.extend_from_slice(first.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    String::from_utf8(bytes).ok()
}

/// Whether `jwk` is the certificate's key (RFC 8705 §2.2, `self_signed_tls_client_auth`): its
/// `x5c` starts with this very certificate, or its key parameters (`n`/`e`, or `crv`/`x`/`y`)
/// are the certificate's public key.
pub(crate) fn key_matches_jwk(der: &[u8], jwk: &Value) -> bool {
    let first_x5c = jwk
        .get("x5c")
        .and_then(Value::as_array)
        .and_then(|chain| chain.first())
        .and_then(Value::as_str)
        .and_then(|b64| STANDARD.decode(b64).ok());
    if first_x5c.as_deref() == Some(der) {
        return true;
    }
    let Ok((_, cert)) = x509_parser::parse_x509_certificate(der) else {
        return false;
    };
    let Ok(key) = cert.public_key().parsed() else {
        return false;
    };
    let param = |name: &str| {
        jwk.get(name)
            .and_then(Value::as_str)
            .and_then(|b64| URL_SAFE_NO_PAD.decode(b64).ok())
    };
    let kty = jwk.get("kty").and_then(Value::as_str);
    match key {
        PublicKey::RSA(rsa) if kty == Some("RSA") => {
            let (Some(n), Some(e)) = (param("n"), param("e")) else {
                return false;
            };
            unsigned(&n) == unsigned(rsa.modulus) && unsigned(&e) == unsigned(rsa.exponent)
        }
        PublicKey::EC(point) if kty == Some("EC") => {
            let (Some(x), Some(y)) = (param("x"), param("y")) else {
                return false;
            };
            let mut uncompressed = vec![0x04];
            uncompressed.extend_from_slice(&x);
            uncompressed.extend_from_slice(&y);
            point.data() == uncompressed.as_slice()
        }
        _ => false,
    }
}

/// A big-endian integer without its leading zero bytes (DER adds one to keep it positive).
fn unsigned(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert(dn: &[(rcgen::DnType, &str)]) -> Vec<u8> {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
        params.distinguished_name = rcgen::DistinguishedName::new();
        for (kind, value) in dn {
            params.distinguished_name.push(kind.clone(), *value);
        }
        let key = rcgen::KeyPair::generate().expect("key");
        params.self_signed(&key).expect("certificate").der().to_vec()
    }

    #[test]
    fn subject_is_written_last_rdn_first_and_escaped() {
        let der = cert(&[
            (rcgen::DnType::CountryName, "GB"),
            (rcgen::DnType::OrganizationName, "Acme, Ltd"),
            (rcgen::DnType::CommonName, "tpp-app"),
        ]);
        assert_eq!(subject_dn(&der).as_deref(), Some(r"CN=tpp-app,O=Acme\, Ltd,C=GB"));
    }

    #[test]
    fn registered_dns_match_in_either_order_and_spelling() {
        let der = cert(&[
            (rcgen::DnType::CountryName, "GB"),
            (rcgen::DnType::OrganizationName, "Acme"),
            (rcgen::DnType::CommonName, "tpp-app"),
        ]);
        assert!(subject_matches(&der, "CN=tpp-app,O=Acme,C=GB"));
        assert!(subject_matches(&der, "cn=TPP-APP, o=acme, c=gb"));
        assert!(subject_matches(&der, "C=GB, O=Acme, CN=tpp-app"));
        assert!(subject_matches(&der, "commonName=tpp-app;2.5.4.10=Acme;countryName=GB"));
        assert!(!subject_matches(&der, "CN=other,O=Acme,C=GB"));
        assert!(!subject_matches(&der, "CN=tpp-app,O=Acme"));
        assert!(!subject_matches(&der, "not a dn"));
    }

    #[test]
    fn a_certificate_key_is_found_by_x5c_or_by_its_parameters() {
        let key = rcgen::KeyPair::generate().expect("key");
        let params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
        let der = params.self_signed(&key).expect("certificate").der().to_vec();
        let raw = key.public_key_raw();
        let (x, y) = raw[1..].split_at(32);
        let by_parameters = serde_json::json!({
            "kty": "EC", "crv": "P-256", "x": URL_SAFE_NO_PAD.encode(x), "y": URL_SAFE_NO_PAD.encode(y),
        });
        assert!(key_matches_jwk(&der, &by_parameters));
        let by_x5c = serde_json::json!({"kty": "EC", "x5c": [STANDARD.encode(&der)]});
        assert!(key_matches_jwk(&der, &by_x5c));

        let other = rcgen::KeyPair::generate().expect("key");
        let other_raw = other.public_key_raw();
        let (x, y) = other_raw[1..].split_at(32);
        let foreign = serde_json::json!({
            "kty": "EC", "crv": "P-256", "x": URL_SAFE_NO_PAD.encode(x), "y": URL_SAFE_NO_PAD.encode(y),
        });
        assert!(!key_matches_jwk(&der, &foreign));
        let wrong_type = serde_json::json!({"kty": "RSA", "n": by_parameters["x"], "e": "AQAB"});
        assert!(!key_matches_jwk(&der, &wrong_type));
    }
}
