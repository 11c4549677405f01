//! A Client ID Metadata Document served over HTTPS on loopback, for trying a CIMD client
//! before the document is hosted for real. The certificate comes from a CA made for this
//! server alone (see `registrar_keys::loopback_identity`): its PEM is what the
//! authorization server under test must trust. The document's URL is
//! `https://localhost:PORT/<name>.json`, and is the `client_id`.

use super::document::metadata_document;
use crate::error::{Error, Result};
use crate::metadata::ClientMetadata;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::TlsAcceptor;

/// A running document server; dropping it stops it (and its CA's key is gone with it).
#[derive(Debug)]
pub struct MetadataDocumentServer {
    url: String,
    ca_pem: String,
    document: ClientMetadata,
    /// Dropped with the server, which stops its accept loop.
    _stop: oneshot::Sender<()>,
}

impl MetadataDocumentServer {
    /// Serves `metadata` as the document named `name` (letters, digits, `-`, `_`) on
    /// `port` (0 or `None`: a free one), with `client_id` set to its URL and checked.
    pub async fn start(port: Option<u16>, name: &str, metadata: &ClientMetadata) -> Result<Self> {
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(Error::field(
                "name",
                "must be letters, digits, - or _ (it becomes the URL's file name)",
            ));
        }
        let listener = TcpListener::bind(("127.0.0.1", port.unwrap_or(0)))
            .await
            .map_err(|e| Error::field("port", format!("cannot be listened on: {e}")))?;
        let port = listener
            .local_addr()
            .map_err(|e| Error::Storage(format!("the listener has no address: {e}")))?
            .port();
        let path = format!("/{name}.json");
        let url = format!("https://localhost:{port}{path}");
        let document = metadata_document(&url, metadata).map_err(Error::Validation)?;
        let identity = registrar_keys::loopback_identity("Registrar loopback CA (metadata document)")
            .map_err(|e| Error::Storage(e.to_string()))?;
        let acceptor = TlsAcceptor::from(Arc::new(server_config(&identity)?));
        let body = serde_json::to_string_pretty(&document).map_err(|e| Error::Storage(e.to_string()))?;
        let stop = crate::http::loopback_server::serve_until_stopped(listener, move |stream| {
            let (acceptor, path, body) = (acceptor.clone(), path.clone(), body.clone());
            async move {
                // A client that does not trust the CA drops the handshake: nothing to answer.
                if let Ok(tls) = acceptor.accept(stream).await {
                    // Authorization servers cache documents; a test server changes on restart.
                    crate::http::loopback_server::answer_json(tls, &path, || body, "max-age=60").await;
                }
            }
        });
        Ok(Self {
            url,
            ca_pem: identity.ca_pem.clone(),
            document,
            _stop: stop,
        })
    }

    /// The document's URL: the client's `client_id`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The PEM of the CA that signed the server's certificate, for the authorization server
    /// under test to trust.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// The document served.
    pub fn document(&self) -> &ClientMetadata {
        &self.document
    }
}

fn server_config(identity: &registrar_keys::LoopbackIdentity) -> Result<ServerConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(identity.key_der.to_vec()));
    ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|b| {
            b.with_no_client_auth()
                .with_single_cert(vec![CertificateDer::from(identity.certificate_der.clone())], key)
        })
        .map_err(|e| Error::Storage(format!("the loopback TLS server cannot be set up: {e}")))
}
