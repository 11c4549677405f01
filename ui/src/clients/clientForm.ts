// The register / edit form's logic, kept out of components so it can be tested: the form
// fields RFC 7591 and OIDC DCR define, templates for common client types, the grant and
// response type rules shown live, and a lossless round trip to the raw JSON (every field
// the form has no input for is kept as it is).
import type { ClientMetadata } from "../bindings";
import type { FieldError } from "../bindings";
import type { JsonValue } from "../bindings";

export interface ClientForm {
  client_name: string;
  application_type: "web" | "native";
  redirect_uris: string[];
  grant_types: string[];
  response_types: string[];
  token_endpoint_auth_method: string;
  scope: string;
  contacts: string[];
  client_uri: string;
  logo_uri: string;
  policy_uri: string;
  tos_uri: string;
  jwks_uri: string;
  /** Every other field, vendor or standard, kept untouched. */
  extra: Record<string, JsonValue>;
}

const TEXT_FIELDS = ["client_name", "token_endpoint_auth_method", "scope", "client_uri", "logo_uri", "policy_uri", "tos_uri", "jwks_uri"] as const;
const LIST_FIELDS = ["redirect_uris", "grant_types", "response_types", "contacts"] as const;
/** Set by the provider: never edited, never sent back by the form. */
export const PROVIDER_FIELDS = ["client_id", "client_secret", "registration_access_token", "registration_client_uri", "client_id_issued_at", "client_secret_expires_at"];

export const GRANT_TYPES = ["authorization_code", "implicit", "refresh_token", "client_credentials", "password", "urn:ietf:params:oauth:grant-type:jwt-bearer", "urn:ietf:params:oauth:grant-type:device_code"];
export const RESPONSE_TYPES = ["code", "token", "id_token", "id_token token", "code id_token", "code token", "code id_token token"];
export const AUTH_METHODS = ["client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth", "none"];

export function emptyForm(): ClientForm {
  return {
    client_name: "",
    application_type: "web",
    redirect_uris: [],
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
    scope: "",
    contacts: [],
    client_uri: "",
    logo_uri: "",
    policy_uri: "",
    tos_uri: "",
    jwks_uri: "",
    extra: {},
  };
}

export type TemplateName = "web" | "spa" | "native" | "m2m";

/** Scopes that ask for a person's identity (OpenID Connect Core 1.0 section 5.4, and
 *  `offline_access` of section 11): they need a user, so a machine-to-machine client
 *  never asks for them. A template sets these; every other scope is the person's own. */
export const IDENTITY_SCOPES = ["openid", "profile", "email", "address", "phone", "offline_access"];

/** Each template's scopes: a web app signs people in and reads their name and e-mail; a
 *  single-page app the same without a refresh token kept for long; a native app signs in
 *  and stays signed in (offline_access, with its refresh token); a machine-to-machine
 *  client acts for no one, so none of them (its API's scopes are typed by the person). */
export const TEMPLATE_SCOPES: Record<TemplateName, string[]> = {
  web: ["openid", "profile", "email"],
  spa: ["openid", "profile"],
  native: ["openid", "profile", "offline_access"],
  m2m: [],
};

/** The template's scopes, then the scopes the person typed: identity scopes the previous
 *  template (or anyone) put in go, the rest stay, in their order. */
export function withTemplateScopes(scope: string, name: TemplateName): string {
  const own = scope.split(/\s+/).filter((w) => w && !IDENTITY_SCOPES.includes(w));
  return [...new Set([...TEMPLATE_SCOPES[name], ...own])].join(" ");
}

export const TEMPLATES: Record<TemplateName, { label: string; apply: (f: ClientForm) => ClientForm }> = {
  web: {
    label: "Web application",
    apply: (f) => ({ ...f, application_type: "web", grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "client_secret_basic", scope: withTemplateScopes(f.scope, "web") }),
  },
  spa: {
    label: "Single-page app (PKCE)",
    apply: (f) => ({ ...f, application_type: "web", grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "none", scope: withTemplateScopes(f.scope, "spa") }),
  },
  native: {
    label: "Native app",
    apply: (f) => ({ ...f, application_type: "native", grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "none", redirect_uris: f.redirect_uris.length ? f.redirect_uris : ["http://127.0.0.1/callback"], scope: withTemplateScopes(f.scope, "native") }),
  },
  m2m: {
    label: "Machine to machine",
    apply: (f) => ({ ...f, application_type: "web", grant_types: ["client_credentials"], response_types: [], redirect_uris: [], token_endpoint_auth_method: "client_secret_basic", scope: withTemplateScopes(f.scope, "m2m") }),
  },
};

/** The form filled from the core's MCP client template (`mcp_client_template`, issue 18):
 *  its fields replace the flow's (redirect URIs, grants, authentication, type); what only
 *  describes the client (contacts, its URIs) stays. A scope is not part of it: MCP clients
 *  ask for the resource's scopes when they authorize. */
export function withMcpTemplate(f: ClientForm, template: ClientMetadata): ClientForm {
  const t = fromMetadata(template);
  return { ...t, contacts: f.contacts, client_uri: f.client_uri, logo_uri: f.logo_uri, policy_uri: f.policy_uri, tos_uri: f.tos_uri };
}

/** The grant types a set of response types needs (RFC 7591 section 2.1). */
export function requiredGrants(responseTypes: string[]): string[] {
  const parts = new Set(responseTypes.flatMap((r) => r.split(" ")));
  const grants: string[] = [];
  if (parts.has("code")) grants.push("authorization_code");
  if (parts.has("token") || parts.has("id_token")) grants.push("implicit");
  return grants;
}

/** Live messages about grant and response types, before the core's full check. */
export function flowHints(f: ClientForm): FieldError[] {
  const hints: FieldError[] = [];
  for (const g of requiredGrants(f.response_types)) {
    if (!f.grant_types.includes(g)) hints.push({ field: "grant_types", message: `needs ${g} for the chosen response types` });
  }
  const redirectFlow = f.grant_types.includes("authorization_code") || f.grant_types.includes("implicit");
  if (redirectFlow && f.redirect_uris.filter((u) => u.trim()).length === 0) {
    hints.push({ field: "redirect_uris", message: "needs at least one URI for authorization_code or implicit" });
  }
  if (f.token_endpoint_auth_method === "none" && f.grant_types.includes("client_credentials")) {
    hints.push({ field: "token_endpoint_auth_method", message: "none (a public client) cannot use client_credentials" });
  }
  return hints;
}

/** Toggles a value in a list, keeping the list's order. */
export function toggle(list: string[], value: string): string[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

/** The metadata the form describes: empty fields left out, every extra field kept. */
export function toMetadata(f: ClientForm): ClientMetadata {
  const meta: Record<string, JsonValue> = { ...f.extra };
  for (const k of TEXT_FIELDS) {
    const v = f[k].trim();
    if (v) meta[k] = v;
    else delete meta[k];
  }
  meta.application_type = f.application_type;
  for (const k of LIST_FIELDS) {
    const items = f[k].map((v) => v.trim()).filter(Boolean);
    if (items.length || k === "grant_types" || k === "response_types") meta[k] = items;
    else delete meta[k];
  }
  return meta;
}

/** The form for metadata; fields without an input go to `extra`, provider fields are dropped. */
export function fromMetadata(meta: ClientMetadata): ClientForm {
  const f = emptyForm();
  const extra: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(meta)) {
    if (v === undefined || PROVIDER_FIELDS.includes(k)) continue;
    if ((TEXT_FIELDS as readonly string[]).includes(k) && typeof v === "string") {
      (f as unknown as Record<string, string>)[k] = v;
    } else if ((LIST_FIELDS as readonly string[]).includes(k) && Array.isArray(v) && v.every((x) => typeof x === "string")) {
      (f as unknown as Record<string, string[]>)[k] = v as string[];
    } else if (k === "application_type" && (v === "web" || v === "native")) {
      f.application_type = v;
    } else {
      extra[k] = v;
    }
  }
  if (!("grant_types" in meta)) f.grant_types = ["authorization_code"];
  if (!("response_types" in meta)) f.response_types = [];
  f.extra = extra;
  return f;
}

/** Parses the raw JSON editor's text into metadata, or says why it cannot. */
export function parseRaw(text: string): { ok: true; metadata: ClientMetadata } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not valid JSON: ${(e as Error).message}` };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, error: "must be a JSON object" };
  }
  return { ok: true, metadata: value as ClientMetadata };
}

/** The form's errors for one field: the core's messages and the live hints, by field. */
export function messagesFor(field: string, errors: FieldError[]): string[] {
  return errors.filter((e) => e.field === field || e.field.startsWith(`${field}[`)).map((e) => e.message);
}

/** The form field a message is about: `redirect_uris[2]` and `jwks.keys` are about
 *  `redirect_uris` and `jwks`. */
export function fieldBase(field: string): string {
  return field.split(/[[.]/)[0] ?? field;
}

/** The fields an input of the form (by its `data-testid`) stands for: typing there is
 *  being at them. The raw and vendor JSON editors stand for every field ("*"). */
export function touchedBy(testid: string): string[] {
  if (testid === "raw-json" || testid === "vendor-json") return ["*"];
  // The grant types a response type needs are said on the grant types.
  if (testid === "field-response_types") return ["response_types", "grant_types"];
  const list = /^(redirect_uris|contacts)-\d+$/.exec(testid);
  if (list?.[1]) return [list[1]];
  if (testid.startsWith("field-")) return [testid.slice("field-".length)];
  return [];
}

/** The messages to show: those about a field the person has been at (or all once a send
 *  was tried), each (field, message) once. */
export function visibleErrors(errors: FieldError[], touched: ReadonlySet<string>, attempted: boolean): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    if (!(attempted || touched.has("*") || touched.has(fieldBase(e.field)))) return false;
    const key = `${e.field}\u0000${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Whether `field` holds in `now` what it held when `sent` was sent (a message about the
 *  sent value still applies); true when nothing was sent. */
export function unchangedSince(sent: ClientMetadata | null, now: ClientMetadata, field: string): boolean {
  if (!sent) return true;
  const base = fieldBase(field);
  return JSON.stringify(sent[base] ?? null) === JSON.stringify(now[base] ?? null);
}

/** The fields the form shows messages next to. */
export const PLACED_FIELDS = ["client_name", "application_type", "redirect_uris", "grant_types", "response_types", "token_endpoint_auth_method", "scope", "contacts", "client_uri", "logo_uri", "policy_uri", "tos_uri", "jwks_uri"];

/** The banner over the form for a refused send. When every field the error names has its
 *  message next to the field, the banner only says so (and names the provider's code), so
 *  a message is not shown twice; otherwise it is the error in full. */
export function bannerFor(v: { code: string; message: string; fields: FieldError[]; provider_code: string | null }): string {
  if (!v.fields.length || !v.fields.every((f) => PLACED_FIELDS.includes(fieldBase(f.field)))) return v.message;
  const n = v.fields.length;
  const marked = n === 1 ? "the field marked below" : `the ${n} fields marked below`;
  if (v.code === "validation") return `Not sent: correct ${marked}.`;
  return `The provider refused it${v.provider_code ? ` (${v.provider_code})` : ""}: see ${marked}.`;
}
