//! `registrar-bench search`: the searches the desktop list and `registrar list` make, over
//! a database of many registrations. Each query is timed on a freshly opened connection
//! (SQLite's page cache empty, the file in the OS cache), as when the app opens its list;
//! typing a search reuses a warm connection, so those are noted too.

use registrar_bench::report::{self, Row, Target};
use registrar_bench::seed::{seed_database, BROAD, NEEDLE};
use registrar_bench::stats::{median, ms, percentile};
use registrar_core::{Query, Sort, SortKey};
use std::path::PathBuf;
use std::time::Instant;

/// The desktop list's page size (ui/src/clients/pager.ts).
const UI_PAGE: u32 = 200;
const TARGET_MS: f64 = 20.0;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long)]
    rows: PathBuf,
    #[arg(long, default_value_t = 100_000)]
    clients: usize,
    #[arg(long, default_value_t = 25)]
    runs: usize,
}

pub fn run(args: Args) -> crate::Result {
    let dir = tempfile::tempdir()?;
    let start = Instant::now();
    let profile = seed_database(dir.path(), "bench", "http://127.0.0.1:9/register", args.clients);
    eprintln!(
        "search: seeded {} rows in {:.1} s",
        args.clients,
        start.elapsed().as_secs_f64()
    );
    let db = dir.path().join("registrar.sqlite3");
    let query = |text: Option<&str>| Query {
        profile_id: Some(profile.id.clone()),
        text: text.map(str::to_string),
        limit: UI_PAGE,
        ..Default::default()
    };
    // A list sorted by a header (issue 21): each order walks an index of its own.
    let sorted = |q: Query, key: SortKey, descending: bool| Query {
        sort: Some(Sort { key, descending }),
        ..q
    };
    let cases = [
        ("first page (the list opening)", query(None)),
        ("text, selective (\"needle\")", query(Some(&NEEDLE.to_lowercase()))),
        ("text, matching every row (\"example.org\")", query(Some(BROAD))),
        ("short text, 2 characters (\"42\")", query(Some("42"))),
        (
            "first page sorted by secret expiry, descending",
            sorted(query(None), SortKey::SecretExpiry, true),
        ),
        (
            "text, every row, sorted by client_id",
            sorted(query(Some(BROAD)), SortKey::ClientId, false),
        ),
        (
            "short text, sorted by last synced",
            sorted(query(Some("42")), SortKey::LastSynced, false),
        ),
    ];
    let count = group(args.clients);
    for (label, q) in cases {
        let Timed {
            cold,
            warm,
            total,
            capped,
        } = time_query(&db, &q, args.runs)?;
        let row = Row::new(format!("search {count} rows: {label}"), median(&cold), "ms")
            .measured(format!(
                "{:.1} ms median, p95 {:.1} (warm {:.1}); {}{} matches",
                median(&cold),
                percentile(&cold, 95.0),
                median(&warm),
                report::count(total),
                if capped { "+" } else { "" }
            ))
            .against("a fresh connection each run")
            .target(Target::at_most(TARGET_MS));
        report::append(&args.rows, &row)?;
    }
    Ok(())
}

/// A query's times in milliseconds, and its matches.
struct Timed {
    /// On fresh connections.
    cold: Vec<f64>,
    /// On one warm connection.
    warm: Vec<f64>,
    total: u64,
    /// Whether counting stopped at the core's cap (`total` is then a lower bound).
    capped: bool,
}

fn time_query(db: &std::path::Path, q: &Query, runs: usize) -> crate::Result<Timed> {
    let mut cold = Vec::with_capacity(runs);
    let mut total = (0, false);
    for _ in 0..runs {
        let store = registrar_bench::seed::reader(db);
        let start = Instant::now();
        let page = store.search(q)?;
        cold.push(ms(start.elapsed()));
        total = (page.total, page.total_capped);
    }
    let store = registrar_bench::seed::reader(db);
    store.search(q)?;
    let mut warm = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        std::hint::black_box(store.search(q)?);
        warm.push(ms(start.elapsed()));
    }
    Ok(Timed {
        cold,
        warm,
        total: total.0,
        capped: total.1,
    })
}

fn group(n: usize) -> String {
    report::count(n as u64)
}
