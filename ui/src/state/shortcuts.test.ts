import { describe, expect, it } from "vitest";
import { shortcutFor, type KeyPress } from "./shortcuts";

const press = (key: string, opts: { ctrl?: boolean; meta?: boolean; in?: string } = {}): KeyPress => ({
  key,
  ctrlKey: opts.ctrl ?? false,
  metaKey: opts.meta ?? false,
  target: (opts.in ? { tagName: opts.in } : null) as EventTarget | null,
});

describe("shortcuts", () => {
  it("maps the keys to the actions", () => {
    expect(shortcutFor(press("/"))?.action).toBe("search");
    expect(shortcutFor(press("n", { ctrl: true }))?.action).toBe("register");
    expect(shortcutFor(press("r", { meta: true }))?.action).toBe("refresh");
    expect(shortcutFor(press("e", { ctrl: true }))?.action).toBe("edit");
    expect(shortcutFor(press("Delete"))).toEqual({ action: "delete", preventDefault: false });
    expect(shortcutFor(press("k", { ctrl: true }))).toEqual({ action: "palette", preventDefault: true });
    expect(shortcutFor(press("Escape"))).toEqual({ action: "cancel", preventDefault: false });
  });

  it("opens the palette and cancels from a box being typed in too", () => {
    expect(shortcutFor(press("k", { ctrl: true, in: "INPUT" }))?.action).toBe("palette");
    expect(shortcutFor(press("Escape", { in: "INPUT" }))?.action).toBe("cancel");
    expect(shortcutFor(press("k"))).toBeNull();
  });

  it("leaves / and Delete to a box being typed in, but not the Ctrl shortcuts", () => {
    for (const tag of ["INPUT", "TEXTAREA", "SELECT"]) {
      expect(shortcutFor(press("/", { in: tag }))).toBeNull();
      expect(shortcutFor(press("Delete", { in: tag }))).toBeNull();
      expect(shortcutFor(press("r", { ctrl: true, in: tag }))?.action).toBe("refresh");
    }
    expect(shortcutFor(press("Delete", { in: "DIV" }))?.action).toBe("delete");
  });

  it("ignores other keys, and the letters without Ctrl or Cmd", () => {
    expect(shortcutFor(press("n"))).toBeNull();
    expect(shortcutFor(press("x", { ctrl: true }))).toBeNull();
  });
});
