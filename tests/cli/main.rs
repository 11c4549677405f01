//! The `registrar` command line driven as a user drives it: the built binary against the
//! mock provider in every dialect, over real HTTP, with the real OS keychain in a private
//! namespace per test (run under scripts/with-keychain.sh). Each test checks exit codes,
//! what is printed, and what the provider and the local state hold afterwards.

mod concurrent;
mod custody;
mod docs;
mod errors;
mod features;
mod import;
mod interrupt;
mod keychain_states;
mod kill9;
mod lifecycle;
mod mcp;
mod mock_command;
mod profiles;
mod real_providers;
mod secret_scan;
mod support;
mod try_grants;

#[test]
fn every_test_file_is_part_of_this_binary() {
    registrar_tests::assert_every_test_file_is_declared(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cli"));
}
