import { describe, expect, it } from "vitest";
import { fromTemplate, listOf, messagesFor, otherErrors, parseJson, servable, servedName, textOf, toJson, validName, withList, withText } from "./cimd";

const template = {
  client_name: "MCP client",
  redirect_uris: ["http://127.0.0.1/callback"],
  grant_types: ["authorization_code", "refresh_token"],
  token_endpoint_auth_method: "none",
};

describe("the metadata as fields", () => {
  it("sets and clears text fields, keeping the rest", () => {
    const m = withText(template, "client_uri", " https://app.example.com ");
    expect(m.client_uri).toBe("https://app.example.com");
    expect(m.grant_types).toEqual(template.grant_types);
    expect("client_uri" in withText(m, "client_uri", "  ")).toBe(false);
    expect(textOf(m, "client_uri")).toBe("https://app.example.com");
    expect(textOf({ client_name: 3 }, "client_name")).toBe("");
  });

  it("keeps list items without the blank ones", () => {
    const m = withList(template, "redirect_uris", ["http://127.0.0.1/callback", " ", "https://app.example.com/cb "]);
    expect(listOf(m, "redirect_uris")).toEqual(["http://127.0.0.1/callback", "https://app.example.com/cb"]);
    expect(listOf({ redirect_uris: "x" }, "redirect_uris")).toEqual([]);
    expect("redirect_uris" in withList(template, "redirect_uris", [""])).toBe(false);
  });

  it("starts from the template with the name typed", () => {
    expect(fromTemplate({ client_name: "Desktop", client_secret: "x" }, template)).toEqual({ ...template, client_name: "Desktop" });
    expect(fromTemplate({}, template)).toEqual(template);
  });

  it("shows JSON without the client_id, which is the URL", () => {
    const text = toJson({ ...template, client_id: "https://app.example.com/c.json" });
    expect(text).not.toContain("client_id");
    expect(parseJson(text)).toEqual({ ok: true, metadata: template });
    expect(parseJson("[1]")).toEqual({ ok: false, error: "must be a JSON object" });
    expect(parseJson("{").ok).toBe(false);
  });
});

describe("the problems", () => {
  const urlError = { field: "client_id", message: "must be an https URL" };
  const errors = [
    urlError,
    { field: "client_secret", message: "must not be in a metadata document" },
    { field: "redirect_uris[0]", message: "is not a URL" },
    { field: "logo_uri", message: "must be an https URL in a metadata document" },
  ];

  it("go next to their field, or by the JSON when the field has no input", () => {
    expect(messagesFor("client_id", errors)).toEqual(["must be an https URL"]);
    expect(messagesFor("redirect_uris", errors)).toEqual(["is not a URL"]);
    expect(otherErrors(errors).map((e) => e.field)).toEqual(["client_secret"]);
  });

  it("only the URL's leave the document servable", () => {
    expect(servable(errors)).toBe(false);
    expect(servable([urlError])).toBe(true);
    expect(servable([])).toBe(true);
  });
});

describe("the served name", () => {
  it("comes from the URL's last segment", () => {
    expect(servedName("https://app.example.com/oauth/client.json")).toBe("client");
    expect(servedName("https://app.example.com/clients/desktop%20app.json")).toBe("desktop-app");
    expect(servedName("https://app.example.com/")).toBe("client");
    expect(servedName("not a url")).toBe("client");
    expect(servedName("https://app.example.com/%zz.json")).toBe("zz");
  });

  it("is letters, digits, - and _", () => {
    expect(validName("my_client-2")).toBe(true);
    expect(validName("../x")).toBe(false);
    expect(validName("")).toBe(false);
  });
});
