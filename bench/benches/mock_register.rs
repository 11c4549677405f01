//! The mock provider's registration throughput in-process: batches of registrations over
//! keep-alive loopback connections to a mock in the same process (the load client of
//! bench/run, without a second process).

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use registrar_bench::fixtures::client_json;
use registrar_bench::load::{self, LoadPlan};
use registrar_mock_op::{Dialect, MockConfig, MockServer};

const BATCH: usize = 2_000;

fn mock_register(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let mut group = c.benchmark_group("mock_register");
    group.throughput(Throughput::Elements(BATCH as u64)).sample_size(20);
    for connections in [1, 16] {
        // A fresh mock per variant, so the number of stored clients stays comparable.
        let mock = runtime
            .block_on(MockServer::start(MockConfig::new(Dialect::Generic)))
            .expect("the mock starts");
        let url = url_parts(&mock.registration_endpoint());
        let plan = LoadPlan {
            addr: url.0,
            path: url.1,
            body: Bytes::from(client_json("Load test client").to_string()),
            total: BATCH,
            connections,
        };
        group.bench_function(format!("{connections}_connections"), |b| {
            b.to_async(&runtime).iter(|| async {
                let report = load::run(&plan).await.expect("the load runs");
                assert_eq!(report.failures, 0);
            })
        });
        runtime.block_on(mock.stop());
    }
    group.finish();
}

/// "http://127.0.0.1:PORT/register" as (address, path).
fn url_parts(url: &str) -> (std::net::SocketAddr, String) {
    let rest = url.strip_prefix("http://").expect("an http URL");
    let (host, path) = rest.split_once('/').expect("a path");
    (host.parse().expect("an address"), format!("/{path}"))
}

criterion_group!(benches, mock_register);
criterion_main!(benches);
