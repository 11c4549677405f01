//! The one-path answer of Registrar's small loopback servers (a JWK Set for `jwks_uri`
//! tests, a Client ID Metadata Document): `GET` or `HEAD` of the path gets the JSON, any
//! other request a 404, and the connection closes. Over plain TCP or TLS alike.

use std::future::Future;
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// Accepts connections on `listener`, each handled by `answer` in a task of its own, until
/// the returned sender is used or dropped.
pub(crate) fn serve_until_stopped<F, Fut>(listener: TcpListener, answer: F) -> oneshot::Sender<()>
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (stop, mut stopped) = oneshot::channel();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = &mut stopped => break,
                accepted = listener.accept() => {
                    if let Ok((stream, _)) = accepted {
                        tokio::spawn(answer(stream));
                    }
                }
            }
        }
    });
    stop
}

/// Reads one request head from `stream` and answers it: `body` (JSON) for `GET path` or
/// `HEAD path`, else 404. `cache_control` is sent with the 200.
pub(crate) async fn answer_json<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    path: &str,
    body: impl FnOnce() -> String,
    cache_control: &str,
) {
    let mut head = vec![0u8; 4096];
    let mut read = 0;
    // The request line is all that matters; read until the head ends or the buffer fills.
    while read < head.len() {
        match stream.read(&mut head[read..]).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                read += n;
                if head[..read].windows(4).any(|w| w == b"\r\n\r\n") {
                    break;
                }
            }
        }
    }
    let line = String::from_utf8_lossy(&head[..read]);
    let target = line.lines().next().unwrap_or_default().to_string();
    let head_only = target.starts_with("HEAD ");
    let asked = target.starts_with(&format!("GET {path} ")) || target.starts_with(&format!("HEAD {path} "));
    let (status, body, cache) = if asked {
        ("200 OK", body(), cache_control)
    } else {
        ("404 Not Found", r#"{"error":"not_found"}"#.to_string(), "no-store")
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nCache-Control: {cache}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        body.len(),
        if head_only { "" } else { body.as_str() }
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}
