//! Memory of a process and of the processes it started, from /proc. PSS (proportional set
//! size, from smaps_rollup) divides each shared page among the processes mapping it, so
//! summing PSS over the app and its WebKit helpers counts shared libraries once, where
//! summing RSS would count them once per process.

use std::collections::HashMap;
use std::fs;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProcMemory {
    pub pid: u32,
    pub name: String,
    pub pss_kib: u64,
    pub rss_kib: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TreeMemory {
    pub processes: Vec<ProcMemory>,
}

impl TreeMemory {
    pub fn pss_mib(&self) -> f64 {
        self.processes.iter().map(|p| p.pss_kib).sum::<u64>() as f64 / 1024.0
    }

    pub fn rss_mib(&self) -> f64 {
        self.processes.iter().map(|p| p.rss_kib).sum::<u64>() as f64 / 1024.0
    }

    /// "main 120 MiB, WebKitWebProcess 150 MiB, ..." (PSS), for notes and logs.
    pub fn describe(&self) -> String {
        self.processes
            .iter()
            .map(|p| format!("{} {:.0} MiB", p.name, p.pss_kib as f64 / 1024.0))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One process's PSS and RSS, or `None` if it is gone (or not ours to read).
pub fn process(pid: u32) -> Option<ProcMemory> {
    let rollup = fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    let field = |name: &str| {
        rollup
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse::<u64>().ok())
    };
    let name = fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    Some(ProcMemory {
        pid,
        name,
        pss_kib: field("Pss:")?,
        rss_kib: field("Rss:")?,
    })
}

/// `root` and every process descended from it (WebKit's helpers are children of the app,
/// possibly through a sandbox launcher), with their memory.
pub fn tree(root: u32) -> TreeMemory {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for (pid, ppid) in all_parents() {
        children.entry(ppid).or_default().push(pid);
    }
    let mut pids = vec![root];
    let mut i = 0;
    while i < pids.len() {
        if let Some(kids) = children.get(&pids[i]) {
            pids.extend(kids);
        }
        i += 1;
    }
    TreeMemory {
        processes: pids.into_iter().filter_map(process).collect(),
    }
}

/// (pid, parent pid) of every process visible in /proc.
fn all_parents() -> Vec<(u32, u32)> {
    let Ok(dir) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| Some((pid, parent_of(pid)?)))
        .collect()
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_process() {
        let me = process(std::process::id()).expect("our own smaps_rollup");
        assert!(me.pss_kib > 0 && me.rss_kib >= me.pss_kib, "{me:?}");
        let t = tree(std::process::id());
        assert_eq!(t.processes[0].pid, std::process::id());
    }
}
