//! Ctrl-C that never leaves anything half-written. The core writes its journal, the
//! keychain and the database synchronously between awaits, so a future is only ever
//! dropped at an await point, never in the middle of a write. The first Ctrl-C lets the
//! work in flight finish (so a new token or client is stored, not lost) and, for bulk
//! work, stops starting new items; a second one abandons what is in flight, whose
//! journal entry then says what to recover (`registrar pending`).

use crate::failure::Failure;
use crate::signals::Interrupts;
use std::future::Future;

/// Runs one provider call; the first Ctrl-C only says that it is being waited for.
pub async fn guard<F: Future>(operation: F) -> Result<F::Output, Failure> {
    guard_with(operation, || {
        eprintln!("waiting for the provider's answer so that nothing is lost; press Ctrl-C again to abandon it");
    })
    .await
}

/// Runs `operation`, calling `on_first` at the first Ctrl-C and abandoning it at the second.
pub async fn guard_with<F: Future>(operation: F, on_first: impl FnOnce()) -> Result<F::Output, Failure> {
    let mut interrupts = Interrupts::listen();
    tokio::pin!(operation);
    let mut on_first = Some(on_first);
    loop {
        tokio::select! {
            output = &mut operation => return Ok(output),
            () = interrupts.next() => match on_first.take() {
                Some(first) => first(),
                None => {
                    eprintln!(
                        "abandoned: a request in flight may still reach the provider; `registrar pending` \
                         lists what to check"
                    );
                    return Err(Failure::interrupted());
                }
            },
        }
    }
}
