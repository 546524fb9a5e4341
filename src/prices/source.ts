import type { PriceBook } from '../plan/cost.js';

/**
 * Where a run's prices come from: Partner Center's price sheet API, or the same list downloaded as a file.
 * `read` is called once per run (implementations cache it), before planning; the planner gets the PriceBook.
 */
export interface PriceSource {
  /** For messages and the plan (`Partner Center price sheet (US, updatedlicensebased)`, `file prices/2026-11.csv`). */
  readonly description: string;
  read(): Promise<PriceBook>;
}

/** Caches the first read for the rest of the run: every customer is priced from one copy. */
export function cachedPerRun(source: PriceSource): PriceSource {
  let book: Promise<PriceBook> | undefined;
  return { description: source.description, read: () => (book ??= source.read()) };
}
