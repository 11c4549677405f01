//! The desktop shell: it opens the window, holds the app state, and exposes the core's
//! operations as Tauri commands. Each command calls one core operation and returns its
//! typed result or an `ErrorView`; nothing here decides anything about providers.

mod clipboard_guard;
mod commands;
mod local_mock;
mod state;

pub use commands::export::write_export;
use state::AppState;
use tauri::{generate_handler, Manager};

/// Every command the UI may call. `ui/src/lib/api.ts` wraps exactly these; a test checks
/// that the two lists agree.
macro_rules! command_list {
    ($m:ident) => {
        $m![
            commands::app::app_info,
            commands::profiles::list_profiles,
            commands::profiles::new_profile,
            commands::profiles::save_profile,
            commands::profiles::trust_host,
            commands::profiles::discovery_new_hosts,
            commands::profiles::remove_profile,
            commands::profiles::discover,
            commands::profiles::probe,
            commands::clients::search_clients,
            commands::clients::get_registration,
            commands::clients::validate_metadata,
            commands::clients::register_client,
            commands::clients::refresh_client,
            commands::clients::update_client,
            commands::clients::delete_client,
            commands::clients::forget_client,
            commands::clients::import_client,
            commands::clients::reveal_secret,
            commands::clients::copy_client_secret,
            commands::clients::try_client,
            commands::clients::refresh_all,
            commands::insight::history,
            commands::insight::orphans,
            commands::insight::expiring,
            commands::insight::unresolved,
            commands::export::export_preview,
            commands::export::export_to_file,
            commands::mock::mock_list,
            commands::mock::mock_start,
            commands::mock::mock_stop,
        ]
    };
}

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("REGISTRAR_LOG").unwrap_or_else(|_| "warn".into()))
        .init();
    with_commands(tauri::Builder::default())
        .plugin(tauri_plugin_store::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, "the window could not be opened");
            std::process::exit(1);
        });
}

/// The app's state and commands on any runtime: public so src-tauri/tests/secret_scan.rs drives them over mock IPC.
pub fn with_commands<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .setup(|app| {
            app.manage(AppState::open()?);
            // The local mock starts beside the window, not before it (see
            // AppState::start_local_mock); the commands that show it wait for it.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                handle.state::<AppState>().start_local_mock().await;
            });
            Ok(())
        })
        .invoke_handler(command_list!(generate_handler))
}

/// The command names, for the test that keeps the UI's wrappers in step.
#[cfg(test)]
fn command_names() -> Vec<&'static str> {
    macro_rules! names {
        ($($path:path),* $(,)?) => {
            vec![$(stringify!($path).rsplit("::").next().unwrap_or_default().trim()),*]
        };
    }
    command_list!(names)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_command_has_a_ui_wrapper_and_every_wrapper_a_command() {
        let api = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/lib/api.ts"))
            .expect("ui/src/lib/api.ts exists");
        let names = super::command_names();
        for name in &names {
            assert!(
                api.contains(&format!("\"{name}\"")),
                "ui/src/lib/api.ts does not call {name}"
            );
        }
        let called: Vec<&str> = api
            .split("call<")
            .skip(1)
            .filter_map(|rest| rest.split('"').nth(1))
            .collect();
        for name in called {
            assert!(
                names.contains(&name),
                "ui/src/lib/api.ts calls {name}, which is not a command"
            );
        }
    }
}
