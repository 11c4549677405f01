//! The authorization endpoint (RFC 6749 §3.1, §4.1): the authorization code grant with PKCE,
//! through the demo login and consent pages. A request is validated, remembered as an
//! interaction, and the pages post back here with only the interaction's id; the user's
//! decision becomes a code (or `access_denied`) redirected to the client.

mod redirect;
mod request;

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use http::{HeaderMap, StatusCode};

pub(crate) use request::AuthRequest;
use request::Refusal;

use crate::client_auth::field;
use crate::grants::{Authorization, IssuedCode};
use crate::interactions::{Interaction, LoggedIn, Purpose};
use crate::state::Shared;
use crate::{body, clock, demo_user, pages};

pub(crate) fn routes(shared: &Shared) -> Router<Arc<Shared>> {
    Router::new().route(
        shared.urls.path(&shared.urls.authorization),
        get(authorize_get).post(authorize_post),
    )
}

type Form = Vec<(String, String)>;

async fn authorize_get(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let params: Form = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    begin(&shared, &params, false)
}

/// Either an authorization request sent as a form (OIDC Core §3.1.2.1 allows POST), or the
/// login / consent form posting back.
async fn authorize_post(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Response {
    let form = match body::form(&headers, body, shared.max_body_bytes).await {
        Ok(form) => form,
        Err(error) => return error.into_response(),
    };
    match field(&form, "interaction") {
        Some(id) => resume(&shared, id, &form),
        None => begin(&shared, &form, true),
    }
}

fn begin(shared: &Shared, params: &[(String, String)], after_post: bool) -> Response {
    match request::validate(shared, params) {
        Ok(request) => {
            let id = shared
                .interactions
                .start(Purpose::Authorize(Box::new(request.clone())), None);
            login_page(shared, &id, &request, None)
        }
        Err(refusal) => refused(shared, refusal, after_post),
    }
}

fn resume(shared: &Shared, id: &str, form: &[(String, String)]) -> Response {
    let Some(Interaction {
        purpose: Purpose::Authorize(request),
        user,
    }) = shared.interactions.get(id)
    else {
        return pages::message(
            StatusCode::BAD_REQUEST,
            "Login expired",
            "This login page is no longer valid. Start again from the application.",
        );
    };
    let decision = field(form, "decision");
    let user = match (user, decision) {
        (Some(user), _) => Some(user),
        // Cancelling needs no login.
        (None, Some("deny")) => None,
        (None, _) => {
            let username = field(form, "username").unwrap_or_default();
            let password = field(form, "password").unwrap_or_default();
            if !demo_user::check(username, password) {
                return login_page(shared, id, &request, Some("Wrong username or password."));
            }
            let user = LoggedIn {
                sub: demo_user::SUBJECT.to_owned(),
                auth_time: clock::unix_seconds(),
            };
            shared.interactions.log_in(id, user.clone());
            Some(user)
        }
    };
    match decision {
        None => pages::consent(
            &shared.urls.authorization,
            &[("interaction", id)],
            &request.client_name,
            &request.scope,
            &request.resource,
        ),
        Some(decision @ ("approve" | "deny")) => {
            // A decision is taken once: a replayed form finds nothing.
            if shared.interactions.finish(id).is_none() {
                return pages::message(
                    StatusCode::BAD_REQUEST,
                    "Already answered",
                    "This request was already answered.",
                );
            }
            let (Some(user), "approve") = (user, decision) else {
                return refused(
                    shared,
                    Refusal::Redirect {
                        redirect_uri: request.redirect_uri.clone(),
                        state: request.state.clone(),
                        error: "access_denied",
                        description: "the user denied the request".into(),
                    },
                    true,
                );
            };
            let code = issue_code(shared, &request, user);
            redirect::to_client(
                &request.redirect_uri,
                &shared.urls.issuer,
                &[("code", Some(&code)), ("state", request.state.as_deref())],
                true,
            )
        }
        Some(_) => pages::message(
            StatusCode::BAD_REQUEST,
            "Unknown answer",
            "decision must be approve or deny.",
        ),
    }
}

fn issue_code(shared: &Shared, request: &AuthRequest, user: LoggedIn) -> String {
    shared.grants.codes.issue(IssuedCode {
        authorization: Authorization {
            client_id: request.client_id.clone(),
            scope: request.scope.clone(),
            resource: request.resource.clone(),
            sub: Some(user.sub),
            auth_time: Some(user.auth_time),
            nonce: request.nonce.clone(),
            acr: request.acr.clone(),
            cnf: None,
        },
        redirect_uri: request.redirect_uri.clone(),
        redirect_uri_given: request.redirect_uri_given,
        code_challenge: request.code_challenge.clone(),
        family: shared.grants.new_family(),
        expires_at: clock::unix_seconds().saturating_add(shared.timing.authorization_code.as_secs()),
    })
}

fn login_page(shared: &Shared, id: &str, request: &AuthRequest, error: Option<&str>) -> Response {
    let heading = format!("Log in to {}", request.client_name);
    pages::login(&pages::Login {
        action: &shared.urls.authorization,
        heading: &heading,
        hidden: &[("interaction", id)],
        username: request.login_hint.as_deref(),
        user_code: None,
        error,
    })
}

fn refused(shared: &Shared, refusal: Refusal, after_post: bool) -> Response {
    match refusal {
        Refusal::Page(text) => pages::message(StatusCode::BAD_REQUEST, "Authorization request refused", &text),
        Refusal::Redirect {
            redirect_uri,
            state,
            error,
            description,
        } => redirect::to_client(
            &redirect_uri,
            &shared.urls.issuer,
            &[
                ("error", Some(error)),
                ("error_description", Some(&description)),
                ("state", state.as_deref()),
            ],
            after_post,
        ),
    }
}
