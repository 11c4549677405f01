//! End-to-end tests of the desktop app in its real window: tauri-driver starts the built
//! `registrar-app` under WebKitWebDriver, and each test drives the window as a person would
//! (clicks, typing, reading what is shown), against the mock providers the app embeds and,
//! in `real_provider`, against node-oidc-provider.
//!
//! They need an X display (Xvfb), tauri-driver, WebKitWebDriver, xdotool (for the native save
//! dialog), a Secret Service session and a built app, so they run only with `REGISTRAR_GUI_TESTS=1`; `scripts/gui-test.sh` sets all
//! of that up. Without the variable each test prints why it was skipped and passes; with it,
//! anything missing fails the test with a message saying what to install or start.

mod harness;
mod mock_admin;
mod page;
mod steps;

mod about;
mod capabilities;
mod cimd;
mod columns;
mod custody;
mod drift_actions;
mod duplicates;
mod expiry_timeline;
mod export_file;
mod history_timeline;
mod hostile;
mod keyboard_paths;
mod keychain_banner;
mod lifecycle;
mod list_bulk;
mod long_list;
mod mcp_chain;
mod provider_errors;
mod providers_polish;
mod real_provider;
mod screenshots;
mod shortcuts;
mod tls_marker;
mod try_flows;
mod window_bugs;

#[test]
fn every_test_file_is_part_of_this_binary() {
    registrar_tests::assert_every_test_file_is_declared(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("gui"));
}
