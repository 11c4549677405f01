//! The axum glue of a dialect that is RFC 7591/7592 bent only by its [`Flavor`]: POST at the
//! registration endpoint, GET, PUT and DELETE at each client's URL. Written once, so the
//! generic, INDIGO and SimpleIdServer dialects differ only in what is theirs.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use http::HeaderMap;

use super::{delete, read, register, update, Flavor};
use crate::error::ApiError;
use crate::extract::ClientId;
use crate::state::Shared;

/// Who may register, checked before the body is read (an initial access token, a scope).
pub(crate) type Admit = fn(&Shared, &HeaderMap) -> Result<(), ApiError>;

/// Anyone may register.
pub(crate) fn open(_: &Shared, _: &HeaderMap) -> Result<(), ApiError> {
    Ok(())
}

/// The registration endpoint at its configured path, each client at `client_path` (an axum
/// path with `{client_id}`).
pub(crate) fn standard(
    shared: &Shared,
    flavor: &'static Flavor,
    admit: Admit,
    client_path: &str,
) -> Router<Arc<Shared>> {
    let registration = shared.urls.path(&shared.urls.registration);
    let management = get(
        move |State(shared): State<Arc<Shared>>, ClientId(id): ClientId, headers: HeaderMap| async move {
            read(&shared, flavor, &id, &headers)
        },
    )
    .put(
        move |State(shared): State<Arc<Shared>>, ClientId(id): ClientId, headers: HeaderMap, body: Body| async move {
            update(&shared, flavor, &id, &headers, body).await
        },
    )
    .delete(
        move |State(shared): State<Arc<Shared>>, ClientId(id): ClientId, headers: HeaderMap| async move {
            delete(&shared, flavor, &id, &headers)
        },
    );
    Router::new()
        .route(
            registration,
            post(
                move |State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body| async move {
                    admit(&shared, &headers)?;
                    register(&shared, flavor, &headers, body).await
                },
            ),
        )
        .route(client_path, management)
}
