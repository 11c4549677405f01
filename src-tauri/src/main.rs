// Keeps a console window from opening next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::io::Write;

fn main() {
    // `registrar-app --version`: the version and commit (as the About box shows them),
    // without opening a window, so a packaged build can be checked from a terminal.
    if matches!(std::env::args().nth(1).as_deref(), Some("--version" | "-V")) {
        let _ = writeln!(std::io::stdout(), "registrar-app {}", registrar_app::VERSION);
        return;
    }
    registrar_app::run();
}
