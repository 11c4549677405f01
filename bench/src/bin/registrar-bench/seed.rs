//! `registrar-bench seed`: a data directory whose database holds many registrations.

use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The data directory (its registrar.sqlite3 is created or extended).
    #[arg(long)]
    dir: PathBuf,
    #[arg(long)]
    clients: usize,
    #[arg(long, default_value = "bench")]
    profile: String,
    /// Where the profile's provider registers clients (nothing is sent there).
    #[arg(long, default_value = "http://127.0.0.1:9/register")]
    endpoint: String,
}

pub fn run(args: Args) -> crate::Result {
    std::fs::create_dir_all(&args.dir)?;
    let start = std::time::Instant::now();
    let profile = registrar_bench::seed::seed_database(&args.dir, &args.profile, &args.endpoint, args.clients);
    eprintln!(
        "seeded {} registrations for profile {} in {:.1} s",
        args.clients,
        profile.name,
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
