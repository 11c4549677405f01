//! The keychain locked before a call, or refusing to store after one, made for real on a
//! Secret Service of the test's own (gnome-keyring on a private D-Bus, locked through its
//! own D-Bus method; the unlock prompt has no display and is dismissed). A locked keychain
//! stops every operation that needs a credential before anything is sent, so a rotating
//! provider never rotates a token that could not be kept; a keychain that will not store
//! what a provider just issued loses no client: the credentials are shown once, and the
//! record says they are not stored.

use crate::support::{stderr_of, Cli, Mock, PrivateKeychain};
use assert_cmd::Command;
use registrar_mock_op::Dialect;
use serde_json::Value;
use std::time::{Duration, Instant};

const PROFILE: &str = "op";

struct Setup {
    keychain: PrivateKeychain,
    mock: Mock,
    cli: Cli,
}

impl Setup {
    fn open_registration() -> Self {
        Self {
            keychain: PrivateKeychain::start(),
            mock: Mock::start(Dialect::Generic),
            cli: Cli::new(),
        }
        .with_profile(&["--registration-auth", "none"], None)
    }

    fn with_profile(self, flags: &[&str], iat: Option<String>) -> Self {
        let mut cmd = self.cmd();
        cmd.args(["profile", "add", PROFILE, "--kind", "generic"])
            .args(["--registration-endpoint", &self.mock.server.registration_endpoint()])
            .args(flags);
        if let Some(iat) = iat {
            cmd.args(["--secret-env", "IAT"]).env("IAT", iat);
        }
        let added = cmd.assert();
        assert!(added.get_output().status.success(), "{}", stderr_of(&added));
        self
    }

    /// A provider that wants an initial access token and rotates the registration access
    /// token on every read, with one client registered while the keychain worked.
    fn with_one_client() -> (Self, String) {
        let setup = Self {
            keychain: PrivateKeychain::start(),
            mock: Mock::with(Dialect::Generic, |c| {
                c.require_initial_token = true;
                c.rotate_rat_on_read = true;
            }),
            cli: Cli::new(),
        };
        let iat = setup.mock.server.credentials().initial_access_token.clone();
        let setup = setup.with_profile(&["--registration-auth", "bearer"], iat);
        let id = setup.json(&[
            "register",
            "--set",
            "client_name=kept",
            "--set",
            "redirect_uris=[\"https://app.example/cb\"]",
        ])["client_id"]
            .as_str()
            .unwrap()
            .to_string();
        (setup, id)
    }

    fn cmd(&self) -> Command {
        let mut cmd = self.cli.cmd();
        cmd.envs(self.keychain.env())
            .env_remove("DISPLAY")
            .env("REGISTRAR_PROFILE", PROFILE);
        cmd
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.cmd().arg("--json").args(args).assert();
        assert!(out.get_output().status.success(), "{args:?}: {}", stderr_of(&out));
        serde_json::from_slice(&out.get_output().stdout).unwrap()
    }

    fn provider_token(&self, id: &str) -> String {
        self.mock
            .admin()
            .registration_access_token(id)
            .expect("the client on the provider")
    }
}

#[test]
fn a_locked_keychain_stops_before_anything_is_sent() {
    let (s, id) = Setup::with_one_client();
    let token_before = s.provider_token(&id);
    let clients_before = s.mock.admin().list_clients().len();
    s.keychain.lock();

    for args in [
        vec!["refresh", id.as_str()],
        vec!["get", id.as_str(), "--show-secret"],
        vec![
            "register",
            "--set",
            "client_name=new",
            "--set",
            "redirect_uris=[\"https://app.example/cb\"]",
        ],
        vec!["delete", id.as_str(), "--yes"],
    ] {
        let started = Instant::now();
        let failed = s.cmd().args(&args).assert().code(6);
        let err = stderr_of(&failed);
        assert!(
            err.contains("keychain is locked") && err.contains("unlock"),
            "{args:?}: {err}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{args:?} did not wait on a prompt nobody can answer"
        );
    }
    assert_eq!(
        s.provider_token(&id),
        token_before,
        "no read reached the provider: the token did not rotate"
    );
    assert_eq!(
        s.mock.admin().list_clients().len(),
        clients_before,
        "nothing registered"
    );
    assert!(s.mock.client(&id).is_some(), "nothing deleted");

    // What needs no credential still works, and shows the client as it was.
    let listed = s.json(&["list"]);
    assert_eq!(listed["items"][0]["client_id"], id.as_str(), "{listed}");
    assert_eq!(listed["items"][0]["status"], "active");

    // A headless script that will never answer a prompt can say so, and fails at once.
    let failed = s
        .cmd()
        .env("REGISTRAR_KEYCHAIN_PROMPT_SECONDS", "0")
        .args(["refresh", &id])
        .assert()
        .code(6);
    assert!(stderr_of(&failed).contains("keychain is locked"));
}

#[test]
fn a_keychain_that_locks_while_registering_loses_no_client() {
    // Open registration: nothing has to be read from the keychain before the request, so
    // the provider creates the client and only storing its credentials fails.
    let s = Setup::open_registration();
    s.keychain.lock();
    let out = s
        .cmd()
        .arg("--json")
        .args([
            "register",
            "--set",
            "client_name=unstored",
            "--set",
            "redirect_uris=[\"https://app.example/cb\"]",
        ])
        .assert();
    let shown: Value = serde_json::from_slice(&out.get_output().stdout)
        .unwrap_or_else(|e| panic!("the new client is printed ({e}): {}", stderr_of(&out)));
    assert_eq!(
        out.get_output().status.code(),
        Some(6),
        "a script must not miss credentials that were not kept"
    );
    let warnings = stderr_of(&out);
    assert!(warnings.contains("could not be stored in the keychain"), "{warnings}");
    let id = shown["client_id"].as_str().expect("a client id").to_string();
    assert_eq!(shown["credentials"], "not_stored", "{shown}");
    assert_eq!(
        shown["registration_access_token"].as_str(),
        Some(s.provider_token(&id).as_str()),
        "the only moment the token can be kept: it is shown, and it is the provider's"
    );
    assert!(shown["client_secret"].is_string(), "{shown}");

    let listed = s.json(&["list"]);
    assert_eq!(
        listed["items"][0]["client_id"],
        id.as_str(),
        "recorded locally: {listed}"
    );
    assert_eq!(listed["items"][0]["credentials"], "not_stored", "{listed}");
}
