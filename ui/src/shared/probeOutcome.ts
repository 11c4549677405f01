// A probe step's outcome as the window shows it: an icon and a word, never colour alone.
// The outcome itself is the core's (`ProbeOutcome`); this only names it.
import type { ProbeOutcome } from "../bindings";
import type { ProbeStep } from "../bindings";

export const OUTCOME: Record<ProbeOutcome, { icon: string; word: string }> = {
  pass: { icon: "✓", word: "pass" },
  fail: { icon: "✗", word: "fail" },
  not_offered: { icon: "⊘", word: "not offered" },
  skipped: { icon: "–", word: "skipped" },
};

/** A step's outcome; a step from before outcomes were sent has only `ok`. */
export function outcomeOf(s: Pick<ProbeStep, "ok" | "outcome">): ProbeOutcome {
  return s.outcome ?? (s.ok ? "pass" : "fail");
}
