//! Asking before something irreversible. Without a terminal there is nobody to ask, so
//! the command refuses instead of hanging or guessing: scripts pass `--yes`.

use crate::failure::Failure;
use std::io::{BufRead, IsTerminal, Write};

/// Asks `question` on stderr and reads y/yes from stdin; `Ok(false)` when declined.
pub fn ask(question: &str) -> Result<bool, Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(Failure::usage(
            "this needs a confirmation and standard input is not a terminal: pass --yes to confirm",
        ));
    }
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Failure::usage(format!("could not read the answer: {e}")))?;
    Ok(matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes"))
}
