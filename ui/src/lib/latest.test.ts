import { describe, expect, it } from "vitest";
import { latestOnly } from "./latest";

function later<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe("latestOnly", () => {
  it("delivers only the newest question's answer, whatever order they arrive in", async () => {
    const ask = latestOnly<string>();
    const seen: string[] = [];
    const withSecrets = later<string>();
    const without = later<string>();
    ask(withSecrets.promise, (v) => seen.push(v));
    ask(without.promise, (v) => seen.push(v));
    without.resolve("no secrets");
    withSecrets.resolve("SECRET=s3cret");
    await Promise.resolve();
    await Promise.resolve();
    expect(seen).toEqual(["no secrets"]);
  });

  it("reports only the newest question's failure", async () => {
    const ask = latestOnly<string>();
    const errors: unknown[] = [];
    const old = later<string>();
    const fresh = later<string>();
    ask(old.promise, () => {}, (e) => errors.push(e));
    ask(fresh.promise, () => {}, (e) => errors.push(e));
    old.reject("stale");
    fresh.reject("current");
    await new Promise((r) => setTimeout(r, 0));
    expect(errors).toEqual(["current"]);
  });
});
