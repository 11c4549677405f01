//! IBM WebSphere Liberty's OpenID Connect Provider. Every call authenticates with HTTP Basic
//! as a user holding the clientManager role; there is no registration access token. Clients
//! may choose their own id and secret; reads mask the secret as `"*"`; every response carries
//! an `ETag`, honoured in `If-Match`. Management answers at both `.../registration/<id>` (the
//! returned URI) and `.../registration/registration/<id>` (what the document's examples use).

mod manage;
mod register;

use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use http::header::{CACHE_CONTROL, ETAG, IF_MATCH, PRAGMA};
use http::{HeaderMap, HeaderValue, StatusCode};
use serde_json::{Map, Value};

use super::DialectTable;
use crate::body::BodyRules;
use crate::error::ApiError;
use crate::state::Shared;
use crate::store::ClientRecord;
use crate::{auth, respond};

const REALM: &str = r#"Basic realm="Liberty OP""#;
/// A user who authenticates but lacks the clientManager role, to show the 403.
const PLAIN_USER: (&str, &str) = ("user1", "user1Password");

pub(in crate::dialects) static TABLE: DialectTable = DialectTable {
    routes: |shared| {
        let path = shared.urls.path(&shared.urls.registration);
        let management = || get(manage::read).put(manage::update).delete(manage::delete);
        Router::new()
            .route(path, post(register::register))
            .route(&format!("{path}/{{client_id}}"), management())
            .route(&format!("{path}/registration/{{client_id}}"), management())
    },
    new_client: register::new_client,
    // Liberty reports every unusable registration as metadata trouble.
    body: BodyRules::METADATA_ERRORS,
};

/// Wrong or missing credentials are 401; a real user without the role is 403.
fn authorize(shared: &Shared, headers: &HeaderMap) -> Result<(), ApiError> {
    let creds = &shared.credentials;
    let Some(basic) = auth::basic(headers) else {
        return Err(ApiError::bad_admin_credentials(REALM));
    };
    if basic.is(creds.admin_username.as_deref(), creds.admin_password.as_deref()) {
        Ok(())
    } else if basic.is(Some(PLAIN_USER.0), Some(PLAIN_USER.1)) {
        Err(ApiError::access_denied("the user does not have the clientManager role"))
    } else {
        Err(ApiError::bad_admin_credentials(REALM))
    }
}

/// Whether an `If-Match` header (if any) matches the client's current ETag.
fn if_match_allows(headers: &HeaderMap, etag: &str) -> bool {
    let Some(value) = headers.get(IF_MATCH) else {
        return true;
    };
    let Ok(value) = value.to_str() else {
        return false;
    };
    value
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag == etag || tag.strip_prefix("W/") == Some(etag))
}

/// The record as reads show it: the secret masked.
fn masked(record: &ClientRecord) -> Map<String, Value> {
    let mut view = record.metadata();
    if view.contains_key("client_secret") {
        view.insert("client_secret".into(), "*".into());
    }
    view
}

/// Liberty's response headers: the ETag, and `Cache-Control: private` as documented.
fn with_etag(status: StatusCode, view: &Map<String, Value>, etag: &str) -> Response {
    let mut response = respond::json(status, view);
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("private"));
    headers.remove(PRAGMA);
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(ETAG, value);
    }
    response
}
