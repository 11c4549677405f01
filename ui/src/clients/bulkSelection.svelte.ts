// The client list's bulk selection: the clients ticked, apart from the client opened in the
// detail pane (the window's `Selection.clientId`). A ticked client is kept with its name
// and whether it is deleted, so the bar can name what it deletes and say what it cannot do
// without the rows being loaded. "All" is every client the list's query matches, as the
// core lists them (`selectAllClients`), not only the rows loaded so far. The selection is
// cleared when the query's filters change (profile, text, status): an action never reaches
// a client the list no longer shows. A new order keeps it (the same clients).
import { SvelteMap } from "svelte/reactivity";
import type { ChosenClient, Summary } from "../bindings";

export interface Chosen {
  name: string | null;
  deleted: boolean;
}

export function chosenOf(row: Summary | ChosenClient): Chosen {
  return { name: row.client_name, deleted: "status" in row ? row.status === "deleted" : row.deleted };
}

/** A row a range reads: a loaded row, or a client from every match (a long range). */
export type RangeRow = Summary | ChosenClient;

export class BulkSelection {
  readonly #chosen = new SvelteMap<string, Chosen>();
  /** The row a Shift-click's range starts from: the last one ticked or unticked, by its
   *  index then and its client (a range from a row that moved since, by a new order or a
   *  reload, starts anew). */
  anchor: { index: number; clientId: string } | null = null;
  /** Bumped whenever the selection is cleared: an answer asked for before (select all, a
   *  long range) is for clients the list may no longer show, and is dropped. */
  #generation = 0;
  /** Set while the ticks are exactly every match of the query ("select all"), even when
   *  the list's count is only a lower bound; any tick or untick clears it. */
  everyMatch = $state(false);

  get size(): number {
    return this.#chosen.size;
  }

  has(clientId: string): boolean {
    return this.#chosen.has(clientId);
  }

  /** Ticks or unticks one row, and makes it the anchor of the next range. */
  toggle(row: Summary, index: number): void {
    this.everyMatch = false;
    if (this.#chosen.has(row.client_id)) this.#chosen.delete(row.client_id);
    else this.#chosen.set(row.client_id, chosenOf(row));
    this.anchor = { index, clientId: row.client_id };
  }

  /** The anchor's index, if the row there is still the anchor's client. */
  anchorIndex(row: (i: number) => RangeRow | undefined): number | null {
    const a = this.anchor;
    return a && row(a.index)?.client_id === a.clientId ? a.index : null;
  }

  /** Which selection an answer about to be awaited is for (`stillFor` after it). */
  ticket(): number {
    return this.#generation;
  }

  /** Whether nothing cleared the selection since `ticket` was taken. */
  stillFor(ticket: number): boolean {
    return ticket === this.#generation;
  }

  /** Ticks (or unticks, as the anchor row is) every row from the anchor to `index`; the
   *  rows are looked up by index (`row`), those not loaded are passed over. */
  extendTo(index: number, row: (i: number) => RangeRow | undefined): void {
    this.everyMatch = false;
    const from = this.anchorIndex(row) ?? index;
    const anchorRow = row(from);
    const on = anchorRow ? this.#chosen.has(anchorRow.client_id) || from === index : true;
    for (let i = Math.min(from, index); i <= Math.max(from, index); i++) {
      const r = row(i);
      if (!r) continue;
      if (on) this.#chosen.set(r.client_id, chosenOf(r));
      else this.#chosen.delete(r.client_id);
    }
  }

  /** Exactly these clients: "select all" with the query's every match. */
  replaceAll(clients: readonly ChosenClient[]): void {
    this.#chosen.clear();
    for (const c of clients) this.#chosen.set(c.client_id, { name: c.client_name, deleted: c.deleted });
    this.everyMatch = clients.length > 0;
  }

  clear(): void {
    this.#chosen.clear();
    this.anchor = null;
    this.everyMatch = false;
    this.#generation++;
  }

  /** The list read its clients again (they changed): some may have joined or left the
   *  matches, so the ticks are no longer "every match", and rows may have moved. */
  reloaded(): void {
    this.everyMatch = false;
    this.anchor = null;
  }

  /** Forgets these (deleted for good, or gone). */
  drop(clientIds: readonly string[]): void {
    for (const id of clientIds) this.#chosen.delete(id);
    if (clientIds.length) this.everyMatch = false;
  }

  /** Marks these deleted (a bulk delete's successes, when the list still shows deleted
   *  clients: they stay in view, ticked, as history). */
  markDeleted(clientIds: readonly string[]): void {
    for (const id of clientIds) {
      const c = this.#chosen.get(id);
      if (c) this.#chosen.set(id, { ...c, deleted: true });
    }
  }

  ids(): string[] {
    return [...this.#chosen.keys()];
  }

  /** The ticked clients that a refresh or delete can reach (not deleted). */
  live(): { clientId: string; name: string | null }[] {
    return [...this.#chosen].filter(([, c]) => !c.deleted).map(([clientId, c]) => ({ clientId, name: c.name }));
  }

  get deletedCount(): number {
    let n = 0;
    for (const c of this.#chosen.values()) if (c.deleted) n++;
    return n;
  }
}
