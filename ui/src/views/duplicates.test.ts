import { describe, expect, it } from "vitest";
import type { DuplicateGroup } from "../bindings";
import { allStale, chosenIds, confirmQuestion, resultSummary } from "./duplicates";

const member = (client_id: string) => ({ client_id, created_at: 1, client_id_issued_at: null });
const groups: DuplicateGroup[] = [
  { client_name: "a", redirect_uris: [], keep: member("a1"), stale: [member("a2"), member("a3")] },
  { client_name: null, redirect_uris: ["http://127.0.0.1/callback"], keep: member("b1"), stale: [member("b2")] },
];

describe("duplicates", () => {
  it("keeps only chosen ids that are stale", () => {
    expect(chosenIds(groups, new Set(["b2", "a1", "a3", "gone"]))).toEqual(["a3", "b2"]);
    expect(allStale(groups)).toEqual(["a2", "a3", "b2"]);
  });
  it("names the count in the question", () => {
    expect(confirmQuestion("delete", 3, "Mock")).toMatch(/^Delete 3 clients at the provider of Mock\?/);
    expect(confirmQuestion("forget", 1, "Mock")).toMatch(/^Forget 1 client of Mock locally\? Its record/);
    expect(confirmQuestion("delete", 1, "Mock")).toContain("removes it and its credentials");
    expect(confirmQuestion("forget", 2, "Mock")).toContain("still has them");
  });
  it("sums up the results", () => {
    const ok = { client_id: "a2", error: null, warnings: [] };
    expect(resultSummary("delete", [ok, { ...ok, error: "HTTP 500" }])).toBe("Deleted 1 client; 1 failed.");
    expect(resultSummary("forget", [ok, ok])).toBe("Forgot 2 clients.");
  });
});
