//! What the custody tests (issue 17) share: a certificate authority made for the test that
//! signs Registrar's CSRs and a server certificate for a real provider's HTTPS, and the
//! look-up of private key material in everything Registrar leaves behind.

use rcgen::{
    BasicConstraints, CertificateParams, CertificateSigningRequestParams, CertifiedIssuer, DnType,
    ExtendedKeyUsagePurpose, IsCa, KeyPair,
};

/// A CA made for one test.
pub struct TestCa {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl std::fmt::Debug for TestCa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TestCa")
    }
}

impl TestCa {
    /// A fresh CA (P-256) named `common_name`.
    pub fn new(common_name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, common_name);
        params
            .distinguished_name
            .push(DnType::OrganizationName, "Registrar Tests");
        let issuer =
            CertifiedIssuer::self_signed(params, KeyPair::generate().expect("CA key")).expect("CA certificate");
        Self { issuer }
    }

    /// The CA's certificate, PEM.
    pub fn pem(&self) -> String {
        self.issuer.pem()
    }

    /// Signs a PKCS#10 CSR (PEM) as a client certificate; the leaf's PEM.
    pub fn sign_csr(&self, csr_pem: &str) -> String {
        let mut csr = CertificateSigningRequestParams::from_pem(csr_pem).expect("the CSR parses and verifies");
        csr.params.extended_key_usages.push(ExtendedKeyUsagePurpose::ClientAuth);
        csr.signed_by(&self.issuer).expect("the CA signs the CSR").pem()
    }

    /// Signs a CSR as a client certificate valid between two dates (year, month, day): an
    /// expired one, for tests of what Registrar refuses to present.
    pub fn sign_csr_between(&self, csr_pem: &str, from: (i32, u8, u8), until: (i32, u8, u8)) -> String {
        let mut csr = CertificateSigningRequestParams::from_pem(csr_pem).expect("the CSR parses and verifies");
        csr.params.not_before = rcgen::date_time_ymd(from.0, from.1, from.2);
        csr.params.not_after = rcgen::date_time_ymd(until.0, until.1, until.2);
        csr.signed_by(&self.issuer).expect("the CA signs the CSR").pem()
    }

    /// A server certificate for `127.0.0.1` and `localhost` and its PKCS#8 key, both PEM.
    pub fn server_certificate(&self) -> (String, String) {
        let key = KeyPair::generate().expect("server key");
        let mut params =
            CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()]).expect("server params");
        params.distinguished_name.push(DnType::CommonName, "127.0.0.1");
        let cert = params.signed_by(&key, &self.issuer).expect("server certificate");
        (cert.pem(), key.serialize_pem())
    }
}

/// What to look for to find a PEM private key in a text: its base64 lines, each long and
/// random enough that no other text holds one by chance, except those that also appear in
/// `public` (the key's public JWK and certificate): a PKCS#8 EC key carries its public point,
/// and a line holding only that may match a certificate's base64 at the same alignment.
pub fn pem_needles(pem: &str, public: &str) -> Vec<String> {
    pem.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("-----") && l.len() >= 40 && !public.contains(l))
        .map(str::to_string)
        .collect()
}

/// A key as the scan looks for it: a name, its private PEM, and its public material.
#[derive(Debug, Clone)]
pub struct ScannedKey {
    pub name: String,
    pub private_pem: String,
    pub public: String,
}

/// Every key of `profile` in `registrar`'s custody, private half exported for the scan.
pub fn custody_keys(registrar: &registrar_core::Registrar, profile: &str) -> Vec<ScannedKey> {
    registrar
        .keys(profile, None)
        .expect("the profile's keys")
        .into_iter()
        .map(|k| ScannedKey {
            private_pem: registrar
                .export_private_key(profile, &k.kid)
                .expect("the private half")
                .expose()
                .to_string(),
            public: serde_json::to_string(&k).expect("a key record as JSON"),
            name: k.kid,
        })
        .collect()
}

/// Fails, naming `what` and the key, when a line of a private key's PEM is in `haystack`.
pub fn assert_no_key_material(haystack: &str, what: &str, keys: &[ScannedKey]) {
    for key in keys {
        let needles = pem_needles(&key.private_pem, &key.public);
        assert!(!needles.is_empty(), "{}: the PEM has private base64 lines", key.name);
        for needle in needles {
            if let Some(at) = haystack.find(&needle) {
                let from = haystack[..at].char_indices().rev().nth(200).map_or(0, |(i, _)| i);
                let to = (at + needle.len() + 200).min(haystack.len());
                let context = haystack.get(from..to).unwrap_or_default();
                panic!(
                    "the private key {} leaked into {what}: {needle} in …{context}…",
                    key.name
                );
            }
        }
    }
}
