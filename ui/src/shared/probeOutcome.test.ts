import { describe, expect, it } from "vitest";
import { OUTCOME, outcomeOf } from "./probeOutcome";

describe("probe step outcomes", () => {
  it("name each outcome with an icon and a word, the same as the CLI", () => {
    expect(Object.entries(OUTCOME).map(([k, o]) => `${k}: ${o.icon} ${o.word}`)).toEqual([
      "pass: ✓ pass", "fail: ✗ fail", "not_offered: ⊘ not offered", "skipped: – skipped",
    ]);
  });

  it("take the core's outcome, and read a step without one from ok", () => {
    expect(outcomeOf({ ok: true, outcome: "not_offered" })).toBe("not_offered");
    expect(outcomeOf({ ok: false })).toBe("fail");
    expect(outcomeOf({ ok: true })).toBe("pass");
  });
});
