//! OpenID Connect Discovery 1.0 and RFC 8414 metadata, so a client can find the registration
//! endpoint the way it would on a real provider.

use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::state::Shared;
use crate::Dialect;

pub(crate) fn routes(shared: &Shared) -> Router<Arc<Shared>> {
    let mut router = Router::new()
        .route("/.well-known/openid-configuration", get(document))
        .route("/.well-known/oauth-authorization-server", get(document))
        // No signing keys: the mock issues no ID tokens, but the advertised URL must resolve.
        .route(
            shared.urls.path(&shared.urls.jwks),
            get(|| async { Json(json!({"keys": []})) }),
        );
    let issuer_path = shared.urls.path(&shared.urls.issuer);
    if !issuer_path.is_empty() {
        // Liberty's issuer has a path: discovery lives under it (OIDC Discovery §4), and
        // RFC 8414 §3 inserts the path after the well-known segment.
        router = router
            .route(
                &format!("{issuer_path}/.well-known/openid-configuration"),
                get(document),
            )
            .route(
                &format!("/.well-known/oauth-authorization-server{issuer_path}"),
                get(document),
            );
    }
    router
}

async fn document(State(shared): State<Arc<Shared>>) -> Response {
    Json(metadata(&shared)).into_response()
}

fn metadata(shared: &Shared) -> Value {
    let urls = &shared.urls;
    let mut scopes = vec!["openid", "profile", "email", "offline_access"];
    if shared.dialect == Dialect::SimpleIdServer {
        scopes.push(shared.credentials.registration_scope.as_deref().unwrap_or("register"));
    }
    let subject_types: &[&str] = match shared.dialect {
        Dialect::Soffid => &["public", "pairwise"],
        _ => &["public"],
    };
    json!({
        "issuer": urls.issuer,
        "authorization_endpoint": urls.authorization,
        "token_endpoint": urls.token,
        "registration_endpoint": urls.registration,
        "jwks_uri": urls.jwks,
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "grant_types_supported": ["authorization_code", "implicit", "refresh_token", "client_credentials"],
        "response_types_supported": ["code", "token", "id_token", "code id_token", "id_token token", "code token", "code id_token token"],
        "scopes_supported": scopes,
        "subject_types_supported": subject_types,
        "id_token_signing_alg_values_supported": ["RS256"],
    })
}
