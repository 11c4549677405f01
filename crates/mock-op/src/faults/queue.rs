//! The faults waiting to fire. A flag keeps the common no-fault path free of the lock.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use http::StatusCode;

use super::Fault;

/// What a provider request must suffer, decided before its handler runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Planned {
    Status(StatusCode),
    Html(StatusCode),
    NonJson,
    Truncated,
    Drop,
    Stall,
}

/// What an injected fault does to the next ID token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IdTokenFault {
    WrongIssuer,
    BadSignature,
    Expired,
}

#[derive(Debug)]
enum Pending {
    Request(Planned),
    /// Consumed by the read/update handlers, not by the gate.
    LoseRotatedToken,
    /// Consumed by the token endpoint when it signs an ID token.
    IdToken(IdTokenFault),
    /// Consumed by the token endpoint when a device code is polled.
    SlowDevicePoll,
}

#[derive(Debug, Default)]
struct Inner {
    latency: Option<Duration>,
    queue: VecDeque<(Pending, u32)>,
}

/// The injected faults of one mock.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    armed: AtomicBool,
    inner: Mutex<Inner>,
}

impl FaultQueue {
    pub(crate) fn inject(&self, fault: Fault) {
        let mut inner = self.lock();
        let (pending, count) = match fault {
            Fault::Latency { millis } => {
                inner.latency = Some(Duration::from_millis(millis));
                self.armed.store(true, Ordering::Release);
                return;
            }
            Fault::Status { status, count } => (Pending::Request(Planned::Status(body_status(status))), count),
            Fault::HtmlBody { status, count } => (Pending::Request(Planned::Html(body_status(status))), count),
            Fault::NonJsonBody { count } => (Pending::Request(Planned::NonJson), count),
            Fault::TruncatedBody { count } => (Pending::Request(Planned::Truncated), count),
            Fault::DropAfterCommit { count } => (Pending::Request(Planned::Drop), count),
            Fault::StallBody { count } => (Pending::Request(Planned::Stall), count),
            Fault::LoseRotatedToken { count } => (Pending::LoseRotatedToken, count),
            Fault::IdTokenWrongIssuer { count } => (Pending::IdToken(IdTokenFault::WrongIssuer), count),
            Fault::IdTokenBadSignature { count } => (Pending::IdToken(IdTokenFault::BadSignature), count),
            Fault::IdTokenExpired { count } => (Pending::IdToken(IdTokenFault::Expired), count),
            Fault::SlowDevicePoll { count } => (Pending::SlowDevicePoll, count),
        };
        if count > 0 {
            inner.queue.push_back((pending, count));
            self.armed.store(true, Ordering::Release);
        }
    }

    pub(crate) fn clear(&self) {
        let mut inner = self.lock();
        inner.latency = None;
        inner.queue.clear();
        self.armed.store(false, Ordering::Release);
    }

    /// The latency to add and the fault to apply to the next provider request.
    pub(crate) fn next_request(&self) -> (Option<Duration>, Option<Planned>) {
        if !self.armed.load(Ordering::Acquire) {
            return (None, None);
        }
        let mut inner = self.lock();
        let planned = take_first(&mut inner.queue, |pending| match pending {
            Pending::Request(planned) => Some(*planned),
            _ => None,
        });
        self.disarm_if_idle(&inner);
        (inner.latency, planned)
    }

    /// Whether this read/update must lose its rotated token.
    pub(crate) fn take_lose_rotated_token(&self) -> bool {
        self.take(|pending| matches!(pending, Pending::LoseRotatedToken).then_some(()))
            .is_some()
    }

    /// What must go wrong with the ID token being issued, if anything.
    pub(crate) fn take_id_token_fault(&self) -> Option<IdTokenFault> {
        self.take(|pending| match pending {
            Pending::IdToken(fault) => Some(*fault),
            _ => None,
        })
    }

    /// Whether this device-code poll must be told to slow down.
    pub(crate) fn take_slow_device_poll(&self) -> bool {
        self.take(|pending| matches!(pending, Pending::SlowDevicePoll).then_some(()))
            .is_some()
    }

    /// Uses up one count of the first queued fault `pick` accepts, for the handlers that
    /// consume their own kinds.
    fn take<T>(&self, pick: impl Fn(&Pending) -> Option<T>) -> Option<T> {
        if !self.armed.load(Ordering::Acquire) {
            return None;
        }
        let mut inner = self.lock();
        let taken = take_first(&mut inner.queue, pick);
        self.disarm_if_idle(&inner);
        taken
    }

    // Called with the lock held, so it cannot race an inject.
    fn disarm_if_idle(&self, inner: &Inner) {
        if inner.latency.is_none() && inner.queue.is_empty() {
            self.armed.store(false, Ordering::Release);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Uses up one count of the first queued fault `pick` accepts.
fn take_first<T>(queue: &mut VecDeque<(Pending, u32)>, pick: impl Fn(&Pending) -> Option<T>) -> Option<T> {
    let index = queue.iter().position(|(pending, _)| pick(pending).is_some())?;
    let (pending, left) = queue.get_mut(index)?;
    let taken = pick(pending);
    *left -= 1;
    if *left == 0 {
        queue.remove(index);
    }
    taken
}

/// A status that may carry the error body the fault promises.
fn body_status(status: u16) -> StatusCode {
    match StatusCode::from_u16(status) {
        Ok(code) if (200..=599).contains(&status) && !matches!(status, 204 | 205 | 304) => code,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_down_in_injection_order_and_skips_lose_rotated() {
        let q = FaultQueue::default();
        q.inject(Fault::LoseRotatedToken { count: 1 });
        q.inject(Fault::Status { status: 503, count: 2 });
        q.inject(Fault::NonJsonBody { count: 1 });
        let s503 = Some(Planned::Status(StatusCode::SERVICE_UNAVAILABLE));
        assert_eq!(q.next_request(), (None, s503));
        assert_eq!(q.next_request(), (None, s503));
        assert_eq!(q.next_request(), (None, Some(Planned::NonJson)));
        assert_eq!(q.next_request(), (None, None));
        assert!(q.take_lose_rotated_token());
        assert!(!q.take_lose_rotated_token());
    }

    #[test]
    fn latency_stays_until_cleared_and_bad_statuses_become_500() {
        let q = FaultQueue::default();
        q.inject(Fault::Latency { millis: 5 });
        q.inject(Fault::HtmlBody { status: 1000, count: 1 });
        let ms5 = Some(Duration::from_millis(5));
        assert_eq!(
            q.next_request(),
            (ms5, Some(Planned::Html(StatusCode::INTERNAL_SERVER_ERROR)))
        );
        assert_eq!(q.next_request(), (ms5, None));
        q.clear();
        assert_eq!(q.next_request(), (None, None));
    }
}
