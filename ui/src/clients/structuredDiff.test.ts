import { describe, expect, it } from "vitest";
import { canonical, diffSummary, structuredDiff } from "./structuredDiff";

describe("structuredDiff", () => {
  it("shows a list as its items kept, removed and added", () => {
    const d = structuredDiff(["https://a/cb", "https://b/cb"], ["https://b/cb", "https://c/cb"]);
    expect(d).toEqual({
      kind: "list",
      words: false,
      items: [
        { op: "removed", value: "https://a/cb" },
        { op: "same", value: "https://b/cb" },
        { op: "added", value: "https://c/cb" },
      ],
    });
    expect(diffSummary(d)).toBe("1 added, 1 removed");
  });

  it("counts repeated items as many times as they appear", () => {
    const d = structuredDiff(["x", "x"], ["x"]);
    expect(d.kind === "list" && d.items.map((i) => i.op)).toEqual(["same", "removed"]);
  });

  it("reads a scope as its words, in any order", () => {
    const d = structuredDiff("openid profile", "profile email openid", "scope");
    expect(d).toEqual({
      kind: "list",
      words: true,
      items: [
        { op: "same", value: "openid" },
        { op: "same", value: "profile" },
        { op: "added", value: "email" },
      ],
    });
    // Any other string is one value.
    expect(structuredDiff("a b", "b a", "client_name")).toEqual({ kind: "value", before: "a b", after: "b a" });
  });

  it("diffs objects key by key, nested", () => {
    const d = structuredDiff({ keys: [{ kid: "1" }], alg: "RS256", x: 1 }, { keys: [{ kid: "1" }, { kid: "2" }], alg: "ES256", y: true });
    expect(d.kind).toBe("object");
    if (d.kind !== "object") return;
    expect(d.entries.map((e) => [e.key, e.op])).toEqual([
      ["keys", "changed"],
      ["alg", "changed"],
      ["x", "removed"],
      ["y", "added"],
    ]);
    const keys = d.entries[0];
    expect(keys && "diff" in keys ? keys.diff : null).toEqual({
      kind: "list",
      words: false,
      items: [
        { op: "same", value: { kid: "1" } },
        { op: "added", value: { kid: "2" } },
      ],
    });
    expect(diffSummary(d)).toBe("1 added, 1 removed, 2 changed");
  });

  it("compares objects whatever the order of their keys", () => {
    expect(canonical({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe(canonical({ a: [1, { c: 3, d: 2 }], b: 1 }));
    const d = structuredDiff([{ a: 1, b: 2 }], [{ b: 2, a: 1 }]);
    expect(d.kind === "list" && d.items.map((i) => i.op)).toEqual(["same"]);
  });

  it("shows a list or an object added or removed whole as its parts", () => {
    expect(structuredDiff(null, ["a"])).toEqual({ kind: "list", words: false, items: [{ op: "added", value: "a" }] });
    expect(structuredDiff({ k: 1 }, null)).toEqual({ kind: "object", entries: [{ key: "k", op: "removed", value: 1 }] });
    expect(structuredDiff(null, "x", "scope")).toEqual({ kind: "list", words: true, items: [{ op: "added", value: "x" }] });
  });

  it("shows anything else as one value replaced", () => {
    expect(structuredDiff("old", "new")).toEqual({ kind: "value", before: "old", after: "new" });
    expect(structuredDiff(1, [1])).toEqual({ kind: "value", before: 1, after: [1] });
    expect(diffSummary(structuredDiff(null, true))).toBe("added");
  });
});
