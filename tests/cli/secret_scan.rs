//! A full session through the CLI against providers of three kinds of credentials (a
//! generic provider with an initial access token and rotating registration access
//! tokens, Liberty with an admin password and a client secret rotated on every read,
//! SimpleIdServer with a `client_credentials` secret and rotating tokens), with failures
//! on purpose (the provider's errors, an answer lost after the provider acted, a token
//! rotated then lost, refused credentials, an unreachable provider). Then every secret
//! used or issued is looked for in every file of the data directory (raw bytes: the
//! database, its WAL and shared memory), in everything the CLI printed (stdout and
//! stderr, errors included), in every default export and in `history --full`: none may
//! be anywhere, except the client secret in the output of the `register` that created it.
//!
//! The CLI is run with `REGISTRAR_LOG=debug` (and `RUST_LOG=debug`), as a user chasing a
//! problem would; the CLI sets up no log output of its own, so stderr is all there is.
//! Secrets chosen here are long random values, so a substring match means a leak.

use crate::support::{profile_flags, Cli, Mock, SECRET_ENV};
use registrar_mock_op::{AdminHandle, Dialect, Fault};
use registrar_tests::secret_scan::{long_secret, provider_secrets, scan_metadata, ProviderWatcher};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The data directory's files are kept in pieces of this many bytes, each overlapping
/// the next by more than the longest secret, so no secret is cut in two.
const PIECE: usize = 4096;
const OVERLAP: usize = 256;

/// What one command printed on one stream.
struct Captured {
    what: String,
    text: String,
    /// The one secret this output may show: the client secret, after `register`.
    allowed: Option<String>,
}

/// One data directory, every secret seen, everything printed, every state of its files.
struct Session {
    cli: Cli,
    files: tempfile::TempDir,
    /// secret -> what it is
    secrets: BTreeMap<String, String>,
    captured: Vec<Captured>,
    /// The data directory's files after each command, cut in overlapping pieces kept once
    /// each (the WAL grows, most of it the same from one command to the next): piece hash
    /// -> (where it was first seen, its bytes as text; the secrets are ASCII, so a lossy
    /// conversion keeps them whole).
    pieces: BTreeMap<u64, (String, String)>,
    /// How many states of the files were read, and their bytes.
    states: (usize, usize),
    /// Open for the whole session and read in place: closing any descriptor of a file
    /// drops every POSIX lock the process holds on it, the reader's included.
    handles: BTreeMap<PathBuf, std::fs::File>,
    /// Held open from the first command on, so the CLI, closing, never deletes the WAL:
    /// its frames (the versions of the pages written) stay to be scanned.
    reader: Option<rusqlite::Connection>,
}

impl Session {
    fn new() -> Self {
        Self {
            cli: Cli::new(),
            files: tempfile::tempdir().expect("a directory for client files"),
            secrets: BTreeMap::new(),
            captured: Vec::new(),
            pieces: BTreeMap::new(),
            states: (0, 0),
            handles: BTreeMap::new(),
            reader: None,
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

    /// Keeps every file of the data directory that changed since the last look.
    fn snapshot(&mut self, after: &str) {
        let db = self.cli.data_dir().join("registrar.sqlite3");
        if self.reader.is_none() && db.exists() {
            let reader = rusqlite::Connection::open(&db).expect("the database opens");
            // A first read maps the WAL index; the connection keeps it until it closes.
            let _: i64 = reader
                .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
                .expect("the database is readable");
            self.reader = Some(reader);
        }
        let mut files = Vec::new();
        walk(self.cli.data_dir(), &mut files);
        for file in files {
            let Some(bytes) = self.read_in_place(&file) else {
                continue;
            };
            self.states.0 += 1;
            self.states.1 += bytes.len();
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
                            format!("{} (at byte {start}) after {after}", file.display()),
                            String::from_utf8_lossy(piece).into_owned(),
                        )
                    });
                start += PIECE;
            }
        }
    }

    fn secret(&mut self, value: &str, what: impl Into<String>) {
        // Masks and placeholders ("*", "") are not secrets.
        if value.len() >= 8 && !value.chars().all(|c| c == '*') {
            self.secrets.entry(value.to_string()).or_insert_with(|| what.into());
        }
    }

    /// Every client secret and registration access token the provider holds now.
    fn collect(&mut self, mock: &Mock) {
        let admin = mock.admin();
        for (id, secret, rat) in provider_secrets(&admin) {
            let dialect = mock.dialect();
            if let Some(s) = secret {
                self.secret(&s, format!("{dialect} client secret of {id}"));
            }
            if let Some(t) = rat {
                self.secret(&t, format!("{dialect} registration access token of {id}"));
            }
        }
    }

    /// Runs the CLI with debug logging asked for, keeps both streams and the state of the
    /// data directory's files, returns the output.
    fn run(&mut self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = self.cli.cmd();
        cmd.env("REGISTRAR_LOG", "debug")
            .env("RUST_LOG", "debug")
            .env("RUST_BACKTRACE", "1")
            .args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let output = cmd.output().expect("registrar runs");
        let what = format!("registrar {}", args.join(" "));
        self.captured.push(Captured {
            what: format!("stdout of {what}"),
            text: String::from_utf8_lossy(&output.stdout).into_owned(),
            allowed: None,
        });
        self.captured.push(Captured {
            what: format!("stderr of {what}"),
            text: String::from_utf8_lossy(&output.stderr).into_owned(),
            allowed: None,
        });
        self.snapshot(&what);
        output
    }

    fn ok(&mut self, args: &[&str]) -> String {
        let output = self.run(args, &[]);
        assert!(
            output.status.success(),
            "registrar {args:?} failed ({:?}): {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn ok_json(&mut self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let text = self.ok(&all);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("registrar {args:?}: not JSON ({e}): {text}"))
    }

    /// Runs a command that must fail with `code`.
    fn fails(&mut self, args: &[&str], env: &[(&str, &str)], code: i32) -> String {
        let output = self.run(args, env);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(code), "registrar {args:?}: {stderr}");
        assert!(!stderr.trim().is_empty(), "registrar {args:?} says why it failed");
        stderr
    }

    fn client_file(&self, name: &str, metadata: &Value) -> PathBuf {
        let path = self.files.path().join(format!("{name}.json"));
        std::fs::write(&path, serde_json::to_vec_pretty(metadata).expect("JSON")).expect("the file is written");
        path
    }
}

/// Watches the provider while a command runs (`ProviderWatcher`), adding every credential
/// it saw to the session's list: the probe registers, rotates and deletes a throw-away
/// client within one command.
struct Watcher(ProviderWatcher);

impl Watcher {
    fn start(admin: AdminHandle) -> Self {
        Self(ProviderWatcher::start(admin))
    }

    fn finish(self, session: &mut Session, dialect: Dialect) -> usize {
        let before = session.secrets.len();
        for (value, what) in self.0.finish(&dialect.to_string()) {
            session.secret(&value, what);
        }
        session.secrets.len() - before
    }
}

fn start_mock(dialect: Dialect) -> Mock {
    Mock::with(dialect, |c| {
        let creds = &mut c.credentials;
        match dialect {
            Dialect::Generic => {
                c.require_initial_token = true;
                creds.initial_access_token = Some(long_secret("iat"));
                c.rotate_rat_on_read = true;
                c.rotate_rat_on_update = true;
            }
            Dialect::Liberty => {
                creds.admin_password = Some(long_secret("adminpw"));
                c.rotate_secret_on_read = true;
            }
            Dialect::SimpleIdServer => {
                creds.registrar_client_secret = Some(long_secret("ccsecret"));
                c.rotate_rat_on_read = true;
                c.rotate_rat_on_update = true;
            }
            other => panic!("no session written for {other}"),
        }
    })
}

/// `profile add` for the mock, with its secret through `--secret-env`.
fn add_profile(s: &mut Session, mock: &Mock, name: &str) {
    let (mut args, secret) = profile_flags(mock, name);
    let secret = match mock.dialect() {
        Dialect::Generic => {
            args.extend(["--registration-auth".into(), "bearer".into()]);
            args.extend(["--secret-env".into(), SECRET_ENV.into()]);
            mock.server.credentials().initial_access_token.clone()
        }
        _ => secret,
    };
    if !args.iter().any(|a| a == "--token-endpoint") {
        // For `try`, which gets a token with the client's own secret.
        args.extend(["--token-endpoint".into(), mock.server.token_endpoint()]);
    }
    let secret = secret.expect("this session's providers all need a secret");
    s.secret(&secret, format!("{} profile secret", mock.dialect()));
    let mut all = vec!["--json"];
    all.extend(args.iter().map(String::as_str));
    let output = s.run(&all, &[(SECRET_ENV, &secret)]);
    assert!(
        output.status.success(),
        "profile add {name}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// One dialect's session; returns how many secrets the probe's throw-away client showed,
/// and the ids of the clients the session keeps (the second one; the first is deleted).
fn session(s: &mut Session, mock: &Mock, name: &str) -> (usize, String) {
    let dialect = mock.dialect();
    add_profile(s, mock, name);
    s.ok(&["profile", "show", name]);
    s.ok_json(&["profile", "show", name]);
    s.ok(&["profile", "list"]);
    s.ok(&["profile", "export", name]);

    // Register: the one output that shows the client secret, once.
    let file = s.client_file(
        &format!("{name}-main"),
        &scan_metadata(dialect, &format!("{name} main")),
    );
    let file = file.to_str().expect("a UTF-8 path").to_string();
    let mut args = vec!["--json", "register", "--profile", name, "--file", &file];
    let output = s.run(&args, &[]);
    assert!(
        output.status.success(),
        "{dialect} register: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let registered: Value = serde_json::from_slice(&output.stdout).expect("register --json prints JSON");
    let id = registered["client_id"].as_str().expect("a client_id").to_string();
    let secret = registered["client_secret"]
        .as_str()
        .expect("register shows the client secret once")
        .to_string();
    s.captured
        .iter_mut()
        .rev()
        .find(|c| c.what.starts_with("stdout of"))
        .expect("the register output")
        .allowed = Some(secret.clone());
    s.collect(mock);
    assert!(
        s.secrets.contains_key(&secret),
        "{dialect}: the secret printed is the provider's"
    );

    // A second client, registered with the table output, for the failures below.
    let file2 = s.client_file(
        &format!("{name}-faults"),
        &scan_metadata(dialect, &format!("{name} faults")),
    );
    let file2 = file2.to_str().expect("a UTF-8 path").to_string();
    let before: Vec<String> = mock
        .admin()
        .list_clients()
        .iter()
        .filter_map(|c| c["client_id"].as_str().map(str::to_string))
        .collect();
    let output = s.run(&["register", "--profile", name, "--file", &file2], &[]);
    assert!(output.status.success(), "{dialect} second register");
    let id2 = mock
        .admin()
        .list_clients()
        .iter()
        .filter_map(|c| c["client_id"].as_str().map(str::to_string))
        .find(|c| !before.contains(c))
        .expect("the second client is on the provider");
    let secret2 = mock.client(&id2).expect("the second client")["client_secret"]
        .as_str()
        .expect("a secret")
        .to_string();
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        printed.contains(&secret2),
        "{dialect}: register shows the secret once: {printed}"
    );
    s.captured
        .iter_mut()
        .rev()
        .find(|c| c.what.starts_with("stdout of"))
        .expect("the register output")
        .allowed = Some(secret2);
    s.collect(mock);

    s.ok(&["get", "--profile", name, &id]);
    s.ok_json(&["get", &id]);
    let rat = mock.admin().registration_access_token(&id);
    s.ok(&["refresh", "--profile", name, &id]);
    s.collect(mock);
    // The read rotated something: the scan looks for the new value too.
    if dialect == Dialect::Liberty {
        assert_ne!(
            mock.client(&id).expect("the client")["client_secret"].as_str(),
            Some(secret.as_str()),
            "liberty rotated the secret"
        );
    } else {
        assert_ne!(
            mock.admin().registration_access_token(&id),
            rat,
            "{dialect} rotated the token"
        );
    }
    s.ok_json(&["refresh", &id]);
    s.collect(mock);
    s.ok(&["update", &id, "--set", "client_name=renamed by the scan"]);
    s.collect(mock);
    s.ok_json(&["update", &id, "--set", "contacts+=scan@example.org"]);
    s.collect(mock);
    // The client's own secret, sent to the token endpoint.
    s.ok(&["try", &id]);
    s.ok_json(&["try", &id]);
    for format in ["json", "env", "curl"] {
        let exported = s.ok(&["export", &id, "--format", format]);
        assert!(
            exported.contains(&id),
            "{dialect}: the {format} export names the client"
        );
    }
    s.ok(&["list"]);
    s.ok_json(&["list", "--profile", name]);
    s.ok(&["history", "--limit", "1000"]);
    s.ok(&["history", &id, "--full"]);

    // The probe registers, reads, updates and deletes a client of its own.
    let watcher = Watcher::start(mock.admin());
    let output = s.run(&["probe", "--profile", name, "--allow-writes"], &[]);
    let probe_secrets = watcher.finish(s, dialect);
    assert!(
        output.status.success(),
        "{dialect} probe: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    s.ok_json(&["probe", "--profile", name]);
    s.collect(mock);

    // Failures: provider errors that changed nothing, a registration whose answer is
    // unusable although the provider created the client, a rotated token lost.
    let admin = mock.admin();
    admin.inject(Fault::Status { status: 500, count: 1 });
    s.fails(&["refresh", &id2], &[], 4);
    admin.inject(Fault::HtmlBody { status: 502, count: 1 });
    s.fails(&["--json", "update", &id2, "--set", "client_name=never"], &[], 4);
    args = vec!["register", "--profile", name, "--file", &file2];
    admin.inject(Fault::Status { status: 400, count: 1 });
    s.fails(&args, &[], 4);
    admin.inject(Fault::NonJsonBody { count: 1 });
    s.fails(&args, &[], 4);
    s.collect(mock);
    if dialect != Dialect::Liberty {
        admin.inject(Fault::LoseRotatedToken { count: 1 });
        s.fails(&["--json", "refresh", &id2], &[], 4);
        s.collect(mock);
        // The stored token is now the old one: refused.
        s.fails(&["refresh", &id2], &[], 4);
    }
    admin.clear_faults();
    s.ok(&["pending"]);
    s.ok_json(&["pending"]);
    s.ok(&["recover", "--profile", name]);
    s.collect(mock);
    s.ok_json(&["recover", "--profile", name]);
    s.collect(mock);

    s.ok(&["delete", &id, "--yes"]);
    s.ok_json(&["get", &id]);
    (probe_secrets, id2)
}

#[test]
#[allow(clippy::print_stderr)]
fn no_secret_reaches_the_disk_the_output_the_exports_or_the_history() {
    let mut s = Session::new();
    let mocks: Vec<(Mock, &str)> = vec![
        (start_mock(Dialect::Generic), "gen"),
        (start_mock(Dialect::Liberty), "lib"),
        (start_mock(Dialect::SimpleIdServer), "sid"),
    ];
    let mut probe_secrets = 0;
    let mut controls = Vec::new();
    for (mock, name) in &mocks {
        let (n, kept) = session(&mut s, mock, name);
        probe_secrets += n;
        controls.push(kept);
    }
    assert!(probe_secrets > 0, "the watcher saw the probe's throw-away clients");

    // Credentials the provider refuses, and a provider that cannot be reached.
    let generic = &mocks[0].0;
    let wrong = long_secret("wrong-iat");
    s.secret(&wrong, "a refused initial access token");
    let add = [
        "profile",
        "add",
        "refused",
        "--kind",
        "generic",
        "--registration-endpoint",
        &generic.server.registration_endpoint(),
        "--registration-auth",
        "bearer",
        "--secret-env",
        SECRET_ENV,
    ];
    let output = s.run(&add, &[(SECRET_ENV, &wrong)]);
    assert!(output.status.success(), "profile add refused");
    let file = s.client_file("refused", &scan_metadata(Dialect::Generic, "refused"));
    let file = file.to_str().expect("a UTF-8 path").to_string();
    s.fails(&["register", "--profile", "refused", "--file", &file], &[], 4);

    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let down_secret = long_secret("down-iat");
    s.secret(&down_secret, "the initial access token of an unreachable provider");
    let endpoint = format!("http://127.0.0.1:{closed_port}/register");
    let add = [
        "profile",
        "add",
        "down",
        "--kind",
        "generic",
        "--registration-endpoint",
        &endpoint,
        "--registration-auth",
        "bearer",
        "--secret-env",
        SECRET_ENV,
    ];
    let output = s.run(&add, &[(SECRET_ENV, &down_secret)]);
    assert!(output.status.success(), "profile add down");
    s.fails(&["register", "--profile", "down", "--file", &file], &[], 5);
    s.fails(&["--json", "register", "--profile", "down", "--file", &file], &[], 5);

    // The history, in full.
    s.ok(&["history", "--full", "--limit", "1000"]);
    let history = s.ok_json(&["history", "--full", "--limit", "1000"]);
    let history = history.to_string();
    assert!(history.contains("***"), "the history shows where secrets were masked");
    for profile in ["gen", "lib", "sid", "refused", "down"] {
        s.ok(&["profile", "export", profile]);
    }
    for (mock, _) in &mocks {
        s.collect(mock);
    }

    // What to look for.
    let kinds = |word: &str| s.secrets.values().filter(|w| w.contains(word)).count();
    assert!(kinds("client secret") >= 6, "client secrets collected: {:?}", s.secrets);
    assert!(
        kinds("registration access token") >= 6,
        "tokens collected: {:?}",
        s.secrets
    );
    assert!(kinds("profile secret") == 3, "profile secrets: {:?}", s.secrets);

    // Where to look: everything printed ...
    let mut leaks = Vec::new();
    for captured in &s.captured {
        for (secret, what) in &s.secrets {
            if captured.allowed.as_deref() == Some(secret.as_str()) {
                continue;
            }
            if captured.text.contains(secret.as_str()) {
                leaks.push(format!("{what} in the {}", captured.what));
            }
        }
    }
    // ... every file of the data directory, byte for byte, after every command (the
    // database, its WAL and shared memory) ...
    for (what, text) in s.pieces.values() {
        for (secret, kind) in &s.secrets {
            if text.contains(secret.as_str()) {
                leaks.push(format!("{kind} in {what}"));
            }
        }
    }
    let mut files = Vec::new();
    walk(s.cli.data_dir(), &mut files);
    let names: Vec<String> = files
        .iter()
        .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    for expected in ["registrar.sqlite3", "registrar.sqlite3-wal", "registrar.sqlite3-shm"] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} is in the data directory: {names:?}"
        );
    }
    // ... and whatever else the CLI may have written in the test's HOME and XDG folders
    // (scripts/with-keychain.sh), except the keychain's own encrypted files.
    if let Some(sandbox) = std::env::var_os("REGISTRAR_TEST_SANDBOX") {
        walk(Path::new(&sandbox), &mut files);
    }
    for file in &files {
        // The data directory's files were read after every command, above.
        if file.starts_with(s.cli.data_dir()) || file.components().any(|c| c.as_os_str() == "keyrings") {
            continue;
        }
        let Ok(bytes) = std::fs::read(file) else { continue };
        let text = String::from_utf8_lossy(&bytes);
        for (secret, what) in &s.secrets {
            if text.contains(secret.as_str()) {
                leaks.push(format!("{what} in {}", file.display()));
            }
        }
    }
    // Positive controls: the search finds what is there. Each client id is in the files
    // (the raw pages are read), and a secret export is caught (the matching works).
    for id in &controls {
        assert!(
            s.pieces.values().any(|(_, text)| text.contains(id.as_str())),
            "client id {id} is not in the data directory's files: the scan reads the wrong bytes"
        );
    }
    let control = s
        .cli
        .cmd()
        .args(["export", &controls[0], "--with-secrets"])
        .output()
        .expect("export runs");
    let control = String::from_utf8_lossy(&control.stdout);
    assert!(
        s.secrets.keys().any(|secret| control.contains(secret.as_str())),
        "an export with secrets shows a collected secret: {control}"
    );

    eprintln!(
        "secret scan: {} secrets ({} client secrets, {} registration access tokens, {} profile \
         secrets, {} from the probes) looked for in {} outputs of {} commands, {} states of the \
         data directory's files ({} bytes, {} distinct pieces) and {} files at the end; {} found",
        s.secrets.len(),
        kinds("client secret"),
        kinds("registration access token"),
        kinds("profile secret"),
        probe_secrets,
        s.captured.len(),
        s.captured.len() / 2,
        s.states.0,
        s.states.1,
        s.pieces.len(),
        files.len(),
        leaks.len()
    );
    assert!(
        leaks.is_empty(),
        "{} secrets found where none may be:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
    assert!(s.captured.len() > 150, "the scan covered the whole session");
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
