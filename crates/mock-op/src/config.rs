//! How a mock is set up before it starts: which dialect, where it listens, which demo
//! credentials it accepts and which misbehaviours (rotation, resource faults) it shows from the
//! first request.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::{Dialect, ResourceFault};

/// What a client needs to use the mock. Each dialect fills in the fields it uses; the rest
/// stay `None`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    /// Bearer token for registration: soffid always, generic when `require_initial_token`
    /// is set (a random one is made at start when none is given).
    pub initial_access_token: Option<String>,
    /// HTTP Basic user for registration and management: wso2, liberty.
    pub admin_username: Option<String>,
    /// Password of `admin_username`.
    pub admin_password: Option<String>,
    /// The client that obtains registration tokens by `client_credentials`: simpleidserver.
    pub registrar_client_id: Option<String>,
    /// Secret of `registrar_client_id`.
    pub registrar_client_secret: Option<String>,
    /// The scope a registration token must carry: simpleidserver.
    pub registration_scope: Option<String>,
}

impl Credentials {
    /// The demo credentials each provider's document uses (or a plain stand-in where the
    /// document shows none).
    pub fn for_dialect(dialect: Dialect) -> Self {
        let some = |s: &str| Some(s.to_owned());
        match dialect {
            // Open Banking clients register with a software statement, not credentials.
            Dialect::Generic | Dialect::Indigo | Dialect::OpenBanking => Credentials::default(),
            Dialect::Soffid => Credentials {
                initial_access_token: some("soffid-initial-access-token"),
                ..Credentials::default()
            },
            Dialect::Wso2 => Credentials {
                admin_username: some("admin"),
                admin_password: some("admin"),
                ..Credentials::default()
            },
            Dialect::SimpleIdServer => Credentials {
                registrar_client_id: some("registerClient"),
                registrar_client_secret: some("password"),
                registration_scope: some("register"),
                ..Credentials::default()
            },
            Dialect::Liberty => Credentials {
                admin_username: some("clientAdmin"),
                admin_password: some("clientAdminPassword"),
                ..Credentials::default()
            },
        }
    }
}

/// Everything [`crate::MockServer::start`] needs.
#[derive(Clone, Debug)]
pub struct MockConfig {
    /// The provider to imitate.
    pub dialect: Dialect,
    /// Where to listen; port 0 picks a free one.
    pub bind: SocketAddr,
    /// Credentials the mock accepts.
    pub credentials: Credentials,
    /// Generic only: refuse registration without a valid initial access token. When false,
    /// a token is still checked if one is sent.
    pub require_initial_token: bool,
    /// Hand out a new registration access token on every read; the old one dies at once.
    pub rotate_rat_on_read: bool,
    /// Hand out a new registration access token on every update.
    pub rotate_rat_on_update: bool,
    /// Hand out a new client secret on every read.
    pub rotate_secret_on_read: bool,
    /// Clients registered before the first request.
    pub seed_clients: usize,
    /// Larger request bodies are refused with 413.
    pub max_body_bytes: usize,
    /// Liberty only: the provider name in `/oidc/endpoint/<name>/...`.
    pub liberty_provider: String,
    /// Lifetimes of what the authorization server issues, and the device polling interval.
    pub timing: Timing,
    /// Serve HTTPS with this configuration (its certificate must name `localhost`, the
    /// host the mock's URLs then use); plain HTTP when `None`.
    /// For openbanking, one that requests client certificates ([`MockConfig::with_tls_pem`]
    /// or [`crate::tls::server_config`]).
    pub tls: Option<std::sync::Arc<tokio_rustls::rustls::ServerConfig>>,
    /// Openbanking only: the JWK Set of the directory whose software statements are trusted
    /// (its public keys, each with a `kid`). `None`: every statement is unapproved until
    /// [`crate::AdminHandle::trust_directory`] sets one.
    pub trusted_directory_jwks: Option<serde_json::Value>,
    /// Openbanking only: also take a registration or update as plain JSON (the metadata and
    /// the software statement, unsigned), as FAPI DCR deployments that do not ask for a
    /// signed request do; signed requests are taken as always.
    pub accept_unsigned_requests: bool,
    /// Misconfigurations of the protected resource (the MCP endpoint) and its authorization
    /// server switched on from the first request (`--resource-fault`); switchable while
    /// running through [`crate::AdminHandle::set_resource_faults`].
    pub resource_faults: Vec<ResourceFault>,
}

impl MockConfig {
    /// The defaults for `dialect`: loopback on a free port, the dialect's demo credentials,
    /// no rotation, no seed clients, 64 KiB bodies.
    pub fn new(dialect: Dialect) -> Self {
        MockConfig {
            dialect,
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            credentials: Credentials::for_dialect(dialect),
            require_initial_token: false,
            rotate_rat_on_read: false,
            rotate_rat_on_update: false,
            rotate_secret_on_read: false,
            seed_clients: 0,
            max_body_bytes: 64 * 1024,
            liberty_provider: "OP".to_owned(),
            timing: Timing::default(),
            tls: None,
            trusted_directory_jwks: None,
            accept_unsigned_requests: false,
            resource_faults: Vec::new(),
        }
    }

    /// Serves HTTPS with this PEM certificate chain (leaf first, naming `localhost`) and PEM
    /// private key; for a dialect that uses mutual TLS (openbanking), clients are asked for
    /// certificates too.
    pub fn with_tls_pem(mut self, cert_chain_pem: &str, key_pem: &str) -> std::io::Result<Self> {
        self.tls = Some(crate::tls::server_config(
            cert_chain_pem,
            key_pem,
            self.dialect.needs_mutual_tls(),
        )?);
        Ok(self)
    }
}

/// How long what the authorization server issues lives. A zero lifetime makes the thing born
/// expired, so tests can see expiry handled without waiting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    /// Authorization codes (default 60 s).
    pub authorization_code: Duration,
    /// Access tokens, including `client_credentials` ones (default 1 h).
    pub access_token: Duration,
    /// Refresh tokens (default 1 day).
    pub refresh_token: Duration,
    /// ID tokens' `exp` (default 1 h).
    pub id_token: Duration,
    /// Device codes and their user codes (default 10 min).
    pub device_code: Duration,
    /// The device flow's minimum polling `interval` (default 5 s).
    pub device_poll_interval: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            authorization_code: Duration::from_secs(60),
            access_token: Duration::from_secs(3600),
            refresh_token: Duration::from_secs(24 * 3600),
            id_token: Duration::from_secs(3600),
            device_code: Duration::from_secs(600),
            device_poll_interval: Duration::from_secs(5),
        }
    }
}
