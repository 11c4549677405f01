//! `registrar-bench time`: hyperfine's job when hyperfine is not installed. Runs each
//! command (no shell in between, like `hyperfine -N`), alternating them so both see the
//! same machine load, and writes the medians in hyperfine's JSON export shape.

use registrar_bench::stats::{median, ms};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the export.
    #[arg(long)]
    json: PathBuf,
    #[arg(long, default_value_t = 10)]
    runs: usize,
    #[arg(long, default_value_t = 2)]
    warmup: usize,
    /// A command run after every round, untimed (hyperfine's `--prepare`, once per round):
    /// to put back what the timed commands changed.
    #[arg(long)]
    between: Option<String>,
    /// Command lines; words split on spaces, single quotes group words.
    #[arg(required = true)]
    commands: Vec<String>,
}

pub fn run(args: Args) -> crate::Result {
    let commands: Vec<Vec<String>> = args.commands.iter().map(|c| split(c)).collect::<Result<_, _>>()?;
    let between = args.between.as_deref().map(split).transpose()?;
    let mut times = vec![Vec::new(); commands.len()];
    for round in 0..args.warmup + args.runs {
        for (i, argv) in commands.iter().enumerate() {
            let start = Instant::now();
            let status = Command::new(&argv[0])
                .args(&argv[1..])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()?;
            let elapsed = start.elapsed();
            if !status.success() {
                return Err(format!("`{}` failed with {status}", args.commands[i]).into());
            }
            if round >= args.warmup {
                times[i].push(ms(elapsed) / 1000.0);
            }
        }
        if let Some(argv) = &between {
            let status = Command::new(&argv[0]).args(&argv[1..]).stdin(Stdio::null()).status()?;
            if !status.success() {
                return Err(format!("the command between rounds failed with {status}").into());
            }
        }
    }
    let results: Vec<serde_json::Value> = args
        .commands
        .iter()
        .zip(&times)
        .map(|(command, t)| serde_json::json!({ "command": command, "median": median(t), "times": t }))
        .collect();
    std::fs::write(&args.json, serde_json::json!({ "results": results }).to_string())?;
    Ok(())
}

/// Splits a command line on spaces; '...' keeps its spaces. Enough for bench/run's commands.
fn split(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let (mut quoted, mut started) = (false, false);
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                started = true;
            }
            ' ' if !quoted => {
                if started {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            c => {
                word.push(c);
                started = true;
            }
        }
    }
    if quoted {
        return Err(format!("unbalanced quote in {line}"));
    }
    if started {
        words.push(word);
    }
    if words.is_empty() {
        return Err("an empty command".into());
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    #[test]
    fn splits_like_a_shell_would_for_simple_lines() {
        assert_eq!(
            super::split("curl -sf -H 'Authorization: Bearer x' http://a/b").unwrap(),
            ["curl", "-sf", "-H", "Authorization: Bearer x", "http://a/b"]
        );
        assert!(super::split("a 'b").is_err());
    }
}
