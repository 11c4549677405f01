//! A secret copied to the clipboard is taken back after a while, but only if the clipboard
//! still holds it: whatever the user copied since is theirs and is left alone.

use std::time::Duration;

/// How long a copied secret may stay on the clipboard.
pub const CLEAR_AFTER: Duration = Duration::from_secs(30);

/// Clears the clipboard (`clear`) when what it holds now (`read`) is still `copied`.
/// Returns whether it cleared.
pub fn take_back(copied: &str, read: impl FnOnce() -> Option<String>, clear: impl FnOnce()) -> bool {
    let still_ours = read().is_some_and(|now| now == copied);
    if still_ours {
        clear();
    }
    still_ours
}

/// Puts `secret` on the clipboard and, after [`CLEAR_AFTER`], takes it back if the
/// clipboard still holds it. The secret is kept only as a [`Secret`] (wiped when dropped)
/// while it waits.
pub fn copy_then_take_back<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    secret: registrar_core::Secret,
) -> crate::commands::CommandResult<()> {
    use tauri_plugin_clipboard_manager::ClipboardExt;
    app.clipboard().write_text(secret.expose().to_string()).map_err(|e| {
        registrar_core::ErrorView::new(registrar_core::ErrorCode::Internal, format!("could not copy: {e}"))
    })?;
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(CLEAR_AFTER).await;
        take_back(
            secret.expose(),
            || app.clipboard().read_text().ok(),
            || {
                let _ = app.clipboard().clear();
            },
        );
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn only_the_copied_secret_is_taken_back() {
        let cleared = Cell::new(false);
        assert!(take_back("s3cret", || Some("s3cret".into()), || cleared.set(true)));
        assert!(cleared.get(), "still the secret: cleared");

        let cleared = Cell::new(false);
        assert!(!take_back(
            "s3cret",
            || Some("a URL the user copied since".into()),
            || cleared.set(true)
        ));
        assert!(!cleared.get(), "the user's own copy is left alone");

        let cleared = Cell::new(false);
        assert!(!take_back("s3cret", || None, || cleared.set(true)));
        assert!(!cleared.get(), "an unreadable clipboard is not cleared blindly");
    }
}
