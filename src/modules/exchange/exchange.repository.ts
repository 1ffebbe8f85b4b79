/** The only place that writes SQL for the exchange tables. */
import { type Insertable, sql, type Updateable } from 'kysely';
import type { Executor } from '../../db/index.js';
import type {
  ExchangeMountRow,
  ExchangeMountTable,
  ExchangeSourceRow,
  ExchangeSourceTable,
} from './exchange.table.js';

export const exchangeRepository = {
  async insertSource(tx: Executor, row: Insertable<ExchangeSourceTable>): Promise<ExchangeSourceRow> {
    return tx.insertInto('exchange_source').values(row).returningAll().executeTakeFirstOrThrow();
  },
  async source(db: Executor, id: string): Promise<ExchangeSourceRow | undefined> {
    return db.selectFrom('exchange_source').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async updateSource(
    tx: Executor,
    id: string,
    patch: Updateable<ExchangeSourceTable>,
  ): Promise<ExchangeSourceRow | undefined> {
    return tx
      .updateTable('exchange_source')
      .set(patch)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  },
  async sources(db: Executor, orgId: string | null): Promise<ExchangeSourceRow[]> {
    let q = db.selectFrom('exchange_source').selectAll();
    if (orgId) q = q.where('org_id', '=', orgId);
    return q.orderBy('created_at').execute();
  },
  async recordCheck(
    tx: Executor,
    c: { source_id: string; ok: boolean; latency_ms: number | null; error: string | null },
  ): Promise<void> {
    await tx.insertInto('exchange_source_check').values(c).execute();
  },
  /** Per organization: sources, how many are up, and the share of successful checks in the window. */
  async connectionRates(db: Executor, since: Date) {
    return db
      .selectFrom('exchange_source as s')
      .innerJoin('organization as o', 'o.id', 's.org_id')
      .leftJoin('exchange_source_check as c', (j) =>
        j.onRef('c.source_id', '=', 's.id').on('c.at', '>=', since),
      )
      .select([
        's.org_id',
        'o.name as org_name',
        sql<number>`count(distinct s.id)`.as('sources'),
        sql<number>`count(distinct s.id) filter (where s.status = 'up')`.as('up'),
        sql<number>`count(c.id)`.as('checks'),
        sql<number>`count(c.id) filter (where c.ok)`.as('ok_checks'),
      ])
      .groupBy(['s.org_id', 'o.name'])
      .orderBy('o.name')
      .execute();
  },

  async insertMount(tx: Executor, row: Insertable<ExchangeMountTable>): Promise<ExchangeMountRow> {
    return tx
      .insertInto('exchange_mount')
      .values(row)
      .onConflict((oc) =>
        oc.column('entry_id').doUpdateSet((eb) => ({
          source_id: eb.ref('excluded.source_id'),
          relation: eb.ref('excluded.relation'),
          key_columns: eb.ref('excluded.key_columns'),
          mapping: eb.ref('excluded.mapping'),
          watermark_column: eb.ref('excluded.watermark_column'),
          updated_at: new Date(),
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  },
  async mountOf(db: Executor, entryId: string): Promise<ExchangeMountRow | undefined> {
    return db.selectFrom('exchange_mount').selectAll().where('entry_id', '=', entryId).executeTakeFirst();
  },
  async mounts(db: Executor, orgId: string | null) {
    let q = db
      .selectFrom('exchange_mount as m')
      .innerJoin('exchange_source as s', 's.id', 'm.source_id')
      .innerJoin('catalog_entry as e', 'e.id', 'm.entry_id')
      .selectAll('m')
      .select(['e.code', 'e.name as entry_name', 's.name as source_name', 's.org_id']);
    if (orgId) q = q.where('s.org_id', '=', orgId);
    return q.orderBy('e.code').execute();
  },

  /** Adds calls to today's counters (one statement per flush). */
  async addCalls(tx: Executor, day: string, counts: { grantId: string; n: number }[]): Promise<void> {
    if (counts.length === 0) return;
    await tx
      .insertInto('exchange_quota')
      .values(counts.map((c) => ({ grant_id: c.grantId, day, count: c.n })))
      .onConflict((oc) =>
        oc.columns(['grant_id', 'day']).doUpdateSet({ count: sql`exchange_quota.count + excluded.count` }),
      )
      .execute();
  },
  async callsToday(db: Executor, grantId: string, day: string): Promise<number> {
    const r = await db
      .selectFrom('exchange_quota')
      .select('count')
      .where('grant_id', '=', grantId)
      .where('day', '=', day)
      .executeTakeFirst();
    return r?.count ?? 0;
  },
};
