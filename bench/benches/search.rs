//! Search over 100,000 registrations in-process: the desktop list's first page, a text
//! query through the trigram index, and a two-character query (below the trigram size, so
//! a LIKE over ids and names). The database is seeded once through the real schema.

use criterion::{criterion_group, criterion_main, Criterion};
use registrar_bench::seed::{reader, seed_database, BROAD, NEEDLE};
use registrar_core::Query;

const ROWS: usize = 100_000;

fn search(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let profile = seed_database(dir.path(), "bench", "http://127.0.0.1:9/register", ROWS);
    let store = reader(&dir.path().join("registrar.sqlite3"));
    let query = |text: Option<&str>| Query {
        profile_id: Some(profile.id.clone()),
        text: text.map(str::to_string),
        // The desktop list's page size.
        limit: 200,
        ..Default::default()
    };
    let mut group = c.benchmark_group("search_100k");
    for (name, q) in [
        ("first_page", query(None)),
        ("text_selective", query(Some(&NEEDLE.to_lowercase()))),
        ("text_every_row", query(Some(BROAD))),
        ("short_text", query(Some("42"))),
    ] {
        group.bench_function(name, |b| b.iter(|| store.search(&q).expect("the search runs")));
    }
    group.finish();
}

criterion_group!(benches, search);
criterion_main!(benches);
