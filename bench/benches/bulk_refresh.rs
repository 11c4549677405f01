//! Bulk refresh of 1,000 registrations against the in-process mock, 16 at a time against
//! one at a time, with the memory keychain (the core and HTTP alone) and, when a private
//! Secret Service session is available (scripts/with-keychain.sh), the real keychain.

// A skipped variant must say so where the bench output is read.
#![allow(clippy::print_stderr)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use registrar_bench::fixtures::{real_keychain_available, Keychain, World};
use registrar_core::Cancel;
use std::time::Duration;

const CLIENTS: usize = 1_000;

fn bulk_refresh(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let mut keychains = vec![("memory", Keychain::Memory)];
    if real_keychain_available() {
        keychains.push(("keyring", Keychain::Real));
    } else {
        eprintln!(
            "bulk_refresh: no private Secret Service session; the keychain variant is skipped \
             (run under scripts/with-keychain.sh)"
        );
    }
    let mut group = c.benchmark_group("bulk_refresh_1000");
    // A sequential run with the real keychain takes seconds: the fewest samples criterion allows.
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    for (name, keychain) in keychains {
        let world = runtime.block_on(World::start(keychain, CLIENTS));
        for concurrency in [16, 1] {
            group.bench_with_input(BenchmarkId::new(name, concurrency), &concurrency, |b, &n| {
                b.to_async(&runtime).iter(|| async {
                    let report = world
                        .registrar
                        .refresh_many(&world.targets, n, &|_| {}, &Cancel::new())
                        .await
                        .expect("the bulk refresh runs");
                    assert_eq!(report.failed(), 0, "every client refreshes");
                })
            });
        }
        runtime.block_on(async move { drop(world) });
    }
    group.finish();
}

criterion_group!(benches, bulk_refresh);
criterion_main!(benches);
