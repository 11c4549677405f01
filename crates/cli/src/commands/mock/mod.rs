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
use registrar_mock_op::{Dialect, MockConfig, MockServer};
use std::net::{Ipv4Addr, SocketAddr};

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
    let server = MockServer::start(config).await.map_err(|e| {
        Failure::new(
            failure::NETWORK,
            format!("could not start the mock provider on 127.0.0.1:{}: {e}", args.port),
        )
    })?;
    // Listening before announcing: whoever reads the announcement may signal at once.
    let stop = stop::Signals::listen();
    let name = args.profile_name.unwrap_or_else(|| format!("mock-{kind}"));
    let view = MockView::new(&server, kind, &name, app.explicit_data_dir().map(|p| p.as_path()));
    view.print(app.out.is_json())?;
    stop.wait().await;
    server.stop().await;
    Ok(())
}
