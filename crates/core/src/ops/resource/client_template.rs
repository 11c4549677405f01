//! The metadata an MCP client registers with (the MCP authorization specification, RFC
//! 8252 for native apps): a public client on a loopback redirect URI, for the
//! authorization code grant with refresh tokens.

use crate::metadata::ClientMetadata;
use serde_json::json;

/// The loopback redirect URI an MCP client registers. Without a port: RFC 8252 §7.3 has
/// the provider accept any port on a loopback redirect, and Registrar listens on a free one.
pub const MCP_REDIRECT_URI: &str = "http://127.0.0.1/callback";

/// A public (`token_endpoint_auth_method: none`) native client named `name`.
pub fn mcp_client_metadata(name: &str) -> ClientMetadata {
    let mut m = ClientMetadata::new();
    m.set("client_name", json!(name));
    m.set("redirect_uris", json!([MCP_REDIRECT_URI]));
    m.set("grant_types", json!(["authorization_code", "refresh_token"]));
    m.set("response_types", json!(["code"]));
    m.set("token_endpoint_auth_method", json!("none"));
    m.set("application_type", json!("native"));
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_a_public_loopback_client_for_the_code_grant() {
        let m = mcp_client_metadata("Claude Desktop");
        assert_eq!(m.redirect_uris(), vec![MCP_REDIRECT_URI]);
        assert_eq!(m.str("token_endpoint_auth_method"), Some("none"));
        assert_eq!(m.str("client_name"), Some("Claude Desktop"));
    }
}
