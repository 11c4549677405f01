import { describe, expect, it } from "vitest";
import type { VendorField } from "../bindings";
import { isOfType, shownValue, withInput, without } from "./vendorFields";

const f = (name: string, kind: VendorField["kind"]): VendorField => ({ name, kind, description: "" });
const introspect = f("introspect_tokens", "boolean");
const scope = f("preauthorized_scope", "string");
const groups = f("functional_user_groupIds", "string_list");
const seconds = f("token_expiration_time_seconds", "integer");

describe("vendor fields as inputs", () => {
  it("shows each type's value, and absent ones empty", () => {
    const extra = { introspect_tokens: true, preauthorized_scope: "openid", functional_user_groupIds: ["a", "b"], token_expiration_time_seconds: 1800 };
    expect(shownValue(extra, introspect)).toBe(true);
    expect(shownValue(extra, scope)).toBe("openid");
    expect(shownValue(extra, groups)).toBe("a\nb");
    expect(shownValue(extra, seconds)).toBe("1800");
    expect(shownValue({}, introspect)).toBe(false);
    expect(shownValue({}, groups)).toBe("");
    // A value of another type is shown as JSON, never lost.
    expect(shownValue({ functional_user_groupIds: { x: 1 } }, groups)).toBe('{"x":1}');
  });

  it("writes each input back as its JSON type and keeps the other fields in order", () => {
    const extra = { other: 1, preauthorized_scope: "openid" };
    expect(withInput(extra, introspect, true)).toEqual({ other: 1, preauthorized_scope: "openid", introspect_tokens: true });
    expect(withInput({ introspect_tokens: true }, introspect, false)).toEqual({ introspect_tokens: false });
    expect(Object.keys(withInput(extra, scope, "openid profile"))).toEqual(["other", "preauthorized_scope"]);
    expect(withInput(extra, groups, " g1 \n\n g2 ")).toEqual({ ...extra, functional_user_groupIds: ["g1", "g2"] });
    expect(withInput(extra, seconds, "600")).toEqual({ ...extra, token_expiration_time_seconds: 600 });
    expect(withInput(extra, seconds, "ten")).toEqual({ ...extra, token_expiration_time_seconds: "ten" });
  });

  it("removes a field whose input is emptied, or on Remove", () => {
    expect(withInput({ preauthorized_scope: "openid" }, scope, "  ")).toEqual({});
    expect(withInput({ functional_user_groupIds: ["a"] }, groups, "")).toEqual({});
    expect(without({ a: 1, b: 2 }, "a")).toEqual({ b: 2 });
  });

  it("tells a value of the wrong type", () => {
    expect(isOfType({ introspect_tokens: "yes" }, introspect)).toBe(false);
    expect(isOfType({ introspect_tokens: false }, introspect)).toBe(true);
    expect(isOfType({ token_expiration_time_seconds: 1.5 }, seconds)).toBe(false);
    expect(isOfType({}, groups)).toBe(true);
  });
});
