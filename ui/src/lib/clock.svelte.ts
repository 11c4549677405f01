// One clock for the window: relative times ("3 min ago") read `clock.now`, which moves
// every 30 seconds, so what they say stays true while the window stays open.
import { nowSecs } from "./format";

export const TICK_MS = 30_000;

export const clock = $state({ now: nowSecs() });

if (typeof window !== "undefined") {
  setInterval(() => (clock.now = nowSecs()), TICK_MS);
}
