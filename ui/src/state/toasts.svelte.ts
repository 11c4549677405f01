// The messages in the window's corner. An error stays until it is dismissed (it may need
// reading twice); anything else goes by itself after a few seconds.
import type { Toast } from "../lib/context";

const SHOWN_MS = 6000;

export class Toasts {
  items: Toast[] = $state([]);
  #next = 1;

  // Arrow functions: handed to components (and to the app context) as callbacks.
  push = (kind: Toast["kind"], text: string): void => {
    const id = this.#next++;
    this.items = [...this.items, { id, kind, text }];
    if (kind !== "error") setTimeout(() => this.dismiss(id), SHOWN_MS);
  };

  dismiss = (id: number): void => {
    this.items = this.items.filter((t) => t.id !== id);
  };
}
