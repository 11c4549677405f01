// Loads a long client list one page at a time as it scrolls into view, so the list opens
// without reading every row. Pages are cached until the query changes.
import type { Page } from "../bindings";
import type { Query } from "../bindings";
import type { Summary } from "../bindings";
import type { ChosenClient } from "../bindings";

export const PAGE_SIZE = 200;
/** A range over more pages than this is read as one list of every match, not page by page. */
export const LONG_RANGE_PAGES = 3;

export class Pager {
  /** Rows known to match: exact, or a lower bound while `capped`. */
  total = 0;
  /** Set while the provider side stopped counting (a text that many rows match): more
   * rows may follow `total`, and reading further pages finds out. */
  capped = false;
  private pages = new Map<number, Summary[]>();
  private loading = new Map<number, Promise<void>>();

  constructor(
    private readonly query: Omit<Query, "offset" | "limit">,
    private readonly fetch: (q: Query) => Promise<Page>,
  ) {}

  /** Loads the first page and the total. */
  async open(): Promise<void> {
    await this.ensure(0);
  }

  row(index: number): Summary | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /** Loads the pages that rows `from`..`to` fall in; resolves when they are there. */
  async ensureRange(from: number, to: number): Promise<void> {
    const first = Math.floor(Math.max(0, from) / PAGE_SIZE);
    const last = Math.floor(Math.max(0, to) / PAGE_SIZE);
    const work: Promise<void>[] = [];
    for (let p = first; p <= last; p++) work.push(this.ensure(p));
    await Promise.all(work);
  }

  /** The rows `from`..`to` (a Shift-click range), as a lookup by index: loaded page by
   * page when they span a few pages, else read in one go from every match (`every`, the
   * same query and so the same order), of which only the range is kept. */
  async rangeRows(from: number, to: number, every: () => Promise<ChosenClient[]>): Promise<(i: number) => Summary | ChosenClient | undefined> {
    const [lo, hi] = [Math.max(0, Math.min(from, to)), Math.max(0, from, to)];
    if (Math.floor(hi / PAGE_SIZE) - Math.floor(lo / PAGE_SIZE) < LONG_RANGE_PAGES) {
      await this.ensureRange(lo, hi);
      return (i) => this.row(i);
    }
    const rows = (await every()).slice(lo, hi + 1);
    return (i) => (i >= lo && i <= hi ? rows[i - lo] : undefined);
  }

  /** How many rows the list is tall: one page more than known while the count is capped,
   * so scrolling to the end reads the next page and the list grows (or ends) with it. */
  get extent(): number {
    return this.capped ? this.total + PAGE_SIZE : this.total;
  }

  /** "1,234 clients", or "1,000+ clients" while the count is a lower bound. */
  countLabel(noun = "client"): string {
    const n = this.total.toLocaleString("en-US");
    return `${n}${this.capped ? "+" : ""} ${noun}${this.total === 1 && !this.capped ? "" : "s"}`;
  }

  loadedPages(): number {
    return this.pages.size;
  }

  private ensure(page: number): Promise<void> {
    if (this.pages.has(page)) return Promise.resolve();
    const pending = this.loading.get(page);
    if (pending) return pending;
    const offset = page * PAGE_SIZE;
    const load = this.fetch({ ...this.query, offset, limit: PAGE_SIZE }).then((result) => {
      if (!result.total_capped) {
        this.total = Number(result.total);
        this.capped = false;
      } else if (result.items.length < PAGE_SIZE) {
        // A short page past a lower bound is the end: the count is now exact.
        this.total = offset + result.items.length;
        this.capped = false;
      } else if (this.capped || this.total === 0) {
        this.total = Math.max(this.total, Number(result.total));
        this.capped = true;
      }
      this.pages.set(page, result.items);
    });
    // Done either way: a page that failed to load is asked for again next time.
    void load.then(
      () => this.loading.delete(page),
      () => this.loading.delete(page),
    );
    this.loading.set(page, load);
    return load;
  }
}

/** Opens the list's pagers as its query changes: only the latest one's answer counts, so
 * two quick header clicks never leave the first order's rows under the second's arrow. */
export class LatestPager {
  #latest: Pager | null = null;

  /** Opens `p`: true once it is open if no pager was opened after it; false (and its
   * failure dropped) otherwise. */
  async open(p: Pager): Promise<boolean> {
    this.#latest = p;
    try {
      await p.open();
    } catch (e) {
      if (this.#latest === p) throw e;
      return false;
    }
    return this.#latest === p;
  }

  isLatest(p: Pager): boolean {
    return this.#latest === p;
  }
}
