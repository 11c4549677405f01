//! `registrar`: the command line over registrar-core, for people who script and for
//! support staff working over SSH. It holds no business logic: each command parses its
//! arguments, calls one core operation and renders the typed result, as a table for
//! people or as JSON (`--json`) for scripts. It shares the desktop app's database and
//! keychain, so both see the same profiles and registrations.

// Printing is this crate's job.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod app;
mod args;
mod commands;
mod failure;
mod input;
mod interrupt;
mod progress;
mod render;
mod signals;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    if let Some(refusal) = input::refused::private_key_in_args(std::env::args_os()) {
        return refusal.report();
    }
    // The keychain's session takes the Secret Service a few milliseconds to open: opened
    // now, it overlaps parsing the arguments and opening the database.
    if args::names_keychain_command(std::env::args_os()) {
        registrar_core::secrets::connect_ahead();
    }
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => match input::refused::explain(&error) {
            Some(refusal) => return refusal.report(),
            None => error.exit(),
        },
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => return failure::Failure::storage(format!("cannot start: {e}")).report(),
    };
    let outcome = runtime.block_on(app::run(cli));
    // The command is over: nothing it started is still needed (a signature it did not
    // send, a lookup it no longer waits for). Dropped, the runtime would first wait for
    // its idle worker threads to wake up and end, a tenth of a millisecond of every command.
    runtime.shutdown_background();
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
