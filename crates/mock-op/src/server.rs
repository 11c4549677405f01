//! Starting, addressing and stopping one mock.

use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::state::Shared;
use crate::{dialects, router, secret, serve, shutdown, AdminHandle, Credentials, Dialect, MockConfig};

/// A running mock provider. Dropping it stops it too.
pub struct MockServer {
    shared: Arc<Shared>,
    trigger: shutdown::Trigger,
    task: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Binds `config.bind`, registers the seed clients and starts serving in a background
    /// task. The server is accepting connections when this returns.
    pub async fn start(mut config: MockConfig) -> io::Result<MockServer> {
        check_provider_name(&config.liberty_provider)?;
        if config.dialect == Dialect::Generic
            && config.require_initial_token
            && config.credentials.initial_access_token.is_none()
        {
            config.credentials.initial_access_token = Some(secret::token(24));
        }
        let listener = TcpListener::bind(config.bind).await?;
        let tls = config.tls.clone().map(tokio_rustls::TlsAcceptor::from);
        let base_url = match &tls {
            // The certificate names localhost; the URLs must too.
            Some(_) => format!("https://localhost:{}", listener.local_addr()?.port()),
            None => format!("http://{}", reachable(listener.local_addr()?)),
        };
        let seeds = config.seed_clients;
        let (trigger, stop) = shutdown::channel();
        let shared = Arc::new(Shared::new(config, &base_url, stop.clone()));
        dialects::seed(&shared, seeds);
        let app = router::build(Arc::clone(&shared));
        let task = tokio::spawn(serve::run(listener, tls, app, stop));
        tracing::info!(dialect = %shared.dialect, %base_url, "mock provider started");
        Ok(MockServer {
            shared,
            trigger,
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT` (`https://localhost:PORT` with TLS), without a trailing slash.
    pub fn base_url(&self) -> String {
        self.shared.urls.base.clone()
    }

    /// The issuer: the base URL, or for Liberty `<base>/oidc/endpoint/<provider>`.
    pub fn issuer(&self) -> String {
        self.shared.urls.issuer.clone()
    }

    /// Where clients register (POST).
    pub fn registration_endpoint(&self) -> String {
        self.shared.urls.registration.clone()
    }

    /// The OAuth token endpoint.
    pub fn token_endpoint(&self) -> String {
        self.shared.urls.token.clone()
    }

    /// The authorization endpoint, with its demo login page.
    pub fn authorization_endpoint(&self) -> String {
        self.shared.urls.authorization.clone()
    }

    /// The JWK Set of the ID token signing keys.
    pub fn jwks_uri(&self) -> String {
        self.shared.urls.jwks.clone()
    }

    /// Where a device asks for a device code and a user code (RFC 8628).
    pub fn device_authorization_endpoint(&self) -> String {
        self.shared.urls.device_authorization.clone()
    }

    /// The page where the user enters a device flow's user code.
    pub fn device_verification_uri(&self) -> String {
        self.shared.urls.device_verification.clone()
    }

    /// Token introspection (RFC 7662).
    pub fn introspection_endpoint(&self) -> String {
        self.shared.urls.introspection.clone()
    }

    /// Token revocation (RFC 7009).
    pub fn revocation_endpoint(&self) -> String {
        self.shared.urls.revocation.clone()
    }

    /// The UserInfo endpoint.
    pub fn userinfo_endpoint(&self) -> String {
        self.shared.urls.userinfo.clone()
    }

    /// The protected resource: an MCP server (Streamable HTTP) at `<base>/mcp`, which takes
    /// access tokens issued here for it (RFC 8707 `resource`) with the `mcp:tools` scope.
    pub fn mcp_endpoint(&self) -> String {
        self.shared.urls.mcp.clone()
    }

    /// The MCP endpoint's protected resource metadata (RFC 9728),
    /// `<base>/.well-known/oauth-protected-resource/mcp`.
    pub fn resource_metadata_url(&self) -> String {
        self.shared.urls.resource_metadata.clone()
    }

    /// The provider this mock imitates.
    pub fn dialect(&self) -> Dialect {
        self.shared.dialect
    }

    /// The credentials this mock accepts.
    pub fn credentials(&self) -> &Credentials {
        &self.shared.credentials
    }

    /// Direct access to the provider's state, as its admin console would have.
    pub fn admin(&self) -> AdminHandle {
        AdminHandle::new(Arc::clone(&self.shared))
    }

    /// Stops accepting, lets in-flight requests finish (briefly), and waits for the server.
    pub async fn stop(mut self) {
        self.trigger.fire();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.trigger.fire();
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("dialect", &self.shared.dialect)
            .field("base_url", &self.shared.urls.base)
            .finish_non_exhaustive()
    }
}

/// The provider name becomes a path segment of every Liberty URL.
fn check_provider_name(name: &str) -> io::Result<()> {
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if valid {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("liberty provider name `{name}` must be letters, digits, '-', '_' or '.'"),
        ))
    }
}

/// An address clients can dial: a wildcard bind is reached through loopback.
fn reachable(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}
