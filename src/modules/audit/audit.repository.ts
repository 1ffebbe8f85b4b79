/** The only place that writes SQL for the audit chain. */
import { sql } from 'kysely';
import type { Executor, StatementRunner } from '../../db/index.js';
import type { JsonObject } from '../../kernel/json.js';
import { offsetOf, type PageRequest } from '../../kernel/pagination.js';
import type { AuditEventRow, AuditOutcome } from './audit.table.js';

export interface ChainedEvent {
  seq: number;
  id: string;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_username: string | null;
  actor_org_id: string | null;
  actor_system_id: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  outcome: AuditOutcome;
  detail: JsonObject;
  request_id: string | null;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditFilter {
  actorUserId?: string;
  actorUsername?: string;
  orgId?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
}

const INSERT_CHUNK = 500;

const COLUMNS = `seq, id, occurred_at, actor_user_id, actor_username, actor_org_id, actor_system_id, action,
  object_type, object_id, outcome, detail, request_id, ip, prev_hash, hash`;

/**
 * Chained events travel as one JSON array (JSON.stringify is native; sixteen arrays escaped element by
 * element in JavaScript cost more than the database's own JSON parser) and become rows with this type.
 */
const ROW_TYPE = `r(seq bigint, id uuid, occurred_at timestamptz, actor_user_id uuid, actor_username text,
  actor_org_id uuid, actor_system_id uuid, action text, object_type text, object_id text, outcome text,
  detail jsonb, request_id text, ip text, prev_hash text, hash text)`;

/**
 * The pipelined group commit in one statement: move the head from where the flush expects it and, only
 * if it moved, insert the flush's chained events. One round trip, one implicit transaction, one plan.
 */
const APPEND = `with moved as (
    update audit_head set seq = $1, hash = $2 where id = 1 and seq = $3 and hash = $4 returning 1
  )
  insert into audit_event (${COLUMNS})
  select ${COLUMNS} from jsonb_to_recordset($5::jsonb) as ${ROW_TYPE}
  where exists (select 1 from moved)`;

export const auditRepository = {
  /** Locks the chain head for this transaction and returns it. */
  async lockHead(tx: Executor): Promise<{ seq: number; hash: string }> {
    const row = await tx
      .selectFrom('audit_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .forUpdate()
      .executeTakeFirstOrThrow();
    return { seq: Number(row.seq), hash: row.hash };
  },

  /** Moves the head only if it is where the caller expects (the pipelined flushes rely on it). */
  async moveHead(
    tx: Executor,
    from: { seq: number; hash: string },
    to: { seq: number; hash: string },
  ): Promise<boolean> {
    const r = await tx
      .updateTable('audit_head')
      .set({ seq: to.seq, hash: to.hash })
      .where('id', '=', 1)
      .where('seq', '=', from.seq)
      .where('hash', '=', from.hash)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async setHead(tx: Executor, seq: number, hash: string): Promise<void> {
    await tx.updateTable('audit_head').set({ seq, hash }).where('id', '=', 1).execute();
  },

  /** Staged events, oldest first, claimed so that concurrent chainers skip them. */
  async claimOutbox(tx: Executor, limit: number): Promise<{ id: number; event: JsonObject }[]> {
    const rows = await tx
      .selectFrom('audit_outbox')
      .select(['id', 'event'])
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    return rows.map((r) => ({ id: Number(r.id), event: r.event }));
  },

  async deleteOutbox(tx: Executor, ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await tx.deleteFrom('audit_outbox').where('id', 'in', ids).execute();
  },

  async stage(tx: Executor, event: JsonObject): Promise<void> {
    await tx
      .insertInto('audit_outbox')
      .values({ event: JSON.stringify(event) })
      .execute();
  },

  async stageMany(tx: Executor, events: JsonObject[]): Promise<void> {
    for (let i = 0; i < events.length; i += INSERT_CHUNK) {
      await tx
        .insertInto('audit_outbox')
        .values(events.slice(i, i + INSERT_CHUNK).map((e) => ({ event: JSON.stringify(e) })))
        .execute();
    }
  },

  async countOutbox(db: Executor): Promise<number> {
    const r = await db
      .selectFrom('audit_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  /**
   * Inserts chained events (each a JSON object whose keys are the columns) with one statement of one JSON
   * parameter per chunk (jsonb_to_recordset): the statement text never changes, so building and planning
   * it costs the same for 1 or 2,000.
   */
  async insertChained(tx: Executor, rows: string[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK * 4) {
      const json = `[${rows.slice(i, i + INSERT_CHUNK * 4).join(',')}]`;
      await sql`insert into audit_event (${sql.raw(COLUMNS)})
        select ${sql.raw(COLUMNS)} from jsonb_to_recordset(${json}::jsonb) as ${sql.raw(ROW_TYPE)}`.execute(
        tx,
      );
    }
  },

  /**
   * Moves the head from `from` to `to` and inserts the events chained between them (JSON rows, as for
   * insertChained), in one autocommit statement; false (and nothing written) when the head is not at `from`.
   */
  async append(
    run: StatementRunner,
    from: { seq: number; hash: string },
    to: { seq: number; hash: string },
    rows: string[],
  ): Promise<boolean> {
    const n = await run({
      name: 'audit_append',
      text: APPEND,
      values: [to.seq, to.hash, from.seq, from.hash, `[${rows.join(',')}]`],
    });
    return n === rows.length;
  },

  /** Events with seq > afterSeq, in chain order: the verifier pages through the chain with this. */
  async chainPage(db: Executor, afterSeq: number, limit: number): Promise<ChainedEvent[]> {
    const rows = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toChained);
  },

  async search(
    db: Executor,
    f: AuditFilter,
    page: PageRequest,
  ): Promise<{ rows: ChainedEvent[]; total: number }> {
    let q = db.selectFrom('audit_event');
    if (f.actorUserId) q = q.where('actor_user_id', '=', f.actorUserId);
    if (f.actorUsername) q = q.where('actor_username', '=', f.actorUsername);
    if (f.orgId) q = q.where('actor_org_id', '=', f.orgId);
    if (f.action) q = q.where('action', 'like', `${f.action.replace(/[%_\\]/g, '\\$&')}%`);
    if (f.objectType) q = q.where('object_type', '=', f.objectType);
    if (f.objectId) q = q.where('object_id', '=', f.objectId);
    if (f.outcome) q = q.where('outcome', '=', f.outcome);
    if (f.from) q = q.where('occurred_at', '>=', f.from);
    if (f.to) q = q.where('occurred_at', '<', f.to);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('seq', 'desc').limit(page.pageSize).offset(offsetOf(page)).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(toChained), total: Number(count.n) };
  },

  async bySeq(db: Executor, seq: number): Promise<ChainedEvent | undefined> {
    const row = await db.selectFrom('audit_event').selectAll().where('seq', '=', seq).executeTakeFirst();
    return row ? toChained(row) : undefined;
  },

  async head(db: Executor): Promise<{ seq: number; hash: string }> {
    const row = await db
      .selectFrom('audit_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    return { seq: Number(row.seq), hash: row.hash };
  },

  /** For tests and operators: the raw SQL needed to tamper is deliberately not offered here. */
  async maxSeq(db: Executor): Promise<number> {
    const r = await db
      .selectFrom('audit_event')
      .select(sql<number>`coalesce(max(seq), 0)`.as('m'))
      .executeTakeFirstOrThrow();
    return Number(r.m);
  },
};

function toChained(r: AuditEventRow): ChainedEvent {
  return { ...r, seq: Number(r.seq) };
}
