//! `registrar-bench table`: the rows of a run, as one table.

use registrar_bench::report;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The JSON-lines file the measuring steps appended to.
    #[arg(long)]
    rows: PathBuf,
    /// Markdown instead of aligned text (for docs/benchmarks.md).
    #[arg(long)]
    markdown: bool,
}

pub fn run(args: Args) -> crate::Result {
    let rows = report::read_rows(&args.rows)?;
    let text = if args.markdown {
        report::render_markdown(&rows)
    } else {
        report::render_text(&rows)
    };
    print!("{text}");
    Ok(())
}
