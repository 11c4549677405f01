// The try wizard's form: which grants a client can be tried with, and the form's fields
// turned into the `try_begin` command's options. What a grant needs and whether it can
// work is the core's to say (`try_begin` refuses with a message); this only reads the
// client's metadata to offer sensible choices.
import type { BoundResource, ClientMetadata, PollEvent, ResourceAnswer, TryGrant, TryOptions } from "../../bindings";

export const GRANTS: { id: TryGrant; label: string }[] = [
  { id: "authorization_code", label: "Authorization code (browser, PKCE)" },
  { id: "device_code", label: "Device code" },
  { id: "client_credentials", label: "Client credentials" },
];

const PROTOCOL: Record<TryGrant, string> = {
  authorization_code: "authorization_code",
  device_code: "urn:ietf:params:oauth:grant-type:device_code",
  client_credentials: "client_credentials",
};

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** The grants a try can use that the client is registered for (all, when it says none).
 *  Where the provider left grant_types out of its answer (WSO2 does), what was sent for
 *  the client says, as the core's `try_target` decides. */
export function grantsOf(returned: ClientMetadata, sent: ClientMetadata | null = null): TryGrant[] {
  const metadata = !("grant_types" in returned) && sent && "grant_types" in sent ? sent : returned;
  const registered = strings(metadata.grant_types);
  const grants = GRANTS.map((g) => g.id);
  // RFC 7591: no grant_types means ["authorization_code"].
  if (!("grant_types" in metadata)) return ["authorization_code"];
  const usable = grants.filter((g) => registered.includes(PROTOCOL[g]));
  return usable.length ? usable : grants;
}

/** The grant the wizard starts on: the core's order (no user first, then the browser, then a device). */
export function defaultGrant(grants: TryGrant[]): TryGrant {
  for (const g of ["client_credentials", "authorization_code", "device_code"] as TryGrant[]) if (grants.includes(g)) return g;
  return "authorization_code";
}

/** Whether a redirect URI is a loopback one the app can listen on. */
export function isLoopback(uri: string): boolean {
  try {
    const u = new URL(uri);
    return u.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname);
  } catch {
    return false;
  }
}

/** The client's redirect URIs, split into those the app listens on and those to paste from. */
export function redirectsOf(metadata: ClientMetadata): { loopback: string[]; paste: string[] } {
  const all = strings(metadata.redirect_uris);
  return { loopback: all.filter(isLoopback), paste: all.filter((u) => !isLoopback(u)) };
}

/** `NAME=VALUE` lines as parameters; a line without a name or `=` is an error. */
export function parseParams(text: string): { params: [string, string][]; error: string | null } {
  const params: [string, string][] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    const at = line.indexOf("=");
    if (at <= 0) return { params, error: `"${line}": expected NAME=VALUE` };
    params.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
  }
  return { params, error: null };
}

export interface TryForm {
  scope: string;
  prompt: string;
  loginHint: string;
  acrValues: string;
  resource: string;
  extra: string;
  /** "" listens on the loopback redirect URI; else the registered redirect URI to paste from. */
  pasteRedirect: string;
  /** With no loopback redirect URI registered: add one for the try (the person agreed). */
  addLoopback: boolean;
}

export const emptyForm = (): TryForm => ({ scope: "", prompt: "", loginHint: "", acrValues: "", resource: "", extra: "", pasteRedirect: "", addLoopback: false });

const orNull = (s: string): string | null => (s.trim() ? s.trim() : null);

/** The form as `try_begin`'s options, or the first error in it. */
export function toOptions(form: TryForm): { options: TryOptions; error: string | null } {
  const { params, error } = parseParams(form.extra);
  return {
    options: {
      scope: orNull(form.scope),
      prompt: orNull(form.prompt),
      acr_values: orNull(form.acrValues),
      login_hint: orNull(form.loginHint),
      resource: form.resource.split(/\s+/).filter(Boolean),
      extra: params,
      paste_redirect_uri: orNull(form.pasteRedirect),
      add_loopback: !orNull(form.pasteRedirect) && form.addLoopback,
    },
    error,
  };
}

/** A device poll in words. */
export function pollText(poll: PollEvent): string {
  switch (poll.kind) {
    case "pending":
      return `Waiting for the user (poll ${poll.attempt}; next in ${poll.next_poll_in} s)`;
    case "slow_down":
      return `The provider asked to slow down: polling every ${poll.interval} s (poll ${poll.attempt})`;
    case "network_error":
      return `Poll ${poll.attempt} got no answer (${poll.message}); trying again`;
    default:
      return `Poll ${poll.attempt}: answered`;
  }
}

/** An SVG as a data: URL for an <img> (never inserted as markup). */
export function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** The form for "Connect" to a profile's bound resource (issue 18): the authorization code
 *  grant's `resource` is the resource indicator, its `scope` the resource's scopes (or
 *  `scopes`, the ones to authorize again with); the other fields stay as they were. */
export function connectForm(form: TryForm, bound: BoundResource, scopes: string[] | null = null): TryForm {
  return { ...form, resource: bound.resource, scope: (scopes ?? bound.scopes ?? []).join(" ") };
}

/** What a call to the resource came to, in one line. */
export function answerHeadline(answer: ResourceAnswer): string {
  if (answer.mcp) {
    const who = [answer.mcp.title ?? answer.mcp.name ?? "an unnamed MCP server", answer.mcp.version].filter(Boolean).join(" ");
    return `HTTP ${answer.status}: ${who}${answer.mcp.protocol_version ? `, MCP protocol ${answer.mcp.protocol_version}` : ""}`;
  }
  const type = answer.content_type ? ` (${answer.content_type})` : "";
  return `HTTP ${answer.status}${type}: ${answer.succeeded ? "the resource accepted the token" : "the resource did not accept the call"}`;
}
