//! `registrar keys serve`: the public JWK Set on a loopback URL (the core's `JwksServer`),
//! for a provider that fetches a `jwks_uri` in demos and tests. The set is read again every
//! second, so a rotation done meanwhile (by another `registrar` or the app) shows up.

use super::keys::ServeArgs;
use crate::app::App;
use crate::failure::{Failure, NETWORK};
use crate::render::Human;
use crate::signals::Interrupts;
use registrar_core::custody::JwksServer;
use serde::Serialize;
use std::time::Duration;

#[derive(Debug, Serialize)]
struct ServingView {
    url: String,
    profile: String,
    client_id: Option<String>,
    keys: usize,
}

impl Human for ServingView {
    fn human(&self) -> String {
        let whose = match &self.client_id {
            Some(client) => format!("client {client} of profile {}", self.profile),
            None => format!("profile {}", self.profile),
        };
        format!(
            "Serving the public JWK Set of {whose} ({} key(s)) at\n\n  {}\n\nIt is read again every second. Press Ctrl-C to stop.",
            self.keys, self.url
        )
    }
}

pub async fn run(app: &App, args: ServeArgs) -> Result<(), Failure> {
    let registrar = app.open()?;
    let profile = registrar.profile(&args.profile)?;
    let client = args.client.as_deref();
    let mut current = registrar.public_jwks(&profile.id, client)?;
    // Listening before announcing: whoever reads the URL may signal at once.
    let mut interrupts = Interrupts::listen();
    let server = JwksServer::start(args.port, current.clone()).await.map_err(|e| {
        Failure::new(
            NETWORK,
            format!(
                "could not serve on 127.0.0.1:{}: {e}",
                args.port.map_or("0".into(), |p| p.to_string())
            ),
        )
    })?;
    let view = ServingView {
        url: server.url().to_string(),
        profile: profile.name.clone(),
        client_id: args.client.clone(),
        keys: current["keys"].as_array().map_or(0, Vec::len),
    };
    if app.out.is_json() {
        // One line, so a script can read it and go on.
        let line = serde_json::to_string(&view).map_err(|e| Failure::new(1, e.to_string()))?;
        println!("{line}");
    } else {
        app.out.show(&view)?;
    }
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tokio::select! {
            () = interrupts.next() => break,
            _ = tick.tick() => {
                match registrar.public_jwks(&profile.id, client) {
                    Ok(set) if set != current => {
                        let n = set["keys"].as_array().map_or(0, Vec::len);
                        eprintln!("the JWK Set changed: now {n} key(s)");
                        server.set(set.clone());
                        current = set;
                    }
                    Ok(_) => {}
                    Err(e) => eprintln!("warning: could not read the keys again: {e}"),
                }
            }
        }
    }
    drop(server);
    Ok(())
}
