// The client list's order: which column a header click sorts by, and how a stored choice
// (preferences.json) is read back. The core sorts (crates/core/src/store/search.rs `Sort`):
// the list is paged, so only the core sees every row.
import type { Sort, SortKey } from "../bindings";
import type { ColumnId } from "./columns";

export const DEFAULT_SORT: Sort = { key: "name", descending: false };

const KEYS: Partial<Record<ColumnId, SortKey>> = {
  client_name: "name",
  client_id: "client_id",
  status: "status",
  client_secret_expires_at: "secret_expiry",
  last_synced_at: "last_synced",
};

/** The sort key a column's header sorts by; undefined when it does not sort (drift). */
export function sortKeyOf(column: ColumnId): SortKey | undefined {
  return KEYS[column];
}

/** A stored sort made usable: the default when it is missing or not a sort. */
export function normalizeSort(stored: unknown): Sort {
  if (!stored || typeof stored !== "object") return { ...DEFAULT_SORT };
  const { key, descending } = stored as Record<string, unknown>;
  const known = Object.values(KEYS).includes(key as SortKey);
  return known ? { key: key as SortKey, descending: descending === true } : { ...DEFAULT_SORT };
}

/** The sort after a click on `column`'s header: its key, ascending; again, reversed. */
export function nextSort(current: Sort, column: ColumnId): Sort {
  const key = sortKeyOf(column);
  if (!key) return current;
  return key === current.key ? { key, descending: !current.descending } : { key, descending: false };
}

/** The header's `aria-sort`. */
export function ariaSort(current: Sort, column: ColumnId): "ascending" | "descending" | "none" {
  if (sortKeyOf(column) !== current.key) return "none";
  return current.descending ? "descending" : "ascending";
}

/** The arrow a sorted header shows; empty for the others. */
export function sortArrow(current: Sort, column: ColumnId): string {
  const sort = ariaSort(current, column);
  return sort === "ascending" ? "▲" : sort === "descending" ? "▼" : "";
}
