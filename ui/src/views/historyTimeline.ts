// The history of exchanges as a timeline: grouped by local day, newest first, each with
// what its outcome was (in words and a colour class, never colour alone), a duration bar
// scaled to the slowest exchange shown, and the quiet gaps between them said in words.
import type { Exchange } from "../bindings";

export type Outcome = "ok" | "redirect" | "client-error" | "server-error" | "no-answer";

export const OUTCOME_WORDS: Record<Outcome, string> = {
  ok: "OK",
  redirect: "Redirect",
  "client-error": "Refused",
  "server-error": "Provider error",
  "no-answer": "No answer",
};

/** What an exchange's status says: no status is a transport failure. */
export function outcomeOf(status: number | null): Outcome {
  if (status === null) return "no-answer";
  if (status >= 500) return "server-error";
  if (status >= 400) return "client-error";
  if (status >= 300) return "redirect";
  return "ok";
}

export interface TimelineEntry {
  exchange: Exchange;
  outcome: Outcome;
  /** The duration bar's width, 0–100 (% of the slowest shown); at least 2 so it shows. */
  bar: number;
  /** The quiet stretch between it and the next older exchange (shown under it, as the
   *  list runs newest first), in words, when it is long enough to notice. */
  gapBelow: string | null;
}

export interface TimelineDay {
  /** "Today", "Yesterday", or the local date. */
  label: string;
  /** The day's key (local YYYY-MM-DD), stable across renders. */
  key: string;
  entries: TimelineEntry[];
}

export interface TimelineSummary {
  count: number;
  failed: number;
  /** Median and slowest duration, in ms; null with no exchanges. */
  medianMs: number | null;
  slowestMs: number | null;
}

/** A local day's key: YYYY-MM-DD in the window's time zone. */
export function dayKey(secs: number): string {
  const d = new Date(secs * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

let dayFormat: Intl.DateTimeFormat | undefined;

/** "Today", "Yesterday", else the local date ("6 Dec 2026" in the window's locale). */
export function dayLabel(secs: number, nowSecs: number): string {
  const key = dayKey(secs);
  if (key === dayKey(nowSecs)) return "Today";
  if (key === dayKey(nowSecs - 86_400)) return "Yesterday";
  dayFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
  return dayFormat.format(new Date(secs * 1000));
}

/** A quiet stretch before an exchange in words ("3 h earlier": the next one down, older,
 *  came that long before), or null below ten minutes. */
export function gapWords(seconds: number): string | null {
  if (seconds < 600) return null;
  const units: [number, string][] = [
    [86_400, "d"],
    [3_600, "h"],
    [60, "min"],
  ];
  const [size, name] = units.find(([size]) => seconds >= size) ?? [60, "min"];
  return `${Math.floor(seconds / size)} ${name} earlier`;
}

/** The exchanges (any order) as days of entries, newest first. */
export function timeline(exchanges: readonly Exchange[], nowSecs: number): TimelineDay[] {
  const sorted = [...exchanges].sort((a, b) => b.at - a.at || b.id - a.id);
  const slowest = Math.max(1, ...sorted.map((x) => x.duration_ms));
  const days: TimelineDay[] = [];
  sorted.forEach((x, i) => {
    const older = sorted[i + 1];
    const entry: TimelineEntry = {
      exchange: x,
      outcome: outcomeOf(x.status),
      bar: Math.max(2, Math.round((x.duration_ms / slowest) * 100)),
      gapBelow: older ? gapWords(x.at - older.at) : null,
    };
    const key = dayKey(x.at);
    const day = days[days.length - 1];
    if (day && day.key === key) day.entries.push(entry);
    else days.push({ key, label: dayLabel(x.at, nowSecs), entries: [entry] });
  });
  return days;
}

export function summary(exchanges: readonly Exchange[]): TimelineSummary {
  const durations = exchanges.map((x) => x.duration_ms).sort((a, b) => a - b);
  const at = (i: number) => durations[i] ?? 0;
  const mid = durations.length >> 1;
  const failed = exchanges.filter((x) => !["ok", "redirect"].includes(outcomeOf(x.status))).length;
  if (!durations.length) return { count: 0, failed, medianMs: null, slowestMs: null };
  return {
    count: exchanges.length,
    failed,
    medianMs: durations.length % 2 ? at(mid) : Math.round((at(mid - 1) + at(mid)) / 2),
    slowestMs: at(durations.length - 1),
  };
}

/** The URL without its origin when it is long: the path says which endpoint it was. */
export function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}` || "/";
  } catch {
    return url;
  }
}
