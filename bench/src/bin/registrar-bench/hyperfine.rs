//! `registrar-bench hyperfine`: rows from a hyperfine JSON export whose first command is
//! the measured one and whose second is its baseline, run in the same hyperfine call (so
//! both saw the same machine load). Medians of wall time.

use registrar_bench::report::{self, Row, Target};
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Kind {
    /// `registrar <op>` against `curl` doing the same HTTP request: ratio <= 1.5.
    Cli,
    /// Bulk refresh at a concurrency against one at a time: speedup >= 8, and under 1 s.
    Bulk,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long)]
    rows: PathBuf,
    #[arg(long)]
    json: PathBuf,
    #[arg(long, value_enum)]
    kind: Kind,
    /// The operation (cli) or the client count (bulk), for the figure's name.
    #[arg(long)]
    label: String,
    #[arg(long, default_value = "")]
    note: String,
    /// Bulk: only the speedup row (the absolute time is the loopback run's).
    #[arg(long)]
    speedup_only: bool,
}

#[derive(Debug, Deserialize)]
struct Export {
    results: Vec<Measurement>,
}

#[derive(Debug, Deserialize)]
struct Measurement {
    median: f64,
    times: Vec<f64>,
}

pub fn run(args: Args) -> crate::Result {
    let export: Export = serde_json::from_str(&std::fs::read_to_string(&args.json)?)?;
    let [measured, baseline] = export.results.as_slice() else {
        return Err(format!("{} should hold exactly two commands", args.json.display()).into());
    };
    let runs = measured.times.len();
    match args.kind {
        Kind::Cli => {
            let ratio = measured.median / baseline.median;
            report::append(
                &args.rows,
                &Row::new(format!("CLI {} vs curl", args.label), ratio, "x")
                    .measured(format!("registrar {:.1} ms", measured.median * 1000.0))
                    .against(format!("curl {:.1} ms (median of {runs})", baseline.median * 1000.0))
                    .target(Target::at_most(1.5))
                    .note(args.note),
            )?;
        }
        Kind::Bulk => {
            let speedup = baseline.median / measured.median;
            report::append(
                &args.rows,
                &Row::new(
                    format!("bulk refresh {}: concurrent vs sequential", args.label),
                    speedup,
                    "x",
                )
                .measured(format!("concurrent {:.2} s", measured.median))
                .against(format!("sequential {:.2} s (median of {runs})", baseline.median))
                .target(Target::at_least(8.0))
                .note(args.note),
            )?;
            if args.speedup_only {
                return Ok(());
            }
            report::append(
                &args.rows,
                &Row::new(
                    format!("bulk refresh {}: concurrent, absolute", args.label),
                    measured.median,
                    "s",
                )
                .measured(format!("{:.2} s", measured.median))
                .against("-")
                .target(Target::at_most(1.0)),
            )?;
        }
    }
    Ok(())
}
