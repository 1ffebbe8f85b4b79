/**
 * Coalescing of keyed lookups on a department's source (the gateway's hot path).
 *
 * Consuming systems call the gateway concurrently, each call looking up a few records by key. Sent one
 * statement per call, a busy gateway spends most of its time — and most of the source database's, often
 * a small front-end processor — on round trips rather than on the lookups. So, as the audit chain does
 * with its group commit, lookups of the same shape (relation, columns, filter columns, order, page) that
 * arrive while the source is busy are answered together:
 *
 * - while fewer than `limit` statements are in flight on the source, a lookup goes out at once as its own
 *   statement — an idle gateway adds no latency and sends exactly what it did before;
 * - otherwise it waits; when a statement finishes, every waiting lookup of the oldest waiting shape goes
 *   out as one statement, whose rows say which lookup each answers (each keeps its own order, limit and
 *   offset), and every caller receives exactly the rows its own statement would have returned;
 * - if that statement fails with an SQL error, each lookup is run again on its own, so that one caller's
 *   value can never fail another's call; a source that cannot be reached fails them all, as it would.
 */
import type { Filter, SelectSpec } from './exchange.connectors.js';

export type Row = Record<string, unknown>;

interface Waiter {
  spec: SelectSpec;
  resolve: (rows: Row[]) => void;
  reject: (e: unknown) => void;
}

/** Lookups answered together share everything but their filter values. */
export function shapeOf(spec: SelectSpec): string {
  let filters = '';
  for (const f of spec.filters as Filter[]) filters += `${f.column}\u0001`;
  return `${spec.relation}\u0000${spec.columns.join('\u0001')}\u0000${filters}\u0000${spec.orderBy.join('\u0001')}\u0000${spec.limit}\u0000${spec.offset}`;
}

/** Most lookups answered by one statement. */
export const MAX_COALESCED = 500;

export class LookupCoalescer {
  private active = 0;
  /** Waiting lookups by shape, oldest shape first (a Map keeps insertion order). */
  private readonly waiting = new Map<string, Waiter[]>();
  /** Statements sent, lookups answered together, fallbacks to one statement each: how the coalescing went. */
  readonly stats = { statements: 0, coalesced: 0, fallbacks: 0 };

  constructor(
    private readonly limit: number,
    private readonly one: (spec: SelectSpec) => Promise<Row[]>,
    /** Answers several lookups of one shape; returns one row list per lookup, in order. */
    private readonly many: (specs: SelectSpec[]) => Promise<Row[][]>,
    /** Whether an error came from the statement (then each lookup is retried alone) rather than the source. */
    private readonly isStatementError: (e: unknown) => boolean,
  ) {}

  select(spec: SelectSpec): Promise<Row[]> {
    if (this.active < this.limit) {
      this.active++;
      this.stats.statements++;
      return this.one(spec).finally(() => this.done());
    }
    return new Promise<Row[]>((resolve, reject) => {
      const shape = shapeOf(spec);
      const q = this.waiting.get(shape);
      const w = { spec, resolve, reject };
      if (q) q.push(w);
      else this.waiting.set(shape, [w]);
    });
  }

  private done(): void {
    this.active--;
    while (this.active < this.limit && this.waiting.size > 0) {
      const [shape, q] = this.waiting.entries().next().value as [string, Waiter[]];
      const batch = q.length > MAX_COALESCED ? q.splice(0, MAX_COALESCED) : q;
      if (batch === q) this.waiting.delete(shape);
      this.active++;
      void this.send(batch).finally(() => this.done());
    }
  }

  private async send(batch: Waiter[]): Promise<void> {
    this.stats.statements++;
    if (batch.length === 1) {
      const [w] = batch as [Waiter];
      await this.one(w.spec).then(w.resolve, w.reject);
      return;
    }
    this.stats.coalesced += batch.length;
    try {
      const answers = await this.many(batch.map((w) => w.spec));
      batch.forEach((w, i) => {
        w.resolve(answers[i] ?? []);
      });
    } catch (e) {
      if (!this.isStatementError(e)) {
        for (const w of batch) w.reject(e);
        return;
      }
      this.stats.fallbacks++;
      await Promise.all(batch.map((w) => this.one(w.spec).then(w.resolve, w.reject)));
    }
  }
}
