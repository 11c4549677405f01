import { describe, expect, it } from "vitest";
import { curlFor, shellQuote } from "./curl";

describe("curl", () => {
  it("quotes for the shell only what needs it", () => {
    expect(shellQuote("https://idp.example/reg?x=1")).toBe("'https://idp.example/reg?x=1'");
    expect(shellQuote("GET")).toBe("GET");
    expect(shellQuote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
  });

  it("builds the request as the history holds it, redactions kept", () => {
    const text = curlFor({
      method: "PUT",
      url: "https://idp.example/register/abc",
      request_headers: [
        ["authorization", "Bearer [redacted]"],
        ["content-type", "application/json"],
        ["content-length", "42"],
        ["host", "idp.example"],
      ],
      request_body: `{"client_name":"O'Brien","client_secret":"[redacted]"}`,
    });
    expect(text).toBe(
      [
        "curl -X PUT https://idp.example/register/abc",
        "-H 'authorization: Bearer [redacted]'",
        "-H 'content-type: application/json'",
        `--data-raw '{"client_name":"O'\\''Brien","client_secret":"[redacted]"}'`,
      ].join(" \\\n  "),
    );
  });

  it("sends no body when there is none", () => {
    expect(curlFor({ method: "GET", url: "https://idp.example/r", request_headers: [], request_body: null })).toBe("curl -X GET https://idp.example/r");
  });
});
