//! An empty Tauri 2 window: the same window size as the app, a static page, no commands,
//! no plugins, no state. Whatever the app costs beyond this is the app's own.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("the empty window opens");
}
