//! The app on Tauri's mock runtime, called as the window calls it: one command at a time
//! over IPC with the JSON the bindings send. Shared by the test files of this binary; each
//! holds `crate::APP_ENV` while a window is open (the data directory is found through the
//! process's environment).

use registrar_tests::browser::Browser;
use serde_json::Value;
use std::cell::RefCell;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

/// The app with its main window, in a data directory of its own.
pub struct MockWindow {
    pub app: tauri::App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
    pub data: tempfile::TempDir,
    /// Every answer, `command: result`, for scans of what the window was told.
    answers: RefCell<Vec<String>>,
}

impl MockWindow {
    pub fn open() -> Self {
        let data = tempfile::tempdir().expect("a data directory");
        std::env::set_var("REGISTRAR_DATA_DIR", data.path());
        let mut app = registrar_app::with_commands(tauri::test::mock_builder())
            .build(tauri::test::mock_context(tauri::test::noop_assets()))
            .expect("the app builds on the mock runtime");
        #[allow(deprecated)]
        app.run_iteration(|_, _| {});
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("the main window on the mock runtime");
        Self {
            app,
            webview,
            data,
            answers: RefCell::new(Vec::new()),
        }
    }

    pub fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("a URL"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        let answer = tauri::test::get_ipc_response(&self.webview, request)
            .map(|body| body.deserialize::<Value>().expect("a JSON answer"));
        self.answers.borrow_mut().push(format!("{cmd}: {answer:?}"));
        answer
    }

    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.invoke(cmd, args).unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    pub fn fails(&self, cmd: &str, args: Value) -> Value {
        match self.invoke(cmd, args) {
            Ok(v) => panic!("{cmd} should have failed, answered {v}"),
            Err(e) => e,
        }
    }

    /// The generic mock the app starts beside the window, as `mock_list` describes it
    /// (`base_url`, `profile`, …).
    pub fn generic_mock(&self) -> Value {
        let mocks = self.ok("mock_list", serde_json::json!({}));
        mocks
            .as_array()
            .and_then(|m| m.iter().find(|m| m["dialect"] == "generic"))
            .unwrap_or_else(|| panic!("no generic mock in {mocks}"))
            .clone()
    }

    /// The id of the profile named `name`, from `list_profiles`.
    pub fn profile_id(&self, name: &Value) -> Value {
        let profiles = self.ok("list_profiles", serde_json::json!({}));
        profiles
            .as_array()
            .and_then(|p| p.iter().find(|p| &p["name"] == name))
            .unwrap_or_else(|| panic!("no profile {name} in {profiles}"))["id"]
            .clone()
    }

    /// Every answer so far, `command: result`.
    pub fn answers(&self) -> Vec<String> {
        self.answers.borrow().clone()
    }
}

/// The scripted user, in a thread of its own while the test thread waits in a command.
pub fn user<F, Fut>(act: F) -> std::thread::JoinHandle<Result<String, String>>
where
    F: FnOnce(Browser) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<String, String>>,
{
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
            .block_on(act(Browser::default()))
    })
}
