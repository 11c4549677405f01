//! The one person who can log in to the mock: fixed credentials anyone can type in a demo,
//! a stable `sub` so tests can compare tokens across runs, and the profile and email claims
//! the OIDC standard scopes release (OIDC Core §5.4).

use serde_json::{json, Map, Value};

use crate::secret;

/// The demo user's login name.
pub const USERNAME: &str = "demo";
/// The demo user's password.
pub const PASSWORD: &str = "demo";
/// The demo user's subject identifier, the same in every mock and every run.
pub const SUBJECT: &str = "demo-user-0001";

/// Whether these are the demo user's credentials. Both halves are always compared.
pub(crate) fn check(username: &str, password: &str) -> bool {
    secret::same(username, USERNAME) & secret::same(password, PASSWORD)
}

/// The claims `scope` releases about the demo user, `sub` included.
pub(crate) fn claims(scope: &str) -> Map<String, Value> {
    let mut claims = Map::new();
    claims.insert("sub".into(), SUBJECT.into());
    let scopes: Vec<&str> = scope.split_whitespace().collect();
    if scopes.contains(&"profile") {
        let profile = json!({
            "name": "Demo User",
            "given_name": "Demo",
            "family_name": "User",
            "preferred_username": USERNAME,
            "locale": "en",
        });
        if let Value::Object(profile) = profile {
            claims.extend(profile);
        }
    }
    if scopes.contains(&"email") {
        claims.insert("email".into(), "demo@example.com".into());
        claims.insert("email_verified".into(), true.into());
    }
    claims
}
