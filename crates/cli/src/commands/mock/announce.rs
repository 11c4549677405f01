//! What `registrar mock` prints once it listens: where, and the line that adds it as a
//! profile. With `--json`, one line of JSON, so a script (or a test) can read it and go.

use super::profile_line::{profile_add, SECRET_ENV};
use crate::failure::Failure;
use crate::render::shell::{join, quote};
use crate::render::table;
use registrar_core::ProviderKind;
use registrar_mock_op::MockServer;
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Serialize)]
pub struct MockView {
    pub kind: &'static str,
    pub base_url: String,
    pub issuer: String,
    pub registration_endpoint: String,
    pub token_endpoint: String,
    pub admin_api: String,
    /// The MCP server (a protected resource) at the mock, for `registrar discover`.
    pub mcp_endpoint: String,
    /// The `registrar profile add` line, ready for a POSIX shell.
    pub profile_add: String,
    pub profile_add_argv: Vec<String>,
    /// The variable `profile_add` reads the demo secret from, and its value.
    pub secret_env: Option<String>,
    pub secret: Option<String>,
    /// The CA that signed the mock's HTTPS certificate (openbanking), for `--ca-cert`.
    pub tls_ca_pem: Option<String>,
    /// Openbanking: how many directory keys it trusts for software statements.
    pub trusted_directory_keys: Option<usize>,
    #[serde(skip)]
    label: &'static str,
}

impl MockView {
    pub fn new(
        server: &MockServer,
        kind: ProviderKind,
        name: &str,
        data_dir: Option<&Path>,
        ca_file: Option<&Path>,
    ) -> Self {
        let (mut argv, secret) = profile_add(server, kind, name, data_dir);
        if let Some(ca) = ca_file {
            argv.extend(["--ca-cert".into(), ca.display().to_string()]);
        }
        let directory = server.dialect().needs_mutual_tls().then(|| {
            server
                .admin()
                .trusted_directory()
                .and_then(|jwks| jwks["keys"].as_array().map(Vec::len))
                .unwrap_or(0)
        });
        Self {
            kind: kind.as_str(),
            base_url: server.base_url(),
            issuer: server.issuer(),
            registration_endpoint: server.registration_endpoint(),
            token_endpoint: server.token_endpoint(),
            admin_api: format!("{}/_admin/clients", server.base_url()),
            mcp_endpoint: server.mcp_endpoint(),
            profile_add: join(&argv),
            profile_add_argv: argv,
            secret_env: secret.as_ref().map(|_| SECRET_ENV.to_string()),
            secret: secret.map(|s| s.expose().to_string()),
            tls_ca_pem: ca_file.map(|p| p.display().to_string()),
            trusted_directory_keys: directory,
            label: kind.label(),
        }
    }

    pub fn print(&self, json: bool) -> Result<(), Failure> {
        if json {
            let line = serde_json::to_string(self).map_err(|e| Failure::new(1, format!("cannot write JSON: {e}")))?;
            println!("{line}");
            return Ok(());
        }
        println!(
            "Mock {} provider ({}) listening on {}",
            self.kind, self.label, self.base_url
        );
        let rows = [
            ("issuer", &self.issuer),
            ("registration endpoint", &self.registration_endpoint),
            ("token endpoint", &self.token_endpoint),
            ("admin view", &self.admin_api),
            ("MCP server", &self.mcp_endpoint),
        ];
        let mut rows: Vec<(&str, String)> = rows.into_iter().map(|(k, v)| (k, v.clone())).collect();
        if let Some(ca) = &self.tls_ca_pem {
            rows.push(("TLS CA (trust it)", ca.clone()));
        }
        if let Some(n) = self.trusted_directory_keys {
            rows.push((
                "trusted directory",
                match n {
                    0 => format!("none yet: POST its JWK Set to {}/_admin/directory_jwks", self.base_url),
                    n => format!("{n} key(s)"),
                },
            ));
        }
        println!("{}\n", table::fields(rows));
        println!("Add it as a profile (these demo credentials are the mock's own):\n");
        if let (Some(env), Some(secret)) = (&self.secret_env, &self.secret) {
            println!("  export {env}={}", quote(secret));
        }
        println!("  {}\n", self.profile_add);
        println!("Press Ctrl-C to stop.");
        Ok(())
    }
}
