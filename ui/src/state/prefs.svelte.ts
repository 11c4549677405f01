// The preferences (theme, last profile, the list's columns, the window's size): read once
// at start, written back whole on every change. Saving is fire-and-forget: a preference
// that could not be written is not worth interrupting anyone for.
import { defaultPreferences, type Platform, type Preferences } from "../lib/backend";

export class Prefs {
  current: Preferences = $state({ ...defaultPreferences });
  readonly #platform: Platform;

  constructor(platform: Platform) {
    this.#platform = platform;
  }

  /** Reads the stored preferences; the defaults stay if that fails (the promise rejects). */
  async load(): Promise<Preferences> {
    this.current = await this.#platform.loadPreferences();
    return this.current;
  }

  save = (change: Partial<Preferences>): void => {
    this.current = { ...this.current, ...change };
    this.#platform.savePreferences($state.snapshot(this.current) as Preferences).catch(() => {});
  };
}
