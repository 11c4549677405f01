import { describe, expect, it } from "vitest";
import { defaultPreferences, readPreferences } from "../lib/backend";
import { COLUMN_IDS, COLUMNS, DEFAULT_COLUMNS, gridTemplate, MAX_WIDTH, MIN_WIDTH, normalizeColumns, normalizeWidths, sameColumns, setColumn, setWidth } from "./columns";

describe("client list columns", () => {
  it("defines every column once, and defaults the preferences to the default columns", () => {
    expect(COLUMNS.map((c) => c.id)).toEqual([...COLUMN_IDS]);
    expect(defaultPreferences.columns).toEqual([...DEFAULT_COLUMNS]);
    expect(DEFAULT_COLUMNS).not.toContain("has_drift");
  });

  it("reads a stored choice back: unknown and repeated names dropped, in the columns' order", () => {
    expect(normalizeColumns(["status", "client_name"])).toEqual(["client_name", "status"]);
    expect(normalizeColumns(["client_id", "issued_at", "client_id", 7, null, "has_drift", "CLIENT_NAME"])).toEqual(["client_id", "has_drift"]);
    expect(normalizeColumns([...DEFAULT_COLUMNS])).toEqual([...DEFAULT_COLUMNS]);
  });

  it("falls back to the defaults when nothing usable is stored", () => {
    for (const stored of [undefined, null, "client_id", {}, 3, [], ["nope", 1, {}]]) {
      expect(normalizeColumns(stored)).toEqual([...DEFAULT_COLUMNS]);
    }
  });

  it("never hands out the defaults themselves, so a caller cannot change them", () => {
    const columns = normalizeColumns(null);
    columns.pop();
    expect(normalizeColumns(null)).toEqual([...DEFAULT_COLUMNS]);
  });

  it("shows and hides a column in its place", () => {
    expect(setColumn(DEFAULT_COLUMNS, "client_id", false)).toEqual(["client_name", "status", "client_secret_expires_at", "last_synced_at"]);
    expect(setColumn(["client_name", "last_synced_at"], "status", true)).toEqual(["client_name", "status", "last_synced_at"]);
    expect(setColumn(["client_name"], "has_drift", true)).toEqual(["client_name", "has_drift"]);
    expect(setColumn(["client_name", "status"], "status", true)).toEqual(["client_name", "status"]);
    expect(setColumn(["client_name", "status"], "client_id", false)).toEqual(["client_name", "status"]);
  });

  it("keeps at least one column", () => {
    expect(setColumn(["status"], "status", false)).toEqual(["status"]);
    let columns = [...DEFAULT_COLUMNS];
    for (const id of COLUMN_IDS) columns = setColumn(columns, id, false);
    expect(columns).toEqual(["last_synced_at"]);
  });

  it("reads stored preferences with their columns made usable", () => {
    expect(readPreferences(undefined)).toEqual(defaultPreferences);
    expect(readPreferences({ theme: "dark" }).columns).toEqual([...DEFAULT_COLUMNS]);
    const stored = { theme: "dark", lastProfile: "p", columns: ["status", "bogus", "status"], windowSize: null } as unknown as Parameters<typeof readPreferences>[0];
    expect(readPreferences(stored)).toEqual({ theme: "dark", lastProfile: "p", columns: ["status"], listSort: { key: "name", descending: false }, columnWidths: {}, windowSize: null });
    const sorted = { listSort: { key: "client_id", descending: true }, columnWidths: { client_id: 200, bogus: 5, status: "wide" } } as unknown as Parameters<typeof readPreferences>[0];
    expect(readPreferences(sorted).listSort).toEqual({ key: "client_id", descending: true });
    expect(readPreferences(sorted).columnWidths).toEqual({ client_id: 200 });
  });

  it("compares choices and builds the grid template from the shown columns", () => {
    expect(sameColumns(["client_name", "status"], ["client_name", "status"])).toBe(true);
    expect(sameColumns(["client_name", "status"], ["client_name"])).toBe(false);
    expect(sameColumns(["client_name", "status"], ["status", "client_name"])).toBe(false);
    expect(gridTemplate(DEFAULT_COLUMNS)).toBe("1.4fr 1.3fr .8fr 1fr 1fr");
    expect(gridTemplate(["client_name", "has_drift"])).toBe("1.4fr 4.5em");
  });

  it("keeps a dragged width, clamped, and resets it", () => {
    let widths = setWidth({}, "client_id", 260.4);
    expect(widths).toEqual({ client_id: 260 });
    expect(gridTemplate(DEFAULT_COLUMNS, widths)).toBe("1.4fr 260px .8fr 1fr 1fr");
    widths = setWidth(widths, "status", 3);
    expect(widths.status).toBe(MIN_WIDTH);
    expect(setWidth(widths, "status", 1e9).status).toBe(MAX_WIDTH);
    widths = setWidth(widths, "client_id", null);
    expect(widths).toEqual({ status: MIN_WIDTH });
    expect(gridTemplate(["client_name", "status"], widths)).toBe(`1.4fr ${MIN_WIDTH}px`);
    for (const stored of [undefined, null, [], "x", { client_name: NaN }, { nope: 100 }]) {
      expect(normalizeWidths(stored)).toEqual({});
    }
  });
});
