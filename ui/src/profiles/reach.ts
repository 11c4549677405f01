// The sidebar's online/offline mark of a profile, from how its provider answered the last
// request (the app's `profile_reach`): a symbol that differs by shape, not colour alone,
// a word for screen readers, and the detail and time on hover.
import type { ProfileReach } from "../bindings";
import { ago, localTime } from "../lib/format";

export type ReachState = "online" | "offline" | "unknown";

export interface ReachMarkView {
  state: ReachState;
  symbol: string;
  /** What a screen reader says after the profile's name. */
  text: string;
  /** The tooltip: what was seen, and when. */
  title: string;
}

/** The reach of each profile by id; a profile never used is absent. */
export function byProfile(list: ProfileReach[]): Record<string, ProfileReach> {
  return Object.fromEntries(list.map((r) => [r.profile_id, r]));
}

export function reachMark(reach: ProfileReach | undefined, nowSecs: number): ReachMarkView {
  if (!reach) return { state: "unknown", symbol: "◌", text: "not contacted yet", title: "No request sent to this provider yet" };
  const seen = `${ago(reach.at, nowSecs)} (${localTime(reach.at)})`;
  if (reach.reach === "online") return { state: "online", symbol: "●", text: "online", title: `Online: answered ${reach.detail}, ${seen}` };
  return { state: "offline", symbol: "✕", text: "offline", title: `Offline: ${reach.detail}, ${seen}` };
}
