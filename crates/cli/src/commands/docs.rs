//! Shell completions and man pages, generated from the clap definitions so they never
//! drift from the real command tree.

use crate::args::Cli;
use crate::failure::Failure;
use clap::{Args, CommandFactory};
use clap_complete::Shell;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    pub shell: Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write registrar.1 and one page per command into DIR instead of printing
    /// the main page.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn completions(args: CompletionsArgs) -> Result<(), Failure> {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "registrar", &mut std::io::stdout());
    Ok(())
}

pub fn man(args: ManArgs) -> Result<(), Failure> {
    let command = Cli::command();
    match args.out {
        Some(dir) => {
            std::fs::create_dir_all(&dir)
                .map_err(|e| Failure::usage(format!("cannot create {}: {e}", dir.display())))?;
            clap_mangen::generate_to(command, &dir)
                .map_err(|e| Failure::usage(format!("cannot write the man pages to {}: {e}", dir.display())))?;
            eprintln!("man pages written to {}", dir.display());
            Ok(())
        }
        None => clap_mangen::Man::new(command)
            .render(&mut std::io::stdout())
            .map_err(|e| Failure::new(1, format!("cannot write the man page: {e}"))),
    }
}
