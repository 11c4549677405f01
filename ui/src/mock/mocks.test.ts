import { describe, expect, it } from "vitest";
import { DIALECTS, stopQuestion } from "./mocks";

describe("the mock control", () => {
  it("offers the six dialects the embedded mock speaks", () => {
    expect(DIALECTS.map((d) => d.value)).toEqual(["generic", "soffid", "wso2", "indigo", "simpleidserver", "liberty"]);
  });

  it("names how many clients a stop makes unreachable, and the profile", () => {
    const mock = { dialect: "liberty", profile: "Local mock (liberty)" };
    expect(stopQuestion(mock, 1)).toContain("1 client of profile \"Local mock (liberty)\"");
    expect(stopQuestion(mock, 3)).toContain("3 clients of profile");
    expect(stopQuestion(mock, 3)).toMatch(/^Stop the liberty mock\?/);
  });
});
