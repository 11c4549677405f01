import { describe, expect, it } from "vitest";
import type { CustodyExpiry, Summary } from "../bindings";
import { GEOMETRY, horizonDays, layoutTimeline, ticks, timelineItems, type TimelineItem } from "./timeline";

const DAY = 86_400;
// 2026-12-07 00:00 UTC, a Monday.
const now = Date.UTC(2026, 11, 7) / 1000;
const item = (id: string, kind: TimelineItem["kind"], inDays: number): TimelineItem => ({ id, kind, label: id, profileId: "p", clientId: null, at: now + inDays * DAY });

describe("timeline items", () => {
  it("joins secrets and custody expiries, soonest first, leaving out secrets that never expire", () => {
    const secret = (id: string, at: number | null): Summary => ({ profile_id: "p", client_id: id, client_name: null, status: "active", credentials: "stored", client_secret_expires_at: at, last_synced_at: null, has_drift: false }) as Summary;
    const cert: CustodyExpiry = { profile_id: "p", kind: "certificate", name: "kid-1", client_id: "c9", detail: "CN=x", expires_at: now + 5 * DAY };
    const out = timelineItems([secret("late", now + 9 * DAY), secret("never", 0), secret("none", null)], [cert]);
    expect(out.map((i) => [i.kind, i.label])).toEqual([["certificate", "kid-1"], ["secret", "late"]]);
    expect(out[0]?.clientId).toBe("c9");
  });

  it("looks past the window, at least 90 days", () => {
    expect(horizonDays(30)).toBe(90);
    expect(horizonDays(120)).toBe(240);
    expect(horizonDays(Number.NaN)).toBe(90);
  });
});

describe("timeline layout", () => {
  const g = GEOMETRY;
  const plot = g.width - g.left - g.right;

  it("places items in their kind's lane, in proportion to time, and marks those due", () => {
    const layout = layoutTimeline([item("s", "secret", 45), item("k", "key_retirement", 10), item("far", "certificate", 200)], now, 30, 90);
    expect(layout.nowX).toBe(g.left);
    expect(layout.windowX).toBeCloseTo(g.left + plot / 3);
    const s = layout.points.find((p) => p.item.id === "s")!;
    expect(s.x).toBeCloseTo(g.left + plot / 2);
    expect(s.due).toBe(false);
    const k = layout.points.find((p) => p.item.id === "k")!;
    expect(k.due).toBe(true);
    expect(k.y).toBe(layout.lanes.find((l) => l.kind === "key_retirement")!.y);
    expect(layout.points.some((p) => p.item.id === "far"), "beyond the horizon").toBe(false);
  });

  it("starts before now for expired items, at most a quarter of the horizon back", () => {
    const layout = layoutTimeline([item("old", "secret", -10), item("ancient", "certificate", -400)], now, 30, 100);
    expect(layout.start).toBe(now - 25 * DAY);
    const old = layout.points.find((p) => p.item.id === "old")!;
    expect(old.expired && old.due).toBe(true);
    expect(old.x).toBeLessThan(layout.nowX);
    expect(layout.points.find((p) => p.item.id === "ancient")!.x).toBe(g.left);
  });

  it("puts points that would overlap on separate rows of the lane", () => {
    const layout = layoutTimeline([item("a", "secret", 10), item("b", "secret", 10), item("c", "secret", 10.01), item("d", "secret", 60)], now, 30, 90);
    const ys = layout.points.map((p) => p.y);
    expect(new Set(ys.slice(0, 3)).size).toBe(3);
    expect(ys[3]).toBe(ys[0]);
  });
});

describe("timeline ticks", () => {
  const x = (t: number) => t;
  it("ticks days over two weeks, Mondays over a few months, months beyond", () => {
    expect(ticks(now, now + 14 * DAY, x)).toHaveLength(15);
    const weekly = ticks(now - DAY, now + 90 * DAY, x);
    expect(weekly[0]).toEqual({ x: now, label: "Dec 7" });
    expect(weekly[1]?.label).toBe("Dec 14");
    const monthly = ticks(now, now + 365 * DAY, x);
    expect(monthly.map((t) => t.label).slice(0, 3)).toEqual(["Jan 1", "Feb 1", "Mar 1"]);
  });
});
