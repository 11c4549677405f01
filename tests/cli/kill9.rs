//! `kill -9` at random points of register / read / update / delete, against a provider
//! that rotates the registration access token on every read and update, then: every
//! client the provider holds is known locally with a working token, or flagged for
//! recovery with the way to recover it. Zero lost, over at least 200 real kills.
//!
//! The CLI is started once per operation and killed with SIGKILL (`Child::kill`). A
//! debug build takes 100–500 ms per operation, most of it after the request left (each
//! keychain access is a D-Bus session of its own, then the commit), so a delay counted
//! from the start alone would only ever kill the start-up. Each run therefore draws its
//! timing from the seeded PRNG: 0–40 ms after the start (start-up, the database opening,
//! the reconcile of what the previous kill left, the journal intent), 0–40 ms after the
//! request reached the provider (the provider has acted, perhaps rotated the token: the
//! answer, the first keychain access), or 0–300 ms after it (the keychain writes, the
//! final transaction). Runs that end before the kill do not count as kills; when fewer
//! than three clients with a working token are left, one registration is let finish.
//!
//! The seed is printed; `KILL9_SEED=<n>` replays the same choices of operations and
//! delays (what each run meets still depends on the machine's timing).

use crate::support::{registrar_bin, Cli, Mock};
use registrar_mock_op::Dialect;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const PROFILE: &str = "op";
const MIN_KILLS: usize = 200;
/// Over TLS: fewer, since the plain run covers the timing; these cover the transport.
const MIN_KILLS_TLS: usize = 60;
/// The loop ends here even if too few runs were still running when killed.
const MAX_RUNS: usize = 1_000;
const SIGKILL: i32 = 9;

/// SplitMix64: small, seedable, good enough to pick operations and delays.
struct Prng(u64);

impl Prng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// 0..=max
    fn upto(&mut self, max: u64) -> u64 {
        self.next() % (max + 1)
    }

    fn percent(&mut self, p: u64) -> bool {
        self.next() % 100 < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

fn seed() -> u64 {
    match std::env::var("KILL9_SEED") {
        Ok(s) => s.parse().expect("KILL9_SEED is a number"),
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x5eed),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    Register,
    Refresh,
    Update,
    Delete,
}

#[derive(Debug, Clone, Copy)]
enum Timing {
    /// Milliseconds after the process started.
    FromStart(u64),
    /// Milliseconds after the request reached the provider.
    AfterRequest(u64),
    /// Not killed.
    Never,
}

/// The clients recorded locally that are not deleted, with their status, straight from
/// the database: the loop must not open a Registrar of its own, so that the reconcile of
/// a killed run's journal entry happens in the next (killable) run, as it does for a user.
fn local_live_clients(cli: &Cli) -> Vec<(String, String)> {
    let db = cli.data_dir().join("registrar.sqlite3");
    let conn = rusqlite::Connection::open(db).expect("the database opens");
    let mut stmt = conn
        .prepare("SELECT client_id, status FROM registrations WHERE status != 'deleted' ORDER BY id")
        .expect("a query");
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("rows");
    rows.collect::<Result<_, _>>().expect("client ids")
}

fn spawn(cli: &Cli, args: &[String]) -> Child {
    Command::new(registrar_bin())
        .env_remove("REGISTRAR_DATA_DIR")
        .env_remove("REGISTRAR_PROFILE")
        .arg("--data-dir")
        .arg(cli.data_dir())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("registrar starts")
}

/// Runs `args`, kills the process with SIGKILL at `timing` unless it ended first, and
/// returns its output (killed or not) and how long it ran after its request reached the
/// provider, when it did.
fn run_and_kill(cli: &Cli, mock: &Mock, args: &[String], timing: Timing) -> (Output, Option<Duration>) {
    let before = mock.admin().request_count();
    let started = Instant::now();
    let mut child = spawn(cli, args);
    let mut request_seen = None;
    let mut deadline = match timing {
        Timing::FromStart(ms) => Some(started + Duration::from_millis(ms)),
        Timing::AfterRequest(_) | Timing::Never => None,
    };
    loop {
        if child.try_wait().expect("the child can be waited for").is_some() {
            break;
        }
        let now = Instant::now();
        if request_seen.is_none() && mock.admin().request_count() != before {
            request_seen = Some(now);
            if let Timing::AfterRequest(ms) = timing {
                deadline = Some(now + Duration::from_millis(ms));
            }
        }
        if deadline.is_some_and(|d| now >= d) {
            // SIGKILL; a no-op on a child that has just exited (it is not reaped yet).
            child.kill().expect("kill -9");
            break;
        }
        assert!(now - started < Duration::from_secs(60), "registrar {args:?} hangs");
        std::thread::sleep(Duration::from_millis(1));
    }
    let output = child.wait_with_output().expect("the child is reaped");
    (output, request_seen.map(|t| t.elapsed()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Killed,
    Exit(Option<i32>),
}

/// One run on a client: its number, what it did, how it ended.
type Event = (usize, Op, Outcome);

#[derive(Debug, Default)]
struct Counts {
    /// Per client id: the runs on it (a finished registration counts for the client it
    /// created).
    events: BTreeMap<String, Vec<Event>>,
    runs: usize,
    kills: BTreeMap<Op, usize>,
    kills_after_request: usize,
    completed: BTreeMap<Op, usize>,
    /// Registrations let finish to keep clients to work on.
    replenished: usize,
    /// For runs that finished: milliseconds from the request reaching the provider to the end.
    after_request_ms: BTreeMap<Op, Vec<u128>>,
}

impl Counts {
    fn kills(&self) -> usize {
        self.kills.values().sum()
    }
}

#[test]
fn kill_9_at_random_points_loses_no_client() {
    kill_9_run(false, MIN_KILLS);
}

/// The same over HTTPS (the mock serving TLS with a CA made for the test): a TLS session
/// closed mid-answer must read as "may have been applied", never "nothing was sent".
#[test]
fn kill_9_at_random_points_over_tls_loses_no_client() {
    kill_9_run(true, MIN_KILLS_TLS);
}

#[allow(clippy::print_stderr)]
fn kill_9_run(tls: bool, min_kills: usize) {
    let seed = seed();
    eprintln!("kill9: seed {seed} (replay with KILL9_SEED={seed})");
    let mut rng = Prng(seed);
    let mut ca_pem = None;
    let mock = Mock::with(Dialect::Generic, |c| {
        c.rotate_rat_on_read = true;
        c.rotate_rat_on_update = true;
        if tls {
            let (config, ca) = registrar_tests::tls_proxy::test_server_config();
            c.tls = Some(config);
            ca_pem = Some(ca);
        }
    });
    let cli = Cli::new();
    let base = mock.server.base_url();
    let list_endpoint = format!("{}/_admin/clients", base.trim_end_matches('/'));
    let mut add: Vec<String> = [
        "profile",
        "add",
        PROFILE,
        "--kind",
        "generic",
        "--issuer",
        &mock.server.issuer(),
        "--registration-endpoint",
        &mock.server.registration_endpoint(),
        // Lets `recover` match interrupted registrations against the provider's list.
        "--list-endpoint",
        &list_endpoint,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if let Some(pem) = &ca_pem {
        let file = cli.data_dir().join("test-ca.pem");
        std::fs::write(&file, pem).expect("the CA file");
        add.extend(["--ca-cert".to_string(), file.display().to_string()]);
        assert!(base.starts_with("https://"), "{base}");
    }
    let add: Vec<&str> = add.iter().map(String::as_str).collect();
    cli.json(&add);

    let started = Instant::now();
    let mut counts = Counts::default();
    let mut refused = BTreeSet::new();
    while counts.kills() < min_kills {
        assert!(
            counts.runs < MAX_RUNS,
            "only {} of {} runs were killed while running (seed {seed}): {counts:?}",
            counts.kills(),
            counts.runs
        );
        let n = counts.runs;
        counts.runs += 1;
        let live = local_live_clients(&cli);
        let all: Vec<String> = live.iter().map(|(id, _)| id.clone()).collect();
        // Clients whose token still works, as far as the runs have shown: a client a kill
        // flagged stays a target (a read clears the flag), one the provider refused is not.
        let usable: Vec<String> = all.iter().filter(|id| !refused.contains(*id)).cloned().collect();
        // Too few clients to work on: one registration is left to finish.
        let replenish = usable.len() < 3;
        let op = match rng.upto(99) {
            _ if replenish => Op::Register,
            0..=24 => Op::Register,
            25..=54 => Op::Refresh,
            55..=84 => Op::Update,
            _ => Op::Delete,
        };
        // Mostly clients whose token works; now and then one whose token a kill lost.
        let targets = if usable.is_empty() || rng.percent(10) {
            &all
        } else {
            &usable
        };
        let mut args: Vec<String> = match op {
            Op::Register => vec![
                "register".into(),
                "--profile".into(),
                PROFILE.into(),
                "--set".into(),
                format!("client_name=kill9 client {n}"),
                "--set".into(),
                format!("redirect_uris=[\"https://app.example.org/kill9/{n}\"]"),
            ],
            Op::Refresh => vec!["refresh".into(), rng.pick(targets).clone()],
            Op::Update => vec![
                "update".into(),
                rng.pick(targets).clone(),
                "--set".into(),
                format!("x_kill9_run={n}"),
            ],
            Op::Delete => vec!["delete".into(), rng.pick(targets).clone(), "--yes".into()],
        };
        let target = (op != Op::Register).then(|| args[1].clone());
        args.insert(0, "--json".into());
        let timing = match rng.upto(9) {
            _ if replenish => Timing::Never,
            0 | 1 => Timing::FromStart(rng.upto(40)),
            2..=5 => Timing::AfterRequest(rng.upto(40)),
            _ => Timing::AfterRequest(rng.upto(300)),
        };
        let (output, after_request) = run_and_kill(&cli, &mock, &args, timing);
        counts.replenished += usize::from(replenish);
        let killed = output.status.signal() == Some(SIGKILL);
        let outcome = if killed {
            Outcome::Killed
        } else {
            Outcome::Exit(output.status.code())
        };
        let client = target.or_else(|| {
            let out: Value = serde_json::from_slice(&output.stdout).ok()?;
            out["client_id"].as_str().map(str::to_string)
        });
        if let Some(client) = client {
            counts.events.entry(client).or_default().push((n, op, outcome));
        }
        if killed {
            *counts.kills.entry(op).or_default() += 1;
            if matches!(timing, Timing::AfterRequest(_)) {
                counts.kills_after_request += 1;
            }
        } else {
            // A run that finished did so cleanly: success, or the provider refusing a
            // token that an earlier kill lost (exit 4). Never a storage or internal error.
            let code = output.status.code();
            assert!(
                matches!(code, Some(0) | Some(4)),
                "registrar {args:?} ended with {code:?} (seed {seed}, run {n}):\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
            *counts.completed.entry(op).or_default() += 1;
            if code == Some(4) && op != Op::Register {
                refused.insert(args[2].clone());
            }
            if let Some(d) = after_request {
                counts.after_request_ms.entry(op).or_default().push(d.as_millis());
            }
        }
    }
    let loop_time = started.elapsed();

    check_nothing_lost(&cli, &mock, &counts, seed, loop_time);
}

/// Every client on the provider: known locally with a working token (a refresh works
/// and the token then stored is the provider's), or flagged (pending recovery, or an
/// unresolved journal entry), with `recover` saying how to recover it.
#[allow(clippy::print_stderr)]
fn check_nothing_lost(cli: &Cli, mock: &Mock, counts: &Counts, seed: u64, loop_time: Duration) {
    let check_started = Instant::now();
    let ctx = format!("seed {seed}");

    // No kill damaged the database.
    let conn = rusqlite::Connection::open(cli.data_dir().join("registrar.sqlite3")).expect("the database opens");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check runs");
    assert_eq!(integrity, "ok", "{ctx}");
    drop(conn);

    let on_mock: Vec<String> = mock
        .admin()
        .list_clients()
        .iter()
        .map(|c| c["client_id"].as_str().expect("a client_id").to_string())
        .collect();
    // `list` and `pending` open the core, which flags what the last kill left open.
    let listed = cli.json(&["list", "--limit", "1000"]);
    assert!(
        listed["total"].as_u64().is_some_and(|t| t <= 1000),
        "{ctx}: more clients than one page"
    );
    let local: BTreeMap<String, String> = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| {
            (
                c["client_id"].as_str().expect("client_id").to_string(),
                c["status"].as_str().expect("status").to_string(),
            )
        })
        .collect();
    let pending = cli.json(&["pending"]);
    let pending = pending.as_array().expect("pending is a list");
    let journal_covers: BTreeSet<String> = pending
        .iter()
        .filter_map(|e| e["client_id"].as_str().map(str::to_string))
        .collect();
    let register_intents = pending.iter().filter(|e| e["operation"] == "register").count();

    let mut working = Vec::new();
    let mut flagged_working = 0;
    let mut flagged_lost = Vec::new();
    // Lost tokens whose client still reads "active": flagged by the journal alone (a kill
    // between the two writes of the reconcile).
    let mut journal_only = 0;
    let mut unknown = Vec::new();
    for id in &on_mock {
        let Some(status) = local.get(id) else {
            unknown.push(id.clone());
            continue;
        };
        let flagged = status == "pending_recovery" || journal_covers.contains(id);
        let refresh = cli
            .cmd()
            .args(["--json", "refresh", id])
            .output()
            .expect("refresh runs");
        if refresh.status.success() {
            // The token the refresh rotated is the one now in the keychain.
            let exported = cli.json(&["export", id, "--with-secrets"]);
            assert_eq!(
                exported["registration_access_token"].as_str(),
                mock.admin().registration_access_token(id).as_deref(),
                "{ctx}: client {id} refreshed, but the token stored is not the provider's"
            );
            working.push(id.clone());
            flagged_working += usize::from(flagged);
        } else {
            assert!(
                flagged,
                "{ctx}: LOST: client {id} is on the provider and known locally as {status}, its token \
                 does not work ({}), and nothing flags it for recovery; pending: {pending:?}",
                String::from_utf8_lossy(&refresh.stderr).trim()
            );
            // And a kill explains it: one on this client since its last clean run.
            let events = counts.events.get(id).cloned().unwrap_or_default();
            let last_ok = events
                .iter()
                .filter(|e| e.2 == Outcome::Exit(Some(0)))
                .map(|e| e.0)
                .max();
            assert!(
                events.iter().any(|e| e.2 == Outcome::Killed && Some(e.0) > last_ok),
                "{ctx}: client {id}'s token does not work, yet no run on it was killed since its \
                 last clean run: {events:?}"
            );
            flagged_lost.push(id.clone());
            if status != "pending_recovery" {
                journal_only += 1;
                eprintln!("kill9: client {id} is {status} with a lost token, flagged by the journal: runs {events:?}");
            }
        }
    }

    // Local records whose client the provider no longer holds: an interrupted delete.
    // None may look alive without a flag.
    let on_mock_set: BTreeSet<&String> = on_mock.iter().collect();
    let mut gone_flagged = 0;
    for (id, status) in &local {
        if status != "deleted" && !on_mock_set.contains(id) {
            assert!(
                status == "pending_recovery" || journal_covers.contains(id),
                "{ctx}: client {id} is gone from the provider but recorded as {status} with no flag"
            );
            gone_flagged += 1;
        }
    }

    // Clients the provider created for an interrupted register, unknown locally: no more
    // than the interrupted registrations, and `recover` either adopts each (its credentials
    // reached the keychain before the kill: the client then works) or names what to do.
    assert!(
        unknown.len() <= register_intents,
        "{ctx}: LOST: {} clients on the provider are unknown locally ({unknown:?}) but only \
         {register_intents} registrations are pending",
        unknown.len()
    );
    let recovery = cli.json(&["recover", "--profile", PROFILE]);
    let items = recovery["items"].as_array().expect("recovery items");
    for id in &unknown {
        let item = items
            .iter()
            .find(|i| i["operation"] == "register" && i["candidate_client_id"] == id.as_str())
            .unwrap_or_else(|| panic!("{ctx}: recover does not match client {id} to a registration: {recovery}"));
        if item["resolved"] == true {
            let finding = item["finding"].as_str().unwrap_or_default();
            assert!(finding.contains("adopted"), "{ctx}: {item}");
            cli.json(&["refresh", id.as_str()]);
            continue;
        }
        let action = item["action"].as_str().unwrap_or_default();
        assert!(action.contains("import"), "{ctx}: no way to recover {id}: {item}");
    }
    for id in &flagged_lost {
        let open: Vec<&Value> = items
            .iter()
            .filter(|i| i["client_id"] == id.as_str() && i["resolved"] == false)
            .collect();
        assert!(
            !open.is_empty(),
            "{ctx}: client {id} has a lost token but recover has nothing left to do for it: {recovery}"
        );
        for item in open {
            let action = item["action"].as_str().unwrap_or_default();
            assert!(action.contains("import"), "{ctx}: no way to recover {id}: {item}");
        }
    }
    eprintln!(
        "kill9: {} runs, {} killed while running ({} after the request reached the provider; by \
         operation {:?}), {} finished first ({:?}, {} of them registrations let finish); loop \
         {:.1}s, check {:.1}s",
        counts.runs,
        counts.kills(),
        counts.kills_after_request,
        counts.kills,
        counts.runs - counts.kills(),
        counts.completed,
        counts.replenished,
        loop_time.as_secs_f64(),
        check_started.elapsed().as_secs_f64(),
    );
    let medians: BTreeMap<&Op, u128> = counts
        .after_request_ms
        .iter()
        .map(|(op, ms)| {
            let mut ms = ms.clone();
            ms.sort_unstable();
            (op, ms[ms.len() / 2])
        })
        .collect();
    eprintln!("kill9: median ms from the request to the end of runs that finished: {medians:?}");
    eprintln!(
        "kill9: {} clients on the provider: {} known locally with a working token ({} of them \
         flagged and fine), {} flagged with a lost token ({} of them by the journal alone; recover \
         says how), {} unknown locally \
         from {} interrupted registrations (recover matches each); {} local records of clients \
         gone from the provider, all flagged; lost: 0",
        on_mock.len(),
        working.len(),
        flagged_working,
        flagged_lost.len(),
        journal_only,
        unknown.len(),
        register_intents,
        gone_flagged,
    );
    assert!(!on_mock.is_empty(), "{ctx}: the loop left no client to check");
}
