//! SimpleIdServer. Registration needs a bearer token obtained first from its token endpoint by
//! `client_credentials` with `scope=register`; clients, secrets and registration access
//! tokens are UUIDs; `registration_client_uri` is `<base>/<client_id>`; responses carry dozens
//! of vendor defaults and the scope values reordered.

mod defaults;

use http::{HeaderMap, StatusCode};

use super::DialectTable;
use crate::body::BodyRules;
use crate::error::ApiError;
use crate::registration::{self, routes, Flavor};
use crate::state::Shared;
use crate::{auth, secret};

pub(in crate::dialects) static FLAVOR: Flavor = Flavor {
    created: StatusCode::CREATED,
    new_client_id: |_| secret::uuid(),
    new_secret: secret::uuid,
    new_rat: |_, _| secret::uuid(),
    client_uri: |shared, id| format!("{}/{id}", shared.urls.base),
    finish: defaults::apply,
    secret_expires_at: false,
    issued_at: true,
    rat_schemes: &["Bearer"],
    read_reveals: true,
};

pub(in crate::dialects) static TABLE: DialectTable = DialectTable {
    // Clients at `/{client_id}`: static routes (the token endpoint, discovery) win over it
    // in axum's router.
    routes: |shared| routes::standard(shared, &FLAVOR, check_register_scope, "/{client_id}"),
    new_client: |shared, sent| registration::new_client(shared, &FLAVOR, sent),
    body: BodyRules::STRICT,
};

/// A bearer access token from the token endpoint, with the registration scope.
fn check_register_scope(shared: &Shared, headers: &HeaderMap) -> Result<(), ApiError> {
    let token = auth::token(headers, &["Bearer"])
        .ok_or_else(|| ApiError::invalid_token("a bearer access token with the register scope is required"))?;
    let scope = shared
        .access_tokens
        .scope_of(token)
        .ok_or_else(|| ApiError::invalid_token("the access token is unknown or expired"))?;
    let needed = shared.credentials.registration_scope.as_deref().unwrap_or("register");
    if !scope.split_whitespace().any(|s| s == needed) {
        return Err(ApiError::insufficient_scope(format!(
            "the access token lacks the `{needed}` scope"
        )));
    }
    Ok(())
}
