// How times and states read in the UI: local time, and how soon a secret expires.

/** Unix seconds as local date and time; "—" for none. */
export function localTime(secs: number | null | undefined): string {
  if (!secs) return "—";
  return new Date(secs * 1000).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** Unix seconds as a compact local date and time, for list columns. */
export function shortTime(secs: number | null | undefined): string {
  if (!secs) return "—";
  return new Date(secs * 1000).toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" });
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
