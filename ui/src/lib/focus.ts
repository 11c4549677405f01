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
