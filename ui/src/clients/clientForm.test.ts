import { describe, expect, it } from "vitest";
import { bannerFor, emptyForm, fieldBase, flowHints, fromMetadata, IDENTITY_SCOPES, messagesFor, parseRaw, requiredGrants, TEMPLATES, toggle, toMetadata, touchedBy, unchangedSince, visibleErrors, withMcpTemplate, withTemplateScopes } from "./clientForm";

describe("client form", () => {
  it("round-trips metadata, keeping vendor fields and dropping provider fields", () => {
    const meta = {
      client_id: "abc",
      client_secret: "s3cret",
      registration_client_uri: "https://op/register/abc",
      client_name: "<img src=x onerror=alert(1)>",
      redirect_uris: ["https://a.example/cb"],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      preauthorized_scope: "openid",
      functional_user_groupIds: ["g1"],
      jwks: { keys: [] },
    };
    const form = fromMetadata(meta);
    expect(form.client_name).toBe("<img src=x onerror=alert(1)>");
    expect(form.extra).toEqual({ preauthorized_scope: "openid", functional_user_groupIds: ["g1"], jwks: { keys: [] } });
    const back = toMetadata(form);
    expect(back.client_secret).toBeUndefined();
    expect(back.client_id).toBeUndefined();
    expect(back.functional_user_groupIds).toEqual(["g1"]);
    expect(back.redirect_uris).toEqual(["https://a.example/cb"]);
  });

  it("leaves out empty text and blank list items", () => {
    const f = { ...emptyForm(), client_name: "  ", redirect_uris: ["https://a/cb", "  "], contacts: [] };
    const meta = toMetadata(f);
    expect(meta.client_name).toBeUndefined();
    expect(meta.redirect_uris).toEqual(["https://a/cb"]);
    expect(meta.contacts).toBeUndefined();
  });

  it("derives the grants response types need", () => {
    expect(requiredGrants(["code"])).toEqual(["authorization_code"]);
    expect(requiredGrants(["code id_token"])).toEqual(["authorization_code", "implicit"]);
    expect(requiredGrants([])).toEqual([]);
  });

  it("shows the flow rules live", () => {
    const f = { ...emptyForm(), grant_types: ["client_credentials"], response_types: ["code"], token_endpoint_auth_method: "none" };
    const hints = flowHints(f);
    expect(messagesFor("grant_types", hints)).toEqual(["needs authorization_code for the chosen response types"]);
    expect(messagesFor("token_endpoint_auth_method", hints)).toHaveLength(1);
    expect(flowHints(TEMPLATES.m2m.apply(emptyForm()))).toEqual([]);
    expect(messagesFor("redirect_uris", flowHints(TEMPLATES.web.apply(emptyForm())))).toHaveLength(1);
  });

  it("applies templates without losing what was typed", () => {
    const typed = { ...emptyForm(), client_name: "Mine", redirect_uris: ["https://x/cb"] };
    const spa = TEMPLATES.spa.apply(typed);
    expect(spa.token_endpoint_auth_method).toBe("none");
    expect(spa.client_name).toBe("Mine");
    expect(TEMPLATES.native.apply(emptyForm()).redirect_uris).toEqual(["http://127.0.0.1/callback"]);
    expect(TEMPLATES.native.apply(typed).redirect_uris).toEqual(["https://x/cb"]);
  });

  it("gives each template sensible scopes, and machine to machine no identity scope", () => {
    expect(TEMPLATES.web.apply(emptyForm()).scope).toBe("openid profile email");
    expect(TEMPLATES.spa.apply(emptyForm()).scope).toBe("openid profile");
    expect(TEMPLATES.native.apply(emptyForm()).scope).toBe("openid profile offline_access");
    expect(TEMPLATES.m2m.apply(emptyForm()).scope).toBe("");
    for (const identity of IDENTITY_SCOPES) {
      const typed = { ...emptyForm(), scope: `${identity} api.read` };
      expect(TEMPLATES.m2m.apply(typed).scope.split(" ")).not.toContain(identity);
    }
  });

  it("takes the web template's identity scopes away on switching to machine to machine, and keeps typed ones", () => {
    const web = TEMPLATES.web.apply({ ...emptyForm(), scope: "api.read" });
    expect(web.scope).toBe("openid profile email api.read");
    const m2m = TEMPLATES.m2m.apply({ ...web, scope: `${web.scope} api.write` });
    expect(m2m.scope).toBe("api.read api.write");
    // And back: the identity scopes return, the typed ones stay, nothing twice.
    expect(TEMPLATES.web.apply(m2m).scope).toBe("openid profile email api.read api.write");
    expect(TEMPLATES.spa.apply(TEMPLATES.web.apply(emptyForm())).scope).toBe("openid profile");
    expect(withTemplateScopes("  api.read   api.read ", "m2m")).toBe("api.read");
  });

  it("parses raw JSON or says why not", () => {
    expect(parseRaw('{"a":1}')).toEqual({ ok: true, metadata: { a: 1 } });
    expect(parseRaw("[1]")).toEqual({ ok: false, error: "must be a JSON object" });
    const bad = parseRaw("{");
    expect(bad.ok).toBe(false);
  });

  it("toggles keep order", () => {
    expect(toggle(["a", "b"], "c")).toEqual(["a", "b", "c"]);
    expect(toggle(["a", "b", "c"], "b")).toEqual(["a", "c"]);
  });

  it("matches indexed field errors to their list", () => {
    const errors = [{ field: "redirect_uris[1]", message: "has a fragment" }, { field: "redirect_uris_x", message: "no" }];
    expect(messagesFor("redirect_uris", errors)).toEqual(["has a fragment"]);
  });
});

describe("MCP client template", () => {
  const template = {
    client_name: "Claude Desktop",
    redirect_uris: ["http://127.0.0.1/callback"],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
    application_type: "native",
  };
  it("replaces the flow and keeps what describes the client", () => {
    const before = { ...TEMPLATES.web.apply(emptyForm()), contacts: ["ops@example.org"], redirect_uris: ["https://app.example/cb"], client_uri: "https://app.example" };
    const f = withMcpTemplate(before, template);
    expect(f).toMatchObject({ client_name: "Claude Desktop", application_type: "native", token_endpoint_auth_method: "none", scope: "", contacts: ["ops@example.org"], client_uri: "https://app.example" });
    expect(toMetadata(f)).toMatchObject({ redirect_uris: ["http://127.0.0.1/callback"], grant_types: ["authorization_code", "refresh_token"], response_types: ["code"] });
  });
});

describe("which form messages show", () => {
  const fragment = { field: "redirect_uris[0]", message: "must not contain a fragment (#...)" };
  const name = { field: "client_name", message: "must be a string" };

  it("shows a field's messages once the person has been at it, or after a send", () => {
    expect(visibleErrors([fragment, name], new Set(), false)).toEqual([]);
    expect(visibleErrors([fragment, name], new Set(["redirect_uris"]), false)).toEqual([fragment]);
    expect(visibleErrors([fragment, name], new Set(["*"]), false)).toEqual([fragment, name]);
    expect(visibleErrors([fragment, name], new Set(), true)).toEqual([fragment, name]);
  });

  it("shows the same message once", () => {
    expect(visibleErrors([fragment, { ...fragment }, name, fragment], new Set(), true)).toEqual([fragment, name]);
  });

  it("names the fields an input stands for", () => {
    expect(touchedBy("redirect_uris-3")).toEqual(["redirect_uris"]);
    expect(touchedBy("field-client_name")).toEqual(["client_name"]);
    expect(touchedBy("field-response_types")).toEqual(["response_types", "grant_types"]);
    expect(touchedBy("raw-json")).toEqual(["*"]);
    expect(touchedBy("template-web")).toEqual([]);
    expect(fieldBase("jwks.keys")).toBe("jwks");
  });

  it("keeps a submit's message only while the field holds what was sent", () => {
    const sent = { redirect_uris: ["https://a.example/cb#x"], client_name: "A" };
    expect(unchangedSince(sent, { ...sent, client_name: "B" }, "redirect_uris[0]")).toBe(true);
    expect(unchangedSince(sent, { ...sent, redirect_uris: ["https://a.example/cb"] }, "redirect_uris[0]")).toBe(false);
    expect(unchangedSince(null, sent, "client_name")).toBe(true);
  });

  it("says a message in the banner only when no field shows it", () => {
    const base = { message: "redirect_uris[0] must not contain a fragment", provider_code: null };
    expect(bannerFor({ ...base, code: "validation", fields: [fragment] })).toBe("Not sent: correct the field marked below.");
    expect(bannerFor({ ...base, code: "provider", fields: [{ field: "redirect_uris", message: "x" }], provider_code: "invalid_redirect_uri" })).toBe(
      "The provider refused it (invalid_redirect_uri): see the field marked below.",
    );
    expect(bannerFor({ ...base, code: "validation", fields: [{ field: "jwks", message: "must be a JWK Set" }] })).toBe(base.message);
    expect(bannerFor({ ...base, code: "provider", fields: [] })).toBe(base.message);
  });
});
