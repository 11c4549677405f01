//! The device authorization grant (RFC 8628): the endpoint a device asks for codes at, and the
//! verification page where the demo user types the user code, logs in and answers. The
//! polling side is in the token endpoint.

mod authorization;
mod verification;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use crate::state::Shared;

pub(crate) fn routes(shared: &Shared) -> Router<Arc<Shared>> {
    Router::new()
        .route(
            shared.urls.path(&shared.urls.device_authorization),
            post(authorization::start),
        )
        .route(
            shared.urls.path(&shared.urls.device_verification),
            get(verification::show).post(verification::submit),
        )
}
