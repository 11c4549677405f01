// A field's change as people read it: lists and objects as the items and keys added and
// removed (not one long string against another), a space-delimited scope as its words,
// and anything else as one value replaced by another. Pure, for DiffValue.svelte.
import type { JsonValue } from "../bindings";

/** How one part of a value fared. */
export type Op = "same" | "added" | "removed";

export type DiffNode =
  /** A value replaced (or, with one side null, added or removed whole). */
  | { kind: "value"; before: JsonValue | null; after: JsonValue | null }
  /** A list (or a space-delimited set of words): its items, kept, added or removed. */
  | { kind: "list"; words: boolean; items: { op: Op; value: JsonValue }[] }
  /** An object: its keys, kept, added, removed, or changed (with their own diff). */
  | { kind: "object"; entries: ObjectEntry[] };

export type ObjectEntry =
  | { key: string; op: Op; value: JsonValue }
  | { key: string; op: "changed"; diff: DiffNode };

/** Space-delimited strings whose words are a set (the core's drift says the same). */
export const WORD_FIELDS = ["scope", "preauthorized_scope"];

type JsonObject = { [key: string]: JsonValue | undefined };

function isObject(v: JsonValue | null | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** One text per value, whatever the order of an object's keys. */
export function canonical(v: JsonValue | null | undefined): string {
  if (v === undefined) return "undefined";
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/** Items of `before` (kept or removed, in their order), then the items only `after` has;
 *  a repeated item counts as many times as it appears. */
function listDiff(before: JsonValue[], after: JsonValue[], words: boolean): DiffNode {
  const left = new Map<string, number>();
  for (const v of after) left.set(canonical(v), (left.get(canonical(v)) ?? 0) + 1);
  const items: { op: Op; value: JsonValue }[] = [];
  for (const v of before) {
    const key = canonical(v);
    const n = left.get(key) ?? 0;
    if (n > 0) {
      left.set(key, n - 1);
      items.push({ op: "same", value: v });
    } else items.push({ op: "removed", value: v });
  }
  const used = new Map<string, number>();
  for (const v of before) used.set(canonical(v), (used.get(canonical(v)) ?? 0) + 1);
  for (const v of after) {
    const key = canonical(v);
    const n = used.get(key) ?? 0;
    if (n > 0) used.set(key, n - 1);
    else items.push({ op: "added", value: v });
  }
  return { kind: "list", words, items };
}

function objectDiff(before: JsonObject, after: JsonObject): DiffNode {
  const entries: ObjectEntry[] = [];
  for (const [key, v] of Object.entries(before)) {
    const value = v ?? null;
    if (!(key in after)) entries.push({ key, op: "removed", value });
    else if (canonical(value) === canonical(after[key])) entries.push({ key, op: "same", value });
    else entries.push({ key, op: "changed", diff: structuredDiff(value, after[key] ?? null) });
  }
  for (const [key, v] of Object.entries(after)) if (!(key in before)) entries.push({ key, op: "added", value: v ?? null });
  return { kind: "object", entries };
}

const words = (s: string) => s.split(/\s+/).filter(Boolean);

/** The change from `before` to `after` (null: absent) of `field`, structured. */
export function structuredDiff(before: JsonValue | null, after: JsonValue | null, field = ""): DiffNode {
  if (WORD_FIELDS.includes(field) && (typeof before === "string" || before === null) && (typeof after === "string" || after === null) && (before ?? after) !== null)
    return listDiff(words(before ?? ""), words(after ?? ""), true);
  if (Array.isArray(before) && Array.isArray(after)) return listDiff(before, after, false);
  if (isObject(before) && isObject(after)) return objectDiff(before, after);
  // Added or removed whole: a list's or an object's parts are all added (or removed).
  if (before === null && Array.isArray(after)) return listDiff([], after, false);
  if (after === null && Array.isArray(before)) return listDiff(before, [], false);
  if (before === null && isObject(after)) return objectDiff({}, after);
  if (after === null && isObject(before)) return objectDiff(before, {});
  return { kind: "value", before, after };
}

/** How many parts changed, for a one-line summary ("2 added, 1 removed"). */
export function diffSummary(node: DiffNode): string {
  if (node.kind === "value") return node.before === null ? "added" : node.after === null ? "removed" : "changed";
  const ops = node.kind === "list" ? node.items.map((i) => i.op) : node.entries.map((e) => e.op);
  const count = (op: string) => ops.filter((o) => o === op).length;
  const parts = [["added", count("added")], ["removed", count("removed")], ["changed", count("changed")]] as const;
  return parts.filter(([, n]) => n > 0).map(([name, n]) => `${n} ${name}`).join(", ") || "reordered";
}

/** A value as one line of text: strings as they are, anything else as JSON. */
export function showValue(v: JsonValue | null): string {
  if (v === null) return "null";
  return typeof v === "string" ? v : JSON.stringify(v);
}
