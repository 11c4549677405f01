//! OpenID Connect Discovery 1.0 and RFC 8414 metadata, so a client can find the registration
//! endpoint the way it would on a real provider. The `no-registration` and `no-pkce`
//! [`ResourceFault`]s take fields out.

use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use http::header::CACHE_CONTROL;
use http::HeaderValue;
use serde_json::{json, Value};

use crate::signing_keys::ALGORITHM;
use crate::state::Shared;
use crate::token::DEVICE_CODE_GRANT;
use crate::{Dialect, ResourceFault};

pub(crate) fn routes(shared: &Shared) -> Router<Arc<Shared>> {
    let mut router = Router::new()
        .route("/.well-known/openid-configuration", get(document))
        .route("/.well-known/oauth-authorization-server", get(document))
        .route(shared.urls.path(&shared.urls.jwks), get(jwks));
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

/// The signing keys' public halves; never cached, so a rotation shows at once.
async fn jwks(State(shared): State<Arc<Shared>>) -> Response {
    let mut response = Json(shared.signing_keys.jwks()).into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn document(State(shared): State<Arc<Shared>>) -> Response {
    Json(metadata(&shared)).into_response()
}

fn metadata(shared: &Shared) -> Value {
    let urls = &shared.urls;
    let mut scopes = vec![
        "openid",
        "profile",
        "email",
        "offline_access",
        crate::protected_resource::MCP_SCOPE,
    ];
    if shared.dialect == Dialect::SimpleIdServer {
        scopes.push(shared.credentials.registration_scope.as_deref().unwrap_or("register"));
    }
    let subject_types: &[&str] = match shared.dialect {
        Dialect::Soffid => &["public", "pairwise"],
        _ => &["public"],
    };
    let mut document = json!({
        "issuer": urls.issuer,
        "authorization_endpoint": urls.authorization,
        "token_endpoint": urls.token,
        "registration_endpoint": urls.registration,
        "jwks_uri": urls.jwks,
        "device_authorization_endpoint": urls.device_authorization,
        "introspection_endpoint": urls.introspection,
        "revocation_endpoint": urls.revocation,
        "userinfo_endpoint": urls.userinfo,
        "token_endpoint_auth_methods_supported": AUTH_METHODS,
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "revocation_endpoint_auth_methods_supported": AUTH_METHODS,
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials", DEVICE_CODE_GRANT],
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "code_challenge_methods_supported": ["S256"],
        "prompt_values_supported": ["none", "login", "consent", "select_account"],
        "claims_supported": ["sub", "iss", "aud", "azp", "exp", "iat", "auth_time", "nonce", "at_hash", "acr", "name", "given_name", "family_name", "preferred_username", "locale", "email", "email_verified"],
        "scopes_supported": scopes,
        "subject_types_supported": subject_types,
        "id_token_signing_alg_values_supported": [ALGORITHM],
        "authorization_response_iss_parameter_supported": true,
        // The MCP authorization spec's client ID metadata documents: not implemented.
        "client_id_metadata_document_supported": false,
    });
    if shared.dialect == Dialect::OpenBanking {
        crate::dialects::openbanking::advertise(shared, &mut document);
    }
    if let Value::Object(fields) = &mut document {
        let faults = &shared.resource_faults;
        if faults.is_on(ResourceFault::NoRegistration) {
            fields.remove("registration_endpoint");
            if let Some(Value::Object(aliases)) = fields.get_mut("mtls_endpoint_aliases") {
                aliases.remove("registration_endpoint");
            }
        }
        if faults.is_on(ResourceFault::NoPkce) {
            fields.remove("code_challenge_methods_supported");
        }
    }
    document
}

const AUTH_METHODS: [&str; 3] = ["client_secret_basic", "client_secret_post", "none"];
