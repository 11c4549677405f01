import { describe, expect, it } from "vitest";
import { tokenize, type Token } from "./jsonTokens";

const kinds = (text: string) => tokenize(text).filter((t) => t.kind !== "plain").map((t) => [t.kind, t.text]);
const joined = (tokens: Token[]) => tokens.map((t) => t.text).join("");

describe("JSON tokens", () => {
  it("tells keys, strings, numbers, booleans, null and punctuation", () => {
    expect(kinds('{"a": "b", "n": -1.5e3, "t": true, "f": false, "z": null, "l": [1]}')).toEqual([
      ["punct", "{"], ["key", '"a"'], ["punct", ":"], ["string", '"b"'], ["punct", ","],
      ["key", '"n"'], ["punct", ":"], ["number", "-1.5e3"], ["punct", ","],
      ["key", '"t"'], ["punct", ":"], ["boolean", "true"], ["punct", ","],
      ["key", '"f"'], ["punct", ":"], ["boolean", "false"], ["punct", ","],
      ["key", '"z"'], ["punct", ":"], ["null", "null"], ["punct", ","],
      ["key", '"l"'], ["punct", ":"], ["punct", "["], ["number", "1"], ["punct", "]"], ["punct", "}"],
    ]);
  });

  it("keeps escaped quotes inside a string, and a key on its own line before its colon", () => {
    expect(kinds('{"say \\"hi\\"": "a \\" b"}')).toEqual([["punct", "{"], ["key", '"say \\"hi\\""'], ["punct", ":"], ["string", '"a \\" b"'], ["punct", "}"]]);
    expect(kinds('{"k"\n  : 1}')[1]).toEqual(["key", '"k"']);
  });

  it("never throws on malformed or half-typed JSON, and loses nothing", () => {
    const broken = ['{"a": ', '{"unterminated', '{"a": tru', "nul", "}{]:,", "-", '"\\', "{\n  \"x\": [1, 2,\n", "", "ünïcødé 🙂 {\"é\": \"ü\"}"];
    for (const text of broken) {
      expect(() => tokenize(text)).not.toThrow();
      expect(joined(tokenize(text))).toBe(text);
    }
    // An unterminated string stops at the end of its line: the next line is read again.
    expect(kinds('"open\n"k": 1')).toEqual([["string", '"open'], ["key", '"k"'], ["punct", ":"], ["number", "1"]]);
    // Words that only start like true/false/null are plain text.
    expect(kinds("trueish nullable")).toEqual([]);
  });
});

describe("tokenize at length", () => {
  it("stays lossless on a long document of numbers and words", () => {
    const text = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ n: i, ok: i % 2 === 0, v: null })));
    const tokens = tokenize(text);
    expect(tokens.map((t) => t.text).join("")).toBe(text);
    expect(tokens.filter((t) => t.kind === "number")).toHaveLength(20_000);
    expect(tokens.filter((t) => t.kind === "boolean")).toHaveLength(20_000);
  });
});
