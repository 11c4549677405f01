// Errors from commands arrive as ErrorView ({code, message, fields}); anything else (a
// bug, a lost IPC) is turned into one so the UI has a single shape to show.
import type { ErrorCode } from "../bindings";
import type { ErrorView } from "../bindings";

export function asErrorView(e: unknown): ErrorView {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const v = e as Partial<ErrorView>;
    return { code: v.code as ErrorCode, message: String(v.message), fields: v.fields ?? [], provider_code: v.provider_code ?? null };
  }
  return { code: "internal", message: e instanceof Error ? e.message : String(e), fields: [], provider_code: null };
}
