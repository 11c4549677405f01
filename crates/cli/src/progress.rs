//! Feedback while the provider is being asked: a spinner on stderr, drawn only when stderr
//! is a terminal (indicatif hides it otherwise), so piped output and `--json` stay clean.
//! A hidden spinner gets no ticking thread either: indicatif starts one for any bar that
//! ticks, and joining it as the command ends cost a scripted command 0.1 to 0.3 ms.

use indicatif::{ProgressBar, ProgressStyle};
use std::time::Duration;

#[derive(Debug)]
pub struct Spinner(ProgressBar);

impl Spinner {
    pub fn start(message: impl Into<String>) -> Self {
        let bar = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            bar.set_style(style);
        }
        bar.set_message(message.into());
        if !bar.is_hidden() {
            bar.enable_steady_tick(Duration::from_millis(100));
        }
        Self(bar)
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}
