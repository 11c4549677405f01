// Moving the focus for the keyboard: to an element that is about to appear (a lazily
// loaded form's first field), and around a dialog (Tab stays inside it).

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Focuses the first element matching `selector` once it exists (a form loaded lazily
 *  appears a moment after it is asked for) and `ready` says it is the one meant; gives up
 *  after `timeoutMs`. */
export function focusWhenShown(selector: string, timeoutMs = 3000, ready: () => boolean = () => true): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const attempt = () => {
      const el = ready() ? document.querySelector<HTMLElement>(selector) : null;
      if (el) {
        el.focus();
        return resolve(true);
      }
      if (Date.now() > until) return resolve(false);
      requestAnimationFrame(attempt);
    };
    attempt();
  });
}

/** The elements Tab stops at inside `container`, in order. */
export function tabStops(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
}

/** Which of `count` stops Tab (or Shift+Tab) goes to from `at` (-1: the focus is outside):
 *  round and round, never out. */
export function nextStop(at: number, count: number, back: boolean): number {
  if (count <= 0) return -1;
  if (at < 0) return back ? count - 1 : 0;
  return back ? (at - 1 + count) % count : (at + 1) % count;
}

/** Keeps Tab inside `container`: call from its keydown handler. */
export function trapTab(e: KeyboardEvent, container: HTMLElement | undefined): void {
  if (e.key !== "Tab" || !container) return;
  const stops = tabStops(container);
  const to = nextStop(stops.indexOf(document.activeElement as HTMLElement), stops.length, e.shiftKey);
  const target = stops[to];
  if (!target) return;
  e.preventDefault();
  target.focus();
}

/** A dialog's first field (or else its first stop that is not a Close button), to focus as it opens. */
export function firstField(container: HTMLElement): HTMLElement | null {
  const stops = tabStops(container);
  return (
    stops.find((el) => ["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName)) ??
    stops.find((el) => el.getAttribute("aria-label") !== "Close") ??
    stops[0] ??
    null
  );
}

/** The parts of an Enter press in a dialog that decide whether it confirms it. */
export interface EnterPress {
  key: string;
  modifiers: boolean;
  composing: boolean;
  /** The focused element's tag and input type. */
  tag: string;
  type: string;
  /** Inside a form, whose own submit Enter already is. */
  inForm: boolean;
}

/** Whether Enter confirms the dialog (presses its one primary button): typed in a
 *  one-line box, not in a form, a text area, a select or on a button (which Enter
 *  presses itself). */
export function enterConfirms(p: EnterPress): boolean {
  if (p.key !== "Enter" || p.modifiers || p.composing || p.inForm) return false;
  return p.tag === "INPUT" && !["button", "submit", "reset", "file"].includes(p.type);
}

/** A dialog's confirming button: its one enabled primary button, if it has exactly one. */
export function primaryButton(container: HTMLElement): HTMLButtonElement | null {
  const found = [...container.querySelectorAll<HTMLButtonElement>("button.primary:not(:disabled)")].filter((b) => b.getClientRects().length > 0);
  return found.length === 1 ? (found[0] ?? null) : null;
}

/** Presses the dialog's primary button for an Enter that confirms (see `enterConfirms`). */
export function confirmOnEnter(e: KeyboardEvent, container: HTMLElement | undefined): void {
  const el = e.target as HTMLElement | null;
  // A box that gives Enter a meaning of its own (a URL's "Discover") has said so.
  if (!container || !el || e.defaultPrevented) return;
  const press: EnterPress = {
    key: e.key,
    modifiers: e.ctrlKey || e.metaKey || e.altKey || e.shiftKey,
    composing: e.isComposing,
    tag: el.tagName,
    type: (el as HTMLInputElement).type ?? "",
    inForm: !!el.closest("form"),
  };
  if (!enterConfirms(press)) return;
  const button = primaryButton(container);
  if (!button) return;
  e.preventDefault();
  button.click();
}
