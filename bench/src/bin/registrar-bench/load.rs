//! `registrar-bench load`: registrations per second a running mock provider sustains on
//! loopback, and what 100,000 stored clients cost it in memory (the PSS and RSS growth of
//! its process across the load, after a warm-up that fills connection buffers and arenas).

use bytes::Bytes;
use registrar_bench::load::{self, LoadPlan};
use registrar_bench::proc_mem;
use registrar_bench::report::{self, Row, Target};
use std::net::SocketAddr;
use std::path::PathBuf;

const TARGET_PER_SECOND: f64 = 20_000.0;
const TARGET_MIB_PER_100K: f64 = 100.0;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long)]
    rows: PathBuf,
    /// The mock's address, e.g. 127.0.0.1:9400.
    #[arg(long)]
    addr: SocketAddr,
    #[arg(long, default_value = "/register")]
    path: String,
    /// The mock's process id, for its memory.
    #[arg(long)]
    pid: u32,
    /// Registrations measured (after the warm-up).
    #[arg(long, default_value_t = 100_000)]
    requests: usize,
    #[arg(long, default_value_t = 32)]
    connections: usize,
    #[arg(long, default_value_t = 2_000)]
    warmup: usize,
    /// Threads of the load client (it shares the machine's cores with the mock).
    #[arg(long, default_value_t = 2)]
    threads: usize,
}

pub fn run(args: Args) -> crate::Result {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.threads)
        .enable_all()
        .build()?;
    let body = Bytes::from(registrar_bench::fixtures::client_json("Load test client").to_string());
    let plan = |total| LoadPlan {
        addr: args.addr,
        path: args.path.clone(),
        body: body.clone(),
        total,
        connections: args.connections,
    };
    runtime.block_on(load::run(&plan(args.warmup)))?;
    let before = proc_mem::process(args.pid).ok_or("the mock process is gone")?;
    let report = runtime.block_on(load::run(&plan(args.requests)))?;
    // Let the connections close and their buffers go back before reading memory again.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let after = proc_mem::process(args.pid).ok_or("the mock process is gone")?;
    if report.failures > 0 {
        return Err(format!("{} of {} registrations failed", report.failures, report.sent).into());
    }
    let rate = report.per_second();
    report::append(
        &args.rows,
        &Row::new("mock throughput, registrations on loopback", rate, "/s")
            .measured(format!(
                "{} in {:.2} s over {} connections",
                report::count(report.sent as u64),
                report.elapsed.as_secs_f64(),
                args.connections
            ))
            .against("load client on the same 2 cores")
            .target(Target::at_least(TARGET_PER_SECOND))
            .note("closed-loop Rust load client (bench/src/load.rs) against the registrar-mock-op binary"),
    )?;
    let scale = 100_000.0 / report.sent as f64;
    let pss = (after.pss_kib as f64 - before.pss_kib as f64) / 1024.0 * scale;
    let rss = (after.rss_kib as f64 - before.rss_kib as f64) / 1024.0 * scale;
    let extrapolated = if report.sent == 100_000 {
        String::new()
    } else {
        format!("; extrapolated from {} clients", report::count(report.sent as u64))
    };
    report::append(
        &args.rows,
        &Row::new("mock memory per 100,000 stored clients (PSS growth)", pss, "MiB")
            .measured(format!(
                "PSS +{pss:.0} MiB, RSS +{rss:.0} MiB (process at {:.0} MiB RSS)",
                after.rss_kib as f64 / 1024.0
            ))
            .against(format!(
                "the same process before: {:.0} MiB PSS",
                before.pss_kib as f64 / 1024.0
            ))
            .target(Target::at_most(TARGET_MIB_PER_100K))
            .note(format!("growth across the measured load{extrapolated}")),
    )?;
    Ok(())
}
