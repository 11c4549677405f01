// The backend and the toasts, handed to components through Svelte context.
import { getContext, setContext } from "svelte";
import type { Backend } from "./backend";

export interface Toast {
  id: number;
  kind: "info" | "error" | "warning";
  text: string;
}

export interface AppContext {
  backend: Backend;
  toast(kind: Toast["kind"], text: string): void;
}

const KEY = Symbol("registrar");

export function provideApp(ctx: AppContext): void {
  setContext(KEY, ctx);
}

export function useApp(): AppContext {
  return getContext<AppContext>(KEY);
}
