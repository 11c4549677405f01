//! Showing typed results: every result is a serializable view with stable field names
//! (`--json`) and a human form (tables). Commands build a view and hand it to `Output`;
//! none of them prints JSON or tables by hand.

mod bulk;
mod client;
pub mod custody;
mod discovery;
mod drift;
mod history;
mod journal;
mod orphans;
mod outcome;
mod probe;
mod profile;
mod recovery;
mod resource;
pub mod shell;
pub mod table;
pub mod time;
mod try_view;

pub use bulk::{BroughtInView, BulkImportView, BulkRefreshView, BulkRow, UnstoredView};
pub use client::{ClientPage, ClientRow, ClientView};
pub use discovery::DiscoveryView;
pub use history::{ExchangeView, Exchanges};
pub use journal::{ForgetView, PendingRow, PendingView};
pub use orphans::OrphansView;
pub use outcome::{Action, DeleteView, RegisterView, SyncView};
pub use probe::{outcome_mark, ProbeView};
pub use profile::{ProfileRemovedView, ProfileView, Profiles};
pub use recovery::{DismissView, RecoveryView};
pub use resource::{ChainView, DiscoveredView, DuplicatesView, ResourceAnswerView};
pub use try_view::{ShownTokens, TryActions, TryView};

use crate::failure::Failure;
use serde::Serialize;

/// The human form of a view: the text printed on stdout without `--json`.
pub trait Human {
    fn human(&self) -> String;
}

#[derive(Debug, Clone, Copy)]
pub struct Output {
    json: bool,
}

impl Output {
    pub fn new(json: bool) -> Self {
        Self { json }
    }

    pub fn is_json(&self) -> bool {
        self.json
    }

    pub fn show<T: Serialize + Human>(&self, view: &T) -> Result<(), Failure> {
        if self.json {
            print_json(view)
        } else {
            let text = view.human();
            if text.ends_with('\n') {
                write_stdout(&text)
            } else {
                write_stdout(&format!("{text}\n"))
            }
        }
    }

    /// Things the user must know that are not the result, on stderr in both modes.
    pub fn warn(&self, warnings: &[String]) {
        for warning in warnings {
            eprintln!("warning: {warning}");
        }
    }
}

pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Failure::new(1, format!("cannot write JSON: {e}")))?;
    write_stdout(&format!("{text}\n"))
}

/// Writes the result on stdout. A reader that stopped reading (`registrar list | head`) is
/// not an error: what it wanted it has, and nothing is left half-done by stopping here.
fn write_stdout(text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::new(1, format!("cannot write the result: {e}"))),
    }
}
