// The expiry timeline's layout (ExpiryTimeline.svelte draws it): secrets, certificates,
// keys at the end of a rotation and software statements on a time axis, one lane per
// kind, the ones due within the chosen window marked. Pure: positions from times, so the
// drawing is tested without a page.
import type { CustodyExpiry, ExpiringKind, Summary } from "../bindings";

export type TimelineKind = "secret" | ExpiringKind;

export const LANES: { kind: TimelineKind; label: string }[] = [
  { kind: "secret", label: "Client secrets" },
  { kind: "certificate", label: "Certificates" },
  { kind: "key_retirement", label: "Keys retiring" },
  { kind: "software_statement", label: "Software statements" },
];

export interface TimelineItem {
  id: string;
  kind: TimelineKind;
  /** What it is: the client's name, a kid, a statement's label. */
  label: string;
  profileId: string;
  clientId: string | null;
  /** When it expires (unix seconds). */
  at: number;
}

/** The secrets and the custody expiries as one list, soonest first. */
export function timelineItems(secrets: Summary[], custody: CustodyExpiry[]): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (const s of secrets) {
    if (!s.client_secret_expires_at) continue;
    items.push({ id: `secret ${s.profile_id} ${s.client_id}`, kind: "secret", label: s.client_name ?? s.client_id, profileId: s.profile_id, clientId: s.client_id, at: s.client_secret_expires_at });
  }
  for (const c of custody) {
    items.push({ id: `${c.kind} ${c.profile_id} ${c.name} ${c.client_id ?? ""}`, kind: c.kind, label: c.name, profileId: c.profile_id, clientId: c.client_id, at: c.expires_at });
  }
  return items.sort((a, b) => a.at - b.at || a.label.localeCompare(b.label));
}

/** How far ahead the timeline looks for a window of `days`: past the window, so what
 *  comes after it is seen too, and never less than 90 days. */
export function horizonDays(days: number): number {
  const d = Math.max(0, Math.floor(days) || 0);
  return Math.max(90, d * 2);
}

export interface Geometry {
  width: number;
  /** Room on the left for the lanes' names. */
  left: number;
  right: number;
  top: number;
  laneHeight: number;
}

export const GEOMETRY: Geometry = { width: 880, left: 150, right: 20, top: 28, laneHeight: 44 };

export interface Placed {
  item: TimelineItem;
  x: number;
  y: number;
  /** Due within the chosen window (expired ones too). */
  due: boolean;
  expired: boolean;
}

export interface Tick {
  x: number;
  label: string;
}

export interface TimelineLayout {
  start: number;
  end: number;
  height: number;
  lanes: { kind: TimelineKind; label: string; y: number }[];
  ticks: Tick[];
  points: Placed[];
  nowX: number;
  /** Where the chosen window ends (the highlighted band runs from now to here). */
  windowX: number;
}

const DAY = 86_400;
/** Points closer than this (pixels) on a lane are put on separate rows. */
const MIN_GAP = 14;
const ROWS = 3;

let tickFormat: Intl.DateTimeFormat | undefined;
function tickLabel(secs: number): string {
  tickFormat ??= new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
  return tickFormat.format(new Date(secs * 1000));
}

/** Ticks at whole UTC days: each day for a short span, each Monday for a few months,
 *  each month's first for longer. */
export function ticks(start: number, end: number, x: (t: number) => number): Tick[] {
  const span = end - start;
  const out: Tick[] = [];
  const first = Math.ceil(start / DAY) * DAY;
  if (span <= 16 * DAY) {
    for (let t = first; t <= end; t += DAY) out.push({ x: x(t), label: tickLabel(t) });
  } else if (span <= 120 * DAY) {
    // 1970-01-01 was a Thursday: day n is a Monday when (n + 3) % 7 === 0.
    let t = first;
    while (((t / DAY) + 3) % 7 !== 0) t += DAY;
    for (; t <= end; t += 7 * DAY) out.push({ x: x(t), label: tickLabel(t) });
  } else {
    const d = new Date(first * 1000);
    let month = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + (d.getUTCDate() === 1 ? 0 : 1), 1) / 1000;
    const step = span > 720 * DAY ? 3 : 1;
    while (month <= end) {
      out.push({ x: x(month), label: tickLabel(month) });
      const m = new Date(month * 1000);
      month = Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + step, 1) / 1000;
    }
  }
  return out;
}

/** Places `items` between now (or the oldest expired one, at most a quarter of the
 *  horizon back) and `horizonDays` ahead; those due within `windowDays` are marked. */
export function layoutTimeline(items: TimelineItem[], now: number, windowDays: number, horizon: number, g: Geometry = GEOMETRY): TimelineLayout {
  const end = now + horizon * DAY;
  const oldest = Math.min(now, ...items.map((i) => i.at));
  const start = Math.max(oldest, now - Math.ceil(horizon / 4) * DAY);
  const plot = g.width - g.left - g.right;
  const x = (t: number) => g.left + (Math.min(Math.max(t, start), end) - start) / Math.max(1, end - start) * plot;
  const windowEnd = now + Math.max(0, windowDays) * DAY;
  const lanes = LANES.map((l, i) => ({ ...l, y: g.top + i * g.laneHeight + g.laneHeight / 2 }));
  const points: Placed[] = [];
  for (const lane of lanes) {
    const lastX: number[] = [];
    for (const item of items.filter((i) => i.kind === lane.kind && i.at <= end)) {
      const px = x(item.at);
      // The first row whose last point is far enough to the left; the last row if none.
      let row = lastX.findIndex((lx) => px - lx >= MIN_GAP);
      if (row < 0) row = lastX.length < ROWS ? lastX.length : ROWS - 1;
      lastX[row] = px;
      // The first row on the lane's line, the next above it, the last below.
      const offset = [0, -1, 1][row]! * (g.laneHeight / (ROWS + 1));
      points.push({ item, x: px, y: lane.y + offset, due: item.at <= windowEnd, expired: item.at <= now });
    }
  }
  return {
    start,
    end,
    height: g.top + LANES.length * g.laneHeight + 8,
    lanes,
    ticks: ticks(start, end, x),
    points,
    nowX: x(now),
    windowX: x(windowEnd),
  };
}
