// How times and states read in the UI: local time, and how soon a secret expires.

// One formatter for the window's life: `Date.toLocaleString(locale, options)`
// builds a new Intl.DateTimeFormat (and with it ICU's date pattern generator) on every
// call, which a list of a few dozen rows with three time cells each paid at every render.
let longFormat: Intl.DateTimeFormat | undefined;

/** Unix seconds as local date and time; "—" for none. */
export function localTime(secs: number | null | undefined): string {
  if (!secs) return "—";
  longFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  return longFormat.format(new Date(secs * 1000));
}

export type ExpiryLevel = "none" | "ok" | "soon" | "expired";

/** How close a secret's expiry is: "soon" within 30 days. `0` means it never expires. */
export function expiryLevel(expiresAt: number | null | undefined, nowSecs: number): ExpiryLevel {
  if (!expiresAt) return "none";
  if (expiresAt <= nowSecs) return "expired";
  return expiresAt - nowSecs <= 30 * 86_400 ? "soon" : "ok";
}

/** "in 3 days", "2 hours ago". */
export function relative(secs: number, nowSecs: number): string {
  const delta = secs - nowSecs;
  const abs = Math.abs(delta);
  const units: [number, string][] = [
    [86_400 * 365, "year"],
    [86_400, "day"],
    [3_600, "hour"],
    [60, "minute"],
  ];
  for (const [size, name] of units) {
    if (abs >= size) {
      const n = Math.floor(abs / size);
      const text = `${n} ${name}${n === 1 ? "" : "s"}`;
      return delta >= 0 ? `in ${text}` : `${text} ago`;
    }
  }
  return delta >= 0 ? "in under a minute" : "just now";
}

export function nowSecs(): number {
  return Math.floor(Date.now() / 1000);
}

/** "3 h ago", "in 5 d", "just now": how long since or until, in the window's one short form. */
export function ago(secs: number, nowSecs: number): string {
  const delta = secs - nowSecs;
  const abs = Math.abs(delta);
  if (abs < 45) return "just now";
  const units: [number, string][] = [
    [86_400 * 365, "y"],
    [86_400 * 30, "mo"],
    [86_400, "d"],
    [3_600, "h"],
    [60, "min"],
  ];
  const [size, name] = units.find(([size]) => abs >= size) ?? [60, "min"];
  const n = Math.max(1, Math.floor(abs / size));
  return delta >= 0 ? `in ${n} ${name}` : `${n} ${name} ago`;
}

/** A time as the window shows it everywhere: relative as text, absolute (local) on hover,
 *  and the ISO form for a `<time datetime>`. `null` or `0`: none. */
export interface When {
  text: string;
  title: string;
  iso: string;
}

export function when(secs: number | null | undefined, nowSecs: number, none = "—"): When {
  if (!secs) return { text: none, title: "", iso: "" };
  return { text: ago(secs, nowSecs), title: localTime(secs), iso: new Date(secs * 1000).toISOString() };
}
