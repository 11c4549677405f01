//! Starting the real app under tauri-driver, and stopping it whatever happens.
//!
//! Why it is built this way:
//! - One session at a time (a process-wide lock): tauri-driver and WebKitWebDriver share one
//!   display and fixed-ish ports, and two windows would fight over focus.
//! - Each test gets a fresh temporary directory holding the app's data directory
//!   (`REGISTRAR_DATA_DIR`) and its XDG directories (where the preferences store lives), all
//!   set on the tauri-driver process, which passes its environment down to the app: no test
//!   sees another's profiles, clients, theme or last profile.
//! - tauri-driver runs in its own process group, killed as a whole when the test ends, so a
//!   failing test never leaves a window, a WebKitWebDriver or an embedded mock behind.
//! - `App::restart` quits the app and opens it again on the same temporary directory, as a
//!   person quitting and starting it again: what the app keeps between runs (its database,
//!   its preferences) is what the next run reads back.
//! - Missing prerequisites (display, drivers, a built app, a keychain session) fail with a
//!   sentence saying what to do; without `REGISTRAR_GUI_TESTS=1` tests say they were skipped.

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Map};
use std::fs::File;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};
use tempfile::TempDir;
use tokio::sync::{Mutex, MutexGuard};

/// What every step returns: a failure is a sentence about what was expected.
pub type Res<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

/// The running app in its window, driven over WebDriver.
pub struct App {
    client: Client,
    driver: Driver,
    test: &'static str,
    // Dropped after the driver, so the app is gone before its data directory is removed.
    dir: TempDir,
    turn: MutexGuard<'static, ()>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").field("test", &self.test).finish_non_exhaustive()
    }
}

impl App {
    /// Opens the app for `test`, or `None` (after saying so) when GUI tests are not enabled.
    pub async fn launch(test: &'static str) -> Res<Option<App>> {
        App::launch_in(test, |_| Ok(())).await
    }

    /// As [`App::launch`], with these environment variables set for the app (and kept
    /// across a restart): `DBUS_SESSION_BUS_ADDRESS` pointing nowhere is a desktop session
    /// without a keychain.
    pub async fn launch_with_env(test: &'static str, env: &[(&str, &str)]) -> Res<Option<App>> {
        let lines: String = env.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
        App::launch_in(test, |dir| Ok(std::fs::write(dir.join(EXTRA_ENV), lines)?)).await
    }

    /// As [`App::launch`], with `prepare` given the app's data directory first, to leave
    /// there what a returning user's app would find (a database with many clients, say).
    pub async fn launch_prepared(test: &'static str, prepare: impl FnOnce(&Path) -> Res) -> Res<Option<App>> {
        App::launch_in(test, |dir| {
            let data = dir.join("data");
            std::fs::create_dir_all(&data)?;
            prepare(&data).map_err(|e| format!("{test}: preparing the data directory failed: {e}").into())
        })
        .await
    }

    /// Opens the app for `test` in a fresh test folder, which `set_up` is given first (its
    /// data directory is `data` under it), once it is this test's turn.
    async fn launch_in(test: &'static str, set_up: impl FnOnce(&Path) -> Res) -> Res<Option<App>> {
        if !enabled(test) {
            return Ok(None);
        }
        let turn = ONE_AT_A_TIME.lock().await;
        let dir = tempfile::Builder::new().prefix("registrar-gui-").tempdir()?;
        set_up(dir.path())?;
        App::open(test, dir, turn).await.map(Some)
    }

    /// The app's data directory (`REGISTRAR_DATA_DIR`), to read what it wrote.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The folder the desktop names as the user's documents (`XDG_DOCUMENTS_DIR` in the
    /// app's `user-dirs.dirs`), where save dialogs start.
    pub fn documents_dir(&self) -> PathBuf {
        self.dir.path().join("documents")
    }

    /// Quits the app (ending the session closes its window) and opens it again with the
    /// same data directory and preferences, in a new session; a test goes on with the
    /// `App` returned. If the app does not come back, the error says why.
    pub async fn restart(self) -> Res<App> {
        let App {
            client,
            driver,
            test,
            dir,
            turn,
        } = self;
        let closed = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        drop(driver);
        match closed {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(format!("{test}: closing the WebDriver session to restart failed: {e}").into()),
            Err(_) => return Err(format!("{test}: closing the WebDriver session to restart took over 10 s").into()),
        }
        App::open(test, dir, turn).await
    }

    /// Starts tauri-driver and the app on `dir` (fresh, or kept from an earlier run).
    async fn open(test: &'static str, dir: TempDir, turn: MutexGuard<'static, ()>) -> Res<App> {
        let app_binary = preflight()?;
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data)?;
        let mut driver = Driver::start(dir.path(), &data)?;
        let client = match driver.session(&app_binary).await {
            Ok(client) => client,
            // Seen once in a long run: GTK could not open the virtual display for one
            // start ("Failed to initialize GTK") while every start around it worked. One
            // more start, with a fresh driver, before the test fails; a real fault of the
            // app fails both, with its log.
            Err(first) => {
                let first_log = driver.log_tail();
                drop(driver);
                driver = Driver::start(dir.path(), &data)?;
                match driver.session(&app_binary).await {
                    Ok(client) => client,
                    Err(e) => {
                        return Err(format!(
                            "{test}: the app did not open, twice: {first}\n{first_log}\nthen: {e}\n{}",
                            driver.log_tail()
                        )
                        .into())
                    }
                }
            }
        };
        let app = App {
            client,
            driver,
            test,
            dir,
            turn,
        };
        let ready = app.until_ready(&data).await;
        match ready {
            Ok(()) => Ok(app),
            Err(e) => Err(app.finish(Err(e)).await.expect_err("a failure stays one")),
        }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Ends the session (which closes the window) and passes `outcome` on; on failure it
    /// first saves a screenshot and adds the end of the app's log to the message.
    pub async fn finish(self, outcome: Res) -> Res {
        let outcome = match outcome {
            Ok(()) => Ok(()),
            Err(e) => {
                let shot = self.failure_screenshot().await;
                Err(format!("{}: {e}\n{shot}\n{}", self.test, self.driver.log_tail()).into())
            }
        };
        let App { client, driver, .. } = self;
        let closed = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        drop(driver);
        match (outcome, closed) {
            (Err(e), _) => Err(e),
            (Ok(()), Ok(Ok(()))) => Ok(()),
            (Ok(()), Ok(Err(e))) => Err(format!("closing the WebDriver session failed: {e}").into()),
            (Ok(()), Err(_)) => Err("closing the WebDriver session took over 10 s".into()),
        }
    }

    /// The preferences the app has written to disk (tauri-plugin-store's
    /// `preferences.json` in the app's data directory under `XDG_DATA_HOME`), or `None`
    /// before it has written any.
    pub fn stored_preferences(&self) -> Res<Option<serde_json::Value>> {
        let path = self
            .dir
            .path()
            .join("xdg-data")
            .join(app_identifier()?)
            .join("preferences.json");
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("{} could not be read: {e}", path.display()).into()),
        };
        let store: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{} is not JSON ({e}): {text}", path.display()))?;
        Ok(store.get("preferences").cloned())
    }

    /// Writes a screenshot of the whole window to `docs/screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> Res<PathBuf> {
        let dir = workspace().join("docs/screenshots");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, self.client.screenshot().await?)?;
        Ok(path)
    }

    async fn failure_screenshot(&self) -> String {
        let dir = target_dir().join("gui-failures");
        let path = dir.join(format!("{}.png", self.test));
        let saved = async {
            std::fs::create_dir_all(&dir)?;
            std::fs::write(&path, self.client.screenshot().await?)?;
            Res::Ok(())
        };
        match saved.await {
            Ok(()) => format!("screenshot of the window: {}", path.display()),
            Err(e) => format!("no screenshot of the window: {e}"),
        }
    }

    /// The app is ready when it has opened its data directory (proof that the environment
    /// reached it) and the sidebar lists the ready "Local mock" profile.
    async fn until_ready(&self, data: &Path) -> Res {
        crate::page::eventually(
            "the app to create its database in REGISTRAR_DATA_DIR",
            LAUNCH,
            || async { Ok(std::fs::read_dir(data)?.next().is_some().then_some(())) },
        )
        .await?;
        self.wait_css(
            "the Local mock profile in the sidebar",
            &crate::page::profile_item("Local mock"),
        )
        .await?;
        Ok(())
    }
}

const LAUNCH: Duration = Duration::from_secs(30);

/// True when GUI tests are to run; otherwise says why this one does not. The line goes
/// straight to stderr, past the test harness's capture, so a skipped run says so.
pub fn enabled(test: &str) -> bool {
    if std::env::var("REGISTRAR_GUI_TESTS").as_deref() == Ok("1") {
        return true;
    }
    let _ = writeln!(
        std::io::stderr(),
        "skipped {test}: the GUI tests drive the real window and run only with REGISTRAR_GUI_TESTS=1 \
         (scripts/gui-test.sh sets it up with Xvfb, tauri-driver and a private keychain)"
    );
    false
}

/// The file in a test's folder naming environment variables for its app, one `K=V` a line.
const EXTRA_ENV: &str = "app-env";

/// The app the tests run: `REGISTRAR_APP_BIN`, else the workspace's debug build.
pub fn app_binary() -> PathBuf {
    std::env::var_os("REGISTRAR_APP_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug/registrar-app"))
}

/// Checks what a session needs and returns the app binary (`REGISTRAR_APP_BIN`, else the
/// debug build); each failure says what to do.
fn preflight() -> Res<PathBuf> {
    const VIA_SCRIPT: &str = "as scripts/gui-test.sh does";
    if std::env::var_os("DISPLAY").is_none() {
        return Err(format!("no X display (DISPLAY is unset): run the tests under `xvfb-run -a`, {VIA_SCRIPT}").into());
    }
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        let advice = format!("run the tests under scripts/with-keychain.sh, {VIA_SCRIPT}");
        return Err(format!("no D-Bus session (DBUS_SESSION_BUS_ADDRESS is unset), so no keychain: {advice}").into());
    }
    for (program, install) in [
        ("tauri-driver", "cargo install tauri-driver --locked"),
        (
            "WebKitWebDriver",
            "the Debian package webkit2gtk-driver (scripts/setup.sh)",
        ),
        (
            "xdotool",
            "the Debian package xdotool (scripts/setup.sh), which drives the save dialog",
        ),
    ] {
        if on_path(program).is_none() {
            return Err(format!("{program} is not on PATH: install it with {install}").into());
        }
    }
    // An app named explicitly (a release build, or an older build to show a bug before
    // its fix) is run as it is: the sources are not its measure.
    if std::env::var_os("REGISTRAR_APP_BIN").is_some() {
        return Ok(app_binary());
    }
    let app = app_binary();
    let rebuild = "run `npm --prefix ui run build`, then `cargo build -p registrar-app`";
    let built = std::fs::metadata(&app)
        .and_then(|m| m.modified())
        .map_err(|e| format!("the app is not built at {} ({e}): {rebuild}", app.display()))?;
    let ui = workspace().join("ui");
    let dist = newest(&ui.join("dist")).ok_or_else(|| format!("the UI is not built (no ui/dist): {rebuild}"))?;
    if newest(&ui.join("src")).is_some_and(|src| src > dist) {
        return Err(format!("ui/src changed after ui/dist was built: {rebuild}").into());
    }
    if dist > built {
        return Err(format!(
            "{} embeds an older ui/dist: run `cargo build -p registrar-app`",
            app.display()
        )
        .into());
    }
    Ok(app)
}

fn workspace() -> PathBuf {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR"));
    tests.parent().unwrap_or(tests).to_path_buf()
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"))
}

/// The app's identifier (`tauri.conf.json`), which names its data directory.
fn app_identifier() -> Res<String> {
    let path = workspace().join("src-tauri/tauri.conf.json");
    let config: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
    config["identifier"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("{} has no identifier", path.display()).into())
}

fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// The newest modification time of any file under `dir`.
fn newest(dir: &Path) -> Option<SystemTime> {
    let mut latest = None;
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        let time = if path.is_dir() {
            newest(&path)
        } else {
            entry.metadata().and_then(|m| m.modified()).ok()
        };
        latest = latest.max(time);
    }
    latest
}

fn free_port() -> Res<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// tauri-driver (with WebKitWebDriver and the app under it), in a process group of its own.
struct Driver {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Driver {
    fn start(dir: &Path, data: &Path) -> Res<Driver> {
        let (port, native_port) = (free_port()?, free_port()?);
        let log = dir.join("tauri-driver.log");
        let out = File::create(&log)?;
        let mut command = Command::new("tauri-driver");
        command
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("REGISTRAR_DATA_DIR", data)
            .env("REGISTRAR_LOG", "info")
            // The accessibility bus is of no use here and slows every start.
            .env("NO_AT_BRIDGE", "1")
            // One locale wherever the tests run: the dates in the screenshots and the
            // save dialog's title ("Save File") depend on it.
            .env("LC_ALL", "C.UTF-8")
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out)
            .process_group(0);
        for (var, sub) in [
            ("XDG_DATA_HOME", "xdg-data"),
            ("XDG_CONFIG_HOME", "xdg-config"),
            ("XDG_CACHE_HOME", "xdg-cache"),
        ] {
            let path = dir.join(sub);
            std::fs::create_dir_all(&path)?;
            command.env(var, path);
        }
        // What the test asked to set for this app (App::launch_with_env).
        if let Ok(lines) = std::fs::read_to_string(dir.join(EXTRA_ENV)) {
            for (k, v) in lines.lines().filter_map(|l| l.split_once('=')) {
                command.env(k, v);
            }
        }
        // A documents folder of the test's own, named as xdg-user-dirs names it.
        let documents = dir.join("documents");
        std::fs::create_dir_all(&documents)?;
        std::fs::write(
            dir.join("xdg-config/user-dirs.dirs"),
            format!("XDG_DOCUMENTS_DIR=\"{}\"\n", documents.display()),
        )?;
        let child = command
            .spawn()
            .map_err(|e| format!("tauri-driver did not start: {e}"))?;
        let mut driver = Driver { child, port, log };
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = driver.child.try_wait()? {
                return Err(format!("tauri-driver exited ({status}) before listening\n{}", driver.log_tail()).into());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "tauri-driver did not listen on port {port} within 15 s\n{}",
                    driver.log_tail()
                )
                .into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(driver)
    }

    /// A W3C session opening `app`; retried while WebKitWebDriver is still starting.
    async fn session(&self, app: &Path) -> Res<Client> {
        let mut capabilities = Map::new();
        capabilities.insert("tauri:options".into(), json!({ "application": app }));
        let url = format!("http://127.0.0.1:{}", self.port);
        let deadline = Instant::now() + LAUNCH;
        loop {
            // WebKitWebDriver waits for the app without end when the app dies at start
            // (a display it cannot open): one attempt gets the whole launch time, no more.
            let attempt = tokio::time::timeout(
                LAUNCH,
                ClientBuilder::new(HttpConnector::new())
                    .capabilities(capabilities.clone())
                    .connect(&url),
            )
            .await;
            match attempt {
                Ok(Ok(client)) => return Ok(client),
                Ok(Err(e)) if Instant::now() > deadline => return Err(format!("no WebDriver session: {e}").into()),
                Ok(Err(_)) => tokio::time::sleep(Duration::from_millis(200)).await,
                Err(_) => {
                    return Err(format!(
                        "no WebDriver session within {} s: the app did not open (its log is below)",
                        LAUNCH.as_secs()
                    )
                    .into())
                }
            }
        }
    }

    /// The last lines tauri-driver, WebKitWebDriver and the app wrote.
    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(30)..].join("\n");
        format!("--- end of {} ---\n{tail}", self.log.display())
    }

    fn signal_group(&self, signal: &str) {
        let _ = Command::new("kill")
            .args([signal, "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.signal_group("-TERM");
        let deadline = Instant::now() + Duration::from_secs(5);
        while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        // Whatever is left of the group (the app, WebKit's helpers) goes too.
        self.signal_group("-KILL");
        let _ = self.child.wait();
    }
}

/// Fails unless `actual == expected`, saying what was compared; a test failure that still
/// lets `App::finish` take its screenshot, which a panic would not.
pub fn expect_eq<T: PartialEq + std::fmt::Debug>(what: &str, actual: T, expected: T) -> Res {
    if actual == expected {
        Ok(())
    } else {
        Err(format!("{what}: expected {expected:?}, got {actual:?}").into())
    }
}

/// Fails with `what` unless `ok`.
pub fn expect(what: &str, ok: bool) -> Res {
    if ok {
        Ok(())
    } else {
        Err(format!("expected {what}").into())
    }
}
