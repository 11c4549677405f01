//! The real transport: reqwest over rustls, with the profile's TLS trust and timeouts,
//! redirects refused, and bodies capped while they stream in.

use super::transport::{
    ClientCertificate, HttpRequest, HttpResponse, KeyToCome, Transport, TransportError, TransportFactory,
};
use crate::custody::ClientIdentity;
use crate::error::{Error, Result};
use crate::profile::{Timeouts, TlsOptions};
use async_trait::async_trait;
use std::collections::HashMap;
use std::error::Error as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Larger answers are refused: no registration response is anywhere near this.
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// Where `localhost` is: IPv4 first (where local servers most often listen), IPv6 next;
/// a refused connection moves on to the next at once. Port 0: the URL's port is used.
const LOCALHOST: [std::net::SocketAddr; 2] = [
    std::net::SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 0),
    std::net::SocketAddr::new(std::net::IpAddr::V6(std::net::Ipv6Addr::LOCALHOST), 0),
];

/// The real [`Transport`]: reqwest over rustls with the platform's verifier, redirects
/// refused, bodies capped at [`MAX_RESPONSE_BYTES`].
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    /// Verifies certificates: every request to a host that is not loopback.
    client: reqwest::Client,
    /// Skips certificate checks, when the profile asks: loopback hosts only, decided for
    /// each request, so a management URL or endpoint elsewhere is still verified.
    unchecked: Option<reqwest::Client>,
    /// The subject of the client certificate presented (mutual TLS), to name it when the
    /// provider refuses it.
    identity_subject: Option<String>,
}

impl ReqwestTransport {
    /// A transport for these TLS options and timeouts; unchecked certificates, when asked for,
    /// only ever for loopback hosts. An error when the CA certificate is not usable PEM.
    pub fn new(tls: &TlsOptions, timeouts: &Timeouts) -> Result<Self> {
        Self::with_identity(tls, timeouts, None)
    }

    /// As [`ReqwestTransport::new`], presenting `identity`'s certificate when a server asks
    /// for one (mutual TLS, RFC 8705).
    pub fn with_identity(tls: &TlsOptions, timeouts: &Timeouts, identity: Option<&ClientIdentity>) -> Result<Self> {
        let client = Self::client(tls, timeouts, false, identity)?;
        let unchecked = tls
            .accept_invalid_certificates
            .then(|| Self::client(tls, timeouts, true, identity))
            .transpose()?;
        Ok(Self {
            client,
            unchecked,
            identity_subject: identity.map(|i| i.subject_dn.clone()),
        })
    }

    /// As [`ReqwestTransport::with_identity`], with the certificate's private key given
    /// later through the [`LateKey`] returned: until then no handshake can present it.
    /// Certificates are always checked here (an unchecked client takes its identity whole).
    fn awaiting_key(
        tls: &TlsOptions,
        timeouts: &Timeouts,
        certificate: &ClientCertificate,
    ) -> Result<(Self, Arc<LateKey>)> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let late = Arc::new(LateKey::new(provider.clone(), certificate));
        let config = platform_tls(provider, tls.ca_certificate_pem.as_deref(), Some(late.clone()))?;
        let client = Self::builder(timeouts)
            .use_preconfigured_tls(config)
            .build()
            .map_err(|e| Error::config("tls", format!("cannot set up HTTPS: {e}")))?;
        let transport = Self {
            client,
            unchecked: None,
            identity_subject: Some(certificate.subject_dn.clone()),
        };
        Ok((transport, late))
    }

    /// The client for `url`: the unchecked one only for loopback hosts.
    fn client_for(&self, url: &url::Url) -> &reqwest::Client {
        match &self.unchecked {
            Some(unchecked) if crate::profile::is_loopback_host(url) => unchecked,
            _ => &self.client,
        }
    }

    fn client(
        tls: &TlsOptions,
        timeouts: &Timeouts,
        accept_invalid: bool,
        identity: Option<&ClientIdentity>,
    ) -> Result<reqwest::Client> {
        let mut builder = Self::builder(timeouts);
        builder = if accept_invalid {
            let builder = builder.use_rustls_tls().danger_accept_invalid_certs(true);
            match identity {
                Some(identity) => builder.identity(reqwest_identity(identity)?),
                None => builder,
            }
        } else {
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            // The identity given at once: the same resolver as one whose key comes later.
            let late = identity
                .map(|identity| {
                    let certificate = ClientCertificate {
                        chain: identity.chain.clone(),
                        subject_dn: identity.subject_dn.clone(),
                    };
                    let late = LateKey::new(provider.clone(), &certificate);
                    late.give(&identity.key_pkcs8).map(|()| Arc::new(late))
                })
                .transpose()?;
            builder.use_preconfigured_tls(platform_tls(provider, tls.ca_certificate_pem.as_deref(), late)?)
        };
        builder
            .build()
            .map_err(|e| Error::config("tls", format!("cannot set up HTTPS: {e}")))
    }

    /// What every client has: redirects refused, the timeouts, the user agent.
    fn builder(timeouts: &Timeouts) -> reqwest::ClientBuilder {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(timeouts.connect_secs.max(1)))
            .timeout(Duration::from_secs(timeouts.request_secs.max(1)))
            .user_agent(concat!("registrar/", env!("CARGO_PKG_VERSION")))
            // `localhost` is the loopback address, never looked up (RFC 6761 §6.3, as curl
            // and browsers do): the system resolver reads four files and a socket for it, on
            // a thread of its own, in every call to a local provider.
            .resolve_to_addrs("localhost", &LOCALHOST)
    }
}

/// A client certificate whose private key comes after the transport is built
/// ([`TransportFactory::transport_awaiting_key`]): the chain is known from the database, the
/// key from the keychain. A handshake before the key is given presents no certificate (the
/// caller gives it before its first request, and sends nothing when that fails).
#[derive(Debug)]
struct LateKey {
    chain: Vec<rustls::pki_types::CertificateDer<'static>>,
    subject_dn: String,
    provider: Arc<rustls::crypto::CryptoProvider>,
    key: std::sync::OnceLock<Arc<rustls::sign::CertifiedKey>>,
}

impl LateKey {
    fn new(provider: Arc<rustls::crypto::CryptoProvider>, certificate: &ClientCertificate) -> Self {
        Self {
            chain: certificate
                .chain
                .iter()
                .map(|der| rustls::pki_types::CertificateDer::from(der.clone()))
                .collect(),
            subject_dn: certificate.subject_dn.clone(),
            provider,
            key: std::sync::OnceLock::new(),
        }
    }
}

impl KeyToCome for LateKey {
    fn give(&self, key_pkcs8: &[u8]) -> Result<()> {
        use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key_pkcs8.to_vec()));
        let certified = rustls::sign::CertifiedKey::from_der(self.chain.clone(), key, &self.provider)
            .map_err(|e| mismatched(&self.subject_dn, e))?;
        // A second key for the same transport is a caller's bug: the first one stays.
        let _ = self.key.set(Arc::new(certified));
        Ok(())
    }
}

impl rustls::client::ResolvesClientCert for LateKey {
    fn resolve(
        &self,
        _root_hint_subjects: &[&[u8]],
        _sigschemes: &[rustls::SignatureScheme],
    ) -> Option<Arc<rustls::sign::CertifiedKey>> {
        self.key.get().cloned()
    }

    fn has_certs(&self) -> bool {
        true
    }
}

fn mismatched(subject_dn: &str, e: rustls::Error) -> Error {
    Error::config(
        "tls.client_certificate",
        format!("the certificate {subject_dn} cannot be used with its key: {e}"),
    )
}

#[async_trait]
impl Transport for ReqwestTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let mut builder = self.client_for(&request.url).request(request.method, request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if let Some(body) = request.body {
            builder = builder.body(body);
        }
        let mut response = builder
            .send()
            .await
            .map_err(|e| self.name_refused_certificate(classify(e)))?;
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        if (300..400).contains(&status) {
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("(no Location header)")
                .to_string();
            return Err(TransportError::Redirect { status, location });
        }
        if response.content_length().is_some_and(|n| n > MAX_RESPONSE_BYTES as u64) {
            return Err(TransportError::TooLarge {
                limit: MAX_RESPONSE_BYTES,
            });
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.name_refused_certificate(classify(e)))?
        {
            if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                return Err(TransportError::TooLarge {
                    limit: MAX_RESPONSE_BYTES,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HttpResponse { status, headers, body })
    }
}

impl ReqwestTransport {
    /// A failure after a client certificate was presented, said as the provider refusing it
    /// (with TLS 1.3 the refusal arrives as an alert after the handshake, as a broken read).
    fn name_refused_certificate(&self, e: TransportError) -> TransportError {
        let Some(subject) = &self.identity_subject else {
            return e;
        };
        let refused = |text: &str| {
            let t = text.to_ascii_lowercase();
            ["certificate", "handshake", "alert", "access denied"]
                .iter()
                .any(|w| t.contains(w))
        };
        match e {
            TransportError::Tls(detail) | TransportError::Broken(detail) if refused(&detail) => {
                TransportError::Tls(format!(
                    "the provider refused the mutual TLS handshake with the client certificate {subject}: {detail}"
                ))
            }
            other => other,
        }
    }
}

/// The identity as reqwest takes it for its own rustls setup (the unchecked client).
fn reqwest_identity(identity: &ClientIdentity) -> Result<reqwest::Identity> {
    // reqwest (rustls) reads the key and the chain from one PEM buffer.
    let mut pem = registrar_keys::pem_block("PRIVATE KEY", &identity.key_pkcs8);
    pem.push_str(&registrar_keys::cert::chain_to_pem(&identity.chain));
    reqwest::Identity::from_pem(pem.as_bytes()).map_err(|e| {
        Error::config(
            "tls.client_certificate",
            format!("cannot use the client certificate: {e}"),
        )
    })
}

/// TLS that trusts what the operating system trusts (its verifier and store, so a CA an
/// enterprise installed on the machine works), plus the profile's own CA when it has one
/// (`trust`: the store read only when needed); presenting `client_key`'s certificate when
/// given.
fn platform_tls(
    provider: Arc<rustls::crypto::CryptoProvider>,
    ca_pem: Option<&str>,
    client_key: Option<Arc<LateKey>>,
) -> Result<rustls::ClientConfig> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;
    let extra: Vec<CertificateDer<'static>> = match ca_pem {
        Some(pem) => {
            let certs = CertificateDer::pem_slice_iter(pem.as_bytes())
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|e| Error::config("tls.ca_certificate_pem", format!("is not a PEM certificate: {e}")))?;
            if certs.is_empty() {
                return Err(Error::config("tls.ca_certificate_pem", "holds no PEM certificate"));
            }
            certs
        }
        None => Vec::new(),
    };
    let verifier = super::trust::Trust::new(extra, provider.clone())
        .map_err(|e| Error::config("tls.ca_certificate_pem", format!("is not a usable CA certificate: {e}")))?;
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::config("tls", format!("cannot set up TLS: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(std::sync::Arc::new(verifier));
    match client_key {
        None => Ok(builder.with_no_client_auth()),
        Some(key) => Ok(builder.with_client_cert_resolver(key)),
    }
}

/// Sorts a failure by the phase it happened in, never by its text (which holds the URL):
/// a failure while connecting (TCP, or the TLS handshake, which reqwest's connector does)
/// means nothing was sent; anything after that may have reached the provider.
fn classify(e: reqwest::Error) -> TransportError {
    let chain = error_chain(&e);
    if e.is_connect() {
        if caused_by_tls(&e) {
            TransportError::Tls(chain)
        } else if let (true, Some(address)) = (refused(&e), e.url().and_then(address_of)) {
            TransportError::Refused { address }
        } else {
            TransportError::Connect(chain)
        }
    } else if e.is_timeout() {
        TransportError::Timeout
    } else {
        TransportError::Broken(chain)
    }
}

/// Whether rustls is somewhere in the error's causes: directly, or wrapped in I/O errors
/// (whose `source()` skips the error they wrap, so each is unwrapped by hand).
fn caused_by_tls(e: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = e.source();
    while let Some(s) = source {
        if is_tls(s) {
            return true;
        }
        source = s.source();
    }
    false
}

/// Whether the connection was refused (an `io::Error` of that kind among the causes): said
/// in words, since "os error 111" tells a person nothing.
fn refused(e: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = e.source();
    while let Some(s) = source {
        if s.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::ConnectionRefused)
        {
            return true;
        }
        source = s.source();
    }
    false
}

fn address_of(url: &url::Url) -> Option<String> {
    Some(format!("{}:{}", url.host_str()?, url.port_or_known_default()?))
}

fn is_tls(e: &(dyn std::error::Error + 'static)) -> bool {
    if e.is::<rustls::Error>() {
        return true;
    }
    match e.downcast_ref::<std::io::Error>().and_then(std::io::Error::get_ref) {
        Some(inner) => is_tls(inner),
        None => false,
    }
}

fn error_chain(e: &reqwest::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

/// Builds one client per set of options and reuses it, so connections are kept alive.
#[derive(Debug, Default)]
pub struct ReqwestFactory {
    cache: Mutex<HashMap<String, Arc<ReqwestTransport>>>,
}

impl ReqwestFactory {
    /// A factory with no transport built yet.
    pub fn new() -> Self {
        Self::default()
    }
}

impl TransportFactory for ReqwestFactory {
    fn transport_for(
        &self,
        tls: &TlsOptions,
        timeouts: &Timeouts,
        identity: Option<&ClientIdentity>,
    ) -> Result<Arc<dyn Transport>> {
        // The identity by its key id (never its key): one transport per certificate.
        let key = format!("{tls:?}{timeouts:?}{:?}", identity.map(|i| (&i.kid, &i.chain)));
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = cache.get(&key) {
            return Ok(t.clone());
        }
        let transport = Arc::new(ReqwestTransport::with_identity(tls, timeouts, identity)?);
        cache.insert(key, transport.clone());
        Ok(transport)
    }

    /// Only for a process that keeps no transport yet (a command's one call): one that
    /// keeps some (the app, a bulk run) may have this one whole already, and takes it with
    /// the key read first (`transport_for`). Not kept itself: it is whole only once given.
    fn transport_awaiting_key(
        &self,
        tls: &TlsOptions,
        timeouts: &Timeouts,
        certificate: &ClientCertificate,
    ) -> Result<Option<super::transport::AwaitingKey>> {
        if tls.accept_invalid_certificates || !self.cache.lock().unwrap_or_else(|e| e.into_inner()).is_empty() {
            return Ok(None);
        }
        let (transport, key) = ReqwestTransport::awaiting_key(tls, timeouts, certificate)?;
        Ok(Some((Arc::new(transport), key)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchecked_certificates_only_ever_reach_loopback_hosts() {
        let tls = TlsOptions {
            accept_invalid_certificates: true,
            ..TlsOptions::default()
        };
        let t = ReqwestTransport::new(&tls, &Timeouts::default()).unwrap();
        let unchecked = t.unchecked.as_ref().unwrap();
        for loopback in ["https://127.0.0.1:9443/r", "https://localhost/r", "https://[::1]/r"] {
            let url = url::Url::parse(loopback).unwrap();
            assert!(std::ptr::eq(t.client_for(&url), unchecked), "{loopback}");
        }
        for elsewhere in [
            "https://idp.example.org/r",
            "https://10.0.0.1/r",
            "https://localhost.example.org/r",
        ] {
            let url = url::Url::parse(elsewhere).unwrap();
            assert!(std::ptr::eq(t.client_for(&url), &t.client), "{elsewhere} is verified");
        }
        let strict = ReqwestTransport::new(&TlsOptions::default(), &Timeouts::default()).unwrap();
        assert!(strict.unchecked.is_none());
    }

    #[test]
    fn a_key_given_later_is_presented_only_once_given_and_only_if_it_is_the_certificates() {
        use rustls::client::ResolvesClientCert as _;
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["tpp.example".to_string()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        let certificate = ClientCertificate {
            chain: vec![cert.der().to_vec()],
            subject_dn: "CN=tpp".into(),
        };
        let (transport, late) =
            ReqwestTransport::awaiting_key(&TlsOptions::default(), &Timeouts::default(), &certificate).unwrap();
        assert_eq!(
            transport.identity_subject.as_deref(),
            Some("CN=tpp"),
            "named in a refusal"
        );
        assert!(late.resolve(&[], &[]).is_none(), "nothing to present before the key");

        let other = rcgen::KeyPair::generate().unwrap();
        let refused = late.give(&other.serialize_der()).unwrap_err().to_string();
        assert!(
            refused.contains("CN=tpp") && refused.contains("cannot be used with its key"),
            "{refused}"
        );
        assert!(late.resolve(&[], &[]).is_none(), "a wrong key is not kept");

        late.give(&key.serialize_der()).unwrap();
        let presented = late.resolve(&[], &[]).expect("the certificate and its key");
        assert_eq!(presented.cert[0].as_ref(), cert.der().as_ref());
    }

    #[test]
    fn only_a_process_without_transports_builds_one_awaiting_its_key() {
        let certificate = ClientCertificate {
            chain: vec![],
            subject_dn: "CN=tpp".into(),
        };
        let factory = ReqwestFactory::new();
        let unchecked = TlsOptions {
            accept_invalid_certificates: true,
            ..TlsOptions::default()
        };
        let awaiting = |tls: &TlsOptions| {
            factory
                .transport_awaiting_key(tls, &Timeouts::default(), &certificate)
                .unwrap()
                .is_some()
        };
        assert!(!awaiting(&unchecked), "an unchecked client takes its identity whole");
        assert!(awaiting(&TlsOptions::default()));
        factory
            .transport_for(&TlsOptions::default(), &Timeouts::default(), None)
            .unwrap();
        assert!(!awaiting(&TlsOptions::default()), "kept transports are reused instead");
    }

    /// Answers one request on `listener` with 200 and `ok`.
    async fn answer_once(listener: tokio::net::TcpListener) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut seen = Vec::new();
        let mut buf = [0u8; 1024];
        while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = stream.read(&mut buf).await.unwrap();
            assert!(n > 0, "the request ended early");
            seen.extend_from_slice(&buf[..n]);
        }
        stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn localhost_reaches_a_server_on_either_loopback_address() {
        let transport = ReqwestTransport::new(&TlsOptions::default(), &Timeouts::default()).unwrap();
        for address in ["127.0.0.1:0", "[::1]:0"] {
            // A machine without IPv6 on loopback has only the first.
            let Ok(listener) = tokio::net::TcpListener::bind(address).await else {
                assert_ne!(address, "127.0.0.1:0", "IPv4 loopback is always there");
                continue;
            };
            let port = listener.local_addr().unwrap().port();
            let server = tokio::spawn(answer_once(listener));
            let url = url::Url::parse(&format!("http://localhost:{port}/r")).unwrap();
            let response = transport
                .send(HttpRequest::new(http::Method::GET, url))
                .await
                .unwrap_or_else(|e| panic!("localhost with a server on {address}: {e:?}"));
            assert_eq!((response.status, response.body.as_slice()), (200, &b"ok"[..]));
            server.await.unwrap();
        }
    }
}
