import { describe, expect, it } from "vitest";
import { enterConfirms, nextStop } from "./focus";

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

describe("Enter in a dialog", () => {
  const press = (p: Partial<import("./focus").EnterPress> = {}) => ({ key: "Enter", modifiers: false, composing: false, tag: "INPUT", type: "text", inForm: false, ...p });

  it("confirms from a one-line box", () => {
    expect(enterConfirms(press())).toBe(true);
    expect(enterConfirms(press({ type: "url" }))).toBe(true);
  });

  it("leaves forms, text areas, selects, buttons, other keys and compositions alone", () => {
    expect(enterConfirms(press({ inForm: true }))).toBe(false);
    expect(enterConfirms(press({ tag: "TEXTAREA" }))).toBe(false);
    expect(enterConfirms(press({ tag: "SELECT" }))).toBe(false);
    expect(enterConfirms(press({ tag: "BUTTON", type: "submit" }))).toBe(false);
    expect(enterConfirms(press({ type: "file" }))).toBe(false);
    expect(enterConfirms(press({ key: "a" }))).toBe(false);
    expect(enterConfirms(press({ modifiers: true }))).toBe(false);
    expect(enterConfirms(press({ composing: true }))).toBe(false);
  });
});
