//! The device authorization grant (RFC 8628): the user code to show, then polling the
//! token endpoint at the provider's pace (`interval`, 5 s more on each `slow_down`)
//! until the user approves, denies, or the code expires. oauth2 keeps the pace; every
//! poll is reported to the caller as it happens.

use super::client::{OAuthClient, Tokens};
use super::error::{Endpoint, FlowError, OAuthError};
use super::token::{scopes, TokenResponse};
use crate::error::{Error, Result};
use crate::http::HttpResponse;
use crate::secret::Secret;
use oauth2::{DeviceAuthorizationUrl, StandardDeviceAuthorizationResponse, TokenUrl};
use serde::Serialize;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use url::Url;

/// The device authorization endpoint's answer (RFC 8628 §3.2).
#[derive(Debug, Clone)]
pub struct DeviceAuthorization {
    /// `device_code`: what the polls present.
    pub device_code: Secret,
    /// `user_code`: what the user types.
    pub user_code: String,
    /// `verification_uri`: where the user types it.
    pub verification_uri: String,
    /// `verification_uri_complete`: the same with the code in it (for a QR code).
    pub verification_uri_complete: Option<String>,
    /// How long the codes live.
    pub expires_in: Duration,
    /// The least time between polls (5 s when the provider says nothing).
    pub interval: Duration,
}

/// One poll of the token endpoint, as it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(specta::Type))]
pub enum PollEvent {
    /// `authorization_pending`: the user has not answered yet.
    Pending {
        /// The poll's number, from 1.
        attempt: u32,
        /// The wait before the next poll.
        #[serde(with = "secs")]
        #[cfg_attr(feature = "ts", specta(type = u32))]
        next_poll_in: Duration,
    },
    /// `slow_down`: the interval grows by 5 s (RFC 8628 §3.5).
    SlowDown {
        /// The poll's number, from 1.
        attempt: u32,
        /// The interval from now on.
        #[serde(with = "secs")]
        #[cfg_attr(feature = "ts", specta(type = u32))]
        interval: Duration,
    },
    /// The poll got no answer (the network); polling backs off and goes on, up to
    /// [`PollOptions::max_network_failures`] in a row.
    NetworkError {
        /// The poll's number, from 1.
        attempt: u32,
        /// What went wrong.
        message: String,
    },
    /// The poll got the tokens, or a final refusal (`access_denied`, `expired_token`...).
    Done {
        /// The poll's number, from 1.
        attempt: u32,
    },
}

mod secs {
    pub fn serialize<S: serde::Serializer>(d: &std::time::Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(d.as_secs())
    }
}

/// How to poll.
#[derive(Debug, Clone)]
pub struct PollOptions {
    /// Wait this long between polls instead of the provider's interval: for tests against
    /// a mock, never for a real provider (it would answer `slow_down`). Events still say
    /// the provider's interval.
    pub pace_override: Option<Duration>,
    /// Give up after this long instead of the code's `expires_in`.
    pub timeout: Option<Duration>,
    /// Polls in a row that get no answer before polling stops with that error.
    pub max_network_failures: u32,
}

impl Default for PollOptions {
    fn default() -> Self {
        Self {
            pace_override: None,
            timeout: None,
            max_network_failures: 3,
        }
    }
}

impl OAuthClient<'_> {
    /// Asks the device authorization endpoint for a user code (RFC 8628 §3.1).
    pub async fn start_device(&self, endpoint: &Url, scope: Option<&str>) -> Result<DeviceAuthorization, FlowError> {
        let client = self
            .oauth2()
            .set_device_authorization_url(DeviceAuthorizationUrl::from_url(endpoint.clone()));
        let http = self.recorder(&[]);
        let answer: StandardDeviceAuthorizationResponse = client
            .exchange_device_code()
            .add_scopes(scopes(scope))
            .request_async(&http)
            .await
            .map_err(|e| http.failure(Endpoint::DeviceAuthorization, e))?;
        let device = DeviceAuthorization {
            device_code: Secret::new(answer.device_code().secret().as_str()),
            user_code: answer.user_code().secret().clone(),
            verification_uri: answer.verification_uri().to_string(),
            verification_uri_complete: answer.verification_uri_complete().map(|u| u.secret().clone()),
            expires_in: answer.expires_in(),
            interval: answer.interval(),
        };
        self.remember(&[&device.device_code]);
        Ok(device)
    }

    /// Polls the token endpoint until the user approves (the tokens), denies
    /// (`access_denied`) or the code expires (`expired_token`, from the provider or, when
    /// its lifetime passes, concluded locally with no status). Each poll is reported to
    /// `on_event`. Dropping the future stops polling.
    pub async fn poll_device(
        &self,
        token_endpoint: &Url,
        device: &DeviceAuthorization,
        options: &PollOptions,
        on_event: impl FnMut(PollEvent) + Send,
    ) -> Result<TokenResponse, FlowError> {
        let answer: StandardDeviceAuthorizationResponse = serde_json::from_value(serde_json::json!({
            "device_code": device.device_code.expose(),
            "user_code": device.user_code,
            "verification_uri": device.verification_uri,
            "expires_in": device.expires_in.as_secs(),
            "interval": device.interval.as_secs(),
        }))
        .map_err(|e| Error::InvalidResponse(format!("the device authorization is unusable: {e}")))?;
        let client = self.oauth2().set_token_uri(TokenUrl::from_url(token_endpoint.clone()));
        let on_event = Mutex::new(on_event);
        let report = |event: PollEvent| (on_event.lock().unwrap_or_else(|e| e.into_inner()))(event);
        let state = Arc::new(PollState {
            attempts: AtomicU32::new(0),
            failures: AtomicU32::new(0),
            interval: Mutex::new(device.interval),
            gave_up: tokio::sync::Notify::new(),
            last_failure: Mutex::new(None),
        });
        let max_failures = options.max_network_failures.max(1);
        let observer_state = state.clone();
        let http = self
            .recorder(&[&device.device_code])
            .observe(Box::new(move |result: &Result<HttpResponse>| {
                let s = &observer_state;
                if s.failures.load(Ordering::SeqCst) >= max_failures {
                    return; // given up: polling stops at the next await
                }
                let attempt = s.attempts.fetch_add(1, Ordering::SeqCst) + 1;
                match result {
                    Err(e) => {
                        // oauth2 backs off as RFC 8628 §3.5 asks: twice the interval, at
                        // most 10 s (its default cap).
                        let mut interval = s.interval.lock().unwrap_or_else(|e| e.into_inner());
                        *interval = (*interval * 2).min(Duration::from_secs(10));
                        drop(interval);
                        report(PollEvent::NetworkError {
                            attempt,
                            message: e.to_string(),
                        });
                        *s.last_failure.lock().unwrap_or_else(|e| e.into_inner()) = Some(e.to_string());
                        if s.failures.fetch_add(1, Ordering::SeqCst) + 1 >= max_failures {
                            s.gave_up.notify_one();
                        }
                    }
                    Ok(response) => {
                        s.failures.store(0, Ordering::SeqCst);
                        let mut interval = s.interval.lock().unwrap_or_else(|e| e.into_inner());
                        match error_code(response).as_deref() {
                            Some("authorization_pending") => report(PollEvent::Pending {
                                attempt,
                                next_poll_in: *interval,
                            }),
                            Some("slow_down") => {
                                *interval += Duration::from_secs(5);
                                report(PollEvent::SlowDown {
                                    attempt,
                                    interval: *interval,
                                })
                            }
                            _ => report(PollEvent::Done { attempt }),
                        }
                    }
                }
            }));
        let pace = options.pace_override;
        let polling = client.exchange_device_access_token(&answer).request_async(
            &http,
            move |interval| tokio::time::sleep(pace.unwrap_or(interval)),
            options.timeout,
        );
        let result: Result<Tokens, _> = tokio::select! {
            result = polling => result,
            _ = state.gave_up.notified() => {
                let detail = state.last_failure.lock().unwrap_or_else(|e| e.into_inner()).clone().unwrap_or_default();
                return Err(FlowError::Core(Error::Network {
                    url: token_endpoint.to_string(),
                    detail: format!("{max_failures} polls in a row got no answer; the last: {detail}"),
                    maybe_applied: false,
                }));
            }
        };
        match result {
            Ok(tokens) => self.granted(Ok(tokens)),
            Err(oauth2::RequestTokenError::ServerResponse(e))
                if http.last().and_then(|r| error_code(&r)).as_deref() != Some(e.error().as_ref()) =>
            {
                // oauth2 gave up when the code's lifetime passed, with no such answer.
                Err(FlowError::OAuth(OAuthError {
                    endpoint: Endpoint::Token,
                    status: None,
                    error: e.error().as_ref().to_string(),
                    error_description: Some("the device code expired before the user answered".into()),
                    error_uri: None,
                }))
            }
            Err(e) => Err(http.failure(Endpoint::Token, e)),
        }
    }
}

struct PollState {
    attempts: AtomicU32,
    failures: AtomicU32,
    interval: Mutex<Duration>,
    gave_up: tokio::sync::Notify,
    last_failure: Mutex<Option<String>>,
}

/// The `error` of a JSON error answer.
fn error_code(response: &HttpResponse) -> Option<String> {
    if response.is_success() {
        return None;
    }
    crate::http::json_object(response)
        .ok()?
        .get("error")?
        .as_str()
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::{AuthorizationCode, TokenTypeHint};

    fn send<T: Send>(_: T) {}

    /// The shells run flows on a multi-threaded runtime: every future must be `Send`.
    #[allow(dead_code)]
    fn every_flow_is_send(c: &OAuthClient<'_>, url: &Url, s: &Secret, d: &DeviceAuthorization, o: &PollOptions) {
        send(c.exchange_code(url, &AuthorizationCode(s.clone()), "http://127.0.0.1/cb", s));
        send(c.refresh(url, s, None));
        send(c.client_credentials(url, None));
        send(c.start_device(url, None));
        send(c.poll_device(url, d, o, |_| {}));
        send(c.introspect(url, s, None));
        send(c.revoke(url, s, TokenTypeHint::AccessToken));
        send(c.userinfo(url, s));
        send(crate::oauth::LoopbackListener::bind(None, "/cb"));
    }

    #[test]
    fn poll_events_serialise_for_the_shells() {
        let e = PollEvent::SlowDown {
            attempt: 2,
            interval: Duration::from_secs(10),
        };
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"kind": "slow_down", "attempt": 2, "interval": 10})
        );
    }
}
