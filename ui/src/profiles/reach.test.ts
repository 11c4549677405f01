import { describe, expect, it } from "vitest";
import type { ProfileReach } from "../bindings";
import { byProfile, reachMark } from "./reach";

const at = 1_700_000_000;
const reach = (r: Partial<ProfileReach>): ProfileReach => ({ profile_id: "p1", reach: "online", at, detail: "HTTP 201", ...r });

describe("reach marks", () => {
  it("says online with the status and when, by a symbol and a word", () => {
    const mark = reachMark(reach({}), at + 3 * 3600);
    expect([mark.state, mark.symbol, mark.text]).toEqual(["online", "●", "online"]);
    expect(mark.title).toMatch(/^Online: answered HTTP 201, 3 h ago \(/);
  });

  it("says offline with why, in another shape", () => {
    const mark = reachMark(reach({ reach: "offline", detail: "nothing is listening at 127.0.0.1:1" }), at + 120);
    expect([mark.state, mark.symbol, mark.text]).toEqual(["offline", "✕", "offline"]);
    expect(mark.title).toMatch(/^Offline: nothing is listening at 127\.0\.0\.1:1, 2 min ago/);
  });

  it("marks a profile never used as such", () => {
    expect(reachMark(undefined, at).state).toBe("unknown");
  });

  it("indexes by profile id", () => {
    const map = byProfile([reach({ profile_id: "a" }), reach({ profile_id: "b", reach: "offline" })]);
    expect(Object.keys(map)).toEqual(["a", "b"]);
    expect(map.b?.reach).toBe("offline");
  });
});
