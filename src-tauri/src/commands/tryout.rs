//! Try a client from the window: the core's try operations (`registrar_core::ops::tryout`)
//! behind an attempt id. A try's tokens stay in [`AppState::tries`], in memory, until the
//! wizard closes (`try_forget`); they reach the window only when the user asks
//! (`try_reveal`), and never SQLite or the logs.

use super::CommandResult;
use crate::state::{AppState, Attempt};
use registrar_core::oauth::{PollEvent, PollOptions, DEFAULT_REDIRECT_TIMEOUT};
use registrar_core::{
    AuthorizationOptions, ErrorCode, ErrorView, ProfileId, RedirectMode, ResourceAnswer, TokenChoice, TryGrant,
    TryReport,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tauri::{Emitter, State};
use tokio::sync::oneshot;

/// The parameters of a try, as the wizard's form gives them.
#[derive(Debug, Clone, Default, Deserialize, specta::Type)]
#[serde(default)]
pub struct TryOptions {
    /// `scope` (space-separated); none: the core's default (`openid` at an OpenID provider).
    pub scope: Option<String>,
    /// `prompt` for the authorization request.
    pub prompt: Option<String>,
    /// `acr_values` for the authorization request.
    pub acr_values: Option<String>,
    /// `login_hint` for the authorization request.
    pub login_hint: Option<String>,
    /// `resource` indicators (RFC 8707).
    pub resource: Vec<String>,
    /// Other authorization request parameters, as `[name, value]`.
    pub extra: Vec<(String, String)>,
    /// A registered redirect URI whose final URL the user pastes back; none: the
    /// client's loopback redirect URI, on which the app listens.
    pub paste_redirect_uri: Option<String>,
    /// For a client with no loopback redirect URI: add one for this try and remove it
    /// afterwards (two updates at the provider). The window asks the user first.
    pub add_loopback: bool,
}

/// What a started try asks of the user next.
#[derive(Debug, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TryStep {
    /// Sign in at `url`; the browser comes back to `redirect_uri`, where the app listens
    /// (`listens`) or whose final URL the user pastes.
    Browser {
        url: String,
        redirect_uri: String,
        listens: bool,
    },
    /// Type `user_code` at `verification_uri` (or scan `qr_svg`, an SVG of
    /// `verification_uri_complete`).
    Device {
        user_code: String,
        verification_uri: String,
        verification_uri_complete: Option<String>,
        expires_in_secs: u64,
        interval_secs: u64,
        qr_svg: Option<String>,
    },
    /// Nothing: the grant needed no user, here is what came back.
    Done { report: Box<TryReport> },
}

/// A started try.
#[derive(Debug, Serialize, specta::Type)]
pub struct TryStart {
    /// The attempt's id, for the commands that follow.
    pub attempt: String,
    /// The grant used.
    pub grant: TryGrant,
    /// What the core noticed about the client or the provider before starting.
    pub warnings: Vec<String>,
    /// What happens next.
    pub step: TryStep,
}

/// One poll of the device grant, sent as a `try-poll` event.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct TryPoll {
    /// The attempt polled for.
    pub attempt: String,
    /// How the poll went.
    pub event: PollEvent,
}

/// A token the user may ask to see.
#[derive(Debug, Clone, Copy, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
#[allow(clippy::enum_variant_names)] // the names the window sends
pub enum TokenToReveal {
    AccessToken,
    IdToken,
    RefreshToken,
}

fn unknown_attempt() -> ErrorView {
    ErrorView::new(
        ErrorCode::NotFound,
        "this try is over (cancelled or closed): start it again",
    )
}

fn busy() -> ErrorView {
    ErrorView::new(ErrorCode::Conflict, "this try is already waiting for its answer")
}

fn no_session() -> ErrorView {
    ErrorView::new(ErrorCode::Conflict, "this try has no tokens yet")
}

fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
    )
}

/// Starts a try: the client and its provider are checked for `grant` (by default the
/// first the client is registered for), then the authorization URL is built (and the
/// loopback listener started), or a device code asked for, or — for
/// `client_credentials` — the token got at once.
#[tauri::command]
#[specta::specta]
pub async fn try_begin(
    state: State<'_, AppState>,
    profile: ProfileId,
    client_id: String,
    grant: Option<TryGrant>,
    options: TryOptions,
) -> CommandResult<TryStart> {
    let registrar = state.registrar.clone();
    let target = registrar.try_target(&profile, &client_id, grant).await?;
    let attempt = uuid::Uuid::new_v4().to_string();
    let warnings = target.warnings.clone();
    let scope = options.scope.clone();
    let (step, held) = match target.grant {
        TryGrant::ClientCredentials => {
            let outcome = registrar.try_client_credentials(&target, scope.as_deref()).await?;
            (
                TryStep::Done {
                    report: Box::new(outcome.report),
                },
                Attempt::Session(Box::new(outcome.session)),
            )
        }
        TryGrant::AuthorizationCode => {
            let pending = registrar
                .authorization_begin(
                    &target,
                    AuthorizationOptions {
                        scope,
                        prompt: options.prompt,
                        acr_values: options.acr_values,
                        login_hint: options.login_hint,
                        resource: options.resource,
                        extra: options.extra,
                        redirect: match options.paste_redirect_uri {
                            Some(redirect_uri) => RedirectMode::Paste { redirect_uri },
                            None => RedirectMode::Loopback,
                        },
                        add_loopback: options.add_loopback,
                    },
                )
                .await?;
            (
                TryStep::Browser {
                    url: pending.url().to_string(),
                    redirect_uri: pending.redirect_uri().to_string(),
                    listens: pending.listens(),
                },
                Attempt::Authorization(Box::new(pending)),
            )
        }
        TryGrant::DeviceCode => {
            let pending = registrar.device_begin(&target, scope.as_deref()).await?;
            (
                TryStep::Device {
                    user_code: pending.user_code().to_string(),
                    verification_uri: pending.verification_uri().to_string(),
                    verification_uri_complete: pending.verification_uri_complete().map(str::to_string),
                    expires_in_secs: pending.expires_in_secs(),
                    interval_secs: pending.interval_secs(),
                    qr_svg: pending.verification_uri_complete().and_then(qr_svg),
                },
                Attempt::Device(Box::new(pending)),
            )
        }
    };
    state.tries().insert(attempt.clone(), held);
    Ok(TryStart {
        attempt,
        grant: target.grant,
        warnings,
        step,
    })
}

/// Waits for the user: the browser's redirect to the loopback listener (at most
/// `timeout_secs`, by default the core's), or the device grant's polling, each poll sent
/// as a `try-poll` event. `try_cancel` stops the wait and closes the listener.
#[tauri::command]
#[specta::specta]
pub async fn try_wait<R: tauri::Runtime>(
    window: tauri::Window<R>,
    state: State<'_, AppState>,
    attempt: String,
    timeout_secs: Option<u64>,
) -> CommandResult<TryReport> {
    let (cancelled_tx, cancelled) = oneshot::channel();
    let held = {
        let mut tries = state.tries();
        let entry = tries.get_mut(&attempt).ok_or_else(unknown_attempt)?;
        match entry {
            Attempt::Authorization(_) | Attempt::Device(_) => {
                let url = entry.browser_url();
                std::mem::replace(
                    entry,
                    Attempt::Waiting {
                        cancel: cancelled_tx,
                        url,
                    },
                )
            }
            Attempt::Waiting { .. } => return Err(busy()),
            Attempt::Session(_) => return Err(ErrorView::new(ErrorCode::Conflict, "this try is already done")),
        }
    };
    let registrar = state.registrar.clone();
    let cancelled_error = || ErrorView::new(ErrorCode::Internal, "the try was cancelled");
    let result = match held {
        Attempt::Authorization(mut pending) => {
            let timeout = timeout_secs.map_or(DEFAULT_REDIRECT_TIMEOUT, std::time::Duration::from_secs);
            let mut cancelled = cancelled;
            let waited = tokio::select! {
                callback = pending.wait_for_redirect(timeout) => Some(callback),
                _ = &mut cancelled => None,
            };
            match waited {
                Some(Ok(callback)) => registrar.authorization_finish(*pending, &callback).await,
                // No answer: the listener is closed; a redirect URI added for the try goes.
                Some(Err(e)) => {
                    end_authorization(&registrar, *pending).await;
                    Err(e)
                }
                None => {
                    end_authorization(&registrar, *pending).await;
                    return Err(cancelled_error());
                }
            }
        }
        Attempt::Device(pending) => {
            let options = PollOptions {
                timeout: timeout_secs.map(std::time::Duration::from_secs),
                ..Default::default()
            };
            let id = attempt.clone();
            let polling = registrar.device_finish(*pending, &options, move |event| {
                let _ = window.emit(
                    "try-poll",
                    TryPoll {
                        attempt: id.clone(),
                        event,
                    },
                );
            });
            tokio::select! {
                outcome = polling => outcome,
                _ = cancelled => return Err(cancelled_error()),
            }
        }
        Attempt::Waiting { .. } | Attempt::Session(_) => unreachable!("taken only while pending"),
    };
    let mut tries = state.tries();
    match result {
        Err(e) => {
            tries.remove(&attempt);
            Err(e.into())
        }
        // Cancelled while the code was being exchanged: the tokens are dropped here.
        Ok(_) if !tries.contains_key(&attempt) => Err(cancelled_error()),
        Ok(outcome) => {
            tries.insert(attempt, Attempt::Session(Box::new(outcome.session)));
            Ok(outcome.report)
        }
    }
}

/// Ends an authorization that will not be finished; a redirect URI added for it that
/// cannot be removed is logged (without secrets: it is a URI the user saw).
async fn end_authorization(registrar: &registrar_core::Registrar, pending: registrar_core::PendingAuthorization) {
    let added = pending.added_redirect().map(str::to_string);
    if let Err(e) = registrar.authorization_cancel(pending).await {
        tracing::warn!(redirect_uri = ?added, error = %e, "a redirect URI added for a try could not be removed");
    }
}

/// Finishes an authorization with the final URL the browser showed, pasted by the user.
#[tauri::command]
#[specta::specta]
pub async fn try_paste(state: State<'_, AppState>, attempt: String, url: String) -> CommandResult<TryReport> {
    let callback = url::Url::parse(url.trim())
        .map_err(|e| ErrorView::new(ErrorCode::Validation, format!("the pasted text is not a URL: {e}")))?;
    let pending = {
        let mut tries = state.tries();
        match tries.remove(&attempt) {
            Some(Attempt::Authorization(pending)) => pending,
            Some(other) => {
                tries.insert(attempt, other);
                return Err(ErrorView::new(
                    ErrorCode::Conflict,
                    "this try is not waiting for a pasted URL",
                ));
            }
            None => return Err(unknown_attempt()),
        }
    };
    let outcome = state.registrar.authorization_finish(*pending, &callback).await?;
    state
        .tries()
        .insert(attempt, Attempt::Session(Box::new(outcome.session)));
    Ok(outcome.report)
}

/// Stops a try wherever it is: a wait ends, the loopback listener closes, a redirect URI
/// added for the try is removed, tokens are dropped.
#[tauri::command]
#[specta::specta]
pub async fn try_cancel(state: State<'_, AppState>, attempt: String) -> CommandResult<()> {
    let held = state.tries().remove(&attempt);
    match held {
        Some(Attempt::Waiting { cancel, .. }) => {
            let _ = cancel.send(());
        }
        Some(Attempt::Authorization(pending)) => end_authorization(&state.registrar, *pending).await,
        Some(Attempt::Device(_) | Attempt::Session(_)) | None => {}
    }
    Ok(())
}

/// Forgets a try's tokens (the wizard closed); the same as [`try_cancel`].
#[tauri::command]
#[specta::specta]
pub async fn try_forget(state: State<'_, AppState>, attempt: String) -> CommandResult<()> {
    try_cancel(state, attempt).await
}

/// Opens the attempt's authorization URL (or the device's verification URL) in the
/// system browser; when none can be started, the error names the URL to open by hand.
#[tauri::command]
#[specta::specta]
pub fn try_open_browser(state: State<'_, AppState>, attempt: String) -> CommandResult<()> {
    let url = match state.tries().get(&attempt) {
        Some(held) => held
            .browser_url()
            .ok_or_else(|| ErrorView::new(ErrorCode::Conflict, "this try has nothing to open"))?,
        None => return Err(unknown_attempt()),
    };
    webbrowser::open(&url).map_err(|e| {
        ErrorView::new(
            ErrorCode::Internal,
            format!("the browser could not be started ({e}): open it yourself: {url}"),
        )
    })
}

/// The session of a finished try, cloned so no lock is held across the provider call.
fn session(state: &AppState, attempt: &str) -> CommandResult<registrar_core::TrySession> {
    match state.tries().get(attempt) {
        Some(Attempt::Session(session)) => Ok((**session).clone()),
        Some(_) => Err(no_session()),
        None => Err(unknown_attempt()),
    }
}

/// Uses the refresh token; the report says whether it rotated.
#[tauri::command]
#[specta::specta]
pub async fn try_refresh(state: State<'_, AppState>, attempt: String) -> CommandResult<TryReport> {
    let mut session = session(&state, &attempt)?;
    let report = state.registrar.try_refresh(&mut session).await?;
    let mut tries = state.tries();
    if tries.contains_key(&attempt) {
        tries.insert(attempt, Attempt::Session(Box::new(session)));
    }
    Ok(report)
}

/// Asks the introspection endpoint about a token (RFC 7662).
#[tauri::command]
#[specta::specta]
pub async fn try_introspect(
    state: State<'_, AppState>,
    attempt: String,
    which: TokenChoice,
) -> CommandResult<Map<String, Value>> {
    let session = session(&state, &attempt)?;
    Ok(state.registrar.try_introspect(&session, which).await?)
}

/// Revokes a token (RFC 7009).
#[tauri::command]
#[specta::specta]
pub async fn try_revoke(state: State<'_, AppState>, attempt: String, which: TokenChoice) -> CommandResult<()> {
    let session = session(&state, &attempt)?;
    Ok(state.registrar.try_revoke(&session, which).await?)
}

/// Calls the userinfo endpoint with the access token.
#[tauri::command]
#[specta::specta]
pub async fn try_userinfo(state: State<'_, AppState>, attempt: String) -> CommandResult<Map<String, Value>> {
    let session = session(&state, &attempt)?;
    Ok(state.registrar.try_userinfo(&session).await?)
}

/// Calls the protected resource the try's profile is bound to with the access token: an
/// MCP server's `initialize`, or a GET. A refusal is in the answer, not an error.
#[tauri::command]
#[specta::specta]
pub async fn try_call_resource(state: State<'_, AppState>, attempt: String) -> CommandResult<ResourceAnswer> {
    let session = session(&state, &attempt)?;
    Ok(state.registrar.call_profile_resource(&session).await?)
}

/// A token itself, because the user asked to see it.
#[tauri::command]
#[specta::specta]
pub fn try_reveal(state: State<'_, AppState>, attempt: String, which: TokenToReveal) -> CommandResult<Option<String>> {
    let session = session(&state, &attempt)?;
    let token = match which {
        TokenToReveal::AccessToken => session.token(TokenChoice::AccessToken),
        TokenToReveal::RefreshToken => session.token(TokenChoice::RefreshToken),
        TokenToReveal::IdToken => session.id_token(),
    };
    Ok(token.map(|s| s.expose().to_string()))
}
