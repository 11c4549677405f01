//! Tauri commands, grouped as the UI is: one call into the core each.

pub mod app;
pub mod clients;
pub mod export;
pub mod insight;
pub mod mock;
pub mod profiles;

use registrar_core::ErrorView;

/// What every command returns.
pub type CommandResult<T> = Result<T, ErrorView>;
