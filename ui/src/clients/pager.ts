// Loads a long client list one page at a time as it scrolls into view, so the list opens
// without reading every row. Pages are cached until the query changes.
import type { Page } from "../bindings/Page";
import type { Query } from "../bindings/Query";
import type { Summary } from "../bindings/Summary";

export const PAGE_SIZE = 200;

export class Pager {
  total = 0;
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

  loadedPages(): number {
    return this.pages.size;
  }

  private ensure(page: number): Promise<void> {
    if (this.pages.has(page)) return Promise.resolve();
    const pending = this.loading.get(page);
    if (pending) return pending;
    const load = this.fetch({ ...this.query, offset: page * PAGE_SIZE, limit: PAGE_SIZE }).then((result) => {
      this.total = Number(result.total);
      this.pages.set(page, result.items);
      this.loading.delete(page);
    });
    this.loading.set(page, load);
    return load;
  }
}
