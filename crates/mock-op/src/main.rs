//! `registrar-mock-op`: run one mock provider from the command line for demos and manual
//! testing. Prints where it listens and the demo credentials it accepts, then serves until
//! Ctrl-C (or SIGTERM).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use registrar_mock_op::tls::LocalhostCertificate;
use registrar_mock_op::{Credentials, Dialect, MockConfig, MockServer, ResourceFault, DEMO_PASSWORD, DEMO_USERNAME};

/// An embedded mock OpenID Provider speaking one provider's dynamic client registration dialect,
/// and an MCP server (<base>/mcp) that takes its access tokens.
#[derive(Debug, Parser)]
#[command(name = "registrar-mock-op", version)]
struct Args {
    /// The provider to imitate: generic, soffid, wso2, indigo, simpleidserver, liberty or
    /// openbanking.
    #[arg(long, default_value = "generic")]
    kind: Dialect,
    /// Port to listen on; 0 picks a free one (printed at start).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    bind: IpAddr,
    /// Hand out a new registration access token on every read.
    #[arg(long)]
    rotate_on_read: bool,
    /// Hand out a new registration access token on every update.
    #[arg(long)]
    rotate_on_update: bool,
    /// Hand out a new client secret on every read.
    #[arg(long)]
    rotate_secret_on_read: bool,
    /// Generic only: refuse registration without the initial access token.
    #[arg(long)]
    require_initial_token: bool,
    /// Number of clients registered at start.
    #[arg(long, default_value_t = 0)]
    seed: usize,
    /// Liberty only: the provider name in /oidc/endpoint/<name>.
    #[arg(long, default_value = "OP")]
    liberty_provider: String,
    /// Serve HTTPS with this PEM certificate chain (leaf first, naming localhost); needs
    /// --tls-key. Openbanking without it makes a CA and a localhost certificate at start.
    #[arg(long, requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(long, requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Openbanking: trust software statements signed by a key of this directory JWK Set
    /// (a JSON file, {"keys": [...]}, each key with a kid).
    #[arg(long)]
    directory_jwks: Option<PathBuf>,
    /// Openbanking: also take registrations and updates as plain JSON (metadata with the
    /// software statement, unsigned), as FAPI DCR deployments that ask for no signed
    /// request do. Signed requests are still taken.
    #[arg(long)]
    accept_unsigned_requests: bool,
    /// Misconfigure the protected resource (the MCP endpoint at <base>/mcp, its metadata at
    /// <base>/.well-known/oauth-protected-resource/mcp) or its authorization server;
    /// repeatable or comma-separated. Switchable while running: POST /_admin/resource_faults.
    #[arg(long, value_name = "FAULT", value_delimiter = ',')]
    resource_fault: Vec<ResourceFault>,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    if !args.bind.is_loopback() {
        tracing::warn!(
            bind = %args.bind,
            "listening beyond loopback: the admin API (/_admin) has no authentication and shows every client's secrets to anyone who can reach this address"
        );
    }
    let mut config = MockConfig::new(args.kind);
    config.bind = SocketAddr::new(args.bind, args.port);
    config.rotate_rat_on_read = args.rotate_on_read;
    config.rotate_rat_on_update = args.rotate_on_update;
    config.rotate_secret_on_read = args.rotate_secret_on_read;
    config.require_initial_token = args.require_initial_token;
    config.seed_clients = args.seed;
    config.liberty_provider = args.liberty_provider.clone();
    config.resource_faults = args.resource_fault.clone();
    let generated = match secure(&mut config, &args) {
        Ok(generated) => generated,
        Err(error) => {
            tracing::error!(%error, "could not set up the mock provider");
            return ExitCode::FAILURE;
        }
    };
    let server = match MockServer::start(config).await {
        Ok(server) => server,
        Err(error) => {
            tracing::error!(%error, "could not start the mock provider");
            return ExitCode::FAILURE;
        }
    };
    announce(&server, generated.as_ref());
    wait_for_stop().await;
    tracing::info!("stopping");
    server.stop().await;
    ExitCode::SUCCESS
}

/// HTTPS and the trusted directory from the flags. Answers the certificate made at start,
/// if one was (openbanking without --tls-cert).
fn secure(config: &mut MockConfig, args: &Args) -> Result<Option<LocalhostCertificate>, String> {
    let read =
        |path: &PathBuf| std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()));
    config.accept_unsigned_requests = args.accept_unsigned_requests;
    if let Some(path) = &args.directory_jwks {
        let jwks: serde_json::Value =
            serde_json::from_str(&read(path)?).map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
        if !jwks.get("keys").is_some_and(serde_json::Value::is_array) {
            return Err(format!("{} is not a JWK Set ({{\"keys\": [...]}})", path.display()));
        }
        config.trusted_directory_jwks = Some(jwks);
    }
    let tls = |c: MockConfig, cert: &str, key: &str| c.clone().with_tls_pem(cert, key).map_err(|e| e.to_string());
    match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => {
            *config = tls(config.clone(), &read(cert)?, &read(key)?)?;
            Ok(None)
        }
        _ if config.dialect.needs_mutual_tls() => {
            let generated = LocalhostCertificate::generate().map_err(|e| e.to_string())?;
            *config = tls(config.clone(), &generated.cert_pem, &generated.key_pem)?;
            Ok(Some(generated))
        }
        _ => Ok(None),
    }
}

/// Where the CA of a certificate made at start is (written to the temporary directory), so a
/// client can trust it, and the server certificate's fingerprint.
fn certificate_lines(server: &MockServer, generated: &LocalhostCertificate) -> Vec<(&'static str, String)> {
    let port = server.base_url().rsplit(':').next().unwrap_or_default().to_owned();
    let path = std::env::temp_dir().join(format!("registrar-mock-op-{port}-ca.pem"));
    let mut lines = Vec::new();
    match std::fs::write(&path, &generated.ca_pem) {
        Ok(()) => lines.push(("tls_ca_pem", path.display().to_string())),
        Err(error) => tracing::warn!(%error, path = %path.display(), "cannot write the CA certificate"),
    }
    lines.push(("tls_cert_sha256", generated.sha256_fingerprint()));
    lines
}

/// What a user needs to point a client at this mock. Printing the demo credentials is the
/// point: they are this local mock's own, not anybody's secrets.
#[allow(clippy::print_stdout)]
fn announce(server: &MockServer, generated: Option<&LocalhostCertificate>) {
    let Credentials {
        initial_access_token,
        admin_username,
        admin_password,
        registrar_client_id,
        registrar_client_secret,
        registration_scope,
    } = server.credentials();
    let credentials = [
        ("initial_access_token", initial_access_token),
        ("admin_username", admin_username),
        ("admin_password", admin_password),
        ("registrar_client_id", registrar_client_id),
        ("registrar_client_secret", registrar_client_secret),
        ("registration_scope", registration_scope),
    ];
    let mut lines = vec![
        ("dialect", server.dialect().to_string()),
        ("base_url", server.base_url()),
        ("issuer", server.issuer()),
        ("registration_endpoint", server.registration_endpoint()),
        ("token_endpoint", server.token_endpoint()),
        ("authorization_endpoint", server.authorization_endpoint()),
        ("device_verification_uri", server.device_verification_uri()),
        ("mcp_endpoint", server.mcp_endpoint()),
        ("resource_metadata", server.resource_metadata_url()),
        ("demo_user", format!("{DEMO_USERNAME} / {DEMO_PASSWORD}")),
    ];
    lines.extend(
        credentials
            .into_iter()
            .filter_map(|(name, value)| Some((name, value.clone()?))),
    );
    if server.dialect().needs_mutual_tls() {
        let directory = match server.admin().trusted_directory() {
            Some(jwks) => format!(
                "{} key(s) trusted; change with POST /_admin/directory_jwks",
                jwks["keys"].as_array().map_or(0, Vec::len)
            ),
            None => "none trusted yet: POST its JWK Set to /_admin/directory_jwks".to_owned(),
        };
        lines.push(("directory", directory));
    }
    if let Some(generated) = generated {
        lines.extend(certificate_lines(server, generated));
    }
    let faults = server.admin().resource_faults();
    if !faults.is_empty() {
        let names: Vec<&str> = faults.iter().map(|f| f.name()).collect();
        lines.push(("resource_faults", names.join(", ")));
    }
    lines.push(("admin_api", format!("{}/_admin/clients", server.base_url())));
    for (name, value) in lines {
        println!("{:<25}{value}", format!("{name}:"));
    }
}

async fn wait_for_stop() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    () = ctrl_c => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => ctrl_c.await,
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}
