import { describe, expect, it } from "vitest";
import { ago, expiryLevel, localTime, relative, when } from "./format";

describe("format", () => {
  const now = 1_800_000_000;
  it("grades secret expiry", () => {
    expect(expiryLevel(0, now)).toBe("none");
    expect(expiryLevel(null, now)).toBe("none");
    expect(expiryLevel(now - 1, now)).toBe("expired");
    expect(expiryLevel(now + 86_400, now)).toBe("soon");
    expect(expiryLevel(now + 90 * 86_400, now)).toBe("ok");
  });
  it("says how long until or since", () => {
    expect(relative(now + 3 * 86_400 + 5, now)).toBe("in 3 days");
    expect(relative(now - 7200, now)).toBe("2 hours ago");
    expect(relative(now + 10, now)).toBe("in under a minute");
  });
  it("says how long ago in one short form", () => {
    expect(ago(now - 3 * 3600 - 120, now)).toBe("3 h ago");
    expect(ago(now - 10, now)).toBe("just now");
    expect(ago(now + 10, now)).toBe("just now");
    expect(ago(now - 50, now)).toBe("1 min ago");
    expect(ago(now - 59 * 60, now)).toBe("59 min ago");
    expect(ago(now + 5 * 86_400, now)).toBe("in 5 d");
    expect(ago(now - 40 * 86_400, now)).toBe("1 mo ago");
    expect(ago(now - 800 * 86_400, now)).toBe("2 y ago");
  });
  it("shows a time as relative text with the absolute time on hover", () => {
    const w = when(now - 7200, now);
    expect(w.text).toBe("2 h ago");
    expect(w.title).toBe(localTime(now - 7200));
    expect(w.iso).toBe(new Date((now - 7200) * 1000).toISOString());
    expect(when(0, now)).toEqual({ text: "—", title: "", iso: "" });
    expect(when(null, now, "never").text).toBe("never");
  });
});
