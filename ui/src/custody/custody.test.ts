import { describe, expect, it } from "vitest";
import type { KeyRecord } from "../bindings";
import { algsFor, fieldsFor, keysFor, kindsFor, missingFor, parseClaims, shortKid, subjectProblem, emptySubject, toSubject } from "./custody";

const now = 1_800_000_000;
function key(kid: string, cert: { self_signed: boolean; not_after: number } | null = null, retire_at: number | null = null): KeyRecord {
  return {
    profile_id: "p", kid, kind: "p256", alg: "ES256", public_jwk: { kty: "EC", kid }, client_id: null, label: null, created_at: now - 10, retire_at,
    certificate: cert && { pem: "", subject_dn: `CN=${kid}`, issuer_dn: "CN=ca", serial: "01", not_before: now - 10, not_after: cert.not_after, san_dns: [], san_uri: [], san_ip: [], san_email: [], self_signed: cert.self_signed, x5t_s256: "" },
  };
}

describe("custody", () => {
  it("limits algorithms under FAPI", () => {
    expect(algsFor("rsa")).toEqual(["PS256", "RS256"]);
    expect(algsFor("rsa", true)).toEqual(["PS256"]);
    expect(kindsFor(true).map((k) => k.kind)).toEqual(["p256", "rsa"]);
  });
  it("shortens kids", () => {
    expect(shortKid("abc")).toBe("abc");
    expect(shortKid("0123456789abcdefghij")).toBe("0123456789…");
  });
  it("offers the keys a method can use", () => {
    const keys = [key("plain"), key("self", { self_signed: true, not_after: now + 100 }), key("pki", { self_signed: false, not_after: now + 100 }), key("old", null, now - 1), key("lapsed", { self_signed: true, not_after: now - 1 })];
    expect(keysFor("private_key_jwt", keys, now).map((k) => k.kid)).toEqual(["plain", "self", "pki", "lapsed"]);
    expect(keysFor("self_signed_tls_client_auth", keys, now).map((k) => k.kid)).toEqual(["self"]);
    expect(keysFor("tls_client_auth", keys, now).map((k) => k.kid)).toEqual(["pki"]);
    expect(missingFor("tls_client_auth", [key("plain")], now)).toMatch(/CSR/);
  });
  it("fills jwks or the subject DN", () => {
    expect(fieldsFor("private_key_jwt", key("a"))).toEqual({ jwks: { keys: [{ kty: "EC", kid: "a" }] } });
    expect(fieldsFor("tls_client_auth", key("b", { self_signed: false, not_after: now + 1 }))).toEqual({ tls_client_auth_subject_dn: "CN=b" });
  });
  it("checks the certificate form", () => {
    expect(subjectProblem(emptySubject())).toMatch(/common name/);
    expect(subjectProblem({ ...emptySubject("client"), country: "GBR" })).toMatch(/two-letter/);
    expect(toSubject({ ...emptySubject("client"), country: "gb", dns_names: "a.example, b.example" })).toEqual({
      common_name: "client", organization: null, organizational_unit: null, country: "GB", dns_names: ["a.example", "b.example"],
    });
  });
  it("parses claims", () => {
    expect(parseClaims("[]").ok).toBe(false);
    expect(parseClaims("{").ok).toBe(false);
    expect(parseClaims('{"software_id":"x"}')).toEqual({ ok: true, claims: { software_id: "x" } });
  });
});
