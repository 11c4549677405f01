//! `registrar-bench startup`: the app against an empty Tauri 2 window, interleaved in one
//! run: time from spawning the process to the screen showing its final picture (for the
//! app, its client list; see registrar_bench::paint), then the memory of the process and
//! every WebKit helper it started, PSS summed, after it has sat idle. Run under Xvfb.

use registrar_bench::paint::{write_ppm, PaintTrace, WatchOptions, Watcher};
use registrar_bench::proc_mem::{self, TreeMemory};
use registrar_bench::report::{self, Row, Target};
use registrar_bench::stats::{median, ms};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long)]
    rows: PathBuf,
    /// The app's binary (release build).
    #[arg(long)]
    app: PathBuf,
    /// The empty window's binary, built in the same run.
    #[arg(long)]
    empty: PathBuf,
    /// KEY=VALUE for the app's environment (its data directory, ...).
    #[arg(long = "app-env", value_parser = key_value)]
    app_env: Vec<(String, String)>,
    /// How many clients the app's database holds, for the figure's name.
    #[arg(long)]
    clients: usize,
    /// Measured rounds (each round runs both programs, in alternating order).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Rounds run first and thrown away (WebKit fills its caches on a first start).
    #[arg(long, default_value_t = 1)]
    warmups: usize,
    /// Seconds the screen must stay still to count as settled.
    #[arg(long, default_value_t = 3.0)]
    quiet: f64,
    /// After the screen settled, memory is read once it has been steady for 5 s (within
    /// 1 MiB), or after this many seconds at most: the JavaScript engine and WebKit's caches
    /// keep shrinking for a while after a start, so a fixed delay would measure that.
    #[arg(long, default_value_t = 30.0)]
    idle: f64,
    /// Where to write the final screen of each program's last run (PPM).
    #[arg(long)]
    shots: Option<PathBuf>,
    /// Print each program's frame timeline (when the screen changed, and how much).
    #[arg(long)]
    timeline: bool,
}

fn key_value(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .ok_or_else(|| format!("{s}: expected KEY=VALUE"))
}

#[derive(Debug, Default)]
struct Samples {
    complete_ms: Vec<f64>,
    mapped_ms: Vec<f64>,
    pss_mib: Vec<f64>,
    rss_mib: Vec<f64>,
    last_memory: TreeMemory,
}

pub fn run(args: Args) -> crate::Result {
    let opts = WatchOptions {
        quiet: Duration::from_secs_f64(args.quiet),
        ..WatchOptions::default()
    };
    let watcher = Watcher::connect().map_err(|e| format!("cannot watch the X screen: {e}"))?;
    let (mut app, mut empty) = (Samples::default(), Samples::default());
    for round in 0..args.warmups + args.runs {
        let keep = round >= args.warmups;
        let last = round + 1 == args.warmups + args.runs;
        let order = if round % 2 == 0 { [false, true] } else { [true, false] };
        for is_app in order {
            let (label, bin, env, samples) = if is_app {
                ("app", &args.app, args.app_env.as_slice(), &mut app)
            } else {
                ("empty", &args.empty, &[][..], &mut empty)
            };
            let shot = if last {
                args.shots.as_ref().map(|d| d.join(format!("{label}.ppm")))
            } else {
                None
            };
            let (trace, memory) = measure(&watcher, bin, env, opts, args.idle, shot.as_deref())?;
            let complete = trace.complete.ok_or(format!("{label}: no window appeared"))?;
            eprintln!(
                "startup {label}{}: mapped {:.0} ms, first paint complete {:.0} ms ({} frames{}), PSS {:.0} MiB over {} processes [{}]",
                if keep { "" } else { " (warm-up)" },
                trace.mapped.map_or(f64::NAN, ms),
                ms(complete),
                trace.frames,
                if trace.settled { "" } else { ", never settled" },
                memory.pss_mib(),
                memory.processes.len(),
                memory.describe()
            );
            if args.timeline {
                let steps: Vec<String> = trace
                    .timeline
                    .iter()
                    .map(|(at, blocks)| format!("{:.0}ms:{blocks}", ms(*at)))
                    .collect();
                eprintln!("  timeline {label}: {}", steps.join(" "));
            }
            if keep {
                samples.complete_ms.push(ms(complete));
                samples.mapped_ms.push(trace.mapped.map_or(f64::NAN, ms));
                samples.pss_mib.push(memory.pss_mib());
                samples.rss_mib.push(memory.rss_mib());
                samples.last_memory = memory;
            }
        }
    }
    emit(&args, &app, &empty)
}

fn emit(args: &Args, app: &Samples, empty: &Samples) -> crate::Result {
    let clients = report::count(args.clients as u64);
    let runs = app.complete_ms.len();
    let (a, e) = (median(&app.complete_ms), median(&empty.complete_ms));
    report::append(
        &args.rows,
        &Row::new(
            format!("app start to first rendered client list ({clients} clients)"),
            a / e,
            "x",
        )
        .measured(format!(
            "app {a:.0} ms (window mapped {:.0} ms)",
            median(&app.mapped_ms)
        ))
        .against(format!(
            "empty Tauri window {e:.0} ms (mapped {:.0} ms), median of {runs}",
            median(&empty.mapped_ms)
        ))
        .target(Target::at_most(1.5))
        .note("Xvfb; time to the screen's final picture, sampled on X DAMAGE events"),
    )?;
    let (a, e) = (median(&app.pss_mib), median(&empty.pss_mib));
    report::append(
        &args.rows,
        &Row::new(
            format!("app idle memory, PSS of all processes ({clients} clients)"),
            a / e,
            "x",
        )
        .measured(format!("app {a:.0} MiB (RSS {:.0} MiB)", median(&app.rss_mib)))
        .against(format!(
            "empty Tauri window {e:.0} MiB (RSS {:.0} MiB)",
            median(&empty.rss_mib)
        ))
        .target(Target::at_most(1.2))
        .note(format!(
            "app: {}; empty: {}",
            app.last_memory.describe(),
            empty.last_memory.describe()
        )),
    )?;
    Ok(())
}

/// One start of one program: its paint trace and its idle memory; the program is stopped.
fn measure(
    watcher: &Watcher,
    bin: &Path,
    env: &[(String, String)],
    opts: WatchOptions,
    idle: f64,
    shot: Option<&Path>,
) -> crate::Result<(PaintTrace, TreeMemory)> {
    let start = Instant::now();
    let mut child = Command::new(bin)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let traced = watcher
        .watch(start, opts, || matches!(child.try_wait(), Ok(None)))
        .map_err(|e| format!("watching {}: {e}", bin.display()));
    let result = traced.map(|trace| (trace, steady_memory(child.id(), Duration::from_secs_f64(idle))));
    stop(&mut child);
    let (trace, memory) = result?;
    if let Some(path) = shot {
        write_ppm(path, trace.width, trace.height, &trace.final_pixels)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok((trace, memory))
}

/// The process tree's memory once its PSS has stayed within 1 MiB for 5 s (sampled each
/// second), or at `limit`.
fn steady_memory(pid: u32, limit: Duration) -> TreeMemory {
    const WINDOW: usize = 5;
    let start = Instant::now();
    let mut recent: Vec<f64> = Vec::new();
    loop {
        let memory = proc_mem::tree(pid);
        recent.push(memory.pss_mib());
        let window = &recent[recent.len().saturating_sub(WINDOW + 1)..];
        let spread = window.iter().copied().fold(f64::MIN, f64::max) - window.iter().copied().fold(f64::MAX, f64::min);
        if (window.len() > WINDOW && spread <= 1.0) || start.elapsed() >= limit {
            return memory;
        }
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// Ends the program and the helpers it started, by their ids: TERM, then KILL for what is
/// still there after a grace period.
fn stop(child: &mut Child) {
    let pids: Vec<u32> = proc_mem::tree(child.id()).processes.iter().map(|p| p.pid).collect();
    signal("-TERM", &pids);
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline && matches!(child.try_wait(), Ok(None)) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let left: Vec<u32> = pids
        .into_iter()
        .filter(|p| Path::new(&format!("/proc/{p}")).exists())
        .collect();
    signal("-KILL", &left);
    let _ = child.wait();
    // Give the helpers a moment to go, so the next start has the machine to itself.
    std::thread::sleep(Duration::from_millis(500));
}

fn signal(sig: &str, pids: &[u32]) {
    if pids.is_empty() {
        return;
    }
    let _ = Command::new("kill")
        .arg(sig)
        .args(pids.iter().map(u32::to_string))
        .stderr(Stdio::null())
        .status();
}
