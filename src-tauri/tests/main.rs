//! The app's integration tests in one binary: the window's capability set, pinned, and the
//! secret scan of every command over Tauri's IPC, the try commands' attempts, the custody
//! commands (keys, certificates, software statements), the protected resource commands
//! (discovery chain, connect, duplicates), the Client ID Metadata Document commands, and the
//! drift commands (keep the provider's values, restore ours through a preview).

mod bulk_commands;
mod capabilities;
mod cimd_commands;
mod custody;
mod drift_commands;
mod ipc;
mod resource_commands;
mod secret_scan;
mod try_attempts;

/// Held by each test that opens the app: it finds its data directory in the process's
/// environment (`REGISTRAR_DATA_DIR`), which two tests at once would overwrite.
static APP_ENV: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn every_test_file_is_part_of_this_binary() {
    registrar_tests::assert_every_test_file_is_declared(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests"),
    );
}
