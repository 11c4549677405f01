//! The app's integration tests in one binary: the window's capability set, pinned, and the
//! secret scan of every command over Tauri's IPC.

mod capabilities;
mod secret_scan;

#[test]
fn every_test_file_is_part_of_this_binary() {
    registrar_tests::assert_every_test_file_is_declared(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests"),
    );
}
