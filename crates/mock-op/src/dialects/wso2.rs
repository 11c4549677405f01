//! WSO2 Identity Server 5.3.0. Registration and deletion authenticate with an HTTP Basic admin
//! user; there is no registration access token, no read and no update. The client is named
//! `<ext_param_owner>_<client_name>`, redirect URIs may be bare hosts or `regexp=(a|b)`, and
//! deletion needs the user and that application name as query parameters.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::{delete, post};
use axum::Router;
use http::{HeaderMap, StatusCode};
use serde_json::{Map, Value};

use super::DialectTable;
use crate::body::BodyRules;
use crate::error::ApiError;
use crate::extract::{query_param, ClientId};
use crate::registration::SERVER_ONLY;
use crate::state::Shared;
use crate::store::ClientRecord;
use crate::{auth, body, clock, respond, secret, validate};

const REALM: &str = r#"Basic realm="WSO2 Identity Server""#;
/// WSO2 issues secrets that expire; a year ahead stands in for its configured lifetime.
const SECRET_LIFETIME_SECS: u64 = 365 * 24 * 3600;
/// The fields WSO2's registration response carries, per its document.
const RESPONSE_FIELDS: &[&str] = &[
    "client_id",
    "client_secret",
    "client_secret_expires_at",
    "redirect_uris",
    "client_name",
];

pub(super) static TABLE: DialectTable = DialectTable {
    routes: |shared| {
        Router::new()
            .route(shared.urls.path(&shared.urls.registration), post(register))
            // GET and PUT on the same path answer 405: WSO2 5.3.0 offers neither read nor update.
            .route("/identity/register/{client_id}", delete(unregister))
    },
    // Seeded clients belong to the configured admin, as the ones it registers do.
    new_client: |shared, sent| {
        let owner = shared.credentials.admin_username.clone().unwrap_or_default();
        new_client(sent, &owner)
    },
    body: BodyRules::STRICT,
};

/// The authenticated admin's user name.
fn admin(shared: &Shared, headers: &HeaderMap) -> Result<String, ApiError> {
    let creds = &shared.credentials;
    match auth::basic(headers) {
        Some(basic) if basic.is(creds.admin_username.as_deref(), creds.admin_password.as_deref()) => Ok(basic.user),
        _ => Err(ApiError::bad_admin_credentials(REALM)),
    }
}

async fn register(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let user = admin(&shared, &headers)?;
    let sent = body::json_object(&headers, body, shared.max_body_bytes, shared.body_rules).await?;
    validate::client_metadata(&sent, &shared.rules)?;
    let named = sent
        .get("client_name")
        .and_then(Value::as_str)
        .is_some_and(|name| !name.trim().is_empty());
    if !named {
        return Err(ApiError::invalid_client_metadata(
            "client_name is required: it names the service provider",
        ));
    }
    let (id, record) = new_client(sent, &user);
    let stored = record.metadata();
    let view: Map<String, Value> = RESPONSE_FIELDS
        .iter()
        .filter_map(|field| Some(((*field).to_owned(), stored.get(*field)?.clone())))
        .collect();
    if !shared.store.insert(id, record) {
        return Err(ApiError::server_error("client id collision, try again"));
    }
    Ok(respond::json(StatusCode::CREATED, &view))
}

/// A new client owned by `ext_param_owner`, or by the authenticated user.
pub(super) fn new_client(sent: Map<String, Value>, user: &str) -> (String, ClientRecord) {
    let id = secret::alphanumeric(28);
    let owner = sent
        .get("ext_param_owner")
        .and_then(Value::as_str)
        .unwrap_or(user)
        .to_owned();
    let name = sent.get("client_name").and_then(Value::as_str).unwrap_or_default();
    let mut meta = Map::new();
    meta.insert("client_id".into(), id.clone().into());
    meta.insert("client_secret".into(), secret::alphanumeric(28).into());
    meta.insert(
        "client_secret_expires_at".into(),
        (clock::unix_seconds() + SECRET_LIFETIME_SECS).into(),
    );
    meta.insert("client_name".into(), format!("{owner}_{name}").into());
    for (key, value) in sent {
        if !meta.contains_key(&key) && !SERVER_ONLY.contains(&key.as_str()) {
            meta.insert(key, value);
        }
    }
    meta.insert("ext_param_owner".into(), owner.into());
    (id, ClientRecord::new(&meta, None))
}

async fn unregister(
    State(shared): State<Arc<Shared>>,
    ClientId(id): ClientId,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let user = admin(&shared, &headers)?;
    let (Some(user_id), Some(app_name)) = (
        query_param(query.as_deref(), "userId"),
        query_param(query.as_deref(), "applicationName"),
    ) else {
        return Err(ApiError::invalid_request(
            "the userId and applicationName query parameters are required",
        ));
    };
    let removed = shared.store.remove_if(&id, |record| {
        let meta = record.metadata();
        let name_matches = meta.get("client_name").and_then(Value::as_str) == Some(app_name.as_str());
        // userId is "the user who has logged in"; the application's owner is accepted too.
        let owner = meta.get("ext_param_owner").and_then(Value::as_str);
        let user_matches = user_id == user || owner == Some(user_id.as_str());
        if name_matches && user_matches {
            Ok(())
        } else {
            Err(ApiError::invalid_request(
                "userId or applicationName does not match this client",
            ))
        }
    });
    match removed {
        None => Err(ApiError::not_found("no client with this id")),
        Some(Err(refusal)) => Err(refusal),
        Some(Ok(_)) => Ok(respond::no_content()),
    }
}
