import { describe, expect, it } from "vitest";
import type { Exchange } from "../bindings";
import { dayKey, gapWords, outcomeOf, shortUrl, summary, timeline } from "./historyTimeline";

// Noon local time on 2026-12-07, so "yesterday" is a whole local day away in any zone.
const now = new Date(2026, 11, 7, 12, 0, 0).getTime() / 1000;
let nextId = 1;
const x = (at: number, status: number | null, duration_ms: number, operation = "read"): Exchange =>
  ({ id: nextId++, at, profile_id: "p", client_id: "c", operation, method: "GET", url: "https://op.example/reg/c?x=1", status, duration_ms, request_headers: [], request_body: null, response_headers: [], response_body: null, error: status === null ? "connection refused" : null }) as Exchange;

describe("history timeline", () => {
  it("says each outcome in words, from the status", () => {
    expect([200, 201, 302, 401, 404, 500, 503, null].map(outcomeOf)).toEqual(["ok", "ok", "redirect", "client-error", "client-error", "server-error", "server-error", "no-answer"]);
  });

  it("groups by local day, newest first, and labels today and yesterday", () => {
    const days = timeline([x(now - 86_400, 200, 10), x(now - 60, 201, 40, "register"), x(now - 3 * 86_400, 500, 5), x(now - 30, 200, 20)], now);
    expect(days.map((d) => d.label.slice(0, 9))).toEqual(["Today", "Yesterday", expect.not.stringMatching(/Today|Yesterday/)]);
    expect(days[0]?.entries.map((e) => e.exchange.at)).toEqual([now - 30, now - 60]);
    expect(days[2]?.entries[0]?.outcome).toBe("server-error");
  });

  it("scales duration bars to the slowest exchange, never invisibly thin", () => {
    const [day] = timeline([x(now, 200, 400), x(now - 1, 200, 100), x(now - 2, 200, 0)], now);
    expect(day?.entries.map((e) => e.bar)).toEqual([100, 25, 2]);
  });

  it("notes quiet gaps of ten minutes or more", () => {
    expect(gapWords(599)).toBeNull();
    expect(gapWords(600)).toBe("10 min earlier");
    expect(gapWords(3 * 3600 + 5)).toBe("3 h earlier");
    expect(gapWords(2 * 86_400)).toBe("2 d earlier");
    const [day] = timeline([x(now, 200, 1), x(now - 7200, 200, 1), x(now - 7260, 200, 1)], now);
    expect(day?.entries.map((e) => e.gapBelow)).toEqual(["2 h earlier", null, null]);
  });

  it("summarises counts, failures and durations", () => {
    expect(summary([])).toEqual({ count: 0, failed: 0, medianMs: null, slowestMs: null });
    expect(summary([x(now, 200, 10), x(now, 404, 30), x(now, null, 20), x(now, 302, 40)])).toEqual({ count: 4, failed: 2, medianMs: 25, slowestMs: 40 });
  });

  it("keeps the path of a URL, and anything unparsable as it was", () => {
    expect(shortUrl("https://op.example/reg/c?x=1")).toBe("/reg/c?x=1");
    expect(shortUrl("not a url")).toBe("not a url");
    expect(dayKey(now)).toBe("2026-12-07");
  });
});
