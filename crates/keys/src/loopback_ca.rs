//! A certificate authority made on the spot for an HTTPS server on this machine's loopback
//! address (a Client ID Metadata Document served for local testing, whose URL must be
//! https). The CA's key lives in memory only and is gone when the server stops: a user who
//! trusts the CA trusts it for one run, and nobody can later mint certificates with it.
//! Its name constraints limit it to `localhost` and the loopback addresses, so even while
//! it lives it cannot vouch for any other name.

use crate::KeyError;
use rcgen::{
    BasicConstraints, CertificateParams, CidrSubnet, DistinguishedName, DnType, GeneralSubtree, IsCa, KeyPair,
    KeyUsagePurpose, NameConstraints, SanType,
};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A loopback server's TLS identity and the CA that signed it.
pub struct LoopbackIdentity {
    /// The CA certificate, PEM: what the client (or the user) trusts.
    pub ca_pem: String,
    /// The server certificate, DER (signed by the CA), for `localhost`, 127.0.0.1 and ::1.
    pub certificate_der: Vec<u8>,
    /// The server certificate's private key, PKCS#8 DER.
    pub key_der: zeroize::Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for LoopbackIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoopbackIdentity").finish_non_exhaustive()
    }
}

/// A fresh CA (named `common_name`) and a server certificate it signed, valid for a day.
pub fn loopback_identity(common_name: &str) -> Result<LoopbackIdentity, KeyError> {
    let failed = |what: &str, e: rcgen::Error| KeyError::Certificate(format!("could not make the {what}: {e}"));
    let now = ::time::OffsetDateTime::now_utc();
    let (not_before, not_after) = (now - ::time::Duration::hours(1), now + ::time::Duration::days(1));

    let mut ca = CertificateParams::default();
    ca.distinguished_name = DistinguishedName::new();
    ca.distinguished_name.push(DnType::CommonName, common_name);
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.name_constraints = Some(NameConstraints {
        permitted_subtrees: vec![
            GeneralSubtree::DnsName("localhost".into()),
            GeneralSubtree::IpAddress(CidrSubnet::V4([127, 0, 0, 0], [255, 0, 0, 0])),
            GeneralSubtree::IpAddress(CidrSubnet::V6(Ipv6Addr::LOCALHOST.octets(), [0xff; 16])),
        ],
        excluded_subtrees: Vec::new(),
    });
    ca.not_before = not_before;
    ca.not_after = not_after;
    let ca_key = KeyPair::generate().map_err(|e| failed("CA key", e))?;
    let ca_cert = ca.self_signed(&ca_key).map_err(|e| failed("CA certificate", e))?;
    let issuer = rcgen::Issuer::new(ca, ca_key);

    let mut leaf = CertificateParams::default();
    leaf.distinguished_name = DistinguishedName::new();
    leaf.distinguished_name.push(DnType::CommonName, "localhost");
    leaf.subject_alt_names = vec![
        SanType::DnsName("localhost".try_into().map_err(|e| failed("server name", e))?),
        SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)),
        SanType::IpAddress(IpAddr::V6(Ipv6Addr::LOCALHOST)),
    ];
    leaf.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    leaf.not_before = not_before;
    leaf.not_after = not_after;
    let leaf_key = KeyPair::generate().map_err(|e| failed("server key", e))?;
    let leaf_cert = leaf
        .signed_by(&leaf_key, &issuer)
        .map_err(|e| failed("server certificate", e))?;
    Ok(LoopbackIdentity {
        ca_pem: ca_cert.pem(),
        certificate_der: leaf_cert.der().to_vec(),
        key_der: zeroize::Zeroizing::new(leaf_key.serialize_der()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ca_is_constrained_to_loopback_and_signs_the_server_certificate() {
        let id = loopback_identity("Registrar test CA").unwrap();
        let ca_der = crate::cert::chain_from_pem(&id.ca_pem).unwrap().remove(0);
        let (_, ca) = x509_parser::parse_x509_certificate(&ca_der).unwrap();
        assert!(ca.is_ca());
        let constraints = ca.name_constraints().unwrap().expect("name constraints").value;
        assert_eq!(constraints.permitted_subtrees.as_ref().map(Vec::len), Some(3));
        let (_, leaf) = x509_parser::parse_x509_certificate(&id.certificate_der).unwrap();
        assert_eq!(leaf.issuer(), ca.subject());
        let sans = leaf.subject_alternative_name().unwrap().unwrap().value;
        assert_eq!(sans.general_names.len(), 3);
        assert!(!id.key_der.is_empty());
    }
}
