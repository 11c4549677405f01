//! HTTPS for the mock: server configurations from a certificate and key, a localhost
//! certificate signed by a CA made on the spot, and the client-certificate side of mutual TLS
//! (RFC 8705) that the openbanking dialect needs.
//!
//! Client certificates are *requested* but not required, and any well-formed one is accepted,
//! self-signed included: Open Banking clients authenticate with certificates no public CA
//! issued (`self_signed_tls_client_auth`), and a provider that dropped the handshake would
//! leave the client with nothing to read. The handshake signature is still verified, so a
//! connection's certificate is one the client holds the key of; whether that certificate is
//! the *right* one is the dialect's question, answered per request with a clear OAuth error.

use std::io;
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use sha2::{Digest, Sha256};
use tokio_rustls::rustls::client::danger::HandshakeSignatureValid;
use tokio_rustls::rustls::crypto::{self, WebPkiSupportedAlgorithms};
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, UnixTime};
use tokio_rustls::rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use tokio_rustls::rustls::{self, DigitallySignedStruct, DistinguishedName, ServerConfig, SignatureScheme};

/// The DER of the leaf certificate a client presented on this connection (mutual TLS). Put in
/// every request's extensions by the accept loop when there is one.
#[derive(Clone, Debug)]
pub(crate) struct PeerCertificate(pub(crate) Arc<Vec<u8>>);

impl PeerCertificate {
    pub(crate) fn der(&self) -> &[u8] {
        &self.0
    }

    /// RFC 8705 §3.1 `x5t#S256`: the base64url SHA-256 of the certificate's DER.
    pub(crate) fn thumbprint(&self) -> String {
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        use base64::Engine;
        URL_SAFE_NO_PAD.encode(Sha256::digest(self.der()))
    }
}

/// Accepts any well-formed client certificate, without naming CAs in the request.
#[derive(Debug)]
struct AnyClientCertificate {
    algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for AnyClientCertificate {
    fn offer_client_auth(&self) -> bool {
        true
    }

    /// Not mandatory: a request without a certificate gets an OAuth error the client can
    /// read, rather than a failed handshake it cannot.
    fn client_auth_mandatory(&self) -> bool {
        false
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        match x509_parser::parse_x509_certificate(end_entity.as_ref()) {
            Ok(([], _)) => Ok(ClientCertVerified::assertion()),
            _ => Err(rustls::Error::InvalidCertificate(rustls::CertificateError::BadEncoding)),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// A server configuration (ring, TLS 1.2 and 1.3, HTTP/1.1) for a PEM certificate chain (leaf
/// first) and its PEM private key. With `request_client_certificates`, clients are asked for
/// a certificate (mutual TLS) and any well-formed one is accepted; see the module notes.
pub fn server_config(
    cert_chain_pem: &str,
    key_pem: &str,
    request_client_certificates: bool,
) -> io::Result<Arc<ServerConfig>> {
    let invalid =
        |what: &str, e: &dyn std::fmt::Display| io::Error::new(io::ErrorKind::InvalidInput, format!("{what}: {e}"));
    let chain = CertificateDer::pem_slice_iter(cert_chain_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| invalid("the certificate PEM", &e))?;
    if chain.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "no certificate in the certificate PEM",
        ));
    }
    let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes()).map_err(|e| invalid("the private key PEM", &e))?;
    let provider = Arc::new(crypto::ring::default_provider());
    let builder = ServerConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid("TLS versions", &e))?;
    let builder = if request_client_certificates {
        builder.with_client_cert_verifier(Arc::new(AnyClientCertificate {
            algorithms: provider.signature_verification_algorithms,
        }))
    } else {
        builder.with_no_client_auth()
    };
    let mut config = builder
        .with_single_cert(chain, key)
        .map_err(|e| invalid("the certificate and key", &e))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// A certificate for `localhost` and `127.0.0.1` signed by a CA made for it, as the binary
/// uses when it is given none and tests use to trust the mock.
#[derive(Clone)]
pub struct LocalhostCertificate {
    /// The CA's certificate, PEM: what a client adds to its trusted roots.
    pub ca_pem: String,
    /// The server's certificate, PEM.
    pub cert_pem: String,
    /// The server certificate's private key, PKCS#8 PEM.
    pub key_pem: String,
}

impl LocalhostCertificate {
    /// A fresh CA ("Registrar mock CA") and a leaf for `localhost` / `127.0.0.1` (ECDSA P-256).
    pub fn generate() -> io::Result<Self> {
        let failed = |e: rcgen::Error| io::Error::other(format!("certificate generation failed: {e}"));
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(failed)?;
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "Registrar mock CA");
        let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().map_err(failed)?).map_err(failed)?;
        let leaf_key = KeyPair::generate().map_err(failed)?;
        let mut leaf_params =
            CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).map_err(failed)?;
        leaf_params.distinguished_name.push(DnType::CommonName, "localhost");
        let leaf = leaf_params.signed_by(&leaf_key, &ca).map_err(failed)?;
        Ok(LocalhostCertificate {
            ca_pem: ca.pem(),
            cert_pem: leaf.pem(),
            key_pem: leaf_key.serialize_pem(),
        })
    }

    /// The server configuration for this certificate (see [`server_config`]).
    pub fn server_config(&self, request_client_certificates: bool) -> io::Result<Arc<ServerConfig>> {
        server_config(&self.cert_pem, &self.key_pem, request_client_certificates)
    }

    /// The SHA-256 of the server certificate's DER, as colon-separated hex (what browsers and
    /// `openssl x509 -fingerprint -sha256` show).
    pub fn sha256_fingerprint(&self) -> String {
        let der = CertificateDer::from_pem_slice(self.cert_pem.as_bytes())
            .map(|der| Sha256::digest(der.as_ref()).to_vec())
            .unwrap_or_default();
        der.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
    }
}

impl std::fmt::Debug for LocalhostCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalhostCertificate")
            .field("sha256", &self.sha256_fingerprint())
            .finish_non_exhaustive()
    }
}
