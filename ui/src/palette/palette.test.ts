import { describe, expect, it } from "vitest";
import { clientEntries, matchEntries, moveCursor, optionId, score, type PaletteEntry } from "./palette";

const entry = (id: string, label: string, extra: Partial<PaletteEntry> = {}): PaletteEntry => ({ id, kind: "action", label, run: () => {}, ...extra });

describe("palette matching", () => {
  const entries = [
    entry("register", "Register a client", { hint: "Ctrl+N" }),
    entry("refresh-all", "Refresh all clients"),
    entry("theme-dark", "Dark theme", { keywords: "appearance colours" }),
    entry("history", "HTTP history"),
  ];

  it("lists everything, in order, for an empty text", () => {
    expect(matchEntries(entries, "  ").map((e) => e.id)).toEqual(["register", "refresh-all", "theme-dark", "history"]);
  });

  it("needs every word somewhere, ignoring case", () => {
    expect(matchEntries(entries, "REFRESH clients").map((e) => e.id)).toEqual(["refresh-all"]);
    expect(matchEntries(entries, "appearance").map((e) => e.id)).toEqual(["theme-dark"]);
    expect(matchEntries(entries, "ctrl+n").map((e) => e.id)).toEqual(["register"]);
    expect(matchEntries(entries, "nothing like it")).toEqual([]);
  });

  it("puts a label that starts with the text first, then one with a word starting so", () => {
    const list = [entry("a", "Show the history"), entry("b", "History of exchanges"), entry("c", "Prehistory")];
    expect(matchEntries(list, "hist").map((e) => e.id)).toEqual(["b", "a", "c"]);
    expect(score(list[2]!, "hist")).toBe(2);
  });
});

describe("palette cursor", () => {
  it("wraps with the arrows and jumps with Home and End", () => {
    expect(moveCursor(0, "ArrowDown", 3)).toBe(1);
    expect(moveCursor(2, "ArrowDown", 3)).toBe(0);
    expect(moveCursor(0, "ArrowUp", 3)).toBe(2);
    expect(moveCursor(1, "Home", 3)).toBe(0);
    expect(moveCursor(0, "End", 3)).toBe(2);
    expect(moveCursor(1, "PageDown", 20)).toBe(9);
    expect(moveCursor(3, "PageUp", 20)).toBe(0);
  });

  it("points at nothing in an empty list, and into the list after it shrank", () => {
    expect(moveCursor(4, "ArrowDown", 0)).toBe(-1);
    expect(moveCursor(9, "x", 3)).toBe(2);
    expect(moveCursor(-1, "ArrowDown", 3)).toBe(1);
  });
});

describe("palette entries", () => {
  it("makes DOM ids from any entry id", () => {
    expect(optionId(entry("client:abc/é 1", "x"))).toBe("palette-client_abc___1");
  });

  it("names clients by name, with their id and a status other than active", () => {
    const opened: string[] = [];
    const out = clientEntries(
      [
        { client_id: "c1", client_name: "Web app", status: "active" },
        { client_id: "c2", client_name: null, status: "pending_recovery" },
      ],
      (id) => opened.push(id),
    );
    expect(out.map((e) => [e.label, e.hint])).toEqual([
      ["Web app", "c1"],
      ["(no name)", "c2 · pending recovery"],
    ]);
    out[1]!.run();
    expect(opened).toEqual(["c2"]);
  });
});
