//! Which server certificates a transport trusts: what the operating system trusts, plus the
//! profile's own CA when it names one — with the system's store read only when it is needed.
//!
//! On Linux the platform verifier reads every certificate under `/etc/ssl/certs` (the bundle
//! and each file of the directory) when it is made: about 4 ms of a 40 ms command
//! (docs/benchmarks.md), spent even when the provider's certificate comes from the profile's
//! own CA, as an Open Banking sandbox's or a private deployment's does. So:
//!
//! - a profile with its own CA checks the chain against that CA alone first; only a chain it
//!   does not accept goes to the platform verifier (the system's store and the CA), read then;
//! - without one, the system's store is read once per process, started on a thread of its
//!   own when the transport is made, so it overlaps the keychain and database work before
//!   the first request.
//!
//! A chain is accepted exactly when one verifier holding both sets of roots would accept it:
//! a path ends at one anchor, which is either the CA or one of the system's.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use std::sync::{Arc, OnceLock};

/// Makes the verifier of last resort (the system's store, with the profile's CA if any).
type Fallback = dyn Fn() -> Result<Arc<dyn ServerCertVerifier>, rustls::Error> + Send + Sync;

/// The server certificate verifier of one transport.
pub(crate) struct Trust {
    /// The profile's CA alone, tried first when there is one.
    own: Option<Arc<WebPkiServerVerifier>>,
    /// The platform verifier, made on first use (reading the system's store then).
    platform: OnceLock<Result<Arc<dyn ServerCertVerifier>, rustls::Error>>,
    make_platform: Box<Fallback>,
    provider: Arc<CryptoProvider>,
}

impl std::fmt::Debug for Trust {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Trust(own CA: {}, system store)", self.own.is_some())
    }
}

impl Trust {
    /// Trusts the system's store and `extra` (the profile's CA certificates, parsed).
    pub(crate) fn new(
        extra: Vec<CertificateDer<'static>>,
        provider: Arc<CryptoProvider>,
    ) -> Result<Self, rustls::Error> {
        if extra.is_empty() {
            warm_system_store(provider.clone());
            let p = provider.clone();
            return Ok(Self::with_fallback(None, provider, Box::new(move || system_store(&p))));
        }
        let mut roots = rustls::RootCertStore::empty();
        for cert in &extra {
            roots.add(cert.clone())?;
        }
        let own = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
            .build()
            .map_err(|e| rustls::Error::General(e.to_string()))?;
        let p = provider.clone();
        let make = move || {
            rustls_platform_verifier::Verifier::new_with_extra_roots(extra.clone(), p.clone())
                .map(|v| Arc::new(v) as Arc<dyn ServerCertVerifier>)
        };
        Ok(Self::with_fallback(Some(own), provider, Box::new(make)))
    }

    fn with_fallback(
        own: Option<Arc<WebPkiServerVerifier>>,
        provider: Arc<CryptoProvider>,
        make: Box<Fallback>,
    ) -> Self {
        Self {
            own,
            platform: OnceLock::new(),
            make_platform: make,
            provider,
        }
    }

    fn platform(&self) -> Result<&Arc<dyn ServerCertVerifier>, rustls::Error> {
        self.platform
            .get_or_init(|| (self.make_platform)())
            .as_ref()
            .map_err(|e| rustls::Error::General(format!("cannot use the system's certificate store: {e}")))
    }
}

impl ServerCertVerifier for Trust {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let own_error = match &self.own {
            Some(own) => match own.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
                Ok(verified) => return Ok(verified),
                Err(e) => Some(e),
            },
            None => None,
        };
        match self
            .platform()
            .and_then(|p| p.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now))
        {
            Ok(verified) => Ok(verified),
            // The CA's verdict says more than "unknown issuer" when the chain did end at
            // the CA (a wrong host name, an expired certificate).
            Err(platform_error) => match own_error {
                Some(e) if !is_unknown_issuer(&e) => Err(e),
                _ => Err(platform_error),
            },
        }
    }

    // Signatures over the handshake do not depend on the roots: checked as rustls's own
    // verifiers check them, without reading the system's store.
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

fn is_unknown_issuer(e: &rustls::Error) -> bool {
    matches!(e, rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer))
}

/// The platform verifier over the system's store alone: one per process, shared by every
/// transport without a CA of its own (the store is read once).
static SYSTEM: OnceLock<Result<Arc<dyn ServerCertVerifier>, rustls::Error>> = OnceLock::new();

fn system_store(provider: &Arc<CryptoProvider>) -> Result<Arc<dyn ServerCertVerifier>, rustls::Error> {
    SYSTEM
        .get_or_init(|| {
            rustls_platform_verifier::Verifier::new(provider.clone())
                .map(|v| Arc::new(v) as Arc<dyn ServerCertVerifier>)
        })
        .clone()
}

/// Starts reading the system's store on a thread of its own, once per process; a handshake
/// that needs it before it is read waits for it.
fn warm_system_store(provider: Arc<CryptoProvider>) {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        // Without a thread (none left to make), the first handshake reads it.
        let _ = std::thread::Builder::new()
            .name("system-roots".into())
            .spawn(move || drop(system_store(&provider)));
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    struct Pki {
        ca: CertificateDer<'static>,
        leaf: CertificateDer<'static>,
    }

    /// A CA (named `ca`) and a certificate for `host` it issued.
    fn pki(ca: &str, host: &str) -> Pki {
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.distinguished_name.push(rcgen::DnType::CommonName, ca);
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        let ca = rcgen::CertifiedIssuer::self_signed(ca_params, rcgen::KeyPair::generate().unwrap()).unwrap();
        let leaf_key = rcgen::KeyPair::generate().unwrap();
        let leaf = rcgen::CertificateParams::new(vec![host.to_string()])
            .unwrap()
            .signed_by(&leaf_key, &ca)
            .unwrap();
        Pki {
            ca: ca.der().clone(),
            leaf: leaf.der().clone(),
        }
    }

    fn provider() -> Arc<CryptoProvider> {
        Arc::new(rustls::crypto::ring::default_provider())
    }

    /// Stands for the system's store: it knows no issuer.
    #[derive(Debug)]
    struct KnowsNoIssuer(Arc<CryptoProvider>);

    impl ServerCertVerifier for KnowsNoIssuer {
        fn verify_server_cert(
            &self,
            _: &CertificateDer<'_>,
            _: &[CertificateDer<'_>],
            _: &ServerName<'_>,
            _: &[u8],
            _: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            Err(rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer))
        }
        fn verify_tls12_signature(
            &self,
            _: &[u8],
            _: &CertificateDer<'_>,
            _: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            unreachable!()
        }
        fn verify_tls13_signature(
            &self,
            _: &[u8],
            _: &CertificateDer<'_>,
            _: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            unreachable!()
        }
        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.0.signature_verification_algorithms.supported_schemes()
        }
    }

    /// A trust with the CA of `pki` whose system store counts how often it is made.
    fn counted(pki: &Pki) -> (Trust, Arc<AtomicUsize>) {
        let made = Arc::new(AtomicUsize::new(0));
        let counter = made.clone();
        let mut trust = Trust::new(vec![pki.ca.clone()], provider()).unwrap();
        trust.make_platform = Box::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok(Arc::new(KnowsNoIssuer(provider())) as Arc<dyn ServerCertVerifier>)
        });
        (trust, made)
    }

    fn verify(trust: &Trust, leaf: &CertificateDer<'static>, host: &str) -> Result<ServerCertVerified, rustls::Error> {
        let name = ServerName::try_from(host.to_string()).unwrap();
        trust.verify_server_cert(leaf, &[], &name, &[], UnixTime::now())
    }

    #[test]
    fn a_chain_to_the_profiles_ca_never_reads_the_system_store() {
        let pki = pki("Bank CA", "bank.example");
        let (trust, made) = counted(&pki);
        for _ in 0..3 {
            verify(&trust, &pki.leaf, "bank.example").unwrap();
        }
        assert_eq!(made.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn another_issuer_goes_to_the_system_store_once_and_is_refused() {
        let pki_ours = pki("Bank CA", "bank.example");
        let theirs = pki("Another CA", "bank.example");
        let (trust, made) = counted(&pki_ours);
        for _ in 0..2 {
            let e = verify(&trust, &theirs.leaf, "bank.example").unwrap_err();
            assert!(is_unknown_issuer(&e), "{e:?}");
        }
        assert_eq!(made.load(Ordering::SeqCst), 1, "the platform verifier is made once");
    }

    #[test]
    fn the_cas_own_verdict_is_kept_when_it_says_more() {
        let pki = pki("Bank CA", "bank.example");
        let (trust, _) = counted(&pki);
        let e = verify(&trust, &pki.leaf, "other.example").unwrap_err();
        assert!(
            matches!(&e, rustls::Error::InvalidCertificate(c) if !matches!(c, CertificateError::UnknownIssuer)),
            "a wrong host under the right CA is said as such: {e:?}"
        );
    }

    #[test]
    fn a_profile_ca_that_is_not_a_certificate_is_refused_when_made() {
        assert!(Trust::new(vec![CertificateDer::from(vec![1, 2, 3])], provider()).is_err());
    }
}
