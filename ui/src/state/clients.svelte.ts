// What the window knows changed about the clients of the profile shown, kept apart from
// the components that show them.
//
// `version` is the change signal: the client list and the client detail read it in an
// `$effect` and load again when it moves. Whoever changes clients where those components
// cannot see it (a delete confirmed in a dialog, a bulk refresh, an import, a forgotten
// orphan, a save) calls `changed()`. No component is handed a key just to re-render.
import type { Drift } from "../bindings";

export class ClientChanges {
  version = $state(0);
  // Drift is what a refresh found; the store keeps only a flag, so the details are kept
  // here, for the window's life, to show on the client's Drift tab.
  #drift: Record<string, Drift | null> = $state({});

  changed = (): void => {
    this.version++;
  };

  driftOf(clientId: string): Drift | null {
    return this.#drift[clientId] ?? null;
  }

  /** A client deleted: it has no drift left to show (the caller says the clients changed). */
  forgetDrift = (clientId: string): void => {
    this.#drift[clientId] = null;
  };

  /** A client was read from the provider: its drift is kept, and the list shows the new state. */
  refreshed = (clientId: string, drift: Drift | null): void => {
    this.#drift[clientId] = drift;
    this.changed();
  };

  /** The drift the Drift tab has just read (since Registrar last sent the client), for its
   *  count; nothing else changed, so nothing loads again. */
  showDrift = (clientId: string, drift: Drift): void => {
    this.#drift[clientId] = drift;
  };
}
