//! RFC 8628 §3.3: the page where the user enters the user code (prefilled from
//! `verification_uri_complete`), logs in as the demo user, and approves or denies. The same
//! two steps as the authorization endpoint (login, then consent), or one post with
//! `user_code`, `username`, `password` and `decision` for plain HTTP clients.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode};

use crate::client_auth::{self, field};
use crate::extract::query_param;
use crate::grants::Authorization;
use crate::interactions::{Interaction, LoggedIn, Purpose};
use crate::state::Shared;
use crate::{body, clock, demo_user, pages};

pub(super) async fn show(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let user_code = query_param(query.as_deref(), "user_code");
    login(&shared, user_code.as_deref().unwrap_or_default(), None)
}

pub(super) async fn submit(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Response {
    let form = match body::form(&headers, body, shared.max_body_bytes).await {
        Ok(form) => form,
        Err(error) => return error.into_response(),
    };
    let decision = field(&form, "decision");
    let (interaction, user_code) = match field(&form, "interaction") {
        Some(id) => match shared.interactions.get(id) {
            Some(Interaction {
                purpose: Purpose::Device(user_code),
                user: Some(_),
            }) => (id.to_owned(), user_code),
            _ => return expired(),
        },
        None => {
            let user_code = field(&form, "user_code").unwrap_or_default();
            if shared.grants.devices.pending(user_code).is_none() {
                return login(&shared, user_code, Some("That code is unknown or has expired."));
            }
            let username = field(&form, "username").unwrap_or_default();
            let password = field(&form, "password").unwrap_or_default();
            if !demo_user::check(username, password) {
                return login(&shared, user_code, Some("Wrong username or password."));
            }
            let user = LoggedIn {
                sub: demo_user::SUBJECT.to_owned(),
                auth_time: clock::unix_seconds(),
            };
            let id = shared
                .interactions
                .start(Purpose::Device(user_code.to_owned()), Some(user));
            (id, user_code.to_owned())
        }
    };
    let Some(grant) = shared.grants.devices.pending(&user_code) else {
        return expired();
    };
    match decision {
        None => {
            let name = client_auth::lookup(&shared, &grant.client_id).map_or(grant.client_id.clone(), |c| c.name);
            pages::consent(
                &shared.urls.device_verification,
                &[("interaction", &interaction)],
                &name,
                &grant.scope,
                &grant.resource,
            )
        }
        Some(decision @ ("approve" | "deny")) => {
            let Some(Interaction { user: Some(user), .. }) = shared.interactions.finish(&interaction) else {
                return expired();
            };
            let approved = (decision == "approve").then(|| Authorization {
                client_id: grant.client_id.clone(),
                scope: grant.scope.clone(),
                resource: grant.resource.clone(),
                sub: Some(user.sub),
                auth_time: Some(user.auth_time),
                nonce: None,
                acr: None,
                cnf: None,
            });
            let answered = approved.is_some();
            if !shared.grants.devices.decide(&user_code, approved) {
                return expired();
            }
            if answered {
                pages::message(StatusCode::OK, "Device approved", "You may return to your device.")
            } else {
                pages::message(StatusCode::OK, "Device denied", "The device was not given access.")
            }
        }
        Some(_) => pages::message(
            StatusCode::BAD_REQUEST,
            "Unknown answer",
            "decision must be approve or deny.",
        ),
    }
}

fn login(shared: &Shared, user_code: &str, error: Option<&str>) -> Response {
    pages::login(&pages::Login {
        action: &shared.urls.device_verification,
        heading: "Connect a device",
        hidden: &[],
        username: None,
        user_code: Some(user_code),
        error,
    })
}

fn expired() -> Response {
    pages::message(
        StatusCode::BAD_REQUEST,
        "Code expired",
        "This code is no longer valid. Start again on your device.",
    )
}
