import { describe, expect, it, vi } from "vitest";
import type { Query } from "../bindings";
import type { Summary } from "../bindings";
import { LatestPager, PAGE_SIZE, Pager } from "./pager";

// The backend's search: rows c0..c{matching-1}; past `cap` matches, the count is a lower
// bound (at least the rows up to the end of the page read) with `total_capped`.
function fakeBackend(matching: number, cap = Infinity) {
  const calls: Query[] = [];
  const fetch = async (q: Query) => {
    calls.push(q);
    const items: Summary[] = [];
    for (let i = q.offset; i < Math.min(matching, q.offset + q.limit); i++) {
      items.push({ profile_id: "p", client_id: `c${i}`, client_name: null, status: "active", credentials: "stored", client_secret_expires_at: null, last_synced_at: null, has_drift: false });
    }
    const capped = matching > cap;
    const total = capped ? Math.max(cap, q.offset + items.length) : matching;
    return { items, total, total_capped: capped, offset: q.offset };
  };
  return { calls, fetch };
}

describe("pager", () => {
  const query = { profile_id: "p", text: null, status: null, exclude_deleted: false, expiring_within_secs: null };

  it("opens with one page of a hundred thousand rows", async () => {
    const b = fakeBackend(100_000);
    const pager = new Pager(query, b.fetch);
    await pager.open();
    expect(pager.total).toBe(100_000);
    expect(pager.loadedPages()).toBe(1);
    expect(pager.row(5)?.client_id).toBe("c5");
    expect(pager.row(PAGE_SIZE + 1)).toBeUndefined();
  });

  it("loads only the pages a scroll reaches, once each", async () => {
    const b = fakeBackend(100_000);
    const pager = new Pager(query, b.fetch);
    await Promise.all([pager.ensureRange(50_010, 50_040), pager.ensureRange(50_020, 50_030)]);
    expect(b.calls.map((c) => c.offset)).toEqual([50_000]);
    expect(pager.row(50_015)?.client_id).toBe("c50015");
  });
});

describe("pager with a capped count", () => {
  const query = { profile_id: "p", text: "example", status: null, exclude_deleted: false, expiring_within_secs: null };

  it("says at least, and is a page taller than known so scrolling reads on", async () => {
    const pager = new Pager(query, fakeBackend(1_500, 1_000).fetch);
    await pager.open();
    expect([pager.total, pager.capped]).toEqual([1_000, true]);
    expect(pager.countLabel()).toBe("1,000+ clients");
    expect(pager.extent).toBe(1_000 + PAGE_SIZE);
  });

  it("grows as later pages are read and becomes exact at a short page", async () => {
    const b = fakeBackend(1_500, 1_000);
    const pager = new Pager(query, b.fetch);
    await pager.open();
    await pager.ensureRange(1_000, 1_199);
    expect([pager.total, pager.capped]).toEqual([1_200, true]);
    await pager.ensureRange(1_400, 1_599);
    expect([pager.total, pager.capped]).toEqual([1_500, false]);
    expect(pager.extent).toBe(1_500);
    expect(pager.countLabel()).toBe("1,500 clients");
    expect(pager.row(1_499)?.client_id).toBe("c1499");
    // An earlier page read after the end was found does not make the count a bound again.
    await pager.ensureRange(600, 700);
    expect([pager.total, pager.capped]).toEqual([1_500, false]);
  });

  it("keeps an exact count exact", async () => {
    const pager = new Pager(query, fakeBackend(1, 1_000).fetch);
    await pager.open();
    expect([pager.total, pager.capped, pager.extent]).toEqual([1, false, 1]);
    expect(pager.countLabel()).toBe("1 client");
  });
});

describe("pager failures, ranges and order", () => {
  const query = { profile_id: "p", text: null, status: null, exclude_deleted: false, expiring_within_secs: null };

  it("asks again for a page that failed to load", async () => {
    const b = fakeBackend(1_000);
    let fail = true;
    const pager = new Pager(query, (q) => (fail ? Promise.reject(new Error("offline")) : b.fetch(q)));
    await expect(pager.ensureRange(0, 10)).rejects.toThrow("offline");
    fail = false;
    await pager.ensureRange(0, 10);
    expect(pager.row(3)?.client_id).toBe("c3");
  });

  it("reads a short range page by page, a long one from every match in one call", async () => {
    const b = fakeBackend(5_000);
    const pager = new Pager(query, b.fetch);
    const every = vi.fn(async () => Array.from({ length: 5_000 }, (_, i) => ({ client_id: `c${i}`, client_name: null, deleted: false })));
    const short = await pager.rangeRows(450, 210, every);
    expect(every).not.toHaveBeenCalled();
    expect([short(210)?.client_id, short(450)?.client_id]).toEqual(["c210", "c450"]);
    const calls = b.calls.length;
    const long = await pager.rangeRows(4_100, 10, every);
    expect(every).toHaveBeenCalledTimes(1);
    expect(b.calls.length).toBe(calls);
    expect([long(9), long(10)?.client_id, long(4_100)?.client_id, long(4_101)]).toEqual([undefined, "c10", "c4100", undefined]);
  });

  it("keeps only the latest pager's answer", async () => {
    const b = fakeBackend(10);
    const gates: (() => void)[] = [];
    const slow = (q: Query) => new Promise<void>((r) => gates.push(r)).then(() => b.fetch(q));
    const latest = new LatestPager();
    const first = latest.open(new Pager(query, slow));
    const second = latest.open(new Pager(query, slow));
    gates[1]?.();
    expect(await second).toBe(true);
    gates[0]?.();
    expect(await first).toBe(false);
    // A failure of a pager no longer the latest is dropped too.
    const failed = latest.open(new Pager(query, () => Promise.reject(new Error("late"))));
    const third = new Pager(query, b.fetch);
    const opened = latest.open(third);
    expect(await failed).toBe(false);
    expect(await opened).toBe(true);
    expect(latest.isLatest(third)).toBe(true);
  });
});
