//! INDIGO IAM (MITREid Connect). Open registration, UUID client ids, a registration access
//! token that is a JWT, and RFC 7592 management with it; delete answers 204 with no body.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use http::StatusCode;
use serde_json::json;

use super::DialectTable;
use crate::body::BodyRules;
use crate::registration::{self, routes, Flavor};
use crate::state::Shared;
use crate::{clock, secret};

pub(super) static FLAVOR: Flavor = Flavor {
    created: StatusCode::CREATED,
    new_client_id: |_| secret::uuid(),
    new_secret: || secret::token(64),
    new_rat: jwt_shaped_token,
    client_uri: |shared, id| format!("{}/{id}", shared.urls.registration),
    finish: Flavor::no_defaults,
    secret_expires_at: true,
    issued_at: true,
    rat_schemes: &["Bearer"],
    read_reveals: true,
};

pub(super) static TABLE: DialectTable = DialectTable {
    routes: |shared| {
        let path = shared.urls.path(&shared.urls.registration);
        routes::standard(shared, &FLAVOR, routes::open, &format!("{path}/{{client_id}}"))
    },
    new_client: |shared, sent| registration::new_client(shared, &FLAVOR, sent),
    // MITREid reports every unusable registration as metadata trouble.
    body: BodyRules::METADATA_ERRORS,
};

/// A token with MITREid's header and claims. The signature is random bytes: nothing verifies
/// it, but clients must treat the token as opaque anyway.
fn jwt_shaped_token(shared: &Shared, client_id: &str) -> String {
    let header = json!({"kid": "rsa1", "alg": "RS256"});
    let claims = json!({
        "aud": client_id,
        "iss": format!("{}/", shared.urls.issuer),
        "iat": clock::unix_seconds(),
        "jti": secret::uuid(),
    });
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        secret::token(128)
    )
}
