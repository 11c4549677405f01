//! Plain RFC 7591 + RFC 7592, the reference the other dialects bend. Registration takes an
//! optional initial access token (required when configured so).

use http::{HeaderMap, StatusCode};

use super::DialectTable;
use crate::body::BodyRules;
use crate::error::ApiError;
use crate::registration::{self, routes, Flavor};
use crate::state::Shared;
use crate::{auth, secret};

pub(super) static FLAVOR: Flavor = Flavor {
    created: StatusCode::CREATED,
    new_client_id: |_| secret::token(16),
    new_secret: || secret::token(32),
    new_rat: |_, _| secret::token(32),
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
        routes::standard(shared, &FLAVOR, check_initial_token, &format!("{path}/{{client_id}}"))
    },
    new_client: |shared, sent| registration::new_client(shared, &FLAVOR, sent),
    body: BodyRules::STRICT,
};

/// RFC 7591 §3: an initial access token is checked when sent, and required when configured.
fn check_initial_token(shared: &Shared, headers: &HeaderMap) -> Result<(), ApiError> {
    if !shared.require_initial_token && !auth::present(headers) {
        return Ok(());
    }
    let expected = shared.credentials.initial_access_token.as_deref();
    match (auth::token(headers, &["Bearer"]), expected) {
        (Some(presented), Some(expected)) if secret::same(presented, expected) => Ok(()),
        (None, _) => Err(ApiError::invalid_token("an initial access token is required")),
        _ => Err(ApiError::invalid_token("the initial access token is not valid")),
    }
}
