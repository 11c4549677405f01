//! A real Model Context Protocol server for the tests: `tests/providers/mcp-server`, built
//! with the official MCP TypeScript SDK (pinned), whose authorization server is a real
//! node-oidc-provider. Installed by `tests/providers/install.sh` with the other real
//! servers, started on 127.0.0.1 with a free port, stopped by pid when the handle is
//! dropped; a test that needs it and cannot start it fails, as with `RealProvider`.

use crate::real_provider::{installed, start_ready};
use serde_json::Value;
use std::process::{Child, Command};

/// A running MCP server; dropping it stops the process.
#[derive(Debug)]
pub struct RealMcpServer {
    /// The MCP endpoint (Streamable HTTP), e.g. `http://127.0.0.1:N/mcp`.
    pub url: String,
    /// Its RFC 9728 protected resource metadata, the address its 401s name.
    pub metadata_url: String,
    /// The resource identifier its metadata publishes (`url` unless `resource` was given).
    pub resource: String,
    /// The authorization server's issuer it trusts.
    pub issuer: String,
    pub port: u16,
    child: Child,
}

impl RealMcpServer {
    /// The MCP server with `config` (the keys documented at the top of
    /// `tests/providers/mcp-server/server.mjs`; `issuer` is required, `port` is set here).
    pub fn start(config: Value) -> Self {
        let script = installed().join("mcp-server/server.mjs");
        let mut config = config;
        config["port"] = Value::from(0);
        config["exitOnStdinClose"] = Value::Bool(true);
        let (child, ready) = start_ready("MCP server", || {
            let mut command = Command::new("node");
            command.arg(&script).arg(config.to_string());
            command
        });
        let text = |k: &str| {
            ready[k]
                .as_str()
                .unwrap_or_else(|| panic!("MCP server: no {k} in {ready}"))
                .to_string()
        };
        Self {
            url: text("url"),
            metadata_url: text("metadata_url"),
            resource: text("resource"),
            issuer: text("issuer"),
            port: ready["port"].as_u64().expect("a port") as u16,
            child,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for RealMcpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
