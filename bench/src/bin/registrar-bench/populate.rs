//! `registrar-bench populate`: registers clients through the core, against a running mock,
//! into a data directory the CLI then uses: same database, same keychain namespace, so the
//! bulk refresh that follows finds exactly what a user's would.

use registrar_core::{DataDir, Registrar};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The data directory, as given to `registrar --data-dir`.
    #[arg(long)]
    data_dir: PathBuf,
    /// The profile (created beforehand with `registrar profile add`).
    #[arg(long)]
    profile: String,
    #[arg(long)]
    clients: usize,
}

pub fn run(args: Args) -> crate::Result {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let registrar = Registrar::open(&DataDir::at(&args.data_dir))?;
        let profile = registrar.profile(&args.profile)?;
        let start = Instant::now();
        for i in 0..args.clients {
            let metadata = registrar_bench::fixtures::web_client(&format!("bulk client {i}"));
            let outcome = registrar.register(&profile.id, metadata).await?;
            if !outcome.warnings.is_empty() {
                return Err(format!("registration {i} warned: {:?}", outcome.warnings).into());
            }
        }
        eprintln!(
            "registered {} clients with the keychain in {:.1} s ({:.1} ms each)",
            args.clients,
            start.elapsed().as_secs_f64(),
            start.elapsed().as_secs_f64() * 1000.0 / args.clients.max(1) as f64
        );
        Ok(())
    })
}
