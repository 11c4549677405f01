// How times and states read in the UI: local time, and how soon a secret expires.

// One formatter per style for the window's life: `Date.toLocaleString(locale, options)`
// builds a new Intl.DateTimeFormat (and with it ICU's date pattern generator) on every
// call, which a list of a few dozen rows with three time cells each paid at every render.
let longFormat: Intl.DateTimeFormat | undefined;
let shortFormat: Intl.DateTimeFormat | undefined;

/** Unix seconds as local date and time; "—" for none. */
export function localTime(secs: number | null | undefined): string {
  if (!secs) return "—";
  longFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  return longFormat.format(new Date(secs * 1000));
}

/** Unix seconds as a compact local date and time, for list columns. */
export function shortTime(secs: number | null | undefined): string {
  if (!secs) return "—";
  shortFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: "short", timeStyle: "short" });
  return shortFormat.format(new Date(secs * 1000));
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
