//! What every CLI test needs: the built `registrar` binary, a private data directory
//! (and so a keychain namespace of its own), a mock provider in-process on port 0, and
//! each dialect's profile flags and client metadata.

mod bin;
mod dialect;
mod keychain;
mod mock;
mod run;

pub use bin::registrar_bin;
pub use dialect::{add_profile, capabilities, client_file, profile_flags, SECRET_ENV};
pub use keychain::PrivateKeychain;
pub use mock::Mock;
pub use run::{json_of, stderr_of, stdout_of, Cli};
