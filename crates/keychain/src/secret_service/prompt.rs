//! Prompts: a Secret Service method that needs the person at the desktop (to unlock, say)
//! answers with the path of a prompt object; calling its `Prompt` shows the dialog, and its
//! `Completed(dismissed, result)` signal says how it ended.

use super::error::map_error;
use crate::KeychainError;
use dbus::blocking::Connection;
use dbus::message::MatchRule;
use dbus::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PROMPT_INTERFACE: &str = "org.freedesktop.Secret.Prompt";
/// The path a method answers with when it needed no prompt.
const NO_PROMPT: &str = "/";
/// How long one wait for a message lasts, so the deadline is checked now and then.
const POLL: Duration = Duration::from_secs(1);

/// Shows the prompt at `path` (nothing when it is "/") and waits for its answer at most
/// `seconds` (0: do not prompt). Dismissed, unanswered or not shown: the keychain stays locked.
pub(super) fn complete(
    conn: &Connection,
    path: Path<'static>,
    seconds: u64,
    timeout: Duration,
) -> Result<(), KeychainError> {
    if &*path == NO_PROMPT {
        return Ok(());
    }
    let proxy = conn.with_proxy(super::client::SERVICE, path.clone(), timeout);
    if seconds == 0 {
        // Best effort: the call fails anyway, and the daemon drops the prompt with us.
        let _: Result<(), _> = proxy.method_call(PROMPT_INTERFACE, "Dismiss", ());
        return Err(KeychainError::Locked);
    }

    // Listen before showing the prompt, so its answer cannot come before we listen.
    let dismissed = Arc::new(Mutex::new(None::<bool>));
    let slot = Arc::clone(&dismissed);
    // Only the Secret Service itself may answer: any other peer on the session bus could
    // send a `Completed` signal with this path and fake an unlock (the bus matches the
    // well-known name against its current owner).
    let rule = MatchRule::new_signal(PROMPT_INTERFACE, "Completed")
        .with_path(path.clone())
        .with_sender(super::client::SERVICE);
    let token = conn
        .add_match(rule, move |(was_dismissed,): (bool,), _, _| {
            *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(was_dismissed);
            true
        })
        .map_err(map_error)?;

    let outcome = wait(conn, &proxy, &dismissed, seconds);
    // Best effort: the match only costs the bus a little until the connection closes.
    let _ = conn.remove_match(token);
    match outcome? {
        Some(false) => Ok(()),
        Some(true) => Err(KeychainError::Locked),
        None => {
            let _: Result<(), _> = proxy.method_call(PROMPT_INTERFACE, "Dismiss", ());
            Err(KeychainError::Locked)
        }
    }
}

/// `Some(dismissed)` once the prompt completed, `None` when `seconds` passed first.
fn wait(
    conn: &Connection,
    proxy: &dbus::blocking::Proxy<'_, &Connection>,
    dismissed: &Mutex<Option<bool>>,
    seconds: u64,
) -> Result<Option<bool>, KeychainError> {
    // The window id is for the dialog's parent window: a command line has none.
    proxy
        .method_call::<(), _, _, _>(PROMPT_INTERFACE, "Prompt", ("",))
        .map_err(map_error)?;
    // A deadline beyond what `Instant` can hold means waiting as long as it takes.
    let deadline = Instant::now().checked_add(Duration::from_secs(seconds));
    loop {
        if let Some(answer) = *dismissed.lock().unwrap_or_else(|e| e.into_inner()) {
            return Ok(Some(answer));
        }
        let left = deadline.map_or(POLL, |d| d.saturating_duration_since(Instant::now()));
        if left.is_zero() {
            return Ok(None);
        }
        conn.process(left.min(POLL)).map_err(map_error)?;
    }
}
