//! Client certificates (RFC 8705), each belonging to a key in custody: self-signed for
//! `self_signed_tls_client_auth`, or issued by a CA from a CSR for `tls_client_auth` and
//! imported. The registration fields a certificate fills come from here.

use super::keys::KeyRecord;
use crate::error::{Error, Result};
use crate::ops::Registrar;
use registrar_keys::cert::{self, CertificateInfo, Subject};
use registrar_keys::jwk::PublicJwk;
use serde::{Deserialize, Serialize};

/// A certificate as the user sees it, read from the PEM kept with its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct CertificateRecord {
    /// The chain, leaf first, as PEM (public).
    pub pem: String,
    /// The leaf's subject in RFC 4514 form: `tls_client_auth_subject_dn`.
    pub subject_dn: String,
    /// The leaf's issuer in RFC 4514 form.
    pub issuer_dn: String,
    /// The serial number, hex.
    pub serial: String,
    /// Start of validity (seconds since the epoch).
    pub not_before: i64,
    /// End of validity (seconds since the epoch).
    pub not_after: i64,
    /// SAN DNS names.
    pub san_dns: Vec<String>,
    /// SAN URIs.
    pub san_uri: Vec<String>,
    /// SAN IP addresses.
    pub san_ip: Vec<String>,
    /// SAN e-mail addresses.
    pub san_email: Vec<String>,
    /// Whether it is self-signed (subject = issuer).
    pub self_signed: bool,
    /// base64url SHA-256 of the leaf: what a bound token's `cnf.x5t#S256` must be.
    pub x5t_s256: String,
}

impl CertificateRecord {
    pub(crate) fn from_pem(pem: &str) -> Result<Self> {
        let chain = cert::chain_from_pem(pem)?;
        Ok(Self::from_info(pem, &CertificateInfo::from_der(&chain[0])?))
    }

    fn from_info(pem: &str, info: &CertificateInfo) -> Self {
        Self {
            pem: pem.to_string(),
            subject_dn: info.subject_dn.clone(),
            issuer_dn: info.issuer_dn.clone(),
            serial: info.serial.clone(),
            not_before: info.not_before,
            not_after: info.not_after,
            san_dns: info.san_dns.clone(),
            san_uri: info.san_uri.clone(),
            san_ip: info.san_ip.clone(),
            san_email: info.san_email.clone(),
            self_signed: info.self_issued,
            x5t_s256: info.x5t_s256.clone(),
        }
    }

    /// The registration fields this certificate fills for `method` (RFC 8705 §2.1.2):
    /// `tls_client_auth_subject_dn` for a PKI certificate; nothing for a self-signed one,
    /// whose key travels in `jwks` with `x5c`.
    pub fn registration_fields(&self, method: &str) -> serde_json::Map<String, serde_json::Value> {
        let mut fields = serde_json::Map::new();
        if method == "tls_client_auth" {
            fields.insert("tls_client_auth_subject_dn".into(), self.subject_dn.clone().into());
        }
        fields
    }
}

/// What a new certificate or CSR names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub struct CertificateSubject {
    /// The common name (required).
    pub common_name: String,
    /// O.
    pub organization: Option<String>,
    /// OU (Open Banking: the organisation id).
    pub organizational_unit: Option<String>,
    /// C.
    pub country: Option<String>,
    /// DNS names for the SAN extension.
    pub dns_names: Vec<String>,
}

impl CertificateSubject {
    /// The subject of `certificate`, read back from its RFC 4514 form and its SAN DNS names,
    /// to make another certificate like it (a rotation's). Attributes other than CN, O, OU
    /// and C are not carried over.
    pub(crate) fn like(certificate: &CertificateRecord) -> Self {
        let mut subject = Self {
            dns_names: certificate.san_dns.clone(),
            ..Self::default()
        };
        for (attribute, value) in rdns(&certificate.subject_dn) {
            match attribute.to_ascii_uppercase().as_str() {
                "CN" | "2.5.4.3" => subject.common_name = value,
                "O" | "2.5.4.10" => subject.organization = Some(value),
                "OU" | "2.5.4.11" => subject.organizational_unit = Some(value),
                "C" | "2.5.4.6" => subject.country = Some(value),
                _ => {}
            }
        }
        subject
    }

    fn subject(&self) -> Subject {
        Subject {
            common_name: self.common_name.clone(),
            organization: self.organization.clone().filter(|s| !s.is_empty()),
            organizational_unit: self.organizational_unit.clone().filter(|s| !s.is_empty()),
            country: self.country.clone().filter(|s| !s.is_empty()),
            dns_names: self.dns_names.clone(),
        }
    }
}

/// The `type=value` pairs of an RFC 4514 name, escapes (`\,`, `\+`, `\XX`) undone.
fn rdns(dn: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut current = String::new();
    let mut chars = dn.chars().peekable();
    let mut escaped_bytes: Vec<u8> = Vec::new();
    let flush_bytes = |bytes: &mut Vec<u8>, into: &mut String| {
        if !bytes.is_empty() {
            into.push_str(&String::from_utf8_lossy(bytes));
            bytes.clear();
        }
    };
    let mut finish = |text: &mut String| {
        if let Some((k, v)) = text.split_once('=') {
            pairs.push((k.trim().to_string(), v.to_string()));
        }
        text.clear();
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let hex: String = chars.clone().take(2).collect();
                if hex.len() == 2 && hex.chars().all(|h| h.is_ascii_hexdigit()) {
                    escaped_bytes.push(u8::from_str_radix(&hex, 16).unwrap_or(b'?'));
                    chars.next();
                    chars.next();
                } else if let Some(next) = chars.next() {
                    flush_bytes(&mut escaped_bytes, &mut current);
                    current.push(next);
                }
            }
            ',' | '+' => {
                flush_bytes(&mut escaped_bytes, &mut current);
                finish(&mut current);
            }
            other => {
                flush_bytes(&mut escaped_bytes, &mut current);
                current.push(other);
            }
        }
    }
    flush_bytes(&mut escaped_bytes, &mut current);
    finish(&mut current);
    pairs
}

impl Registrar {
    /// Makes a self-signed certificate for key `kid`, valid for `days`, and keeps it with
    /// the key; the key's JWK gains `x5c` (for `self_signed_tls_client_auth`).
    pub fn self_signed_certificate(
        &self,
        profile: &str,
        kid: &str,
        subject: &CertificateSubject,
        days: u32,
    ) -> Result<KeyRecord> {
        let record = self.key(profile, kid)?;
        let key = self.private_key(&record.profile_id, kid)?;
        let der = cert::self_signed(&key, &subject.subject(), days)?;
        self.keep_certificate(profile, &record, &cert::chain_to_pem(&[der]))
    }

    /// A PKCS#10 CSR for key `kid`, for a CA to sign; import its answer with
    /// [`Registrar::import_certificate`].
    pub fn certificate_request(&self, profile: &str, kid: &str, subject: &CertificateSubject) -> Result<String> {
        let record = self.key(profile, kid)?;
        let key = self.private_key(&record.profile_id, kid)?;
        Ok(cert::signing_request(&key, &subject.subject())?)
    }

    /// Imports a certificate chain (PEM, leaf first) for the key it was issued to: the one
    /// named, or the profile's key whose public half the leaf carries.
    pub fn import_certificate(&self, profile: &str, chain_pem: &str, kid: Option<&str>) -> Result<KeyRecord> {
        let chain = cert::chain_from_pem(chain_pem)?;
        let leaf = CertificateInfo::from_der(&chain[0])?;
        let candidates = match kid {
            Some(kid) => vec![self.key(profile, kid)?],
            None => self.keys(profile, None)?,
        };
        for record in &candidates {
            let key = self.private_key(&record.profile_id, &record.kid)?;
            if leaf.is_for(&key) {
                return self.keep_certificate(profile, record, &cert::chain_to_pem(&chain));
            }
        }
        Err(Error::field(
            "certificate",
            match kid {
                Some(kid) => format!(
                    "the certificate for {} is not for key {kid}: its public key is another",
                    leaf.subject_dn
                ),
                None => format!(
                    "the certificate for {} is for none of the profile's {} keys; import its private key first",
                    leaf.subject_dn,
                    candidates.len()
                ),
            },
        ))
    }

    fn keep_certificate(&self, profile: &str, record: &KeyRecord, chain_pem: &str) -> Result<KeyRecord> {
        let chain = cert::chain_from_pem(chain_pem)?;
        let info = CertificateInfo::from_der(&chain[0])?;
        let jwk = PublicJwk::from_value(&record.public_jwk)?.with_x5c(&chain);
        self.store.set_key_certificate(
            &record.profile_id,
            &record.kid,
            chain_pem,
            info.not_after,
            &jwk.to_value().to_string(),
        )?;
        self.key(profile, &record.kid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subject_reads_back_from_its_rfc4514_form() {
        let record = CertificateRecord {
            pem: String::new(),
            subject_dn: r"CN=client\, one+UID=7,OU=0015800001041RHAAY,O=Caf\C3\A9 \+ Co,C=GB".into(),
            issuer_dn: String::new(),
            serial: String::new(),
            not_before: 0,
            not_after: 0,
            san_dns: vec!["client.example.org".into()],
            san_uri: vec![],
            san_ip: vec![],
            san_email: vec![],
            self_signed: true,
            x5t_s256: String::new(),
        };
        let subject = CertificateSubject::like(&record);
        assert_eq!(subject.common_name, "client, one");
        assert_eq!(subject.organizational_unit.as_deref(), Some("0015800001041RHAAY"));
        assert_eq!(subject.organization.as_deref(), Some("Café + Co"));
        assert_eq!(subject.country.as_deref(), Some("GB"));
        assert_eq!(subject.dns_names, vec!["client.example.org".to_string()]);
    }
}
