//! registrar-bench: what Registrar's benchmarks share. The criterion benches (`cargo bench
//! -p registrar-bench`) measure in-process figures; the `registrar-bench` binary, driven by
//! `bench/run`, measures whole programs side by side (the CLI against curl, the app against
//! an empty Tauri window) and prints the one table of ratios with targets and verdicts.

pub mod fixtures;
pub mod load;
pub mod paint;
pub mod proc_mem;
pub mod report;
pub mod seed;
pub mod stats;
