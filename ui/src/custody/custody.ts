// The logic of the "Keys & certificates" screens, kept out of components so it can be
// tested: key kinds and their algorithms, how a key's and a certificate's times read,
// which client authentication methods the profile's keys allow, and the forms' payloads.
import type { CertificateSubject } from "../bindings";
import type { JsonValue } from "../bindings";
import type { KeyRecord } from "../bindings";
import type { NewKey } from "../bindings";
import { expiryLevel, type ExpiryLevel } from "../lib/format";

export type KeyKind = "p256" | "rsa" | "ed25519";

/** Each kind with what the user reads and the algorithms it signs with (default first). */
export const KINDS: { kind: KeyKind; label: string; algs: string[] }[] = [
  { kind: "p256", label: "EC P-256", algs: ["ES256"] },
  { kind: "rsa", label: "RSA", algs: ["PS256", "RS256"] },
  { kind: "ed25519", label: "Ed25519", algs: ["EdDSA"] },
];

/** The algorithms a kind signs with; FAPI allows PS256 and ES256 only. */
export function algsFor(kind: KeyKind, fapi = false): string[] {
  const algs = KINDS.find((k) => k.kind === kind)?.algs ?? [];
  return fapi ? algs.filter((a) => a === "PS256" || a === "ES256") : algs;
}

/** The kinds a profile may generate (under FAPI, those with an allowed algorithm). */
export function kindsFor(fapi: boolean): typeof KINDS {
  return KINDS.filter((k) => algsFor(k.kind, fapi).length > 0);
}

/** What the generate form sends. */
export function newKey(kind: KeyKind, alg: string, label: string, clientId: string | null = null, rsaBits = 2048): NewKey {
  return { kind, alg: alg || null, rsa_bits: kind === "rsa" ? rsaBits : null, client_id: clientId, label: label.trim() || null };
}

/** A kid is a 43-character thumbprint: its start is enough to tell keys apart. */
export function shortKid(kid: string): string {
  return kid.length > 12 ? `${kid.slice(0, 10)}…` : kid;
}

/** How close a key's certificate is to its end ("soon": within 30 days). */
export function certificateLevel(key: KeyRecord, now: number): ExpiryLevel {
  return key.certificate ? expiryLevel(key.certificate.not_after, now) : "none";
}

/** Whether a key is still published and used. */
export function isActive(key: KeyRecord, now: number): boolean {
  return key.retire_at === null || key.retire_at > now;
}

/** The certificate form's fields as typed. */
export interface SubjectForm {
  common_name: string;
  organization: string;
  organizational_unit: string;
  country: string;
  /** DNS names, separated by commas or spaces. */
  dns_names: string;
  days: number;
}

export function emptySubject(commonName = ""): SubjectForm {
  return { common_name: commonName, organization: "", organizational_unit: "", country: "", dns_names: "", days: 365 };
}

/** The subject the core takes; empty fields left out. */
export function toSubject(f: SubjectForm): CertificateSubject {
  const opt = (s: string) => s.trim() || null;
  return {
    common_name: f.common_name.trim(),
    organization: opt(f.organization),
    organizational_unit: opt(f.organizational_unit),
    country: opt(f.country)?.toUpperCase() ?? null,
    dns_names: f.dns_names.split(/[\s,]+/).map((d) => d.trim()).filter(Boolean),
  };
}

/** What is wrong with the certificate form, before anything is sent; "" when nothing. */
export function subjectProblem(f: SubjectForm): string {
  if (!f.common_name.trim()) return "The certificate needs a common name (CN).";
  const c = f.country.trim();
  if (c && !/^[A-Za-z]{2}$/.test(c)) return "The country is a two-letter code (GB, DE, BR).";
  if (!Number.isInteger(f.days) || f.days < 1) return "The certificate must be valid for at least one day.";
  return "";
}

/** The client authentication methods that use keys or certificates. */
export const KEY_METHODS = ["private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth"] as const;
export type KeyMethod = (typeof KEY_METHODS)[number];

export function isKeyMethod(method: string): method is KeyMethod {
  return (KEY_METHODS as readonly string[]).includes(method);
}

/** Keys a method can use: any active key for private_key_jwt, one with a certificate for
 *  the TLS methods (self-signed or not, as the method says). */
export function keysFor(method: KeyMethod, keys: KeyRecord[], now: number): KeyRecord[] {
  return keys.filter((k) => {
    if (!isActive(k, now)) return false;
    if (method === "private_key_jwt") return true;
    if (!k.certificate || k.certificate.not_after <= now) return false;
    return method === "self_signed_tls_client_auth" ? k.certificate.self_signed : !k.certificate.self_signed;
  });
}

/** Why a method has no key to use, in words; "" when it has one. */
export function missingFor(method: KeyMethod, keys: KeyRecord[], now: number): string {
  if (keysFor(method, keys, now).length) return "";
  if (method === "private_key_jwt") return "The profile has no key yet: generate one here.";
  if (method === "self_signed_tls_client_auth") return "No key has a self-signed certificate: make one in Keys & certificates.";
  return "No key has a CA-issued certificate: create a CSR in Keys & certificates and import the CA's answer.";
}

/** The metadata fields a key fills for a method: its public JWK in `jwks` (private_key_jwt,
 *  self-signed TLS, whose certificate travels in the JWK's x5c) and, for tls_client_auth,
 *  the certificate's subject DN. */
export function fieldsFor(method: KeyMethod, key: KeyRecord): Record<string, JsonValue> {
  const fields: Record<string, JsonValue> = {};
  if (method !== "tls_client_auth") fields.jwks = { keys: [key.public_jwk] };
  if (method === "tls_client_auth" && key.certificate) fields.tls_client_auth_subject_dn = key.certificate.subject_dn;
  return fields;
}

/** The claims a locally signed software statement starts from, Open Banking style. */
export function claimsTemplate(softwareId: string, redirectUri: string): string {
  return JSON.stringify(
    {
      software_id: softwareId,
      software_client_name: "Registrar test software",
      software_redirect_uris: [redirectUri],
      software_roles: ["AISP", "PISP"],
      org_id: "0015800001041RHAAY",
    },
    null,
    2,
  );
}

/** Parses the claims typed for a locally signed SSA. */
export function parseClaims(text: string): { ok: true; claims: JsonValue } | { ok: false; error: string } {
  try {
    const v = JSON.parse(text) as unknown;
    if (v === null || typeof v !== "object" || Array.isArray(v)) return { ok: false, error: "The claims must be a JSON object." };
    return { ok: true, claims: v as JsonValue };
  } catch (e) {
    return { ok: false, error: `The claims are not JSON: ${(e as Error).message}` };
  }
}
