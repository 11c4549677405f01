//! Soffid IAM. Registration needs a bearer initial access token (its document writes the
//! scheme `Beared`, and labels the JSON body `application/x-www-form-urlencoded`; both are
//! accepted), answers 200, numbers clients `DR_<n>` and points `registration_client_uri` at a
//! query string. A read sends the token as `Authorization: token <RAT>` and shows no secret.
//! Only register and read are documented; other methods answer 405.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine;
use http::{HeaderMap, StatusCode};
use rand::Rng;

use super::DialectTable;
use crate::body::BodyRules;
use crate::error::ApiError;
use crate::extract::query_param;
use crate::registration::{self, Flavor};
use crate::state::Shared;
use crate::{auth, secret};

pub(super) static FLAVOR: Flavor = Flavor {
    created: StatusCode::OK,
    new_client_id: |shared| format!("DR_{}", shared.next_number.fetch_add(1, Ordering::Relaxed)),
    new_secret: || secret::alphanumeric(48),
    new_rat: |_, _| soffid_token(),
    client_uri: |shared, id| format!("{}?client_id={id}", shared.urls.registration),
    finish: Flavor::no_defaults,
    secret_expires_at: true,
    issued_at: false,
    rat_schemes: &["Bearer", "token"],
    read_reveals: false,
};

pub(super) static TABLE: DialectTable = DialectTable {
    // One URL for everything: the client is named in the query (`?client_id=`).
    routes: |shared| {
        let path = shared.urls.path(&shared.urls.registration);
        Router::new().route(path, post(register).get(read))
    },
    new_client: |shared, sent| registration::new_client(shared, &FLAVOR, sent),
    // The document sends JSON labelled `application/x-www-form-urlencoded`.
    body: BodyRules {
        form_label_allowed: true,
        malformed_code: "invalid_request",
    },
};

/// Shaped like the document's `NjYxODg1Ng.AFa8jQbltq+bocWQ...`: a base64 number, a dot,
/// base64 random bytes.
fn soffid_token() -> String {
    let number: u32 = rand::rng().random_range(1_000_000..10_000_000);
    let mut bytes = [0u8; 36];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(number.to_string()),
        STANDARD_NO_PAD.encode(bytes)
    )
}

async fn register(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let expected = shared.credentials.initial_access_token.as_deref();
    match (auth::token(&headers, &["Bearer", "Beared"]), expected) {
        (Some(presented), Some(expected)) if secret::same(presented, expected) => {}
        (None, _) => return Err(ApiError::invalid_token("an initial access token is required")),
        _ => return Err(ApiError::invalid_token("the initial access token is not valid")),
    }
    registration::register(&shared, &FLAVOR, &headers, body).await
}

async fn read(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = query_param(query.as_deref(), "client_id")
        .ok_or_else(|| ApiError::invalid_request("the client_id query parameter is required"))?;
    registration::read(&shared, &FLAVOR, &id, &headers)
}
