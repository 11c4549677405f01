// An HTTP exchange from the history as a curl command to run again: its method, URL,
// headers and body exactly as the history holds them — redacted values stay redacted
// (the command then needs the real token pasted in), nothing is revealed here.
import type { Exchange } from "../bindings";

/** A word the shell passes as it is: single-quoted, its own quotes closed and escaped. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

// curl sets these itself from the URL and the body.
const SKIPPED = ["host", "content-length"];

/** The exchange's request as a POSIX shell curl command, one option a line. */
export function curlFor(x: Pick<Exchange, "method" | "url" | "request_headers" | "request_body">): string {
  const parts = [`curl -X ${shellQuote(x.method)} ${shellQuote(x.url)}`];
  for (const [name, value] of x.request_headers) {
    if (SKIPPED.includes(name.toLowerCase())) continue;
    parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  }
  if (x.request_body) parts.push(`--data-raw ${shellQuote(x.request_body)}`);
  return parts.join(" \\\n  ");
}
