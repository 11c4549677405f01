//! `registrar-bench bulk`: bulk refresh in-process with the memory keychain, against the
//! in-process mock as it is and with a provider latency injected. These rows carry no
//! target: they take the keychain out of the CLI's figure to show what the rest costs,
//! and show what bounded concurrency buys once there is latency to overlap.

use registrar_bench::fixtures::{Keychain, World};
use registrar_bench::report::{self, Row};
use registrar_core::Cancel;
use registrar_mock_op::Fault;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long)]
    rows: PathBuf,
    #[arg(long, default_value_t = 1_000)]
    clients: usize,
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// The latency injected for the second pair of runs, in milliseconds.
    #[arg(long, default_value_t = 20)]
    latency_ms: u64,
}

pub fn run(args: Args) -> crate::Result {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let world = World::start(Keychain::Memory, args.clients).await;
        let clients = report::count(args.clients as u64);
        // Warm the connection pool and the statement cache, as a second run would find them.
        refresh(&world, args.concurrency).await?;
        for latency in [0, args.latency_ms] {
            world.mock.admin().clear_faults();
            if latency > 0 {
                world.mock.admin().inject(Fault::Latency { millis: latency });
            }
            let concurrent = refresh(&world, args.concurrency).await?;
            let sequential = refresh(&world, 1).await?;
            let condition = if latency > 0 {
                format!("{latency} ms provider latency")
            } else {
                "loopback mock as is".to_string()
            };
            let row = Row::new(
                format!("bulk refresh {clients} in-process, memory keychain, {condition}"),
                sequential.as_secs_f64() / concurrent.as_secs_f64(),
                "x",
            )
            .measured(format!("concurrent {:.0} ms", concurrent.as_secs_f64() * 1000.0))
            .against(format!("sequential {:.0} ms", sequential.as_secs_f64() * 1000.0))
            .note("diagnostic, no target: the core and HTTP without the keychain (registrar-bench bulk)");
            report::append(&args.rows, &row)?;
        }
        world.mock.admin().clear_faults();
        Ok(())
    })
}

async fn refresh(world: &World, concurrency: usize) -> crate::Result<Duration> {
    let start = Instant::now();
    let report = world
        .registrar
        .refresh_many(&world.targets, concurrency, &|_| {}, &Cancel::new())
        .await?;
    if report.failed() > 0 {
        return Err(format!("{} of {} refreshes failed", report.failed(), report.items.len()).into());
    }
    Ok(start.elapsed())
}
