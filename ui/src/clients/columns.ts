// The client list's columns: which exist, what they are called, how wide each is, and how
// a stored choice (preferences.json, which an older version or a person may have written)
// is read back. Columns always show in the order defined here; a choice is a set. A column
// dragged to a width keeps it (in pixels, preferences `columnWidths`); the others share
// what is left.

export const COLUMN_IDS = ["client_name", "client_id", "status", "client_secret_expires_at", "last_synced_at", "has_drift"] as const;
export type ColumnId = (typeof COLUMN_IDS)[number];

export interface Column {
  id: ColumnId;
  /** The header's text and the chooser's label. */
  label: string;
  /** What the chooser says about it, when the label alone may not. */
  hint?: string;
  /** Its track in the row's grid. */
  width: string;
}

export const COLUMNS: readonly Column[] = [
  { id: "client_name", label: "Name", width: "1.4fr" },
  { id: "client_id", label: "client_id", width: "1.3fr" },
  { id: "status", label: "Status", width: ".8fr" },
  { id: "client_secret_expires_at", label: "Secret expires", width: "1fr" },
  { id: "last_synced_at", label: "Last synced", width: "1fr" },
  { id: "has_drift", label: "Drift", hint: "The drift marker in a column of its own (otherwise it follows the name)", width: "4.5em" },
];

export const DEFAULT_COLUMNS: readonly ColumnId[] = ["client_name", "client_id", "status", "client_secret_expires_at", "last_synced_at"];

export function isColumnId(value: unknown): value is ColumnId {
  return typeof value === "string" && (COLUMN_IDS as readonly string[]).includes(value);
}

/** A stored choice made usable: unknown and repeated names dropped, the columns in their
 *  order; the defaults when nothing usable is left (a list shows at least one column). */
export function normalizeColumns(stored: unknown): ColumnId[] {
  const chosen = new Set(Array.isArray(stored) ? stored.filter(isColumnId) : []);
  const columns = COLUMN_IDS.filter((id) => chosen.has(id));
  return columns.length ? columns : [...DEFAULT_COLUMNS];
}

/** `columns` with `id` shown or hidden; hiding the only column shown changes nothing. */
export function setColumn(columns: readonly ColumnId[], id: ColumnId, shown: boolean): ColumnId[] {
  const current = normalizeColumns(columns);
  if (!shown && current.length === 1 && current[0] === id) return current;
  const next = new Set(current);
  if (shown) next.add(id);
  else next.delete(id);
  return COLUMN_IDS.filter((c) => next.has(c));
}

export function sameColumns(a: readonly ColumnId[], b: readonly ColumnId[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** Widths a column can be dragged to, in pixels. */
export const MIN_WIDTH = 48;
export const MAX_WIDTH = 1200;

/** Columns given a width of their own, in pixels. */
export type ColumnWidths = Partial<Record<ColumnId, number>>;

export function clampWidth(px: number): number {
  return Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, px)));
}

/** Stored widths made usable: unknown columns and non-numbers dropped, the rest clamped. */
export function normalizeWidths(stored: unknown): ColumnWidths {
  const out: ColumnWidths = {};
  if (!stored || typeof stored !== "object" || Array.isArray(stored)) return out;
  for (const [id, px] of Object.entries(stored as Record<string, unknown>)) {
    if (isColumnId(id) && typeof px === "number" && Number.isFinite(px)) out[id] = clampWidth(px);
  }
  return out;
}

/** `widths` with `id` at `px`, or back to its default width when `px` is null. */
export function setWidth(widths: ColumnWidths, id: ColumnId, px: number | null): ColumnWidths {
  const next = { ...normalizeWidths(widths) };
  if (px === null) delete next[id];
  else next[id] = clampWidth(px);
  return next;
}

/** The grid template of the header and of every row: a dragged column at its width. */
export function gridTemplate(columns: readonly ColumnId[], widths: ColumnWidths = {}): string {
  return columns
    .map((id) => {
      const px = widths[id];
      return px ? `${px}px` : (COLUMNS.find((c) => c.id === id)?.width ?? "1fr");
    })
    .join(" ");
}

export function columnLabel(id: ColumnId): string {
  return COLUMNS.find((c) => c.id === id)?.label ?? id;
}
