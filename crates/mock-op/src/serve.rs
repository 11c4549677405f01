//! The accept loop. Hand-rolled on hyper rather than `axum::serve` because two faults need
//! control over the raw connection: dropping it with no response byte written, and stopping
//! cleanly while a response body is stalled on purpose.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::shutdown;
use crate::tls::PeerCertificate;

/// How long stopping waits for in-flight requests before cutting them off.
const GRACE: Duration = Duration::from_secs(2);
/// Slow-loris guard: a request head must arrive within this time.
const HEADER_TIMEOUT: Duration = Duration::from_secs(30);

/// Lets a request (through its extensions) kill the connection it arrived on.
#[derive(Clone, Debug, Default)]
pub(crate) struct ConnControl(Arc<Notify>);

impl ConnControl {
    pub(crate) fn drop_connection(&self) {
        // A stored permit, so the kill is not lost if the connection task is not waiting yet.
        self.0.notify_one();
    }

    async fn dropped(&self) {
        self.0.notified().await;
    }
}

pub(crate) async fn run(listener: TcpListener, tls: Option<TlsAcceptor>, router: Router, stop: shutdown::Signal) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            () = stop.wait() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    // Small request/response pairs: don't let Nagle hold them back.
                    let _ = stream.set_nodelay(true);
                    let (router, stop) = (router.clone(), stop.clone());
                    match &tls {
                        None => connections.spawn(connection(stream, None, router, stop)),
                        Some(acceptor) => {
                            let acceptor = acceptor.clone();
                            connections.spawn(async move {
                                // A client that refuses the certificate ends the handshake.
                                if let Ok(stream) = acceptor.accept(stream).await {
                                    let peer = peer_certificate(&stream);
                                    connection(stream, peer, router, stop).await;
                                }
                            })
                        }
                    };
                }
                Err(error) => {
                    // Typically out of file descriptors: back off instead of spinning.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let drained = tokio::time::timeout(GRACE, async { while connections.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        tracing::debug!("connections still busy after the grace period; aborting them");
    }
}

/// The leaf certificate the client presented in the handshake (mutual TLS), if any.
fn peer_certificate<S>(stream: &tokio_rustls::server::TlsStream<S>) -> Option<PeerCertificate> {
    let (_, session) = stream.get_ref();
    let leaf = session.peer_certificates()?.first()?;
    Some(PeerCertificate(Arc::new(leaf.as_ref().to_vec())))
}

/// Serves one connection, plain or TLS. Dropping it (a fault) closes the socket with no
/// response byte written and, over TLS, without a close_notify. A client certificate from
/// the handshake goes into every request's extensions, for the handlers that authenticate
/// by it.
async fn connection<S>(stream: S, peer: Option<PeerCertificate>, router: Router, stop: shutdown::Signal)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let control = ConnControl::default();
    let service = {
        let control = control.clone();
        hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(control.clone());
            if let Some(peer) = &peer {
                request.extensions_mut().insert(peer.clone());
            }
            router.clone().oneshot(request)
        })
    };
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        result = conn.as_mut() => {
            if let Err(error) = result {
                tracing::debug!(%error, "connection ended with an error");
            }
        }
        // Returning drops `conn`, which closes the socket without writing anything.
        () = control.dropped() => {}
        () = stop.wait() => {
            conn.as_mut().graceful_shutdown();
            tokio::select! {
                _ = conn.as_mut() => {}
                () = control.dropped() => {}
            }
        }
    }
}
