//! A profile's public JWK Set served on a loopback URL, for demos and tests where a
//! provider must fetch a `jwks_uri` (RFC 7591 §2). It answers `GET` of its one path with
//! the set it was last given, and nothing else; it binds 127.0.0.1 only.

use serde_json::Value;
use std::sync::{Arc, RwLock};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// A running JWKS server; dropping it stops it.
#[derive(Debug)]
pub struct JwksServer {
    url: String,
    current: Arc<RwLock<Value>>,
    /// Dropped with the server, which stops its accept loop.
    _stop: oneshot::Sender<()>,
}

impl JwksServer {
    /// Serves `jwks` at `http://127.0.0.1:PORT/jwks.json` (`port` 0 or `None`: a free one).
    pub async fn start(port: Option<u16>, jwks: Value) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", port.unwrap_or(0))).await?;
        let url = format!("http://127.0.0.1:{}/jwks.json", listener.local_addr()?.port());
        let current = Arc::new(RwLock::new(jwks));
        let served = Arc::clone(&current);
        let stop = crate::http::loopback_server::serve_until_stopped(listener, move |stream| {
            answer(stream, Arc::clone(&served))
        });
        Ok(Self {
            url,
            current,
            _stop: stop,
        })
    }

    /// The set's URL, to register as `jwks_uri`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Replaces the set served from now on (after a rotation).
    pub fn set(&self, jwks: Value) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = jwks;
    }
}

async fn answer(stream: tokio::net::TcpStream, current: Arc<RwLock<Value>>) {
    let body = || current.read().unwrap_or_else(|e| e.into_inner()).to_string();
    crate::http::loopback_server::answer_json(stream, "/jwks.json", body, "no-store").await;
}
