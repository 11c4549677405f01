//! `registrar-bench`: the measuring half of `bench/run`. Each subcommand measures one kind
//! of figure, side by side with its baseline, and appends rows to a JSON-lines file; `table`
//! prints them as the one table of the run. Kept out of the shipped binaries on purpose.

// Printing the figures is this tool's job.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod bulk;
mod custody;
mod hyperfine;
mod keychain;
mod load;
mod populate;
mod search;
mod seed;
mod startup;
mod table;
mod timing;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "registrar-bench",
    about = "Registrar's benchmark measurements (driven by bench/run)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the collected rows as one table.
    Table(table::Args),
    /// Write a database with many registrations (for the app and the CLI).
    Seed(seed::Args),
    /// Register clients through the core against a running mock, with the real keychain.
    Populate(populate::Args),
    /// Bulk refresh in-process with the memory keychain, with and without provider latency.
    Bulk(bulk::Args),
    /// Time searches over a large database.
    Search(search::Args),
    /// Load a running mock with registrations; its throughput and memory per client.
    Load(load::Args),
    /// Time to first paint and idle memory of the app and of the empty Tauri window.
    Startup(startup::Args),
    /// Turn a hyperfine export into rows (CLI vs curl, bulk concurrent vs sequential).
    Hyperfine(hyperfine::Args),
    /// What one keychain operation costs, real against memory (for the analysis).
    Keychain(keychain::Args),
    /// Time commands side by side when hyperfine is not installed (same export format).
    Time(timing::Args),
    /// Set up an Open Banking profile through the core for the mTLS figure (issue 17).
    CustodySetup(custody::SetupArgs),
    /// What signing a registration request and an assertion adds, with the real keychain.
    CustodySign(custody::SignArgs),
    /// What signing adds to a CLI registration: the same one signed and unsigned.
    CustodyAdds(custody::AddsArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Table(a) => table::run(a),
        Command::Seed(a) => seed::run(a),
        Command::Populate(a) => populate::run(a),
        Command::Bulk(a) => bulk::run(a),
        Command::Search(a) => search::run(a),
        Command::Load(a) => load::run(a),
        Command::Startup(a) => startup::run(a),
        Command::Hyperfine(a) => hyperfine::run(a),
        Command::Time(a) => timing::run(a),
        Command::Keychain(a) => keychain::run(a),
        Command::CustodySetup(a) => custody::setup(a),
        Command::CustodySign(a) => custody::sign(a),
        Command::CustodyAdds(a) => custody::adds(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("registrar-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;
