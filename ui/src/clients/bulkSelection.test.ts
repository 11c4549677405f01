import { describe, expect, it } from "vitest";
import type { Summary } from "../bindings";
import { BulkSelection } from "./bulkSelection.svelte";

function row(i: number, status: Summary["status"] = "active"): Summary {
  return {
    profile_id: "p",
    client_id: `c${i}`,
    client_name: `client ${i}`,
    status,
    credentials: "stored",
    client_secret_expires_at: null,
    last_synced_at: null,
    has_drift: false,
  };
}

const rows = Array.from({ length: 20 }, (_, i) => row(i, i === 4 ? "deleted" : "active"));
const at = (i: number): Summary => rows[i] ?? row(i);

describe("bulk selection", () => {
  it("ticks and unticks one row at a time", () => {
    const s = new BulkSelection();
    s.toggle(row(1), 1);
    s.toggle(row(2), 2);
    expect(s.ids()).toEqual(["c1", "c2"]);
    s.replaceAll([{ client_id: "c2", client_name: null, deleted: false }]);
    expect(s.everyMatch).toBe(true);
    s.toggle(row(1), 1);
    expect(s.everyMatch).toBe(false);
    s.toggle(row(1), 1);
    expect(s.ids()).toEqual(["c2"]);
    expect(s.anchor).toEqual({ index: 1, clientId: "c1" });
  });

  it("ticks a range from the anchor either way, and unticks one from an unticked anchor", () => {
    const s = new BulkSelection();
    s.toggle(at(3), 3);
    s.extendTo(7, at);
    expect(s.ids().sort()).toEqual(["c3", "c4", "c5", "c6", "c7"]);
    s.toggle(at(10), 10);
    s.extendTo(8, at);
    expect(s.size).toBe(8);
    s.toggle(at(5), 5); // unticked: the anchor now unticks
    s.extendTo(3, at);
    expect(s.ids().sort()).toEqual(["c10", "c6", "c7", "c8", "c9"]);
  });

  it("passes over rows not loaded, and a range without an anchor is the row itself", () => {
    const s = new BulkSelection();
    s.extendTo(2, at);
    expect(s.ids()).toEqual(["c2"]);
    s.clear();
    s.toggle(at(0), 0);
    s.extendTo(5, (i) => (i % 2 ? undefined : rows[i]));
    expect(s.ids().sort()).toEqual(["c0", "c2", "c4"]);
  });

  it("says which are deleted, and what a refresh or delete can reach", () => {
    const s = new BulkSelection();
    s.replaceAll([
      { client_id: "a", client_name: "A", deleted: false },
      { client_id: "b", client_name: null, deleted: true },
      { client_id: "c", client_name: "C", deleted: false },
    ]);
    expect(s.size).toBe(3);
    expect(s.everyMatch).toBe(true);
    expect(s.deletedCount).toBe(1);
    expect(s.live()).toEqual([
      { clientId: "a", name: "A" },
      { clientId: "c", name: "C" },
    ]);
    s.markDeleted(["a"]);
    expect(s.live().map((c) => c.clientId)).toEqual(["c"]);
    s.drop(["c"]);
    expect(s.ids()).toEqual(["a", "b"]);
    expect(s.everyMatch).toBe(false);
    s.clear();
    expect(s.size).toBe(0);
    expect(s.anchor).toBeNull();
  });

  it("starts a range anew when the anchor's row moved (a new order, a reload)", () => {
    const s = new BulkSelection();
    s.toggle(at(3), 3);
    // Reversed: row 3 is another client now; the range is the row clicked alone.
    const reversed = (i: number): Summary => at(19 - i);
    s.extendTo(7, reversed);
    expect(s.ids().sort()).toEqual(["c12", "c3"]);
    // Ranges over rows from every match (a long range) work as over loaded rows.
    s.clear();
    s.toggle(at(1), 1);
    s.extendTo(3, (i) => ({ client_id: `c${i}`, client_name: null, deleted: i === 2 }));
    expect(s.ids().sort()).toEqual(["c1", "c2", "c3"]);
    expect(s.deletedCount).toBe(1);
  });

  it("drops an answer asked for before the selection was cleared", () => {
    const s = new BulkSelection();
    const ticket = s.ticket();
    expect(s.stillFor(ticket)).toBe(true);
    s.clear(); // the search changed while select-all was on its way
    expect(s.stillFor(ticket)).toBe(false);
    expect(s.stillFor(s.ticket())).toBe(true);
  });

  it("is no longer every match after a reload, and forgets the anchor", () => {
    const s = new BulkSelection();
    s.replaceAll([{ client_id: "a", client_name: "A", deleted: false }]);
    s.anchor = { index: 0, clientId: "a" };
    s.reloaded();
    expect(s.everyMatch).toBe(false);
    expect(s.anchor).toBeNull();
    expect(s.ids()).toEqual(["a"]);
  });
});
