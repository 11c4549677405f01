//! Client certificates (RFC 8705): a self-signed one for `self_signed_tls_client_auth`, a CSR
//! for a CA to sign (PKI-issued, for `tls_client_auth`), and any certificate read for what a
//! registration needs from it: the subject DN in RFC 4514 form, the SANs, validity, the
//! `x5t#S256` thumbprint, and whether it carries a given key.

use crate::{b64, KeyError, PrivateKey};
use sha2::{Digest as _, Sha256};
use x509_parser::prelude::*;

/// What a client certificate says, read from its DER.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInfo {
    /// The subject in RFC 4514 form (most specific RDN first), as `tls_client_auth_subject_dn` wants.
    pub subject_dn: String,
    /// The issuer in RFC 4514 form.
    pub issuer_dn: String,
    /// The serial number, hex with colons.
    pub serial: String,
    /// Start of validity, seconds since the Unix epoch.
    pub not_before: i64,
    /// End of validity, seconds since the Unix epoch.
    pub not_after: i64,
    /// DNS names among the SANs (`tls_client_auth_san_dns`).
    pub san_dns: Vec<String>,
    /// URIs among the SANs (`tls_client_auth_san_uri`).
    pub san_uri: Vec<String>,
    /// IP addresses among the SANs (`tls_client_auth_san_ip`).
    pub san_ip: Vec<String>,
    /// E-mail addresses among the SANs (`tls_client_auth_san_email`).
    pub san_email: Vec<String>,
    /// Whether subject and issuer are the same name (a self-signed certificate).
    pub self_issued: bool,
    /// base64url SHA-256 of the DER: the `x5t#S256` a certificate-bound token's `cnf` carries.
    pub x5t_s256: String,
    spki: Vec<u8>,
}

impl CertificateInfo {
    /// Reads one DER certificate.
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        let (_, cert) = X509Certificate::from_der(der)
            .map_err(|e| KeyError::Certificate(format!("not an X.509 certificate: {e}")))?;
        let mut info = Self {
            subject_dn: rfc4514(cert.subject()),
            issuer_dn: rfc4514(cert.issuer()),
            serial: cert.raw_serial_as_string(),
            not_before: cert.validity().not_before.timestamp(),
            not_after: cert.validity().not_after.timestamp(),
            san_dns: vec![],
            san_uri: vec![],
            san_ip: vec![],
            san_email: vec![],
            self_issued: cert.subject() == cert.issuer(),
            x5t_s256: b64(Sha256::digest(der)),
            spki: cert.public_key().raw.to_vec(),
        };
        if let Ok(Some(san)) = cert.subject_alternative_name() {
            for name in &san.value.general_names {
                match name {
                    GeneralName::DNSName(d) => info.san_dns.push(d.to_string()),
                    GeneralName::URI(u) => info.san_uri.push(u.to_string()),
                    GeneralName::RFC822Name(m) => info.san_email.push(m.to_string()),
                    GeneralName::IPAddress(bytes) => info.san_ip.push(ip_text(bytes)),
                    _ => {}
                }
            }
        }
        Ok(info)
    }

    /// Whether the certificate's public key is `key`'s public half.
    pub fn is_for(&self, key: &PrivateKey) -> bool {
        self.spki == key.public_spki_der()
    }
}

/// A certificate chain read from PEM: each certificate's DER, leaf first as given.
pub fn chain_from_pem(pem: &str) -> Result<Vec<Vec<u8>>, KeyError> {
    let mut chain = Vec::new();
    for block in Pem::iter_from_buffer(pem.as_bytes()) {
        let block = block.map_err(|e| KeyError::Certificate(format!("malformed PEM: {e}")))?;
        if block.label != "CERTIFICATE" {
            return Err(KeyError::Certificate(format!(
                "a PEM block of type {:?} where a certificate was expected",
                block.label
            )));
        }
        chain.push(block.contents);
    }
    if chain.is_empty() {
        return Err(KeyError::Certificate("no `-----BEGIN CERTIFICATE-----` block".into()));
    }
    Ok(chain)
}

/// DER certificates as PEM, one block each.
pub fn chain_to_pem(chain: &[Vec<u8>]) -> String {
    chain
        .iter()
        .map(|der| crate::pem_block("CERTIFICATE", der).to_string())
        .collect()
}

/// What a new certificate or CSR names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subject {
    /// The common name.
    pub common_name: String,
    /// The organisation (O), when given.
    pub organization: Option<String>,
    /// The organisational unit (OU); Open Banking puts the organisation id here.
    pub organizational_unit: Option<String>,
    /// The country (C), when given.
    pub country: Option<String>,
    /// DNS names for the SAN extension.
    pub dns_names: Vec<String>,
}

impl Subject {
    fn params(&self) -> Result<rcgen::CertificateParams, KeyError> {
        if self.common_name.trim().is_empty() {
            return Err(KeyError::Certificate("the subject needs a common name".into()));
        }
        let mut params = rcgen::CertificateParams::new(self.dns_names.clone())
            .map_err(|e| KeyError::Certificate(format!("a DNS name is not valid: {e}")))?;
        // rcgen starts with a placeholder common name; RDNs go in the order given here.
        params.distinguished_name = rcgen::DistinguishedName::new();
        let dn = &mut params.distinguished_name;
        if let Some(c) = &self.country {
            dn.push(rcgen::DnType::CountryName, c.as_str());
        }
        if let Some(o) = &self.organization {
            dn.push(rcgen::DnType::OrganizationName, o.as_str());
        }
        if let Some(ou) = &self.organizational_unit {
            dn.push(rcgen::DnType::OrganizationalUnitName, ou.as_str());
        }
        dn.push(rcgen::DnType::CommonName, self.common_name.as_str());
        Ok(params)
    }
}

/// A certificate for `key`, signed by itself, valid from an hour ago for `days` days (an hour's
/// slack for a provider's clock behind ours).
pub fn self_signed(key: &PrivateKey, subject: &Subject, days: u32) -> Result<Vec<u8>, KeyError> {
    let mut params = subject.params()?;
    let now = ::time::OffsetDateTime::now_utc();
    params.not_before = now - ::time::Duration::hours(1);
    params.not_after = now + ::time::Duration::days(i64::from(days.max(1)));
    params
        .extended_key_usages
        .push(rcgen::ExtendedKeyUsagePurpose::ClientAuth);
    let pair = key_pair(key)?;
    let cert = params
        .self_signed(&pair)
        .map_err(|e| KeyError::Certificate(format!("could not sign the certificate: {e}")))?;
    Ok(cert.der().to_vec())
}

/// A PKCS#10 certificate signing request for `key`, as PEM, for a CA to sign.
pub fn signing_request(key: &PrivateKey, subject: &Subject) -> Result<String, KeyError> {
    let params = subject.params()?;
    let pair = key_pair(key)?;
    let csr = params
        .serialize_request(&pair)
        .map_err(|e| KeyError::Certificate(format!("could not make the CSR: {e}")))?;
    csr.pem()
        .map_err(|e| KeyError::Certificate(format!("could not encode the CSR: {e}")))
}

fn key_pair(key: &PrivateKey) -> Result<rcgen::KeyPair, KeyError> {
    rcgen::KeyPair::try_from(key.pkcs8_der().as_slice())
        .map_err(|e| KeyError::Certificate(format!("the key cannot sign a certificate: {e}")))
}

/// RFC 4514 §2: RDNs from the last to the first, `type=value`, specials escaped.
fn rfc4514(name: &X509Name<'_>) -> String {
    let rdns: Vec<String> = name
        .iter()
        .map(|rdn| {
            rdn.iter()
                .map(|atv| {
                    let oid = atv.attr_type();
                    let key = oid_short_name(oid);
                    let value = atv.as_str().map(escape).unwrap_or_else(|_| {
                        // Not a string type: RFC 4514 §2.4's `#` and the hex of the BER value.
                        let hex: String = atv.attr_value().data.iter().map(|b| format!("{b:02x}")).collect();
                        format!("#{hex}")
                    });
                    format!("{key}={value}")
                })
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect();
    rdns.into_iter().rev().collect::<Vec<_>>().join(",")
}

fn oid_short_name(oid: &x509_parser::der_parser::oid::Oid<'_>) -> String {
    let known = [
        ("2.5.4.3", "CN"),
        ("2.5.4.6", "C"),
        ("2.5.4.7", "L"),
        ("2.5.4.8", "ST"),
        ("2.5.4.10", "O"),
        ("2.5.4.11", "OU"),
        ("2.5.4.9", "STREET"),
        ("0.9.2342.19200300.100.1.25", "DC"),
        ("0.9.2342.19200300.100.1.1", "UID"),
    ];
    let dotted = oid.to_id_string();
    known
        .iter()
        .find(|(o, _)| *o == dotted)
        .map(|(_, n)| (*n).to_string())
        .unwrap_or(dotted)
}

/// RFC 4514 §2.4 escaping.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';')
            || (i == 0 && (c == ' ' || c == '#'))
            || (i == last && c == ' ');
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn ip_text(bytes: &[u8]) -> String {
    match bytes.len() {
        4 => std::net::Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]).to_string(),
        16 => {
            let mut octets = [0u8; 16];
            octets.copy_from_slice(bytes);
            std::net::Ipv6Addr::from(octets).to_string()
        }
        _ => bytes.iter().map(|b| format!("{b:02x}")).collect(),
    }
}
