//! A TLS front for a plain-HTTP mock provider, with a CA and a certificate for
//! `localhost` / `127.0.0.1` generated per test: what a real provider behind HTTPS with a
//! private CA looks like to Registrar.

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use std::sync::Arc;
use tokio::io::copy_bidirectional;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::TlsAcceptor;

#[derive(Debug)]
pub struct TlsProxy {
    /// `https://localhost:PORT`
    pub base_url: String,
    /// The CA that signed the proxy's certificate, as PEM.
    pub ca_pem: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TlsProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TlsProxy {
    /// Serves HTTPS on a free loopback port and forwards each connection to `upstream`
    /// (`host:port` of the plain-HTTP server).
    pub async fn start(upstream: String) -> Self {
        let (acceptor, ca_pem) = test_acceptor();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    // A client that refuses the certificate ends the handshake: not an error here.
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    if let Ok(mut plain) = TcpStream::connect(&upstream).await {
                        let _ = copy_bidirectional(&mut tls, &mut plain).await;
                    }
                });
            }
        });
        Self {
            base_url: format!("https://localhost:{port}"),
            ca_pem,
            task,
        }
    }
}

/// A TLS acceptor with a certificate for `localhost` and `127.0.0.1`, signed by a CA
/// made for the test (returned as PEM).
pub fn test_acceptor() -> (TlsAcceptor, String) {
    let (config, ca_pem) = test_server_config();
    (TlsAcceptor::from(config), ca_pem)
}

/// The server configuration behind [`test_acceptor`], for servers that accept TLS
/// themselves (the mock provider's `MockConfig::tls`).
pub fn test_server_config() -> (Arc<ServerConfig>, String) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "Registrar test CA");
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("CA key")).expect("CA certificate");
    let leaf_key = KeyPair::generate().expect("leaf key");
    let leaf = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
        .expect("leaf params")
        .signed_by(&leaf_key, &ca)
        .expect("leaf certificate");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
        )
        .expect("server config");
    (Arc::new(config), ca.pem())
}

/// An HTTPS server that reads each whole request, writes `answer` (any bytes, possibly
/// none, possibly a message cut short), and then closes the TLS session cleanly
/// (close_notify): what a provider that crashes or stalls after acting looks like.
#[derive(Debug)]
pub struct TlsFaultServer {
    /// `https://localhost:PORT`
    pub base_url: String,
    pub ca_pem: String,
    pub requests: Arc<std::sync::atomic::AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TlsFaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TlsFaultServer {
    pub async fn start(answer: Vec<u8>) -> Self {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (acceptor, ca_pem) = test_acceptor();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let requests = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (count, answer) = (requests.clone(), Arc::new(answer));
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (acceptor, count, answer) = (acceptor.clone(), count.clone(), answer.clone());
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    // The whole request: the head, then Content-Length bytes of body.
                    loop {
                        let Ok(n) = tls.read(&mut chunk).await else { return };
                        if n == 0 {
                            return;
                        }
                        buf.extend_from_slice(&chunk[..n]);
                        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                            let length = head
                                .lines()
                                .find_map(|l| l.strip_prefix("content-length:"))
                                .and_then(|v| v.trim().parse::<usize>().ok())
                                .unwrap_or(0);
                            if buf.len() >= end + 4 + length {
                                break;
                            }
                        }
                    }
                    count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let _ = tls.write_all(&answer).await;
                    let _ = tls.shutdown().await;
                });
            }
        });
        Self {
            base_url: format!("https://localhost:{port}"),
            ca_pem,
            requests,
            task,
        }
    }
}

/// As [`test_server_config`], but the server demands a client certificate issued by a CA
/// of its own (which no test client holds): every handshake with another certificate is
/// refused, as a bank's mutual TLS gateway refuses an unknown client.
pub fn mutual_tls_server_config() -> (Arc<ServerConfig>, String) {
    let (plain, ca_pem) = test_server_config();
    let mut client_ca_params = CertificateParams::new(Vec::<String>::new()).expect("client CA params");
    client_ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    client_ca_params
        .distinguished_name
        .push(DnType::CommonName, "Registrar test client CA");
    let client_ca = CertifiedIssuer::self_signed(client_ca_params, KeyPair::generate().expect("client CA key"))
        .expect("client CA certificate");
    let mut roots = rustls::RootCertStore::empty();
    roots.add(client_ca.der().clone()).expect("client CA root");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .expect("client verifier");
    // The same server certificate as the plain config, now with the demanding verifier.
    let certs = plain.cert_resolver.clone();
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_client_cert_verifier(verifier)
        .with_cert_resolver(certs);
    (Arc::new(config), ca_pem)
}
