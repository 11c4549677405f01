// The only module that imports @tauri-apps/* (besides the generated bindings): the IPC transport, preferences, the
// clipboard and events, behind one interface so components never touch IPC
// and tests can hand them a fake.
import { listen } from "@tauri-apps/api/event";
import { getCurrentWindow, LogicalSize } from "@tauri-apps/api/window";
import { load, type Store } from "@tauri-apps/plugin-store";
import { writeText } from "@tauri-apps/plugin-clipboard-manager";
import { makeApi, type Api } from "./api";
import { DEFAULT_COLUMNS, normalizeColumns, normalizeWidths, type ColumnId, type ColumnWidths } from "../clients/columns";
import { DEFAULT_SORT, normalizeSort } from "../clients/listSort";
import type { Sort } from "../bindings";

export interface Preferences {
  theme: "system" | "light" | "dark";
  lastProfile: string | null;
  /** The client list's columns (ui/src/clients/columns.ts). */
  columns: ColumnId[];
  /** The client list's order (ui/src/clients/listSort.ts). */
  listSort: Sort;
  /** Client list columns dragged to a width, in pixels. */
  columnWidths: ColumnWidths;
  windowSize: { width: number; height: number } | null;
}

export const defaultPreferences: Preferences = {
  theme: "system",
  lastProfile: null,
  columns: [...DEFAULT_COLUMNS],
  listSort: { ...DEFAULT_SORT },
  columnWidths: {},
  windowSize: null,
};

/** Stored preferences with the defaults for what is missing, and the list's columns, widths
 *  and order made usable. */
export function readPreferences(saved: Partial<Preferences> | null | undefined): Preferences {
  const stored = saved ?? {};
  return {
    ...defaultPreferences,
    ...stored,
    columns: normalizeColumns(stored.columns),
    listSort: normalizeSort(stored.listSort),
    columnWidths: normalizeWidths(stored.columnWidths),
  };
}

export interface Platform {
  loadPreferences(): Promise<Preferences>;
  savePreferences(p: Preferences): Promise<void>;
  copy(text: string): Promise<void>;
  on<T>(event: string, handler: (payload: T) => void): Promise<() => void>;
  setTitle(title: string): Promise<void>;
  /** Restores a saved window size and reports later resizes (logical pixels). */
  trackWindowSize(saved: Preferences["windowSize"], onresize: (size: { width: number; height: number }) => void): Promise<() => void>;
}

export interface Backend {
  api: Api;
  platform: Platform;
}

let store: Store | null = null;
async function prefsStore(): Promise<Store> {
  store ??= await load("preferences.json", { autoSave: true, defaults: {} });
  return store;
}

export function tauriBackend(): Backend {
  return {
    api: makeApi(),
    platform: {
      async loadPreferences() {
        const s = await prefsStore();
        return readPreferences(await s.get<Partial<Preferences>>("preferences"));
      },
      async savePreferences(p) {
        const s = await prefsStore();
        await s.set("preferences", p);
      },
      copy: (text) => writeText(text),
      async on(event, handler) {
        return listen(event, (e) => handler(e.payload as never));
      },
      setTitle: (title) => getCurrentWindow().setTitle(title),
      async trackWindowSize(saved, onresize) {
        const win = getCurrentWindow();
        if (saved && saved.width >= 960 && saved.height >= 600) await win.setSize(new LogicalSize(saved.width, saved.height));
        let timer: ReturnType<typeof setTimeout> | undefined;
        return win.onResized(async ({ payload }) => {
          const scale = await win.scaleFactor();
          clearTimeout(timer);
          timer = setTimeout(() => onresize({ width: Math.round(payload.width / scale), height: Math.round(payload.height / scale) }), 500);
        });
      },
    },
  };
}
