// The app's command surface. Every command, its arguments and its result type are
// generated from the Rust commands (src-tauri/src/lib.rs, by tauri-specta, into
// src/bindings/index.ts), so a changed command fails the type check here, not at run time.
// Each generated command answers a `Result`; `Api` is the same commands resolving with the
// value and throwing the `ErrorView` (src/lib/errors.ts reads it by its `code`).
// Commands about a profile take its id (`Profile.id`), never its name, which can change.
import { commands, type ErrorView, type Result } from "../bindings";

type Commands = typeof commands;

type Unwrapped<F> = F extends (...args: infer A) => Promise<Result<infer T, ErrorView>> ? (...args: A) => Promise<T> : never;

export type Api = { [K in keyof Commands]: Unwrapped<Commands[K]> };

type AnyCommand = (...args: unknown[]) => Promise<Result<unknown, ErrorView>>;

/** The commands made to throw their error; `source` is the generated IPC commands, or a
 *  fake of the same shape in tests. */
export function makeApi(source: Commands = commands): Api {
  const api: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const [name, command] of Object.entries(source) as [string, AnyCommand][]) {
    api[name] = async (...args) => {
      const result = await command(...args);
      if (result.status === "error") throw result.error;
      return result.data;
    };
  }
  return api as unknown as Api;
}
