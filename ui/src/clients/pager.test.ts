import { describe, expect, it } from "vitest";
import type { Query } from "../bindings";
import type { Summary } from "../bindings";
import { PAGE_SIZE, Pager } from "./pager";

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
