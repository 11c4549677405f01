import { describe, expect, it } from "vitest";
import { nextStop } from "./focus";

describe("Tab inside a dialog", () => {
  it("goes round and round, both ways", () => {
    expect(nextStop(0, 3, false)).toBe(1);
    expect(nextStop(2, 3, false)).toBe(0);
    expect(nextStop(0, 3, true)).toBe(2);
    expect(nextStop(1, 3, true)).toBe(0);
  });

  it("enters at the first (or, going back, the last) stop when the focus is outside", () => {
    expect(nextStop(-1, 4, false)).toBe(0);
    expect(nextStop(-1, 4, true)).toBe(3);
    expect(nextStop(-1, 0, false)).toBe(-1);
  });
});
