// The command palette's pure logic: which entries a typed text matches, in which order,
// and how the arrow keys move through them. CommandPalette.svelte lists them.

export type EntryKind = "action" | "profile" | "client";

export interface PaletteEntry {
  /** Unique within the palette: the option's DOM id is made from it. */
  id: string;
  kind: EntryKind;
  label: string;
  /** Shown beside the label (a shortcut, a client_id, a provider's kind). */
  hint?: string;
  /** Other words it is found by ("theme dark" for "Dark theme"). */
  keywords?: string;
  run: () => void;
}

const words = (text: string): string[] => text.toLowerCase().split(/\s+/).filter(Boolean);

/** How well `entry` matches `query`: null when some word of the query is not in it;
 *  lower is better (a label starting with the text, then a word of the label starting
 *  with it, then anywhere). */
export function score(entry: PaletteEntry, query: string): number | null {
  const wanted = words(query);
  if (!wanted.length) return 0;
  const label = entry.label.toLowerCase();
  const haystack = `${label} ${(entry.hint ?? "").toLowerCase()} ${(entry.keywords ?? "").toLowerCase()}`;
  if (!wanted.every((w) => haystack.includes(w))) return null;
  const text = wanted.join(" ");
  if (label.startsWith(text)) return 0;
  if (words(label).some((w) => w.startsWith(wanted[0] ?? ""))) return 1;
  return 2;
}

/** The entries that match, best first; ties keep their given order (actions before clients). */
export function matchEntries(entries: PaletteEntry[], query: string): PaletteEntry[] {
  return entries
    .map((entry, index) => ({ entry, index, score: score(entry, query) }))
    .filter((m): m is { entry: PaletteEntry; index: number; score: number } => m.score !== null)
    .sort((a, b) => a.score - b.score || a.index - b.index)
    .map((m) => m.entry);
}

/** The cursor after a key: the arrows wrap around, Home and End go to the ends; -1 when
 *  there is nothing to point at. */
export function moveCursor(cursor: number, key: string, count: number): number {
  if (count <= 0) return -1;
  const at = Math.min(Math.max(cursor, 0), count - 1);
  if (key === "ArrowDown") return (at + 1) % count;
  if (key === "ArrowUp") return (at - 1 + count) % count;
  if (key === "Home") return 0;
  if (key === "End") return count - 1;
  if (key === "PageDown") return Math.min(count - 1, at + 8);
  if (key === "PageUp") return Math.max(0, at - 8);
  return at;
}

/** The option's DOM id for an entry (for aria-activedescendant). */
export function optionId(entry: PaletteEntry): string {
  return `palette-${entry.id.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

/** The clients found for a text, as entries, leaving out those already listed. */
export function clientEntries(
  clients: { client_id: string; client_name: string | null; status: string }[],
  open: (clientId: string) => void,
): PaletteEntry[] {
  return clients.map((c) => ({
    id: `client:${c.client_id}`,
    kind: "client" as const,
    label: c.client_name ?? "(no name)",
    hint: c.status === "active" ? c.client_id : `${c.client_id} · ${c.status.replace("_", " ")}`,
    keywords: "client",
    run: () => open(c.client_id),
  }));
}
