//! `registrar-mock-op`: run one mock provider from the command line for demos and manual
//! testing. Prints where it listens and the demo credentials it accepts, then serves until
//! Ctrl-C (or SIGTERM).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use clap::Parser;
use registrar_mock_op::{Credentials, Dialect, MockConfig, MockServer, DEMO_PASSWORD, DEMO_USERNAME};

/// An embedded mock OpenID Provider speaking one provider's dynamic client registration dialect.
#[derive(Debug, Parser)]
#[command(name = "registrar-mock-op", version)]
struct Args {
    /// The provider to imitate: generic, soffid, wso2, indigo, simpleidserver or liberty.
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
    config.liberty_provider = args.liberty_provider;
    let server = match MockServer::start(config).await {
        Ok(server) => server,
        Err(error) => {
            tracing::error!(%error, "could not start the mock provider");
            return ExitCode::FAILURE;
        }
    };
    announce(&server);
    wait_for_stop().await;
    tracing::info!("stopping");
    server.stop().await;
    ExitCode::SUCCESS
}

/// What a user needs to point a client at this mock. Printing the demo credentials is the
/// point: they are this local mock's own, not anybody's secrets.
#[allow(clippy::print_stdout)]
fn announce(server: &MockServer) {
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
        ("demo_user", format!("{DEMO_USERNAME} / {DEMO_PASSWORD}")),
    ];
    lines.extend(
        credentials
            .into_iter()
            .filter_map(|(name, value)| Some((name, value.clone()?))),
    );
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
