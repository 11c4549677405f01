// The provider's documented vendor fields as form inputs (the catalogue is the core's,
// `vendor_fields`): what an input shows for a field's value in the metadata, and the
// metadata once the input changes. The vendor JSON textarea edits the same object, so both
// stay in sync through `form.extra`.
import type { JsonValue } from "../bindings";
import type { ProviderKind } from "../bindings";
import type { VendorField } from "../bindings";

export type Extra = Record<string, JsonValue>;

/** The products whose documents the catalogue quotes, by profile kind. */
export const KIND_NAMES: Partial<Record<ProviderKind, string>> = {
  liberty: "IBM WebSphere Liberty",
  wso2: "WSO2 Identity Server 5.3",
  simpleidserver: "SimpleIdServer",
  soffid: "Soffid",
};

/** What the field's input shows: a checkbox's state, or the text typed (a list one item a
 *  line). A value of another type than documented is shown as JSON, so nothing is hidden. */
export function shownValue(extra: Extra, field: VendorField): boolean | string {
  const v = extra[field.name];
  switch (field.kind) {
    case "boolean":
      return v === true;
    case "string_list":
      if (v === undefined || v === null) return "";
      return Array.isArray(v) && v.every((x) => typeof x === "string") ? v.join("\n") : JSON.stringify(v);
    case "integer":
    case "string":
      if (v === undefined || v === null) return "";
      return typeof v === "string" || typeof v === "number" ? String(v) : JSON.stringify(v);
  }
}

/** The metadata with the field set from its input; an emptied text, number or list removes
 *  the field (a checkbox sets true or false: "Remove" takes it out). Other fields, and
 *  their order, are kept. */
export function withInput(extra: Extra, field: VendorField, input: boolean | string): Extra {
  const next: Extra = { ...extra };
  if (field.kind === "boolean") {
    next[field.name] = input === true;
    return next;
  }
  const text = String(input);
  if (field.kind === "string_list") {
    const items = text.split("\n").map((s) => s.trim()).filter(Boolean);
    if (items.length) next[field.name] = items;
    else delete next[field.name];
    return next;
  }
  if (!text.trim()) {
    delete next[field.name];
    return next;
  }
  if (field.kind === "integer") {
    const n = Number(text.trim());
    next[field.name] = Number.isInteger(n) ? n : text;
    return next;
  }
  next[field.name] = text;
  return next;
}

/** The metadata without the field. */
export function without(extra: Extra, name: string): Extra {
  const next: Extra = { ...extra };
  delete next[name];
  return next;
}

/** Whether the field's value is of the documented type (or absent). */
export function isOfType(extra: Extra, field: VendorField): boolean {
  const v = extra[field.name];
  if (v === undefined) return true;
  switch (field.kind) {
    case "boolean":
      return typeof v === "boolean";
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "string":
      return typeof v === "string";
    case "string_list":
      return Array.isArray(v) && v.every((x) => typeof x === "string");
  }
}
