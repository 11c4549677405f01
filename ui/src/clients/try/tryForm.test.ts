import { describe, expect, it } from "vitest";
import type { ResourceAnswer } from "../../bindings";
import { answerHeadline, connectForm, defaultGrant, grantsOf, isLoopback, parseParams, pollText, redirectsOf, svgDataUrl, toOptions, emptyForm } from "./tryForm";

describe("grantsOf", () => {
  it("keeps the registered grants a try can use", () => {
    expect(grantsOf({ grant_types: ["authorization_code", "refresh_token"] })).toEqual(["authorization_code"]);
    expect(grantsOf({ grant_types: ["urn:ietf:params:oauth:grant-type:device_code", "client_credentials"] })).toEqual(["device_code", "client_credentials"]);
  });
  it("defaults to authorization_code when grant_types is absent (RFC 7591)", () => {
    expect(grantsOf({})).toEqual(["authorization_code"]);
  });
  it("follows what was sent when the provider's answer has no grant_types (WSO2)", () => {
    expect(grantsOf({}, { grant_types: ["client_credentials"] })).toEqual(["client_credentials"]);
    expect(grantsOf({ grant_types: ["authorization_code"] }, { grant_types: ["client_credentials"] })).toEqual(["authorization_code"]);
    expect(grantsOf({}, {})).toEqual(["authorization_code"]);
  });
  it("offers all when none registered is usable", () => {
    expect(grantsOf({ grant_types: ["implicit"] })).toHaveLength(3);
  });
});

describe("defaultGrant", () => {
  it("prefers no user, then the browser, then a device", () => {
    expect(defaultGrant(["authorization_code", "client_credentials"])).toBe("client_credentials");
    expect(defaultGrant(["device_code", "authorization_code"])).toBe("authorization_code");
    expect(defaultGrant(["device_code"])).toBe("device_code");
  });
});

describe("redirects", () => {
  it("tells loopback redirect URIs", () => {
    expect(isLoopback("http://127.0.0.1:8080/callback")).toBe(true);
    expect(isLoopback("http://localhost/cb")).toBe(true);
    expect(isLoopback("http://[::1]:9/cb")).toBe(true);
    expect(isLoopback("https://127.0.0.1/cb")).toBe(false);
    expect(isLoopback("com.example:/cb")).toBe(false);
    expect(isLoopback("not a url")).toBe(false);
    expect(redirectsOf({ redirect_uris: ["http://127.0.0.1:1/cb", "https://app.example/cb", 3] })).toEqual({ loopback: ["http://127.0.0.1:1/cb"], paste: ["https://app.example/cb"] });
  });
});

describe("parseParams", () => {
  it("reads NAME=VALUE lines", () => {
    expect(parseParams("a=1\n\n b = x=y \n")).toEqual({ params: [["a", "1"], ["b", "x=y"]], error: null });
  });
  it("refuses a line without a name", () => {
    expect(parseParams("=1").error).toContain("NAME=VALUE");
    expect(parseParams("novalue").error).toContain("novalue");
  });
});

describe("toOptions", () => {
  it("sends blanks as none", () => {
    const { options, error } = toOptions({ ...emptyForm(), scope: " openid profile ", resource: "https://a https://b", extra: "ui_locales=fr" });
    expect(error).toBeNull();
    expect(options).toEqual({ scope: "openid profile", prompt: null, acr_values: null, login_hint: null, resource: ["https://a", "https://b"], extra: [["ui_locales", "fr"]], paste_redirect_uri: null, add_loopback: false });
  });
  it("adds a loopback redirect URI only when listening", () => {
    expect(toOptions({ ...emptyForm(), addLoopback: true }).options.add_loopback).toBe(true);
    const pasting = toOptions({ ...emptyForm(), addLoopback: true, pasteRedirect: "https://app.example/cb" }).options;
    expect(pasting).toMatchObject({ add_loopback: false, paste_redirect_uri: "https://app.example/cb" });
  });
});

describe("pollText", () => {
  it("says slow_down", () => {
    expect(pollText({ kind: "slow_down", attempt: 3, interval: 10 })).toContain("slow down: polling every 10 s");
    expect(pollText({ kind: "pending", attempt: 1, next_poll_in: 5 })).toContain("poll 1");
  });
});

describe("svgDataUrl", () => {
  it("encodes as base64", () => {
    expect(svgDataUrl("<svg/>")).toBe(`data:image/svg+xml;base64,${btoa("<svg/>")}`);
  });
});

describe("connect to a bound resource", () => {
  const bound = { url: "http://127.0.0.1:9/mcp", resource: "http://127.0.0.1:9/mcp", scopes: ["mcp:tools", "mcp:read"], protocol: "mcp" as const, metadata_url: null };
  it("asks for the resource and its scopes", () => {
    const form = connectForm({ ...emptyForm(), loginHint: "ann" }, bound);
    expect(form).toMatchObject({ resource: "http://127.0.0.1:9/mcp", scope: "mcp:tools mcp:read", loginHint: "ann" });
    expect(toOptions(form).options.resource).toEqual(["http://127.0.0.1:9/mcp"]);
  });
  it("asks again with the scopes an insufficient_scope names", () => {
    expect(connectForm(emptyForm(), bound, ["openid", "admin"]).scope).toBe("openid admin");
    expect(connectForm(emptyForm(), { ...bound, scopes: undefined }).scope).toBe("");
  });
  const answer = (over: Partial<ResourceAnswer>): ResourceAnswer => ({
    url: bound.url, protocol: "mcp", status: 200, succeeded: true, mcp: null, content_type: "application/json",
    body_preview: null, challenge: null, reauthorize_scopes: null, problems: [], ...over,
  });
  it("sums up an answer", () => {
    const mcp = { protocol_version: "2025-06-18", name: "mock-mcp", version: "1.0", title: null, capabilities: ["tools"], capabilities_document: {}, instructions: null, session_id: null };
    expect(answerHeadline(answer({ mcp }))).toBe("HTTP 200: mock-mcp 1.0, MCP protocol 2025-06-18");
    expect(answerHeadline(answer({ status: 403, succeeded: false, content_type: null }))).toBe("HTTP 403: the resource did not accept the call");
    expect(answerHeadline(answer({ protocol: "http" }))).toBe("HTTP 200 (application/json): the resource accepted the token");
  });
});
