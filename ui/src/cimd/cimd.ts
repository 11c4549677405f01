// The Client ID Metadata Document dialog's logic (issue 18), kept out of the component so
// it can be tested: the metadata edited as fields and as JSON at once, the core's problems
// placed next to the field they name (those without an input of their own next to the
// JSON), and the name the document is served under on this machine.
import type { ClientMetadata, FieldError, JsonValue } from "../bindings";

/** The URL's field: the document's URL is its client_id. */
export const URL_FIELD = "client_id";

/** The text fields the dialog has an input for (the https links the draft checks among them). */
export const TEXT_FIELDS = ["client_name", "token_endpoint_auth_method", "client_uri", "logo_uri", "policy_uri", "tos_uri", "jwks_uri"] as const;
export const LINK_FIELDS = ["client_uri", "logo_uri", "policy_uri", "tos_uri", "jwks_uri"] as const;
/** The list fields the dialog has an input for. */
export const LIST_FIELDS = ["redirect_uris"] as const;
/** Authentication without a shared secret, which is all a public document may use. */
export const AUTH_METHODS = ["none", "private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth"] as const;

type TextField = (typeof TEXT_FIELDS)[number];
type ListField = (typeof LIST_FIELDS)[number];

/** A text field's value ("" when absent or not text). */
export function textOf(m: ClientMetadata, field: TextField): string {
  const v = m[field];
  return typeof v === "string" ? v : "";
}

/** A list field's items (none when absent or not a list of strings). */
export function listOf(m: ClientMetadata, field: ListField): string[] {
  const v = m[field];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** The metadata with a text field set, or removed when blank; every other field kept. */
export function withText(m: ClientMetadata, field: TextField, value: string): ClientMetadata {
  const next: Record<string, JsonValue> = { ...(m as Record<string, JsonValue>) };
  if (value.trim()) next[field] = value.trim();
  else delete next[field];
  return next;
}

/** The metadata with a list field set, blank items dropped (the field removed when none is left). */
export function withList(m: ClientMetadata, field: ListField, items: string[]): ClientMetadata {
  const next: Record<string, JsonValue> = { ...(m as Record<string, JsonValue>) };
  const kept = items.map((v) => v.trim()).filter(Boolean);
  if (kept.length) next[field] = kept;
  else delete next[field];
  return next;
}

/** The metadata from the MCP client template, the name typed kept (the template's when none). */
export function fromTemplate(current: ClientMetadata, template: ClientMetadata): ClientMetadata {
  const name = textOf(current, "client_name");
  return name ? { ...template, client_name: name } : { ...template };
}

/** The metadata as the JSON editor shows it: without the client_id, which is the URL. */
export function toJson(m: ClientMetadata): string {
  const shown: Record<string, JsonValue> = { ...(m as Record<string, JsonValue>) };
  delete shown[URL_FIELD];
  return JSON.stringify(shown, null, 2);
}

/** The JSON editor's text as metadata, or why it is not. */
export function parseJson(text: string): { ok: true; metadata: ClientMetadata } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not valid JSON: ${(e as Error).message}` };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { ok: false, error: "must be a JSON object" };
  return { ok: true, metadata: value as ClientMetadata };
}

/** The base field a problem is about (`redirect_uris[1]` is about `redirect_uris`). */
function base(field: string): string {
  return field.replace(/\[.*$/, "");
}

/** The messages for one field. */
export function messagesFor(field: string, errors: FieldError[]): string[] {
  return errors.filter((e) => base(e.field) === field).map((e) => e.message);
}

/** The problems about fields the dialog has no input for (client_secret...): shown by the
 *  JSON editor, each with its field's name. */
export function otherErrors(errors: FieldError[]): FieldError[] {
  const shown = new Set<string>([URL_FIELD, ...TEXT_FIELDS, ...LIST_FIELDS]);
  return errors.filter((e) => !shown.has(base(e.field)));
}

/** Whether the metadata can be served on this machine: its only problems, if any, are the
 *  URL's (serving gives it a URL of its own). */
export function servable(errors: FieldError[]): boolean {
  return errors.every((e) => base(e.field) === URL_FIELD);
}

/** The name to serve the document under (`https://localhost:PORT/NAME.json`): the URL's
 *  last segment without `.json`, in letters, digits, `-` and `_`; else "client". */
export function servedName(url: string): string {
  let last = "";
  try {
    last = new URL(url).pathname.split("/").filter(Boolean).pop() ?? "";
  } catch {
    last = "";
  }
  const name = decodeURIComponent(last.replace(/%(?![0-9a-f]{2})/gi, "%25"))
    .replace(/\.json$/i, "")
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return name || "client";
}

/** Whether a served name is one the core accepts. */
export function validName(name: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(name);
}
