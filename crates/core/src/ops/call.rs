//! Sending one request to a provider and recording it, redacted, in the history, whether
//! it succeeded or not: a failed exchange is still history.

use super::Registrar;
use crate::error::{Error, Result};
use crate::http::{redact, HttpRequest, HttpResponse, Transport, TransportError};
use crate::store::exchanges::Exchange;
use crate::store::now;
use crate::ProfileId;
use std::time::Instant;

/// What the history row is about.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CallInfo<'a> {
    /// None for calls made before there is a profile (discovery).
    pub profile_id: Option<&'a ProfileId>,
    pub client_id: Option<&'a str>,
    pub operation: CallKind,
}

/// What a call to a provider was for, as the HTTP history names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallKind {
    Register,
    Read,
    Update,
    Delete,
    /// The provider's client list (orphans, recovery).
    List,
    Probe,
    /// A client-credentials token for the profile.
    Token,
    Try,
    Discover,
    /// Fetching a software statement from a directory.
    SoftwareStatement,
}

impl CallKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CallKind::Register => "register",
            CallKind::Read => "read",
            CallKind::Update => "update",
            CallKind::Delete => "delete",
            CallKind::List => "list",
            CallKind::Probe => "probe",
            CallKind::Token => "token",
            CallKind::Try => "try",
            CallKind::Discover => "discover",
            CallKind::SoftwareStatement => "software_statement",
        }
    }
}

impl From<crate::profile::Operation> for CallKind {
    fn from(operation: crate::profile::Operation) -> Self {
        use crate::profile::Operation;
        match operation {
            Operation::Register => CallKind::Register,
            Operation::Read => CallKind::Read,
            Operation::Update => CallKind::Update,
            Operation::Delete => CallKind::Delete,
        }
    }
}

impl Registrar {
    /// Sends `request`; `known` are secret values that must not reach the history even
    /// if a provider echoes them somewhere unexpected.
    pub(crate) async fn send(
        &self,
        info: CallInfo<'_>,
        transport: &dyn Transport,
        request: HttpRequest,
        known: &[&str],
    ) -> Result<HttpResponse> {
        self.send_recorded(info, transport, request, known).await.0
    }

    /// `send`, also returning the history row's id (when it could be written), so a call
    /// made before its client had an id (register) can be attributed to it afterwards.
    pub(crate) async fn send_recorded(
        &self,
        info: CallInfo<'_>,
        transport: &dyn Transport,
        request: HttpRequest,
        known: &[&str],
    ) -> (Result<HttpResponse>, Option<i64>) {
        let started = Instant::now();
        let result = transport.send(request.clone()).await;
        let duration_ms = started.elapsed().as_millis() as u64;
        let record = Exchange {
            id: 0,
            at: now(),
            profile_id: info.profile_id.cloned(),
            client_id: info.client_id.map(str::to_string),
            operation: info.operation.as_str().to_string(),
            method: request.method.to_string(),
            url: redact::url(request.url.as_str(), known),
            status: result.as_ref().ok().map(|r| r.status),
            duration_ms,
            request_headers: redact::headers(&request.headers),
            request_body: request.body.as_deref().map(|b| redact::body(b, known)),
            response_headers: result.as_ref().map(|r| redact::headers(&r.headers)).unwrap_or_default(),
            response_body: result
                .as_ref()
                .ok()
                .filter(|r| !r.body.is_empty())
                .map(|r| redact::body(&r.body, known)),
            error: result.as_ref().err().map(ToString::to_string),
        };
        // Losing a history row must never lose the provider's answer.
        let id = match self.store.insert_exchange(&record) {
            Ok(id) => Some(id),
            Err(e) => {
                tracing::warn!(error = %e, "could not record an exchange in the history");
                None
            }
        };
        (result.map_err(|e| transport_error(&request, e)), id)
    }
}

fn transport_error(request: &HttpRequest, e: TransportError) -> Error {
    let url = request.url.as_str().to_string();
    match e {
        TransportError::Tls(detail) => Error::Tls { url, detail },
        other => Error::Network {
            url,
            maybe_applied: other.maybe_applied(),
            detail: other.to_string(),
        },
    }
}
