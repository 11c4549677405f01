// Loads a long client list one page at a time as it scrolls into view, so the list opens
// without reading every row. Pages are cached until the query changes.
import type { Page } from "../bindings";
import type { Query } from "../bindings";
import type { Summary } from "../bindings";

export const PAGE_SIZE = 200;

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
      this.loading.delete(page);
    });
    this.loading.set(page, load);
    return load;
  }
}
