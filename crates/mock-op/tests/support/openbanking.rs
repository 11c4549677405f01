//! An Open Banking world for the openbanking dialect's tests: a directory that signs software
//! statements, software keys (ES256, PS256), client certificates, a bank (the mock over mutual
//! TLS) and HTTPS clients that present a certificate or none.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair};
use registrar_mock_op::tls::LocalhostCertificate;
use registrar_mock_op::{Dialect, MockConfig, MockServer};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

/// A fixed RSA key (2048 bits): an RSA key made at run time costs a debug build seconds.
const RSA_KEY_PEM: &str = "-----BEGIN RSA PRIVATE KEY-----
MIIEogIBAAKCAQEAv6dM8bCA8U19tZMxJwYRi1Jmj6qBOl00AyNAxRlNDqm1Ej9L
XAHa2Hq729QcLJUQWop2z1paTCbq1vGnWzLk6qh+EQuNJWSPoQ+ZkDQRF1lnQxv5
xHm5nibvlSQj/fD5zgTQsKcwd45pT3P+ZFna0Z/V4+eP2aWEOrLtkV3aDurDQ2Ho
uPttZI/FM0GAoxxSM+L60+52Wb6nFR/nXr6NRRzAbnfrcG9M7Dpu28o3mwJlM+lP
RiSbBZcTAQbvmoli4Yjdhk3iZS7BBYvM3WOLgSubeL6w/3vFYjv/mYp6DA2qFL0z
WQlvPjlkKY3eVhZNSGZiHIpHahbhyml3L3Y6VwIDAQABAoIBAAOvZ7CFXdKwqZhP
tmlohEwtr0Ys7PjefkJfL6l6j+ZBHM0MhYTv44bibpv5VfoE0Gsv8BKS9gXdK7Uq
sWFKDGfMtJvcS9WqZi6eelabrFvKvsxmDHqa1+xdavbvBSLRZY7wvcM1JnPuEO1T
rtJm0z57oyUTjfW36TUoZ/QHHiByRP54gL4aZEFm5faSu6VPPQVK+GGZjJun4UZC
j7j+xpw6HMUC7YS7rC6LkSyJ2KoClFswCYUya02Xd7/pHs9I0p+Ie5DAVjZybxXG
4iW75lGOGK18/jT/g6yXijCkNGYN5RNqeKzSu3rQsu5IkYEZ1xTZqVW07Dnqdkn1
zZJGK8ECgYEA32VDTb5dH/krCQ70pV37zqZ5t+1RwnWw3qQ37a8z/MELFXJBoY6s
hIbV1BAJifVELLUxx4xFLGm2gxcSzV3O5GP6AEuxuR7QvDTwOUHoX7Y3FEmMx0mA
LHUGB6+T6fciYbF3MOWM/yxlZiCg0eQYoUwqRd1504WfuClk7rlP9BcCgYEA26AO
/MXoeuYY66Z6YoYfvFwU/MRLVWtaSEKfLyt2McfgCGhzIBGHjHUExqeFQBQSC9mL
rP1uhAntoTTFtB3bY5GdRIQRWdZV2j8Xtxm6Vt6K2A3Gvyc5/xacBteiLj9RPIrG
r2fKP+FOpMFIX246/EH3ef3v3HHaFnsuAKzqk8ECgYAPfvS2Ndg72YrUrAboWaaX
5RBYY8viE0vbhcSjZh3TEIj2SeCnlj/9SWUXuq0Otsat2zvCvcYmmIaifT0+pZ0u
VokG8Dk5wBt2kq1/K0U1LmyPqbJsOHr9mnh6nAFEn3HxGOBNsf6fzLKT7Pt607mp
pqDgC8bhl0lG+wgXTx9urQKBgA0uHNgklGATwPkbY4rYG711FTlaGl9E8wUVInJ1
PEGeih5XDlmlU6olN6UoVoHS8oZNhulZyDEaW21qOlcl142xJmv/NP9cMojHcofl
fl5KOrDemsfL9doOJEzw0eXOnPRyK5xJMUUGI28Vvl8jwVx0JQLoL2XeW0UwHUGj
HuzBAoGAetoD8zw13wCI/cjZuOW6wlcSNGDL1Fse3kHxQgroYF55xG4joxYw5HOX
r7+Zl/8YZsyqz/HhgYvDXgVn0oTvf0+Gd8cwYCgQSHbVlCKsJPltfIgYM5ddCZio
nAkXmiIdpXjZnv1zC+Msp4QhcPXjhUYLtFIIolOiL/2iMTuX0A0=
-----END RSA PRIVATE KEY-----
";

/// A private key that signs JWTs, with its public JWK (carrying `kid`).
#[derive(Clone)]
pub struct SigningKey {
    pub kid: String,
    pub alg: Algorithm,
    encoding: EncodingKey,
    pub public_jwk: Value,
    /// The EC key pair, for certificates with this key; `None` for the RSA key.
    pub pair_pem: Option<String>,
}

impl SigningKey {
    /// A fresh P-256 key (ES256).
    pub fn ec(kid: &str) -> Self {
        let pair = KeyPair::generate().expect("P-256 key");
        let encoding = EncodingKey::from_ec_der(&pair.serialize_der());
        Self::new(kid, Algorithm::ES256, encoding, Some(pair.serialize_pem()))
    }

    /// The fixed RSA key (PS256).
    pub fn rsa(kid: &str) -> Self {
        // PKCS#1 DER from the PEM (jsonwebtoken is built here without its PEM parser).
        let base64: String = RSA_KEY_PEM.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(base64)
            .expect("RSA key base64");
        let encoding = EncodingKey::from_rsa_der(&der);
        Self::new(kid, Algorithm::PS256, encoding, None)
    }

    fn new(kid: &str, alg: Algorithm, encoding: EncodingKey, pair_pem: Option<String>) -> Self {
        let jwk = Jwk::from_encoding_key(&encoding, alg).expect("public JWK");
        let mut public_jwk = serde_json::to_value(jwk).expect("JWK as JSON");
        public_jwk["kid"] = kid.into();
        public_jwk["use"] = "sig".into();
        SigningKey {
            kid: kid.to_owned(),
            alg,
            encoding,
            public_jwk,
            pair_pem,
        }
    }

    /// The same private key under another `kid` (an impostor using a trusted kid, say).
    pub fn renamed(&self, kid: &str) -> Self {
        let mut key = self.clone();
        key.kid = kid.to_owned();
        key.public_jwk["kid"] = kid.into();
        key
    }

    pub fn jwks(&self) -> Value {
        json!({"keys": [self.public_jwk]})
    }

    /// A compact JWS of `claims` with this key's alg and kid.
    pub fn sign(&self, claims: &Value) -> String {
        let mut header = Header::new(self.alg);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding).expect("signed")
    }

    /// Signed without a kid in the header.
    pub fn sign_without_kid(&self, claims: &Value) -> String {
        jsonwebtoken::encode(&Header::new(self.alg), claims, &self.encoding).expect("signed")
    }
}

pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

/// A client certificate and its key, PEM, and the certificate's DER.
pub struct ClientCertificate {
    pub cert_pem: String,
    pub key_pem: String,
    pub der: Vec<u8>,
}

impl ClientCertificate {
    /// Self-signed, subject `CN=<cn>,O=Example TPP,C=GB` (RFC 4514 order), with the EC key of
    /// `key` if given, a fresh one otherwise.
    pub fn self_signed(cn: &str, key: Option<&SigningKey>) -> Self {
        let pair = match key.and_then(|k| k.pair_pem.as_deref()) {
            Some(pem) => KeyPair::from_pem(pem).expect("key pair"),
            None => KeyPair::generate().expect("key pair"),
        };
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CountryName, "GB");
        dn.push(DnType::OrganizationName, "Example TPP");
        dn.push(DnType::CommonName, cn);
        params.distinguished_name = dn;
        let cert = params.self_signed(&pair).expect("certificate");
        ClientCertificate {
            cert_pem: cert.pem(),
            key_pem: pair.serialize_pem(),
            der: cert.der().to_vec(),
        }
    }

    /// RFC 8705's `x5t#S256` of this certificate.
    pub fn thumbprint(&self) -> String {
        URL_SAFE_NO_PAD.encode(Sha256::digest(&self.der))
    }
}

/// The bank: the mock in the openbanking dialect over HTTPS with client certificates
/// requested, trusting `directory` (if any).
pub struct Bank {
    pub server: MockServer,
    pub tls: LocalhostCertificate,
}

impl Bank {
    pub async fn start(directory: Option<&SigningKey>) -> Self {
        Self::start_with(directory, false).await
    }

    /// As [`Bank::start`]; `accept_unsigned`: plain JSON registrations are taken too.
    pub async fn start_with(directory: Option<&SigningKey>, accept_unsigned: bool) -> Self {
        let tls = LocalhostCertificate::generate().expect("localhost certificate");
        let mut config = MockConfig::new(Dialect::OpenBanking)
            .with_tls_pem(&tls.cert_pem, &tls.key_pem)
            .expect("TLS configuration");
        config.trusted_directory_jwks = directory.map(SigningKey::jwks);
        config.accept_unsigned_requests = accept_unsigned;
        let server = MockServer::start(config).await.expect("bank starts");
        Bank { server, tls }
    }

    /// An HTTPS client that trusts the bank and presents `certificate` (or none).
    pub fn client(&self, certificate: Option<&ClientCertificate>) -> reqwest::Client {
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .no_proxy()
            .timeout(Duration::from_secs(10))
            .add_root_certificate(reqwest::Certificate::from_pem(self.tls.ca_pem.as_bytes()).expect("CA"));
        if let Some(certificate) = certificate {
            let pem = format!("{}{}", certificate.cert_pem, certificate.key_pem);
            builder = builder.identity(reqwest::Identity::from_pem(pem.as_bytes()).expect("identity"));
        }
        builder.build().expect("HTTPS client")
    }
}

/// A piece of software as the directory knows it: its id, keys and redirect URIs.
pub struct Software {
    pub software_id: String,
    pub key: SigningKey,
    pub redirect_uris: Vec<String>,
}

impl Software {
    pub fn new(key: SigningKey) -> Self {
        Software {
            software_id: format!("sw-{}", key.kid),
            key,
            redirect_uris: vec![
                "https://tpp.example.com/cb".into(),
                "https://tpp.example.com/cb2".into(),
            ],
        }
    }

    /// The claims of a statement about this software, with its keys inline.
    pub fn statement_claims(&self) -> Map<String, Value> {
        object(json!({
            "iss": "OpenBanking Ltd",
            "iat": now(),
            "jti": format!("ssa-{}", now()),
            "software_id": self.software_id,
            "software_client_name": "Example TPP app",
            "software_roles": ["AISP", "PISP"],
            "software_redirect_uris": self.redirect_uris,
            "software_jwks": self.key.jwks(),
            "org_id": "0015800001041REAAY",
        }))
    }

    /// The request claims registering this software with `statement`, as client metadata
    /// for `private_key_jwt`.
    pub fn request_claims(&self, bank: &MockServer, statement: &str) -> Map<String, Value> {
        object(json!({
            "iss": self.software_id,
            "aud": bank.issuer(),
            "iat": now(),
            "exp": now() + 300,
            "jti": format!("req-{}", uuid_like()),
            "software_statement": statement,
            "redirect_uris": [self.redirect_uris[0]],
            "token_endpoint_auth_method": "private_key_jwt",
            "token_endpoint_auth_signing_alg": "ES256",
            "grant_types": ["client_credentials", "authorization_code"],
            "response_types": ["code"],
            "scope": "openid accounts payments",
            "application_type": "web",
        }))
    }
}

/// A client assertion (RFC 7523) for `client_id` at `bank`, signed by `key`.
pub fn client_assertion(bank: &MockServer, client_id: &str, key: &SigningKey) -> String {
    key.sign(&json!({
        "iss": client_id,
        "sub": client_id,
        "aud": bank.token_endpoint(),
        "iat": now(),
        "exp": now() + 120,
        "jti": uuid_like(),
    }))
}

pub fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!("{}-{}", now(), NEXT.fetch_add(1, Ordering::Relaxed))
}

pub fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}
