//! `registrar discover`: what an issuer's discovery document (OpenID Connect Discovery,
//! RFC 8414) says about registration, and the profile kind it suggests.

use super::profile::read_ca_cert;
use super::provider_call;
use crate::app::App;
use crate::failure::Failure;
use crate::render::DiscoveredView;
use clap::Args;
use registrar_core::profile::TlsOptions;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct DiscoverArgs {
    /// An issuer, or a protected resource's URL (an MCP server's endpoint).
    #[arg(value_name = "URL")]
    pub issuer: String,
    /// A PEM CA certificate to trust besides the system roots.
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// Skip TLS certificate checks; only allowed for loopback hosts.
    #[arg(long)]
    pub accept_invalid_certs: bool,
}

pub async fn run(app: &App, args: DiscoverArgs) -> Result<(), Failure> {
    let tls = TlsOptions {
        ca_certificate_pem: match &args.ca_cert {
            Some(path) => read_ca_cert(path)?,
            None => None,
        },
        accept_invalid_certificates: args.accept_invalid_certs,
        client_certificate: None,
    };
    let registrar = app.open()?;
    let discovered = provider_call(
        format!("discovering {}", args.issuer),
        registrar.discover_url(&args.issuer, &tls),
    )
    .await??;
    if let registrar_core::Discovered::Issuer { discovery } = &discovered {
        app.out.warn(&discovery.warnings);
    }
    app.out.show(&DiscoveredView(discovered))
}
