//! The one table `bench/run` prints: a row per figure with what it was measured against in
//! the same run, its target and a verdict. Each measuring step appends rows to a JSON-lines
//! file; `registrar-bench table` renders them at the end, so the table is one piece even
//! though the steps run as separate programs.

use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

/// Which side of the limit a figure must stay on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Goal {
    AtMost,
    AtLeast,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub goal: Goal,
    pub limit: f64,
}

impl Target {
    pub fn at_most(limit: f64) -> Self {
        Self {
            goal: Goal::AtMost,
            limit,
        }
    }

    pub fn at_least(limit: f64) -> Self {
        Self {
            goal: Goal::AtLeast,
            limit,
        }
    }
}

/// One figure of the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// What was measured, e.g. "registrar refresh vs curl GET".
    pub figure: String,
    /// The measured side, human-readable ("12.4 ms").
    pub measured: String,
    /// What it was set against in the same run ("curl 5.1 ms"), if anything.
    pub against: String,
    /// The number the target applies to, in `unit`.
    pub value: f64,
    /// "x" for ratios, or "ms", "s", "/s", "MiB".
    pub unit: String,
    pub target: Option<Target>,
    /// A caveat worth reading next to the figure (quick mode, extrapolated, ...).
    pub note: String,
}

impl Row {
    pub fn new(figure: impl Into<String>, value: f64, unit: &str) -> Self {
        Self {
            figure: figure.into(),
            measured: String::new(),
            against: String::new(),
            value,
            unit: unit.to_string(),
            target: None,
            note: String::new(),
        }
    }

    pub fn measured(mut self, text: impl Into<String>) -> Self {
        self.measured = text.into();
        self
    }

    pub fn against(mut self, text: impl Into<String>) -> Self {
        self.against = text.into();
        self
    }

    pub fn target(mut self, target: Target) -> Self {
        self.target = Some(target);
        self
    }

    pub fn note(mut self, text: impl Into<String>) -> Self {
        self.note = text.into();
        self
    }

    /// "met", or "missed by …" saying how far off: a percentage when close, a factor when not.
    pub fn verdict(&self) -> String {
        let Some(t) = &self.target else {
            return "-".into();
        };
        let met = match t.goal {
            Goal::AtMost => self.value <= t.limit,
            Goal::AtLeast => self.value >= t.limit,
        };
        if met {
            return "met".into();
        }
        // How many times worse than the limit the figure is, whichever the direction.
        let factor = match t.goal {
            Goal::AtMost => self.value / t.limit,
            Goal::AtLeast if self.value > 0.0 => t.limit / self.value,
            Goal::AtLeast => f64::INFINITY,
        };
        if factor >= 2.0 {
            format!("MISSED by {factor:.1}x")
        } else {
            let percent = match t.goal {
                Goal::AtMost => (factor - 1.0) * 100.0,
                Goal::AtLeast => (1.0 - self.value / t.limit) * 100.0,
            };
            let side = if t.goal == Goal::AtMost { "over" } else { "short" };
            let decimals = if percent < 10.0 { 1 } else { 0 };
            format!("MISSED by {percent:.decimals$}% ({side})")
        }
    }

    fn value_text(&self) -> String {
        format_value(self.value, &self.unit)
    }

    fn target_text(&self) -> String {
        match &self.target {
            None => "-".into(),
            Some(t) => {
                let op = if t.goal == Goal::AtMost { "<=" } else { ">=" };
                format!("{op} {}", format_value(t.limit, &self.unit))
            }
        }
    }
}

/// A number with its unit, with as many decimals as its size deserves.
pub fn format_value(value: f64, unit: &str) -> String {
    let number = if value.abs() >= 1000.0 {
        group_thousands(value.round() as i64)
    } else if value.abs() >= 100.0 {
        format!("{value:.0}")
    } else if value.abs() >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    };
    match unit {
        "x" => format!("{number}x"),
        "/s" => format!("{number}/s"),
        "" => number,
        other => format!("{number} {other}"),
    }
}

/// A count with thousands separators: 100000 -> "100,000".
pub fn count(n: u64) -> String {
    group_thousands(n as i64)
}

fn group_thousands(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// Appends `row` to the JSON-lines file at `path`.
pub fn append(path: &Path, row: &Row) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
    writeln!(file, "{}", serde_json::to_string(row)?)
}

pub fn read_rows(path: &Path) -> std::io::Result<Vec<Row>> {
    let text = std::fs::read_to_string(path)?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).map_err(std::io::Error::other))
        .collect()
}

const HEADERS: [&str; 6] = ["figure", "measured", "side by side with", "value", "target", "verdict"];

fn cells(row: &Row) -> [String; 6] {
    [
        row.figure.clone(),
        row.measured.clone(),
        row.against.clone(),
        row.value_text(),
        row.target_text(),
        row.verdict(),
    ]
}

/// The table for a terminal: aligned columns, notes numbered under it.
pub fn render_text(rows: &[Row]) -> String {
    let body: Vec<[String; 6]> = rows.iter().map(cells).collect();
    let mut widths = HEADERS.map(str::len);
    for r in &body {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cols: &[String; 6]| {
        let mut s = String::new();
        for (i, (c, w)) in cols.iter().zip(widths).enumerate() {
            let sep = if i == 0 { "" } else { "  " };
            let _ = write!(s, "{sep}{c:<w$}");
        }
        s.trim_end().to_string()
    };
    let mut out = String::new();
    out.push_str(&line(&HEADERS.map(String::from)));
    out.push('\n');
    out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * (widths.len() - 1)));
    out.push('\n');
    for r in &body {
        out.push_str(&line(r));
        out.push('\n');
    }
    append_notes(&mut out, rows);
    out
}

/// The same table in Markdown, for docs/benchmarks.md.
pub fn render_markdown(rows: &[Row]) -> String {
    let mut out = format!("| {} |\n|{}\n", HEADERS.join(" | "), "---|".repeat(HEADERS.len()));
    for r in rows {
        let c = cells(r).map(|c| c.replace('|', "\\|"));
        let _ = writeln!(out, "| {} |", c.join(" | "));
    }
    append_notes(&mut out, rows);
    out
}

fn append_notes(out: &mut String, rows: &[Row]) {
    let notes: Vec<&Row> = rows.iter().filter(|r| !r.note.is_empty()).collect();
    if notes.is_empty() {
        return;
    }
    out.push('\n');
    for r in notes {
        let _ = writeln!(out, "- {}: {}", r.figure, r.note);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_say_how_far_off() {
        let ratio = |v| Row::new("r", v, "x").target(Target::at_most(1.5));
        assert_eq!(ratio(1.2).verdict(), "met");
        assert_eq!(ratio(1.8).verdict(), "MISSED by 20% (over)");
        assert_eq!(ratio(1.505).verdict(), "MISSED by 0.3% (over)");
        assert_eq!(ratio(4.5).verdict(), "MISSED by 3.0x");
        let rate = |v| Row::new("t", v, "/s").target(Target::at_least(20_000.0));
        assert_eq!(rate(25_000.0).verdict(), "met");
        assert_eq!(rate(13_000.0).verdict(), "MISSED by 35% (short)");
        assert_eq!(rate(5_000.0).verdict(), "MISSED by 4.0x");
        assert_eq!(Row::new("n", 1.0, "").verdict(), "-");
    }

    #[test]
    fn values_read_well() {
        assert_eq!(format_value(21_345.6, "/s"), "21,346/s");
        assert_eq!(format_value(1.234, "x"), "1.23x");
        assert_eq!(format_value(12.34, "ms"), "12.3 ms");
        assert_eq!(count(100_000), "100,000");
        assert_eq!(count(4), "4");
    }

    #[test]
    fn markdown_rows_have_as_many_cells_as_the_header() {
        let table = render_markdown(&[Row::new("a | b", 1.2, "x").target(Target::at_most(1.5))]);
        let cells = |line: &str| line.replace("\\|", "").matches('|').count();
        let lines: Vec<&str> = table.lines().take(3).collect();
        assert_eq!(cells(lines[1]), cells(lines[0]), "{table}");
        assert_eq!(cells(lines[2]), cells(lines[0]), "{table}");
    }
}
