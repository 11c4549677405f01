//! `registrar mock`: the embedded mock provider in the foreground, for demos and tests
//! offline. It prints a ready-to-use `registrar profile add` line for itself; its demo
//! credentials are the mock's own, public values, so printing them is the point.

mod announce;
mod profile_line;
mod stop;

use crate::app::App;
use crate::failure::{self, Failure};
use announce::MockView;
use clap::Args;
use registrar_mock_op::tls::LocalhostCertificate;
use registrar_mock_op::{Dialect, MockConfig, MockServer};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct MockArgs {
    /// The provider to imitate.
    #[arg(long, value_enum, default_value_t = Dialect::Generic)]
    pub kind: Dialect,
    /// The port on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Hand out a new registration access token on every read.
    #[arg(long)]
    pub rotate_on_read: bool,
    /// Hand out a new registration access token on every update.
    #[arg(long)]
    pub rotate_on_update: bool,
    /// Hand out a new client secret on every read.
    #[arg(long)]
    pub rotate_secret_on_read: bool,
    /// Generic only: refuse registration without an initial access token.
    #[arg(long)]
    pub require_initial_token: bool,
    /// Clients registered before the first request.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub seed: usize,
    /// The profile name used in the printed `profile add` line [default: mock-KIND].
    #[arg(long, value_name = "NAME")]
    pub profile_name: Option<String>,
    /// Openbanking: trust software statements signed by a key of this directory JWK Set
    /// (it can also be POSTed to /_admin/directory_jwks later).
    #[arg(long, value_name = "FILE")]
    pub directory_jwks: Option<PathBuf>,
    /// Serve HTTPS with this PEM certificate chain (naming localhost) [openbanking default: a
    /// CA and a localhost certificate made at start].
    #[arg(long, value_name = "CHAIN.pem", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(long, value_name = "KEY.pem", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Where to write the CA of the certificate made at start [default: in the temporary
    /// directory, named after the port].
    #[arg(long, value_name = "FILE")]
    pub ca_out: Option<PathBuf>,
    /// Misconfigure the MCP endpoint at <base>/mcp or its authorization server, to see the
    /// discovery chain fail there; repeatable or comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "FAULT")]
    pub resource_fault: Vec<registrar_mock_op::ResourceFault>,
}

pub async fn run(app: &App, args: MockArgs) -> Result<(), Failure> {
    let dialect = args.kind;
    let kind = registrar_local_mock::kind_of(dialect);
    let mut config = MockConfig::new(dialect);
    config.bind = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    config.rotate_rat_on_read = args.rotate_on_read;
    config.rotate_rat_on_update = args.rotate_on_update;
    config.rotate_secret_on_read = args.rotate_secret_on_read;
    config.require_initial_token = args.require_initial_token;
    config.seed_clients = args.seed;
    config.resource_faults = args.resource_fault.clone();
    let generated = secure(&mut config, &args)?;
    let server = MockServer::start(config).await.map_err(|e| {
        Failure::new(
            failure::NETWORK,
            format!("could not start the mock provider on 127.0.0.1:{}: {e}", args.port),
        )
    })?;
    // Listening before announcing: whoever reads the announcement may signal at once.
    let stop = stop::Signals::listen();
    let name = args.profile_name.unwrap_or_else(|| format!("mock-{kind}"));
    let ca_file = match &generated {
        Some(certificate) => Some(write_ca(&server, certificate, args.ca_out.as_deref())?),
        None => None,
    };
    let view = MockView::new(
        &server,
        kind,
        &name,
        app.explicit_data_dir().map(|p| p.as_path()),
        ca_file.as_deref(),
    );
    view.print(app.out.is_json())?;
    stop.wait().await;
    server.stop().await;
    Ok(())
}

/// HTTPS and the trusted directory from the flags; answers the certificate made at start,
/// if one was (openbanking without --tls-cert), whose CA the user must trust.
fn secure(config: &mut MockConfig, args: &MockArgs) -> Result<Option<LocalhostCertificate>, Failure> {
    let read = |path: &Path| {
        std::fs::read_to_string(path).map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))
    };
    if let Some(path) = &args.directory_jwks {
        let jwks = crate::commands::custody::read_jwks(path)?;
        config.trusted_directory_jwks = Some(jwks);
    }
    let tls = |c: &MockConfig, cert: &str, key: &str| {
        c.clone()
            .with_tls_pem(cert, key)
            .map_err(|e| Failure::usage(format!("cannot serve HTTPS with that certificate: {e}")))
    };
    match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => {
            *config = tls(config, &read(cert)?, &read(key)?)?;
            Ok(None)
        }
        _ if config.dialect.needs_mutual_tls() => {
            let generated = LocalhostCertificate::generate()
                .map_err(|e| Failure::new(1, format!("cannot make the mock's certificate: {e}")))?;
            *config = tls(config, &generated.cert_pem, &generated.key_pem)?;
            Ok(Some(generated))
        }
        _ => Ok(None),
    }
}

fn write_ca(server: &MockServer, certificate: &LocalhostCertificate, out: Option<&Path>) -> Result<PathBuf, Failure> {
    let path = match out {
        Some(path) => path.to_path_buf(),
        None => {
            let port = server.base_url().rsplit(':').next().unwrap_or_default().to_owned();
            std::env::temp_dir().join(format!("registrar-mock-{port}-ca.pem"))
        }
    };
    std::fs::write(&path, &certificate.ca_pem)
        .map_err(|e| Failure::usage(format!("cannot write the mock's CA to {}: {e}", path.display())))?;
    Ok(path)
}
