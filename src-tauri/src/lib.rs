//! The desktop shell: it opens the window, holds the app state, and exposes the core's
//! operations as Tauri commands. Each command calls one core operation and returns its
//! typed result or an `ErrorView`; nothing here decides anything about providers.

mod clipboard_guard;
mod commands;
mod local_mock;
mod state;

/// The workspace's version and the commit the app was built from (build.rs): what
/// `registrar-app --version` prints and the About box shows, worded as `registrar --version`.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("REGISTRAR_COMMIT"), ")");

pub use commands::custody::write_private_key;
pub use commands::export::write_export;
use state::AppState;
use tauri::Manager;

/// Every command the UI may call. One list feeds both Tauri's invoke handler and the
/// TypeScript export (`export_bindings`), so `ui/src/bindings/index.ts` declares exactly
/// the commands the app answers, with their Rust signatures. The commands generic over the
/// runtime (they take a window or the app handle) are listed apart: the export names the
/// real runtime for them, the handler serves any (the tests' mock runtime too).
macro_rules! command_list {
    ($m:ident) => {
        $m! {
            plain: [
                commands::app::app_info,
                commands::app::keychain_status,
                commands::profiles::list_profiles,
                commands::profiles::new_profile,
                commands::profiles::save_profile,
                commands::profiles::trust_host,
                commands::profiles::discovery_new_hosts,
                commands::profiles::remove_profile,
                commands::profiles::discover,
                commands::reach::profile_reach,
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
                commands::drift::drift_since_sent,
                commands::drift::accept_provider_values,
                commands::drift::restore_sent_values,
                commands::drift::preview_update,
                commands::tryout::try_begin,
                commands::tryout::try_paste,
                commands::tryout::try_cancel,
                commands::tryout::try_forget,
                commands::tryout::try_open_browser,
                commands::tryout::try_refresh,
                commands::tryout::try_introspect,
                commands::tryout::try_revoke,
                commands::tryout::try_userinfo,
                commands::tryout::try_reveal,
                commands::tryout::try_call_resource,
                commands::resource::discover_url,
                commands::resource::propose_profile_from_chain,
                commands::resource::mcp_client_template,
                commands::resource::duplicate_registrations,
                commands::resource::clean_up_duplicates,
                commands::cimd::cimd_document,
                commands::cimd::cimd_serve,
                commands::cimd::cimd_stop,
                commands::cimd::cimd_keep,
                commands::bulk::select_all_clients,
                commands::insight::history,
                commands::insight::orphans,
                commands::insight::expiring,
                commands::insight::unresolved,
                commands::export::export_preview,
                commands::custody::list_keys,
                commands::custody::generate_key,
                commands::custody::import_key,
                commands::custody::delete_key,
                commands::custody::retire_key,
                commands::custody::bind_key,
                commands::custody::public_jwks,
                commands::custody::serve_public_jwks,
                commands::custody::stop_serving_jwks,
                commands::custody::self_signed_certificate,
                commands::custody::certificate_request,
                commands::custody::import_certificate,
                commands::custody::profile_use,
                commands::custody::list_software_statements,
                commands::custody::keep_software_statement,
                commands::custody::remove_software_statement,
                commands::custody::fetch_software_statement,
                commands::custody::inspect_software_statement,
                commands::custody::sign_software_statement,
                commands::custody::rotate_client_key,
                commands::custody::finish_key_rotation,
                commands::custody::expiring_custody,
                commands::mock::mock_list,
                commands::mock::mock_start,
                commands::mock::mock_stop,
                commands::vendor_fields::vendor_fields,
            ],
            generic: [
                commands::profiles::probe,
                commands::clients::copy_client_secret,
                commands::clients::refresh_all,
                commands::bulk::refresh_clients,
                commands::bulk::delete_clients,
                commands::export::export_to_file,
                commands::export::copy_export,
                commands::cimd::cimd_save,
                commands::tryout::try_wait,
                commands::custody::import_key_file,
                commands::custody::export_private_key,
                commands::custody::save_public_text,
            ]
        }
    };
}

macro_rules! invoke_handler {
    (plain: [$($($p:ident)::+),* $(,)?], generic: [$($($g:ident)::+),* $(,)?]) => {
        tauri::generate_handler![$($($p)::+,)* $($($g)::+,)*]
    };
}

#[cfg(test)]
macro_rules! typed_commands {
    (plain: [$($($p:ident)::+),* $(,)?], generic: [$($($g:ident)::+),* $(,)?]) => {
        tauri_specta::collect_commands![$($($p)::+,)* $($($g)::+::<tauri::Wry>,)*]
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
        .invoke_handler(command_list!(invoke_handler))
}

#[cfg(test)]
mod tests {
    use crate::commands;

    /// The TypeScript the window imports: every command as a typed function and every type
    /// they carry, with the Rust docs as TSDoc. Written by the test below (`cargo test -p
    /// registrar-app bindings`) and committed; the test fails when the committed file is stale.
    fn export_bindings() -> String {
        let language = specta_typescript::Typescript::default()
            .bigint(specta_typescript::BigIntExportBehavior::Number)
            .header("// The window's commands and types, exported from src-tauri/src/lib.rs.\n");
        let file = tempfile_path();
        tauri_specta::Builder::<tauri::Wry>::new()
            .commands(command_list!(typed_commands))
            // Event payloads: no command returns them, the window listens for them.
            .typ::<registrar_core::BulkProgress>()
            .typ::<registrar_core::ProbeStep>()
            .typ::<commands::tryout::TryPoll>()
            .export(language, &file)
            .expect("the commands' types export to TypeScript");
        let text = std::fs::read_to_string(&file).expect("the exported bindings read back");
        let _ = std::fs::remove_file(&file);
        text
    }

    fn tempfile_path() -> std::path::PathBuf {
        std::env::temp_dir().join(format!("registrar-bindings-{}.ts", std::process::id()))
    }

    /// Writes the bindings; fails when they differ from the committed ones, so a changed
    /// command or type cannot reach CI with a window built against the old ones.
    #[test]
    fn bindings_are_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/bindings/index.ts");
        let fresh = export_bindings();
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        if committed != fresh {
            std::fs::write(path, &fresh).expect("ui/src/bindings/index.ts is writable");
            panic!("ui/src/bindings/index.ts was stale and has been rewritten: commit it");
        }
    }
}
