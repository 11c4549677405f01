// The window's keyboard shortcuts: which key means what. The window's key handler asks
// here and calls the function behind the matching button (the state's or a component's);
// nothing is done by finding a button and clicking it.

/** What the shown client's action buttons do, and so their shortcuts. */
export type DetailAction = "refresh" | "edit" | "delete";
/** "palette" opens the command palette (Ctrl+K); "cancel" (Escape) clears the search box
 *  it is typed in, or cancels the form shown. */
export type ShortcutAction = "search" | "register" | "palette" | "cancel" | DetailAction;

export interface Shortcut {
  action: ShortcutAction;
  /** Whether the webview's own meaning (Ctrl+R reloads the page, "/" finds) is stopped. */
  preventDefault: boolean;
}

/** The parts of a key press the mapping looks at (a KeyboardEvent has them all). */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  target: EventTarget | null;
}

const TEXT_ENTRY = ["INPUT", "TEXTAREA", "SELECT"];

/** The shortcut a key press is, or null. "/" and Delete typed into a box are the box's. */
export function shortcutFor(e: KeyPress): Shortcut | null {
  const tag = (e.target as { tagName?: unknown } | null)?.tagName;
  const typing = typeof tag === "string" && TEXT_ENTRY.includes(tag);
  const command = e.ctrlKey || e.metaKey;
  if (e.key === "/" && !typing) return { action: "search", preventDefault: true };
  if (command && e.key === "k") return { action: "palette", preventDefault: true };
  if (e.key === "Escape") return { action: "cancel", preventDefault: false };
  if (command && e.key === "n") return { action: "register", preventDefault: true };
  if (command && e.key === "r") return { action: "refresh", preventDefault: true };
  if (command && e.key === "e") return { action: "edit", preventDefault: true };
  if (e.key === "Delete" && !typing) return { action: "delete", preventDefault: false };
  return null;
}
