import { describe, expect, it } from "vitest";
import type { Query } from "../bindings/Query";
import type { Summary } from "../bindings/Summary";
import { PAGE_SIZE, Pager } from "./pager";

function fakeBackend(total: number) {
  const calls: Query[] = [];
  const fetch = async (q: Query) => {
    calls.push(q);
    const items: Summary[] = [];
    for (let i = q.offset; i < Math.min(total, q.offset + q.limit); i++) {
      items.push({ profile_id: "p", client_id: `c${i}`, client_name: null, status: "active", credentials: "stored", client_secret_expires_at: null, last_synced_at: null, has_drift: false });
    }
    return { items, total, offset: q.offset };
  };
  return { calls, fetch };
}

describe("pager", () => {
  const query = { profile_id: "p", text: null, status: null, expiring_within_secs: null };

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
