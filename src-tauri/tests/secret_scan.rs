//! The desktop app's half of the secret scan (tests/cli/secret_scan.rs is the CLI's): a full
//! session through the shell's real command layer — the handler and state `run` uses, on
//! Tauri's mock runtime — each command invoked over IPC by name with the JSON arguments the
//! UI sends (ui/src/lib/api.ts). Profiles against mock providers in six dialects (an initial
//! access token, admin passwords, a `client_credentials` secret, open registration, the
//! app's own mock), registrations, the reveal, refreshes that rotate tokens and secrets,
//! updates, tries, the probe with writes, bulk refresh, orphans, forget and import, every
//! export with its default options (shown and written to a file), the history, provider
//! faults, refused credentials, an unreachable provider, deletes; keys generated,
//! certified, pasted in and refused for export, software statements signed and kept.
//!
//! Then every secret used or issued (the provider's view, and what the app's keychain
//! holds, after every command) is looked for in: every answer and error the UI received
//! except the reveal's (the answer to `register_client` may hold that client's own secret:
//! the UI shows it once), every event sent to the window, every log line (a TRACE
//! subscriber, the `log` crate's records included), every panic message, every state of
//! the data directory's files (the database, its WAL and shared memory, byte for byte,
//! after every command) and its tables, every default export, and the files under the test
//! sandbox's HOME. None may be anywhere. Positive controls prove each place is read.
//!
//! Run under scripts/with-keychain.sh (as `make test` does): the app uses the real
//! Secret Service, in a namespace of its own.

use registrar_core::secrets::{EntryName, OsKeychain, SecretKey, SecretStore};
use registrar_core::{DataDir, Registrar};
use registrar_mock_op::{AdminHandle, Dialect, Fault, MockConfig, MockServer};
use registrar_tests::secret_scan::{long_secret, provider_secrets, scan_metadata, ProviderWatcher};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Listener, WebviewWindow};

/// The data directory's files are kept in pieces of this many bytes, each overlapping the
/// next by more than the longest secret, so no secret is cut in two.
const PIECE: usize = 4096;
const OVERLAP: usize = 256;

/// The metadata fields only a provider sets, which the client form leaves out
/// (ui/src/clients/clientForm.ts).
const PROVIDER_FIELDS: [&str; 6] = [
    "client_id",
    "client_secret",
    "registration_access_token",
    "registration_client_uri",
    "client_id_issued_at",
    "client_secret_expires_at",
];

/// Everything written to the log, and every panic message.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Buffer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("the buffer")).into_owned()
    }
}

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("the buffer").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Buffer {
    type Writer = Buffer;

    fn make_writer(&'a self) -> Buffer {
        self.clone()
    }
}

/// Every log line at TRACE, from every crate (the `log` crate's records too), and every
/// panic message, with where it happened.
fn capture_logs_and_panics() -> (Buffer, Buffer) {
    let logs = Buffer::default();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(logs.clone())
        .try_init()
        .expect("the test's subscriber is the only one");
    let panics = Buffer::default();
    let sink = panics.clone();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = writeln!(sink.clone(), "{info}");
        previous(info);
    }));
    (logs, panics)
}

/// Something the UI (or a file) received, and the one secret it may show.
struct Captured {
    what: String,
    text: String,
    allowed: Option<String>,
}

/// A mock provider with a handle on what it holds.
struct Provider {
    server: MockServer,
    name: &'static str,
}

/// The app on the mock runtime, its data directory, and everything seen so far.
struct Session {
    // Kept alive for the whole session: the commands run on it.
    _app: tauri::App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
    data_dir: PathBuf,
    files: tempfile::TempDir,
    /// A second `Registrar` on the app's data directory, to read back what the keychain
    /// holds the way the core reads it (the app and the CLI share a directory this way).
    keychain: Registrar,
    /// secret -> what it is
    secrets: BTreeMap<String, String>,
    /// Answers, errors and events the UI got, and the default exports.
    captured: Vec<Captured>,
    events: Arc<Mutex<Vec<(String, String)>>>,
    commands: usize,
    /// The data directory's files after each command, cut in overlapping pieces kept once
    /// each: piece hash -> (where it was first seen, its bytes as text).
    pieces: BTreeMap<u64, (String, String)>,
    states: (usize, usize),
    /// The files are read through descriptors kept open for the whole session: closing
    /// any descriptor of the database would drop the app's POSIX locks on it.
    handles: BTreeMap<PathBuf, std::fs::File>,
    reader: Option<rusqlite::Connection>,
}

impl Session {
    fn open(data_dir: PathBuf) -> Self {
        // Without a Secret Service every new credential would be shown as "not stored":
        // say so plainly rather than report those as leaks.
        let probe_store = OsKeychain::new(DataDir::at(&data_dir).keychain_namespace().as_deref());
        let probe = EntryName {
            name: "keychain-probe",
            label: "Registrar test probe",
            group: None,
        };
        assert!(
            probe_store.set(probe, &registrar_core::Secret::new("probe")).is_ok()
                && probe_store.delete(probe.name).is_ok(),
            "no usable Secret Service: run this test under scripts/with-keychain.sh"
        );
        // The app finds its data directory as it does when a user sets one.
        std::env::set_var("REGISTRAR_DATA_DIR", &data_dir);
        let mut app = registrar_app::with_commands(tauri::test::mock_builder())
            .build(tauri::test::mock_context(tauri::test::noop_assets()))
            .expect("the app builds on the mock runtime");
        // The first iteration runs the app's setup hook (its state, the local mock); the
        // mock runtime has no event loop to keep turning.
        #[allow(deprecated)]
        app.run_iteration(|_, _| {});
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("the main window on the mock runtime");
        let keychain = Registrar::open(&DataDir::at(&data_dir)).expect("the app's data directory opens");
        let events = Arc::new(Mutex::new(Vec::new()));
        for name in ["probe-step", "bulk-progress"] {
            let sink = events.clone();
            app.listen_any(name, move |event| {
                sink.lock()
                    .expect("the events")
                    .push((name.to_string(), event.payload().to_string()));
            });
        }
        Self {
            _app: app,
            webview,
            data_dir,
            files: tempfile::tempdir().expect("a directory for exports"),
            keychain,
            secrets: BTreeMap::new(),
            captured: Vec::new(),
            events,
            commands: 0,
            pieces: BTreeMap::new(),
            states: (0, 0),
            handles: BTreeMap::new(),
            reader: None,
        }
    }

    /// One command, over IPC, as the UI sends it; its answer or error is kept.
    fn invoke(&mut self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("a URL"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        let answer = tauri::test::get_ipc_response(&self.webview, request).map(|body| {
            body.deserialize::<Value>()
                .unwrap_or_else(|e| panic!("{cmd}: the answer is not JSON: {e}"))
        });
        self.commands += 1;
        let what = format!("answer #{} ({cmd})", self.commands);
        let text = match &answer {
            Ok(v) => v.to_string(),
            Err(e) => e.to_string(),
        };
        // The reveal is the one command whose purpose is to show a secret.
        if cmd != "reveal_secret" {
            self.captured.push(Captured {
                what,
                text,
                allowed: None,
            });
        }
        self.snapshot(cmd);
        self.harvest_keychain();
        answer
    }

    fn ok(&mut self, cmd: &str, args: Value) -> Value {
        self.invoke(cmd, args).unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    /// A command that must fail; returns the error the UI gets.
    fn fails(&mut self, cmd: &str, args: Value) -> Value {
        match self.invoke(cmd, args) {
            Ok(v) => panic!("{cmd} succeeded: {v}"),
            Err(e) => {
                assert!(
                    e["message"].as_str().is_some_and(|m| !m.is_empty()),
                    "{cmd} says why: {e}"
                );
                e
            }
        }
    }

    fn secret(&mut self, value: &str, what: impl Into<String>) {
        // Masks and placeholders ("*", "") are not secrets; neither are the short demo
        // values that are also user names ("admin").
        if value.len() >= 8 && !value.chars().all(|c| c == '*') {
            self.secrets.entry(value.to_string()).or_insert_with(|| what.into());
        }
    }

    /// Every client secret and registration access token a provider holds now.
    fn collect(&mut self, p: &Provider) {
        for (id, secret, rat) in provider_secrets(&p.server.admin()) {
            if let Some(s) = secret {
                self.secret(&s, format!("{} client secret of {id}", p.name));
            }
            if let Some(t) = rat {
                self.secret(&t, format!("{} registration access token of {id}", p.name));
            }
        }
    }

    /// Every secret the app's keychain holds for every profile and client it knows.
    fn harvest_keychain(&mut self) {
        let r = &self.keychain;
        let mut found = Vec::new();
        for profile in r.profiles().expect("the profiles") {
            let name = &profile.name;
            for (key, what) in [
                (SecretKey::initial_access_token(&profile.id), "initial access token"),
                (SecretKey::admin_password(&profile.id), "admin password"),
                (
                    SecretKey::client_credentials_secret(&profile.id),
                    "client_credentials secret",
                ),
            ] {
                if let Ok(Some(value)) = r.secrets().get(&key) {
                    found.push((value.expose().to_string(), format!("{what} of {name} (keychain)")));
                }
            }
            let every = registrar_core::Query {
                profile_id: Some(profile.id.clone()),
                limit: 1000,
                ..Default::default()
            };
            for reg in r.search(&every).expect("the registrations").items {
                let client = &reg.client_id;
                if let Ok(Some(value)) = r.client_secret(&profile.id, client) {
                    found.push((
                        value.expose().to_string(),
                        format!("client secret of {client} (keychain)"),
                    ));
                }
                if let Ok(Some(value)) = r.registration_access_token(&profile.id, client) {
                    found.push((
                        value.expose().to_string(),
                        format!("registration access token of {client} (keychain)"),
                    ));
                }
            }
            // Keys in custody: the private half is in the keychain only. Its PEM, and the
            // first two lines of its body (they hold the private scalar; later lines of an
            // EC key hold its public point, which the key's certificate carries too).
            for key in r.keys(&profile.id, None).expect("the keys") {
                if let Ok(pem) = r.export_private_key(&profile.id, &key.kid) {
                    let pem = pem.expose().to_string();
                    let body = pem.lines().filter(|l| !l.starts_with("-----"));
                    for line in body.take(2) {
                        found.push((
                            line.to_string(),
                            format!("private key {} of {name} (keychain)", key.kid),
                        ));
                    }
                    found.push((pem, format!("private key {} of {name} (keychain)", key.kid)));
                }
            }
        }
        for (value, what) in found {
            self.secret(&value, what);
        }
    }

    fn read_in_place(&mut self, file: &Path) -> Option<Vec<u8>> {
        use std::os::unix::fs::FileExt;
        if !self.handles.contains_key(file) {
            let handle = std::fs::File::open(file).ok()?;
            self.handles.insert(file.to_path_buf(), handle);
        }
        let handle = &self.handles[file];
        let len = handle.metadata().ok()?.len() as usize;
        let mut bytes = vec![0; len];
        let mut read = 0;
        while read < len {
            match handle.read_at(&mut bytes[read..], read as u64) {
                Ok(0) | Err(_) => break,
                Ok(n) => read += n,
            }
        }
        bytes.truncate(read);
        Some(bytes)
    }

    fn keep(&mut self, origin: String, bytes: &[u8]) {
        let mut start = 0;
        while start < bytes.len() {
            let end = (start + PIECE + OVERLAP).min(bytes.len());
            let piece = &bytes[start..end];
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            std::hash::Hash::hash(piece, &mut hasher);
            self.pieces
                .entry(std::hash::Hasher::finish(&hasher))
                .or_insert_with(|| {
                    (
                        format!("{origin} (at byte {start})"),
                        String::from_utf8_lossy(piece).into_owned(),
                    )
                });
            start += PIECE;
        }
    }

    /// Keeps every file of the data directory as it is now, and the database's tables.
    fn snapshot(&mut self, after: &str) {
        let db = self.data_dir.join("registrar.sqlite3");
        if self.reader.is_none() && db.exists() {
            self.reader = Some(rusqlite::Connection::open(&db).expect("the database opens"));
        }
        let mut files = Vec::new();
        walk(&self.data_dir.clone(), &mut files);
        for file in files {
            let Some(bytes) = self.read_in_place(&file) else {
                continue;
            };
            self.states.0 += 1;
            self.states.1 += bytes.len();
            self.keep(format!("{} after {after}", file.display()), &bytes);
        }
        // The tables too: a long value may spill over pages, cut by their headers.
        let tables = self.reader.as_ref().map(table_text).unwrap_or_default();
        self.keep(format!("the database's tables after {after}"), tables.as_bytes());
    }

    /// The profile the UI's form makes for a provider: a kind's preset from `new_profile`,
    /// then the issuer, token endpoint, authentication and client list filled in.
    fn add_profile(&mut self, p: &Provider, secret: Option<&str>) -> Value {
        let server = &p.server;
        let kind = server.dialect().name();
        let mut profile = self.ok(
            "new_profile",
            json!({"kind": kind, "name": p.name, "registrationEndpoint": server.registration_endpoint()}),
        );
        profile["issuer"] = json!(server.issuer());
        profile["token_endpoint"] = json!(server.token_endpoint());
        profile["settings"]["list_endpoint"] = json!(format!("{}/_admin/clients", server.base_url()));
        let c = server.credentials();
        let mut secrets =
            json!({"initial_access_token": null, "admin_password": null, "client_credentials_secret": null});
        if let (Some(user), Some(password)) = (&c.admin_username, &c.admin_password) {
            profile["registration_auth"] = json!({"type": "basic", "username": user});
            secrets["admin_password"] = json!(password);
        } else if let (Some(id), Some(password)) = (&c.registrar_client_id, &c.registrar_client_secret) {
            profile["registration_auth"] =
                json!({"type": "client_credentials", "client_id": id, "scope": c.registration_scope});
            secrets["client_credentials_secret"] = json!(password);
        } else if let Some(token) = secret.map(str::to_string).or(c.initial_access_token.clone()) {
            profile["registration_auth"] = json!({"type": "initial_access_token"});
            secrets["initial_access_token"] = json!(token);
        } else {
            profile["registration_auth"] = json!({"type": "none"});
        }
        for value in secrets.as_object().expect("an object").values() {
            if let Some(s) = value.as_str() {
                self.secret(s, format!("{} profile secret", p.name));
            }
        }
        self.ok("save_profile", json!({"profile": profile, "secrets": secrets}))
    }

    /// Registers through the client form's metadata; returns the answer.
    fn register(&mut self, profile: &str, metadata: Value) -> Value {
        let check = self.ok("validate_metadata", json!({"profile": profile, "metadata": metadata}));
        assert_eq!(check["errors"], json!([]), "{profile}: the form's metadata is valid");
        let answer = self.ok("register_client", json!({"profile": profile, "metadata": metadata}));
        // The UI shows the new client secret once, from this answer.
        let shown = answer["client_secret"].as_str().map(str::to_string);
        self.captured.last_mut().expect("the register answer").allowed = shown;
        answer
    }

    /// The client form's metadata for an edit: what the provider returned, without the
    /// fields only it sets, with a change, and the client id (as ClientEditor sends it).
    fn edited(&mut self, profile: &str, client_id: &str, name: &str) -> Value {
        let reg = self.ok("get_registration", json!({"profile": profile, "clientId": client_id}));
        let mut metadata = reg["metadata_returned"].clone();
        let fields = metadata.as_object_mut().expect("metadata is an object");
        for f in PROVIDER_FIELDS {
            fields.remove(f);
        }
        fields.insert("client_name".into(), json!(name));
        fields.insert("client_id".into(), json!(client_id));
        metadata
    }

    /// Every default export of these clients (one, or several together): shown (the export
    /// dialog's preview) and written to a file.
    fn export_all(&mut self, profile: &str, client_ids: &[&str]) {
        let named = client_ids.join("+");
        for format in ["json", "env", "curl"] {
            let args = json!({"profile": profile, "clientIds": client_ids, "format": format, "withSecrets": false});
            let shown = self.ok("export_preview", args.clone());
            let shown = shown.as_str().expect("an export is text").to_string();
            // (The curl export replays a read, which WSO2 has no URL for.)
            for client_id in client_ids {
                assert!(
                    format == "curl" || shown.contains(client_id),
                    "the {format} export names {client_id}: {shown}"
                );
            }
            let path = self.files.path().join(format!("{profile}-{named}.{format}"));
            // The command opens the system's save dialog, which no test can answer; what it
            // then writes is this function's work, run on the app's data.
            let format_value = serde_json::from_value(json!(format)).expect("a format");
            let ids: Vec<String> = client_ids.iter().map(|id| id.to_string()).collect();
            registrar_app::write_export(&self.keychain, &profile.into(), &ids, format_value, false, &path)
                .unwrap_or_else(|e| panic!("export_to_file failed: {e:?}"));
            let written = std::fs::read_to_string(&path).expect("the export was written");
            assert_eq!(written, shown, "the file is what the preview showed");
            self.captured.push(Captured {
                what: format!("the default {format} export of {named} written to a file"),
                text: written,
                allowed: None,
            });
        }
    }
}

/// Every table's text and blob values.
fn table_text(conn: &rusqlite::Connection) -> String {
    let mut out = String::new();
    let tables: Vec<String> = match conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table'") {
        Ok(mut stmt) => stmt
            .query_map([], |r| r.get(0))
            .map(|rows| rows.flatten().collect())
            .unwrap_or_default(),
        Err(_) => return out,
    };
    for table in tables {
        let Ok(mut stmt) = conn.prepare(&format!("SELECT * FROM \"{table}\"")) else {
            continue;
        };
        let columns = stmt.column_count();
        let Ok(mut rows) = stmt.query([]) else { continue };
        while let Ok(Some(row)) = rows.next() {
            for i in 0..columns {
                match row.get_ref(i) {
                    Ok(rusqlite::types::ValueRef::Text(t)) | Ok(rusqlite::types::ValueRef::Blob(t)) => {
                        out.push_str(&String::from_utf8_lossy(t));
                        out.push('\n');
                    }
                    _ => {}
                }
            }
        }
    }
    out
}

/// Watches the provider while a command runs (`ProviderWatcher`), adding every credential
/// it saw to the session's list: the probe registers, rotates and deletes a throw-away
/// client within one command.
struct Watcher(ProviderWatcher);

impl Watcher {
    fn start(admin: AdminHandle) -> Self {
        Self(ProviderWatcher::start(admin))
    }

    fn finish(self, session: &mut Session, name: &str) -> usize {
        let before = session.secrets.len();
        for (value, what) in self.0.finish(name) {
            session.secret(&value, what);
        }
        session.secrets.len() - before
    }
}

/// A provider with long random credentials and every rotation it can show.
fn start_provider(dialect: Dialect, name: &'static str) -> Provider {
    let mut c = MockConfig::new(dialect);
    let creds = &mut c.credentials;
    if creds.admin_password.is_some() {
        creds.admin_password = Some(long_secret("adminpw"));
    }
    if creds.registrar_client_secret.is_some() {
        creds.registrar_client_secret = Some(long_secret("ccsecret"));
    }
    if dialect == Dialect::Generic {
        c.require_initial_token = true;
        creds.initial_access_token = Some(long_secret("iat"));
    }
    c.rotate_rat_on_read = true;
    c.rotate_rat_on_update = true;
    c.rotate_secret_on_read = dialect == Dialect::Liberty;
    let server = tauri::async_runtime::block_on(MockServer::start(c)).expect("the mock provider starts");
    Provider { server, name }
}

/// One provider's session through the commands; returns the client it keeps (the main one
/// is deleted) and how many secrets the probe's throw-away client showed.
fn session(s: &mut Session, p: &Provider) -> (String, usize) {
    let dialect = p.server.dialect();
    let name = p.name;
    let saved = s.add_profile(p, None);
    let ops = saved["settings"]["operations"].clone();
    let can = |op: &str| ops[op].as_bool().unwrap_or(false);
    s.ok("list_profiles", json!({}));

    let registered = s.register(name, scan_metadata(dialect, &format!("{name} main")));
    let id = registered["registration"]["client_id"]
        .as_str()
        .expect("a client id")
        .to_string();
    let shown = registered["client_secret"]
        .as_str()
        .expect("register shows the client secret once")
        .to_string();
    s.collect(p);
    assert!(
        s.secrets.contains_key(&shown),
        "{name}: the secret shown is the provider's"
    );
    let second = s.register(name, scan_metadata(dialect, &format!("{name} second")));
    let id2 = second["registration"]["client_id"]
        .as_str()
        .expect("a client id")
        .to_string();
    s.collect(p);

    let profile_id = registrar_core::ProfileId::from(saved["id"].as_str().expect("a profile id"));
    s.ok(
        "search_clients",
        json!({"query": {"profile_id": profile_id, "text": null, "status": null, "expiring_within_secs": null, "offset": 0, "limit": 50}}),
    );
    s.ok("get_registration", json!({"profile": name, "clientId": id}));
    let revealed = s.ok("reveal_secret", json!({"profile": name, "clientId": id}));
    assert_eq!(revealed, json!(shown), "{name}: the reveal shows the stored secret");

    if can("read") {
        let rat = p.server.admin().registration_access_token(&id);
        let secret = p.server.admin().get_client(&id).expect("the client")["client_secret"].clone();
        let read = s.ok("refresh_client", json!({"profile": name, "clientId": id}));
        s.collect(p);
        let now = p.server.admin().get_client(&id).expect("the client")["client_secret"].clone();
        assert!(
            p.server.admin().registration_access_token(&id) != rat || now != secret,
            "{name}: the read rotated something: {read}"
        );
        if dialect == Dialect::Liberty {
            assert_eq!(
                read["rotated_client_secret"],
                json!(true),
                "{name}: the UI hears of the rotation"
            );
            let revealed = s.ok("reveal_secret", json!({"profile": name, "clientId": id}));
            assert_eq!(revealed, now, "{name}: the rotated secret is the one kept");
        }
        s.ok("refresh_client", json!({"profile": name, "clientId": id}));
        s.collect(p);
    }
    if can("update") {
        let edited = s.edited(name, &id, &format!("{name} renamed"));
        // The preview the window shows before sending, and the drift actions after.
        s.ok(
            "preview_update",
            json!({"profile": name, "clientId": id, "metadata": edited}),
        );
        s.ok(
            "update_client",
            json!({"profile": name, "clientId": id, "metadata": edited}),
        );
        s.ok("drift_since_sent", json!({"profile": name, "clientId": id}));
        s.ok(
            "restore_sent_values",
            json!({"profile": name, "clientId": id, "fields": []}),
        );
        s.ok(
            "accept_provider_values",
            json!({"profile": name, "clientId": id, "fields": []}),
        );
        s.collect(p);
    }
    let tried = s.invoke(
        "try_begin",
        json!({"profile": name, "clientId": id, "grant": "client_credentials", "options": {}}),
    );
    match tried {
        Ok(start) => {
            let report = &start["step"]["report"];
            assert!(report["access_token_length"].as_u64() > Some(0), "{name}: {start}");
            s.ok("try_forget", json!({"attempt": start["attempt"]}));
        }
        Err(e) => assert!(dialect == Dialect::Wso2, "{name}: try failed: {e}"),
    }
    s.export_all(name, &[&id]);
    s.ok("history", json!({"profile": name, "clientId": id, "limit": 200}));

    // The probe registers, reads, updates and deletes a client of its own.
    let watcher = Watcher::start(p.server.admin());
    let probe = s.invoke("probe", json!({"profile": name, "allowWrites": true}));
    let probe_secrets = watcher.finish(s, name);
    probe.unwrap_or_else(|e| panic!("{name} probe: {e}"));
    s.ok("refresh_all", json!({"profile": name}));
    s.collect(p);

    // Forgotten here, then found on the provider and imported back with its credentials,
    // as the import dialog sends them.
    if can("read") {
        let rat = s
            .keychain
            .registration_access_token(&profile_id, &id2)
            .expect("the keychain answers")
            .map(|t| t.expose().to_string());
        let secret = s
            .keychain
            .client_secret(&profile_id, &id2)
            .expect("the keychain answers")
            .map(|t| t.expose().to_string());
        let uri =
            s.ok("get_registration", json!({"profile": name, "clientId": id2}))["registration_client_uri"].clone();
        s.ok("forget_client", json!({"profile": name, "clientId": id2}));
        let orphans = s.ok("orphans", json!({"profile": name}));
        assert!(
            orphans.to_string().contains(&id2),
            "{name}: the forgotten client is on the provider only: {orphans}"
        );
        s.ok(
            "import_client",
            json!({"profile": name, "input": {"client_id": id2, "registration_client_uri": uri, "registration_access_token": rat, "client_secret": secret}}),
        );
        s.collect(p);
    } else {
        s.ok("orphans", json!({"profile": name}));
    }

    // The provider's errors, and answers lost after it acted.
    let admin = p.server.admin();
    if can("read") {
        admin.inject(Fault::Status { status: 500, count: 1 });
        s.fails("refresh_client", json!({"profile": name, "clientId": id2}));
        if dialect != Dialect::Liberty {
            admin.inject(Fault::LoseRotatedToken { count: 1 });
            s.fails("refresh_client", json!({"profile": name, "clientId": id2}));
            s.collect(p);
        }
    }
    if can("update") {
        let edited = s.edited(name, &id2, "never");
        admin.inject(Fault::HtmlBody { status: 502, count: 1 });
        s.fails(
            "update_client",
            json!({"profile": name, "clientId": id2, "metadata": edited}),
        );
    }
    admin.inject(Fault::NonJsonBody { count: 1 });
    s.invoke(
        "register_client",
        json!({"profile": name, "metadata": scan_metadata(dialect, &format!("{name} lost"))}),
    )
    .expect_err("an unreadable answer is an error");
    s.collect(p);
    admin.clear_faults();
    s.ok("unresolved", json!({}));
    s.ok("expiring", json!({"withinDays": 400}));
    custody(s, name);

    if can("delete") {
        s.ok("delete_client", json!({"profile": name, "clientId": id}));
    } else {
        s.ok("forget_client", json!({"profile": name, "clientId": id}));
    }
    s.collect(p);
    (id2, probe_secrets)
}

/// Keys, a certificate and a software statement in the profile's custody: the private
/// halves the keychain then holds are harvested as secrets. A key pasted into the window
/// (one exported from the keychain, deleted, imported again) crosses the IPC as the UI
/// sends it; an export without the confirmation is refused.
fn custody(s: &mut Session, name: &str) {
    let new_key =
        |label: &str| json!({"kind": "p256", "alg": null, "rsa_bits": null, "client_id": null, "label": label});
    let key = s.ok("generate_key", json!({"profile": name, "request": new_key("scan")}));
    let kid = key["kid"].clone();
    let harvested = format!("private key {} of {name} (keychain)", kid.as_str().unwrap_or_default());
    assert_eq!(
        s.secrets.values().filter(|what| **what == harvested).count(),
        3,
        "the generated key's PEM and the first two lines of its body are known secrets"
    );
    s.ok(
        "self_signed_certificate",
        json!({"profile": name, "kid": kid, "days": 30, "subject": {"common_name": "scan.example.org",
               "organization": null, "organizational_unit": null, "country": null, "dns_names": []}}),
    );
    let ssa = s.ok(
        "sign_software_statement",
        json!({"profile": name, "kid": kid, "claims": {"software_id": "scan"}, "lifetimeSecs": 600}),
    );
    s.ok(
        "keep_software_statement",
        json!({"profile": name, "label": "scan", "jwt": ssa, "source": "signed locally"}),
    );
    s.ok("list_keys", json!({"profile": name, "clientId": null}));
    s.ok("public_jwks", json!({"profile": name, "clientId": null}));
    s.ok("expiring_custody", json!({"withinDays": 400}));
    s.fails(
        "export_private_key",
        json!({"profile": name, "kid": kid, "confirmed": false}),
    );

    let pasted = s.ok("generate_key", json!({"profile": name, "request": new_key("pasted")}));
    let pasted_kid = pasted["kid"].as_str().expect("a kid").to_string();
    let pem = s
        .keychain
        .export_private_key(name, &pasted_kid)
        .expect("the key's private half")
        .expose()
        .to_string();
    s.ok("delete_key", json!({"profile": name, "kid": pasted_kid}));
    let imported = s.ok(
        "import_key",
        json!({"profile": name, "material": pem, "request": new_key("pasted")}),
    );
    assert_eq!(imported["kid"], pasted_kid.as_str(), "the same key imported");
}

/// A plain HTTP request to a mock's admin API (loopback; no client library needed).
fn admin_http(base_url: &str, method: &str, path: &str, body: Option<Value>) -> Value {
    let authority = base_url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(authority).expect("the mock answers");
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("the request is sent");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("the answer is read");
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or_default();
    serde_json::from_str(body).unwrap_or(Value::Null)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&path, out),
            Ok(t) if t.is_file() => out.push(path),
            _ => {}
        }
    }
}

/// Where each of `secrets` appears in `captured`, `pieces`, the logs and the panics.
fn scan(
    secrets: &BTreeMap<String, String>,
    captured: &[Captured],
    pieces: &BTreeMap<u64, (String, String)>,
    logs: &str,
    panics: &str,
) -> Vec<String> {
    let mut found = Vec::new();
    for (secret, what) in secrets {
        let secret = secret.as_str();
        for c in captured {
            if c.allowed.as_deref() != Some(secret) && c.text.contains(secret) {
                found.push(format!("{what} in {}", c.what));
            }
        }
        for (origin, text) in pieces.values() {
            if text.contains(secret) {
                found.push(format!("{what} in {origin}"));
            }
        }
        if logs.contains(secret) {
            let line = logs.lines().find(|l| l.contains(secret)).unwrap_or_default();
            found.push(format!("{what} in the log: {}", line.replace(secret, "<SECRET>")));
        }
        if panics.contains(secret) {
            found.push(format!("{what} in a panic message"));
        }
    }
    found
}

#[test]
#[allow(clippy::print_stderr)]
fn no_secret_reaches_the_ui_the_logs_the_disk_or_the_exports() {
    let _turn = crate::APP_ENV.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let (logs, panics) = capture_logs_and_panics();
    let data_dir = tempfile::tempdir().expect("a data directory");
    let mut s = Session::open(data_dir.path().to_path_buf());

    s.ok("app_info", json!({}));
    s.ok("mock_list", json!({}));
    let providers = [
        start_provider(Dialect::Generic, "gen"),
        start_provider(Dialect::Liberty, "lib"),
        start_provider(Dialect::SimpleIdServer, "sid"),
        start_provider(Dialect::Indigo, "ind"),
        start_provider(Dialect::Wso2, "wso"),
    ];
    s.ok("discover", json!({"issuer": providers[0].server.issuer()}));
    let mut kept = Vec::new();
    let mut probe_secrets = 0;
    for p in &providers {
        let (id, n) = session(&mut s, p);
        kept.push(id);
        probe_secrets += n;
    }
    assert!(probe_secrets > 0, "the watcher saw the probes' throw-away clients");

    // The app's own mock (`mock_start`, as the sidebar does): its ready profile and demo
    // initial access token, with rotation switched on through the mock's admin API.
    let started = s.ok("mock_start", json!({"dialectName": "soffid"}));
    let base = started["base_url"].as_str().expect("a base URL").to_string();
    let soffid = started["profile"].as_str().expect("a profile").to_string();
    s.secret("soffid-initial-access-token", "the soffid mock's initial access token");
    admin_http(&base, "POST", "/_admin/rotation", Some(json!({"rat_on_read": true})));
    let registered = s.register(&soffid, scan_metadata(Dialect::Soffid, "soffid main"));
    let soffid_id = registered["registration"]["client_id"]
        .as_str()
        .expect("a client id")
        .to_string();
    s.ok("refresh_client", json!({"profile": soffid, "clientId": soffid_id}));
    s.ok("refresh_client", json!({"profile": soffid, "clientId": soffid_id}));
    s.ok("reveal_secret", json!({"profile": soffid, "clientId": soffid_id}));
    s.export_all(&soffid, &[&soffid_id]);
    for client in admin_http(&base, "GET", "/_admin/clients", None)
        .as_array()
        .into_iter()
        .flatten()
    {
        if let Some(secret) = client["client_secret"].as_str() {
            s.secret(secret, "soffid client secret");
        }
    }
    s.ok("forget_client", json!({"profile": soffid, "clientId": soffid_id}));
    s.ok("mock_list", json!({}));
    s.ok("mock_stop", json!({"dialectName": "soffid"}));

    // Credentials the provider refuses, and a provider that cannot be reached.
    let refused = Provider {
        server: tauri::async_runtime::block_on(MockServer::start({
            let mut c = MockConfig::new(Dialect::Generic);
            c.require_initial_token = true;
            c.credentials.initial_access_token = Some(long_secret("right-iat"));
            c
        }))
        .expect("the mock starts"),
        name: "refused",
    };
    let wrong = long_secret("wrong-iat");
    s.add_profile(&refused, Some(&wrong));
    s.fails(
        "register_client",
        json!({"profile": "refused", "metadata": scan_metadata(Dialect::Generic, "refused")}),
    );
    let down = Provider {
        server: tauri::async_runtime::block_on(MockServer::start(MockConfig::new(Dialect::Generic)))
            .expect("the mock starts"),
        name: "down",
    };
    let down_secret = long_secret("down-iat");
    s.add_profile(&down, Some(&down_secret));
    tauri::async_runtime::block_on(down.server.stop());
    s.fails(
        "register_client",
        json!({"profile": "down", "metadata": scan_metadata(Dialect::Generic, "down")}),
    );
    let report = s.ok("probe", json!({"profile": "down", "allowWrites": false}));
    assert!(
        report.to_string().contains("could not reach"),
        "the probe reports the failure: {report}"
    );

    // The history in full, as the history view asks for it.
    let history = s.ok("history", json!({"profile": null, "clientId": null, "limit": 1000}));
    assert!(
        history.to_string().contains("***"),
        "the history shows where secrets were masked"
    );
    assert!(
        history.as_array().is_some_and(|h| h.len() > 100),
        "the history holds the session"
    );
    for p in &providers {
        s.collect(p);
    }
    s.collect(&refused);

    // What to look for.
    let kinds = |word: &str| s.secrets.values().filter(|w| w.contains(word)).count();
    let counts = (
        s.secrets.len(),
        kinds("client secret"),
        kinds("registration access token"),
        kinds("profile secret"),
        kinds("private key"),
    );
    assert!(counts.1 >= 10, "client secrets collected: {:?}", s.secrets);
    assert!(counts.2 >= 10, "tokens collected: {:?}", s.secrets);
    assert!(counts.3 >= 6, "profile secrets: {:?}", s.secrets);
    assert!(counts.4 >= 6, "private keys (with their first lines): {:?}", s.secrets);
    assert!(kinds("(keychain)") > 0, "the keychain was read back: {:?}", s.secrets);

    // Where to look: the events sent to the window too, and whatever the app wrote under
    // the sandbox's HOME (scripts/with-keychain.sh), except the keychain's encrypted files.
    let events = std::mem::take(&mut *s.events.lock().expect("the events"));
    assert!(events.iter().any(|(n, _)| n == "probe-step"), "probe steps were sent");
    assert!(
        events.iter().any(|(n, _)| n == "bulk-progress"),
        "bulk progress was sent"
    );
    for (name, payload) in &events {
        s.captured.push(Captured {
            what: format!("a {name} event"),
            text: payload.clone(),
            allowed: None,
        });
    }
    let mut sandbox_files = Vec::new();
    if let Some(sandbox) = std::env::var_os("REGISTRAR_TEST_SANDBOX") {
        walk(Path::new(&sandbox), &mut sandbox_files);
    }
    for file in &sandbox_files {
        if file.starts_with(&s.data_dir) || file.components().any(|c| c.as_os_str() == "keyrings") {
            continue;
        }
        if let Ok(bytes) = std::fs::read(file) {
            s.captured.push(Captured {
                what: file.display().to_string(),
                text: String::from_utf8_lossy(&bytes).into_owned(),
                allowed: None,
            });
        }
    }
    let log_text = logs.text();
    let leaks = scan(&s.secrets, &s.captured, &s.pieces, &log_text, &panics.text());

    // Positive controls: each place is really read. A value that travels as metadata (a
    // client name) must be found in the answers, the files, the tables and the exports; a
    // secret logged, a secret in a panic and an export with secrets must be caught.
    let planted = long_secret("planted");
    let control = s.register("gen", scan_metadata(Dialect::Generic, &planted));
    let control_id = control["registration"]["client_id"]
        .as_str()
        .expect("a client id")
        .to_string();
    // Exported alone and together with another client (a JSON array, prefixed variables,
    // one script): no secret in either without the box ticked.
    let second = s.register("gen", scan_metadata(Dialect::Generic, "a second exported client"));
    let second_id = second["registration"]["client_id"]
        .as_str()
        .expect("a client id")
        .to_string();
    s.export_all("gen", &[&control_id]);
    s.export_all("gen", &[&control_id, &second_id]);
    let with_secrets = s.ok(
        "export_preview",
        json!({"profile": "gen", "clientIds": [control_id], "format": "env", "withSecrets": true}),
    );
    s.collect(&providers[0]);
    tracing::trace!(token = %planted, "a planted line");
    let in_thread = planted.clone();
    let _ = std::thread::spawn(move || panic!("a planted panic: {in_thread}")).join();
    let mut controls = BTreeMap::new();
    controls.insert(planted.clone(), "the planted value".to_string());
    let found = scan(&controls, &s.captured, &s.pieces, &logs.text(), &panics.text());
    for place in [
        "answer #",
        "registrar.sqlite3",
        "tables",
        "default json export",
        "in the log",
        "panic message",
    ] {
        assert!(
            found.iter().any(|f| f.contains(place)),
            "the planted value is not found where it is ({place}): the scan does not read it; found: {found:#?}"
        );
    }
    let secret_control = scan(
        &s.secrets,
        &[Captured {
            what: "an export with secrets".into(),
            text: with_secrets.to_string(),
            allowed: None,
        }],
        &BTreeMap::new(),
        "",
        "",
    );
    assert!(
        !secret_control.is_empty(),
        "an export with secrets shows a collected secret: {with_secrets}"
    );
    for id in &kept {
        assert!(
            s.pieces
                .values()
                .any(|(origin, text)| origin.contains("registrar.sqlite3") && text.contains(id.as_str())),
            "client id {id} is not in the database's files: the scan reads the wrong bytes"
        );
    }
    assert!(log_text.lines().count() > 100, "the log was captured");

    for name in ["gen", "lib", "sid", "ind", "wso", "refused", "down", &soffid] {
        s.ok("remove_profile", json!({"profile": name}));
    }

    eprintln!(
        "secret scan (app): {} secrets ({} client secrets, {} registration access tokens, {} profile \
         secrets, {} of private keys, {} from the probes) looked for in {} answers and events of {} commands, {} log lines, \
         {} states of the data directory's files ({} bytes, {} distinct pieces); {} found",
        counts.0,
        counts.1,
        counts.2,
        counts.3,
        counts.4,
        probe_secrets,
        s.captured.len(),
        s.commands,
        log_text.lines().count(),
        s.states.0,
        s.states.1,
        s.pieces.len(),
        leaks.len()
    );
    assert!(
        leaks.is_empty(),
        "{} secrets found where none may be:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
}
