//! A probe's report: each step as it went, what was learnt, and which profile settings
//! the findings suggest changing.

use super::table;
use super::Human;
use registrar_core::profile::EngineSettings;
use registrar_core::{ProbeOutcome, ProbeReport, SecretInAnswer};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct ProbeView {
    pub profile: String,
    #[serde(flatten)]
    pub report: ProbeReport,
    /// The settings that differ between the profile and the suggestion, in words.
    pub suggested_changes: Vec<String>,
    /// Whether the suggestion was saved into the profile (`--apply`).
    pub applied: bool,
}

impl ProbeView {
    pub fn new(profile: &str, current: &EngineSettings, report: ProbeReport, apply: bool) -> Self {
        let suggested_changes = changes(current, &report.suggested_settings);
        Self {
            profile: profile.to_string(),
            applied: apply && !suggested_changes.is_empty(),
            suggested_changes,
            report,
        }
    }
}

fn changes(current: &EngineSettings, suggested: &EngineSettings) -> Vec<String> {
    let mut out = Vec::new();
    let ops = [
        ("read", current.operations.read, suggested.operations.read),
        ("update", current.operations.update, suggested.operations.update),
        ("delete", current.operations.delete, suggested.operations.delete),
    ];
    for (name, now, then) in ops {
        if now != then {
            out.push(format!("{name}: {} -> {}", offered(now), offered(then)));
        }
    }
    if current.update_secret != suggested.update_secret {
        out.push(format!(
            "update sends the secret as: {:?} -> {:?}",
            current.update_secret, suggested.update_secret
        ));
    }
    if current.secret_mask != suggested.secret_mask {
        out.push(format!(
            "secret mask: {:?} -> {:?}",
            current.secret_mask, suggested.secret_mask
        ));
    }
    if out.is_empty() && current != suggested {
        out.push("other engine settings".into());
    }
    out
}

/// A step's outcome as a mark and a word, the same in the progress lines and the table:
/// the word carries it where the mark does not show.
pub fn outcome_mark(outcome: ProbeOutcome) -> String {
    let mark = match outcome {
        ProbeOutcome::Pass => "✓",
        ProbeOutcome::Fail => "✗",
        ProbeOutcome::NotOffered => "⊘",
        ProbeOutcome::Skipped => "–",
    };
    format!("{mark} {}", outcome.word())
}

fn offered(on: bool) -> &'static str {
    if on {
        "offered"
    } else {
        "not offered"
    }
}

fn yes_no(value: Option<bool>) -> String {
    match value {
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
        None => "unknown".into(),
    }
}

fn registration_auth(f: &registrar_core::ProbeFindings) -> String {
    let found = f.registration_auth.describe();
    match &f.registration_auth_disagreement {
        Some(note) => format!("{found}; DISAGREES WITH THE PROFILE: {note}"),
        None => found.to_string(),
    }
}

fn status(value: Option<u16>) -> String {
    value.map(|s| s.to_string()).unwrap_or_else(|| "-".into())
}

fn names(list: &[String]) -> String {
    if list.is_empty() {
        "-".into()
    } else {
        list.join(", ")
    }
}

impl Human for ProbeView {
    fn human(&self) -> String {
        let r = &self.report;
        let mut steps = table::list(&["step", "result", "status", "detail"]);
        for s in &r.steps {
            let status = s.status.map(|c| c.to_string()).unwrap_or_else(|| "-".into());
            steps.add_row(vec![s.name.clone(), outcome_mark(s.outcome), status, s.detail.clone()]);
        }
        let f = &r.findings;
        let secret_on_read = match f.secret_on_read {
            Some(SecretInAnswer::Absent) => "absent",
            Some(SecretInAnswer::Masked) => "masked",
            Some(SecretInAnswer::Shown) => "shown",
            None => "unknown",
        };
        let findings = table::fields([
            ("discovery", yes_no(f.discovery_found)),
            ("registration auth", registration_auth(f)),
            ("register status", status(f.register_status)),
            ("throw-away metadata sets sent", f.register_attempts.to_string()),
            ("offers read", yes_no(f.offers_read)),
            ("offers update", yes_no(f.offers_update)),
            ("offers delete", yes_no(f.offers_delete)),
            ("rotates token on read", yes_no(f.rotates_token_on_read)),
            ("rotates secret on read", yes_no(f.rotates_secret_on_read)),
            ("rotates token on update", yes_no(f.rotates_token_on_update)),
            ("rotates secret on update", yes_no(f.rotates_secret_on_update)),
            ("secret on read", secret_on_read.to_string()),
            ("update needs full metadata", yes_no(f.update_needs_full_metadata)),
            ("partial update refused with", status(f.partial_update_refused)),
            ("unknown fields kept", yes_no(f.unknown_fields_kept)),
            ("fields added", names(&f.fields_added)),
            ("fields dropped", names(&f.fields_dropped)),
            ("fields rewritten", names(&f.fields_rewritten)),
            ("delete status", status(f.delete_status)),
            ("delete deletes", yes_no(f.delete_deletes)),
        ]);
        let mut out = format!("Probe of profile {}:\n{steps}\n\nFindings:\n{findings}\n", self.profile);
        match r.cleaned_up {
            Some(true) => out.push_str("\nThe throw-away client was deleted.\n"),
            Some(false) => out.push_str(&format!(
                "\nThe throw-away client is still on the provider: {}\n",
                r.cleanup_note.as_deref().unwrap_or("delete it by hand")
            )),
            None => {}
        }
        if self.suggested_changes.is_empty() {
            out.push_str("\nThe profile's settings match what was found.");
        } else {
            let verb = if self.applied {
                "Applied to the profile"
            } else {
                "Suggested (save with --apply)"
            };
            out.push_str(&format!("\n{verb}:\n  {}", self.suggested_changes.join("\n  ")));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use registrar_core::ProbeStep;

    #[test]
    fn each_step_shows_its_outcome_as_a_mark_and_a_word() {
        let step = |name: &str, outcome: ProbeOutcome| ProbeStep {
            name: name.into(),
            ok: outcome.ok(),
            outcome,
            status: None,
            detail: String::new(),
        };
        let report = ProbeReport {
            steps: vec![
                step("discovery", ProbeOutcome::Pass),
                step("read", ProbeOutcome::NotOffered),
                step("full update", ProbeOutcome::Skipped),
                step("delete", ProbeOutcome::Fail),
            ],
            findings: Default::default(),
            suggested_settings: EngineSettings::default(),
            cleaned_up: None,
            cleanup_note: None,
        };
        let text = ProbeView::new("op", &EngineSettings::default(), report, false).human();
        for mark in ["✓ pass", "⊘ not offered", "– skipped", "✗ fail"] {
            assert!(text.contains(mark), "{mark} in {text}");
        }
    }
}
