//! Assembles one mock's HTTP surface: the dialect's provider API and the protected resource (the
//! MCP endpoint) behind the fault gate, and the admin API beside it, untouched by faults.

use std::sync::Arc;

use axum::middleware;
use axum::Router;

use crate::error::ApiError;
use crate::state::Shared;
use crate::{
    admin_http, authorize, device, dialects, discovery, faults, introspect, protected_resource, revoke, token, userinfo,
};

pub(crate) fn build(shared: Arc<Shared>) -> Router {
    let provider = dialects::routes(&shared)
        .merge(discovery::routes(&shared))
        .merge(token::routes(&shared))
        .merge(authorize::routes(&shared))
        .merge(device::routes(&shared))
        .merge(introspect::routes(&shared))
        .merge(revoke::routes(&shared))
        .merge(userinfo::routes(&shared))
        .merge(protected_resource::routes())
        // Both fallbacks sit inside the gate, so they are counted and faulted like any call.
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .fallback(|| async { ApiError::not_found("no such endpoint on this provider") })
        .layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            faults::registration_gate,
        ))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            faults::provider_gate,
        ));
    provider
        .merge(admin_http::routes())
        .layer(middleware::from_fn(crate::host_guard::only_local_names))
        .with_state(shared)
}
