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
