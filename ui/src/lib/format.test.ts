import { describe, expect, it } from "vitest";
import { expiryLevel, relative } from "./format";

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
});
