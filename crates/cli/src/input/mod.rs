//! Everything the user hands in besides plain flags: secrets (never as flag values),
//! client metadata from files and `--set` edits, and confirmations.

pub mod confirm;
pub mod duration;
pub mod metadata;
pub mod refused;
pub mod secret;
