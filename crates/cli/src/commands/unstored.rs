//! Credentials the keychain could not keep, from any command that can receive them (one
//! client or many, imports, recovery, orphans): shown now, as the only chance to copy
//! them (in `--json` they are in the command's own output), and the command fails with
//! the storage exit code so a script cannot miss it.

use crate::app::App;
use crate::failure::{Failure, STORAGE};
use crate::render::UnstoredView;
use registrar_core::UnstoredCredentials;

/// The failure of a command that showed its client's unstored credentials itself.
pub fn shown_once() -> Failure {
    Failure::new(
        STORAGE,
        "the keychain could not keep the new credentials; they are shown above, once: keep them safe",
    )
}

pub fn fail_if_any(app: &App, unstored: Vec<UnstoredCredentials>) -> Result<(), Failure> {
    if unstored.is_empty() {
        return Ok(());
    }
    let count = unstored.len();
    if !app.out.is_json() {
        app.out.show(&UnstoredView(unstored))?;
    }
    Err(Failure::new(
        STORAGE,
        format!("the keychain could not keep the new credentials of {count} client(s); they are shown above, once: keep them safe"),
    ))
}
