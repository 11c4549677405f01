import { describe, expect, it } from "vitest";
import { ariaSort, DEFAULT_SORT, nextSort, normalizeSort, sortArrow, sortKeyOf } from "./listSort";

describe("client list sort", () => {
  it("sorts by a column, then reverses it, and a new column starts ascending", () => {
    const byId = nextSort(DEFAULT_SORT, "client_id");
    expect(byId).toEqual({ key: "client_id", descending: false });
    expect(nextSort(byId, "client_id")).toEqual({ key: "client_id", descending: true });
    expect(nextSort(nextSort(byId, "client_id"), "client_id")).toEqual(byId);
    expect(nextSort({ key: "client_id", descending: true }, "status")).toEqual({ key: "status", descending: false });
    expect(nextSort(DEFAULT_SORT, "client_name")).toEqual({ key: "name", descending: true });
  });

  it("leaves the drift column unsorted", () => {
    expect(sortKeyOf("has_drift")).toBeUndefined();
    expect(nextSort(DEFAULT_SORT, "has_drift")).toEqual(DEFAULT_SORT);
    expect(ariaSort(DEFAULT_SORT, "has_drift")).toBe("none");
  });

  it("marks the sorted header only", () => {
    const sort = { key: "secret_expiry", descending: true } as const;
    expect(ariaSort(sort, "client_secret_expires_at")).toBe("descending");
    expect(sortArrow(sort, "client_secret_expires_at")).toBe("▼");
    expect(ariaSort(sort, "client_name")).toBe("none");
    expect(sortArrow(sort, "client_name")).toBe("");
    expect(ariaSort(DEFAULT_SORT, "client_name")).toBe("ascending");
    expect(sortArrow(DEFAULT_SORT, "client_name")).toBe("▲");
  });

  it("reads a stored sort back, or the default", () => {
    expect(normalizeSort({ key: "last_synced", descending: true })).toEqual({ key: "last_synced", descending: true });
    expect(normalizeSort({ key: "status", descending: "yes" })).toEqual({ key: "status", descending: false });
    for (const stored of [undefined, null, "name", 3, {}, { key: "drift" }, { key: "NAME" }]) {
      expect(normalizeSort(stored)).toEqual(DEFAULT_SORT);
    }
  });
});
