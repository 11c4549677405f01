//! One module per command group. Each parses nothing itself (clap did), calls one core
//! operation and hands a view to `render`.

pub mod cimd;
pub mod connect;
pub mod custody;
pub mod discover;
pub mod docs;
pub mod duplicates;
pub mod export;
pub mod forget;
pub mod history;
pub mod import;
pub mod lifecycle;
pub mod list;
mod locate;
pub mod mock;
pub mod orphans;
pub mod pending;
pub mod probe;
pub mod profile;
pub mod recover;
pub mod try_client;
pub mod unstored;

pub use locate::{client_count, locate, profile_names};

use crate::failure::Failure;
use crate::interrupt;
use crate::progress::Spinner;
use std::future::Future;

/// Runs one call to a provider with a spinner while it lasts and Ctrl-C handled safely.
/// The outer error is an abandoned call; the inner one is the core's answer.
pub async fn provider_call<T>(
    message: impl Into<String>,
    call: impl Future<Output = registrar_core::Result<T>>,
) -> Result<registrar_core::Result<T>, Failure> {
    let spinner = Spinner::start(message);
    let result = interrupt::guard(call).await;
    drop(spinner);
    result
}
