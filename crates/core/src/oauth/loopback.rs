//! A one-shot loopback listener for the redirect of a native app's authorization request
//! (RFC 8252 §7.3): bound to 127.0.0.1 on a chosen or ephemeral port, it answers anything
//! but the callback path with 404 (browsers ask for /favicon.ico, or preconnect and send
//! nothing), and on the callback answers a small page and hands back the URL. The socket
//! closes when [`LoopbackListener::wait`] returns, when its future is dropped (Ctrl-C), or
//! when an unused listener is dropped.
//!
//! HTTP is read by hand, bounded: a request head of at most 8 KiB, read within 10 s.

use futures_util::stream::{FuturesUnordered, StreamExt};
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

/// The callback path when the caller has no preference.
pub const DEFAULT_CALLBACK_PATH: &str = "/callback";
/// How long a user is given to log in and approve.
pub const DEFAULT_REDIRECT_TIMEOUT: Duration = Duration::from_secs(5 * 60);
const MAX_HEAD_BYTES: usize = 8 * 1024;
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections served at once; more are closed unanswered.
const MAX_CONNECTIONS: usize = 16;

/// Why no redirect was caught.
#[derive(Debug, thiserror::Error)]
pub enum LoopbackError {
    /// Another program listens on the port asked for.
    #[error("port {0} on 127.0.0.1 is in use by another program; choose another port, or let Registrar pick one")]
    PortInUse(u16),
    /// No redirect came in time.
    #[error("no redirect came within {}; the browser may still be on the provider's page, or the redirect went elsewhere", describe(*.0))]
    TimedOut(Duration),
    /// The callback path is not an absolute path.
    #[error("the callback path {0:?} must start with / and hold no query")]
    BadPath(String),
    /// The socket failed.
    #[error("the loopback listener failed: {0}")]
    Io(#[from] std::io::Error),
}

fn describe(d: Duration) -> String {
    match d.as_secs() {
        s if s >= 120 && s % 60 == 0 => format!("{} minutes", s / 60),
        60 => "1 minute".into(),
        s if s >= 1 => format!("{s} s"),
        _ => format!("{} ms", d.as_millis()),
    }
}

/// A registered loopback redirect URI a [`LoopbackListener`] can serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoopbackRedirect {
    /// The registered URI, as registered.
    pub registered: String,
    /// The port it names; `None` when it names none, and any port will do (RFC 8252 §7.3).
    pub port: Option<u16>,
    /// Its path (`/` when it has none).
    pub path: String,
}

/// The first of a client's `redirect_uris` the listener can serve: `http://127.0.0.1`,
/// with or without a port, no query and no fragment. (`localhost` is left out: browsers may
/// resolve it to `::1`, where the listener is not, and RFC 8252 §8.3 advises against it.)
/// `None` means the flow needs a loopback URI added for the try, or the final URL pasted.
pub fn loopback_redirect<S: AsRef<str>>(redirect_uris: &[S]) -> Option<LoopbackRedirect> {
    redirect_uris.iter().find_map(|uri| {
        let registered = uri.as_ref();
        let url = Url::parse(registered).ok()?;
        let ok = url.scheme() == "http"
            && url.host() == Some(url::Host::Ipv4(Ipv4Addr::LOCALHOST))
            && url.query().is_none()
            && url.fragment().is_none()
            && url.username().is_empty();
        ok.then(|| LoopbackRedirect {
            registered: registered.to_string(),
            port: url.port(),
            path: url.path().to_string(),
        })
    })
}

/// A bound, not yet answered, loopback redirect listener.
#[derive(Debug)]
pub struct LoopbackListener {
    listener: TcpListener,
    port: u16,
    path: String,
}

impl LoopbackListener {
    /// Binds 127.0.0.1 on `port` (`None`: one the system picks) for the callback `path`
    /// ([`DEFAULT_CALLBACK_PATH`] when unsure).
    pub async fn bind(port: Option<u16>, path: &str) -> Result<Self, LoopbackError> {
        if !path.starts_with('/') || path.contains(['?', '#', ' ']) {
            return Err(LoopbackError::BadPath(path.to_string()));
        }
        let wanted = port.unwrap_or(0);
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, wanted)))
            .await
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AddrInUse => LoopbackError::PortInUse(wanted),
                _ => LoopbackError::Io(e),
            })?;
        let port = listener.local_addr()?.port();
        Ok(Self {
            listener,
            port,
            path: path.to_string(),
        })
    }

    /// The port bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The `redirect_uri` to send: `http://127.0.0.1:{port}{path}`.
    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}{}", self.port, self.path)
    }

    /// Serves until the callback comes (its full URL, query and all, unchecked: see
    /// [`super::parse_callback`]) or `timeout` passes.
    pub async fn wait(self, timeout: Duration) -> Result<Url, LoopbackError> {
        let deadline = tokio::time::sleep(timeout);
        tokio::pin!(deadline);
        let mut connections = FuturesUnordered::new();
        loop {
            tokio::select! {
                _ = &mut deadline => return Err(LoopbackError::TimedOut(timeout)),
                accepted = self.listener.accept() => match accepted {
                    Ok((stream, _)) if connections.len() < MAX_CONNECTIONS => {
                        connections.push(serve(stream, self.port, &self.path));
                    }
                    Ok(_) => {} // dropped: closed unanswered
                    Err(e) if matches!(e.kind(), std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::ConnectionReset) => {}
                    Err(e) => return Err(LoopbackError::Io(e)),
                },
                Some(served) = connections.next(), if !connections.is_empty() => {
                    if let Some(url) = served {
                        return Ok(url);
                    }
                }
            }
        }
    }
}

/// Answers one connection; the callback's URL when it was the callback.
async fn serve(mut stream: TcpStream, port: u16, path: &str) -> Option<Url> {
    let head = match tokio::time::timeout(HEAD_TIMEOUT, read_head(&mut stream)).await {
        Ok(Ok(head)) => head,
        Ok(Err(Refusal(status))) => {
            respond(&mut stream, status, "Registrar", "That request could not be read.").await;
            return None;
        }
        Err(_) => return None,
    };
    let (status, url) = route(&head, port, path);
    match (&url, status) {
        (Some(url), _) => {
            let (title, text) = page_for(url);
            respond(&mut stream, "200 OK", title, &text).await;
        }
        (None, status) => {
            respond(
                &mut stream,
                status,
                "Not found",
                "Registrar is waiting for another address.",
            )
            .await
        }
    }
    url
}

struct Refusal(&'static str);

/// The request head, up to its blank line.
async fn read_head(stream: &mut TcpStream) -> Result<String, Refusal> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    loop {
        let n = stream.read(&mut buf).await.map_err(|_| Refusal("400 Bad Request"))?;
        if n == 0 {
            return Err(Refusal("400 Bad Request"));
        }
        head.extend_from_slice(&buf[..n]);
        if let Some(end) = find(&head, b"\r\n\r\n").or_else(|| find(&head, b"\n\n")) {
            head.truncate(end);
            return String::from_utf8(head).map_err(|_| Refusal("400 Bad Request"));
        }
        if head.len() > MAX_HEAD_BYTES {
            return Err(Refusal("431 Request Header Fields Too Large"));
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The status to answer and, for the callback, its URL.
fn route(head: &str, port: u16, path: &str) -> (&'static str, Option<Url>) {
    let line = head.lines().next().unwrap_or_default();
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return ("400 Bad Request", None);
    };
    if !version.starts_with("HTTP/1.") || !target.starts_with('/') {
        return ("400 Bad Request", None);
    }
    let target_path = target.split(['?', '#']).next().unwrap_or_default();
    if target_path != path {
        return ("404 Not Found", None);
    }
    if method != "GET" {
        return ("405 Method Not Allowed", None);
    }
    match Url::parse(&format!("http://127.0.0.1:{port}{target}")) {
        Ok(url) => ("200 OK", Some(url)),
        Err(_) => ("400 Bad Request", None),
    }
}

fn page_for(url: &Url) -> (&'static str, String) {
    let get = |k: &str| url.query_pairs().find(|(n, _)| n == k).map(|(_, v)| v.into_owned());
    match get("error") {
        Some(error) => (
            "The provider refused",
            format!(
                "Registrar received the provider's answer: {}{}. You can close this tab and return to Registrar.",
                error,
                get("error_description").map(|d| format!(" ({d})")).unwrap_or_default()
            ),
        ),
        None => (
            "Registrar received the answer",
            "Registrar received the answer; you can close this tab.".into(),
        ),
    }
}

async fn respond(stream: &mut TcpStream, status: &str, title: &str, text: &str) {
    let body = format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body><h1>{}</h1><p id=\"message\">{}</p></body></html>\n",
        escape(title),
        escape(title),
        escape(text)
    );
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    // A browser that went away takes nothing from the result.
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

fn escape(s: &str) -> String {
    s.chars()
        .take(500)
        .map(|c| match c {
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '&' => "&amp;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&#39;".to_string(),
            c if c.is_control() => String::new(),
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn exchange(port: u16, request: &[u8]) -> String {
        let mut s = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).await.unwrap();
        s.write_all(request).await.unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        out
    }

    #[tokio::test]
    async fn only_the_callback_is_taken_and_then_the_port_is_closed() {
        let listener = LoopbackListener::bind(None, "/callback").await.unwrap();
        let port = listener.port();
        assert_eq!(listener.redirect_uri(), format!("http://127.0.0.1:{port}/callback"));
        let waiting = tokio::spawn(listener.wait(Duration::from_secs(60)));
        // A preconnect that never speaks does not hold the others up.
        let _idle = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).await.unwrap();
        let favicon = exchange(port, b"GET /favicon.ico HTTP/1.1\r\nHost: x\r\n\r\n").await;
        assert!(favicon.starts_with("HTTP/1.1 404"), "{favicon}");
        let garbage = exchange(port, b"\x00\x01 nonsense\r\n\r\n").await;
        assert!(garbage.starts_with("HTTP/1.1 400"), "{garbage}");
        let mut huge = b"GET /callback?".to_vec();
        huge.extend(std::iter::repeat_n(b'a', 10_000));
        let huge = exchange(port, &huge).await;
        assert!(huge.starts_with("HTTP/1.1 431"), "{huge}");
        let post = exchange(port, b"POST /callback HTTP/1.1\r\n\r\n").await;
        assert!(post.starts_with("HTTP/1.1 405"), "{post}");
        let page = exchange(
            port,
            b"GET /callback?error=access_denied&error_description=%3Cb%3Eno%3C%2Fb%3E&state=s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        )
        .await;
        assert!(page.starts_with("HTTP/1.1 200"), "{page}");
        assert!(page.contains("access_denied") && page.contains("&lt;b&gt;no"), "{page}");
        let url = waiting.await.unwrap().unwrap();
        assert_eq!(url.path(), "/callback");
        assert_eq!(
            url.query(),
            Some("error=access_denied&error_description=%3Cb%3Eno%3C%2Fb%3E&state=s")
        );
        assert!(
            TcpStream::connect((Ipv4Addr::LOCALHOST, port)).await.is_err(),
            "the port is closed once the answer is in"
        );
    }

    #[test]
    fn a_registered_loopback_uri_is_found_with_its_port_and_path() {
        let uris = [
            "https://app.example/cb",
            "http://localhost/cb",
            "http://127.0.0.1/cb?x=1",
            "http://127.0.0.1:8400/oauth/done",
            "http://127.0.0.1/cb",
        ];
        let found = loopback_redirect(&uris).unwrap();
        assert_eq!(
            (found.port, found.path.as_str(), found.registered.as_str()),
            (Some(8400), "/oauth/done", "http://127.0.0.1:8400/oauth/done")
        );
        let any_port = loopback_redirect(&["http://127.0.0.1"]).unwrap();
        assert_eq!((any_port.port, any_port.path.as_str()), (None, "/"));
        assert!(loopback_redirect(&["com.example.app:/cb", "https://127.0.0.1/cb"]).is_none());
    }

    #[tokio::test]
    async fn a_success_page_says_so() {
        let listener = LoopbackListener::bind(None, "/cb").await.unwrap();
        let port = listener.port();
        let waiting = tokio::spawn(listener.wait(Duration::from_secs(60)));
        let page = exchange(port, b"GET /cb?code=abc&state=s HTTP/1.1\r\n\r\n").await;
        assert!(page.contains("you can close this tab"), "{page}");
        assert_eq!(waiting.await.unwrap().unwrap().query(), Some("code=abc&state=s"));
    }

    #[tokio::test]
    async fn a_port_in_use_a_bad_path_a_timeout_and_a_dropped_wait_are_each_said() {
        let first = LoopbackListener::bind(None, "/callback").await.unwrap();
        let port = first.port();
        assert!(matches!(
            LoopbackListener::bind(Some(port), "/callback").await,
            Err(LoopbackError::PortInUse(p)) if p == port
        ));
        assert!(matches!(
            LoopbackListener::bind(None, "callback").await,
            Err(LoopbackError::BadPath(_))
        ));
        let e = first.wait(Duration::ZERO).await.unwrap_err();
        assert!(matches!(e, LoopbackError::TimedOut(_)));
        assert!(LoopbackError::TimedOut(DEFAULT_REDIRECT_TIMEOUT)
            .to_string()
            .contains("no redirect came within 5 minutes"));
        // Cancelled (Ctrl-C): dropping the future closes the socket.
        let listener = LoopbackListener::bind(None, "/callback").await.unwrap();
        let port = listener.port();
        let wait = listener.wait(Duration::from_secs(60));
        tokio::select! {
            _ = wait => panic!("nothing connected"),
            _ = tokio::task::yield_now() => {}
        }
        assert!(TcpStream::connect((Ipv4Addr::LOCALHOST, port)).await.is_err());
    }
}
