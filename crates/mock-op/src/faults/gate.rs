//! The middleware in front of every provider endpoint: counts the request, then applies the
//! next injected fault before or after the handler, as the fault says.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::mangle;
use super::queue::Planned;
use crate::error::ApiError;
use crate::serve::ConnControl;
use crate::state::Shared;

pub(crate) async fn provider_gate(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    shared.requests.fetch_add(1, Ordering::Relaxed);
    let (latency, planned) = shared.faults.next_request();
    if let Some(delay) = latency {
        tokio::time::sleep(delay).await;
    }
    let Some(planned) = planned else {
        return next.run(request).await;
    };
    tracing::debug!(?planned, method = %request.method(), uri = %request.uri(), "injecting fault");
    match planned {
        Planned::Status(status) => mangle::json_error(status),
        Planned::Html(status) => mangle::html_page(status),
        Planned::NonJson => mangle::not_json(next.run(request).await),
        Planned::Truncated => mangle::truncated(next.run(request).await).await,
        Planned::Stall => mangle::stalled(next.run(request).await, shared.shutdown.clone()).await,
        Planned::Drop => {
            let control = request.extensions().get::<ConnControl>().cloned();
            // The handler's response is thrown away: the client must not learn the outcome.
            drop(next.run(request).await);
            if let Some(control) = control {
                control.drop_connection();
            }
            // The connection task drops this future together with the connection; should it
            // not (no control), give up at shutdown.
            shared.shutdown.wait().await;
            ApiError::server_error("the server is stopping").into_response()
        }
    }
}
