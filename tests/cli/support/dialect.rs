//! Each dialect as a user meets it through the CLI: the `profile add` flags its mock needs
//! (typed by hand here, independently of what `registrar mock` prints), a client its
//! provider accepts, and which operations it offers.

use super::{Cli, Mock};
use registrar_mock_op::Dialect;
use serde_json::{json, Value};
use std::path::PathBuf;

/// The variable the tests hand secrets through (`--secret-env`).
pub const SECRET_ENV: &str = "MOCK_SECRET";

#[derive(Debug, Clone, Copy)]
pub struct Capabilities {
    pub read: bool,
    pub update: bool,
    pub delete: bool,
    /// Clients are managed with their registration access token (not admin credentials).
    pub rat: bool,
}

pub fn capabilities(dialect: Dialect) -> Capabilities {
    match dialect {
        Dialect::OpenBanking => unreachable!("openbanking is tested on its own (mutual TLS, signed requests)"),
        Dialect::Generic | Dialect::Indigo | Dialect::SimpleIdServer => Capabilities {
            read: true,
            update: true,
            delete: true,
            rat: true,
        },
        Dialect::Soffid => Capabilities {
            read: true,
            update: false,
            delete: false,
            rat: true,
        },
        Dialect::Wso2 => Capabilities {
            read: false,
            update: false,
            delete: true,
            rat: false,
        },
        Dialect::Liberty => Capabilities {
            read: true,
            update: true,
            delete: true,
            rat: false,
        },
    }
}

/// `profile add NAME ...` for this mock, and the secret to put in `SECRET_ENV`.
pub fn profile_flags(mock: &Mock, name: &str) -> (Vec<String>, Option<String>) {
    let s = &mock.server;
    let c = s.credentials();
    let mut args: Vec<String> = vec!["profile".into(), "add".into(), name.into()];
    args.extend(["--kind".into(), mock.dialect().to_string()]);
    args.extend(["--registration-endpoint".into(), s.registration_endpoint()]);
    args.extend(["--issuer".into(), s.issuer()]);
    let secret = match mock.dialect() {
        Dialect::OpenBanking => unreachable!("openbanking is tested on its own (mutual TLS, signed requests)"),
        Dialect::Generic | Dialect::Indigo => None,
        Dialect::Soffid => c.initial_access_token.clone(),
        Dialect::Wso2 | Dialect::Liberty => {
            args.extend(["--username".into(), c.admin_username.clone().expect("an admin user")]);
            c.admin_password.clone()
        }
        Dialect::SimpleIdServer => {
            args.extend([
                "--client-id".into(),
                c.registrar_client_id.clone().expect("a registering client"),
            ]);
            args.extend(["--token-endpoint".into(), s.token_endpoint()]);
            c.registrar_client_secret.clone()
        }
    };
    if secret.is_some() {
        args.extend(["--secret-env".into(), SECRET_ENV.into()]);
    }
    (args, secret)
}

/// Adds the mock as profile `name` through the CLI.
pub fn add_profile(cli: &Cli, mock: &Mock, name: &str) -> Value {
    let (args, secret) = profile_flags(mock, name);
    let mut cmd = cli.cmd();
    cmd.arg("--json").args(&args);
    if let Some(secret) = secret {
        cmd.env(SECRET_ENV, secret);
    }
    let assert = cmd.assert();
    let output = assert.get_output();
    assert!(
        output.status.success(),
        "profile add for {}: {}",
        mock.dialect(),
        String::from_utf8_lossy(&output.stderr)
    );
    super::json_of(&assert)
}

/// A client `dialect`'s provider accepts, written to a JSON file in the data directory.
pub fn client_file(cli: &Cli, dialect: Dialect, name: &str) -> PathBuf {
    let redirect = "https://app.example.org/callback";
    let metadata = match dialect {
        Dialect::OpenBanking => unreachable!("openbanking is tested on its own (mutual TLS, signed requests)"),
        Dialect::Generic | Dialect::Soffid | Dialect::Indigo => json!({
            "client_name": name,
            "redirect_uris": [redirect],
            "grant_types": ["authorization_code", "client_credentials"],
            "response_types": ["code"],
            "contacts": ["ops@example.org"],
            "scope": "openid profile",
            "x_vendor_note": {"tier": "gold"}
        }),
        Dialect::Wso2 => json!({
            "client_name": name,
            "ext_param_owner": "admin",
            "redirect_uris": [redirect],
            "grant_types": ["password"],
            "response_types": []
        }),
        Dialect::SimpleIdServer => json!({
            "client_name": name,
            "redirect_uris": [redirect],
            "grant_types": ["client_credentials"],
            "response_types": [],
            "scope": "openid profile"
        }),
        Dialect::Liberty => json!({
            "client_name": name,
            "redirect_uris": [redirect],
            "grant_types": ["authorization_code", "client_credentials"],
            "response_types": ["code"],
            "scope": "openid profile",
            "introspect_tokens": true,
            "preauthorized_scope": "openid"
        }),
    };
    let path = cli.data_dir().join(format!("{}.json", name.replace(' ', "-")));
    std::fs::write(&path, serde_json::to_vec_pretty(&metadata).expect("JSON")).expect("the client file is written");
    path
}
