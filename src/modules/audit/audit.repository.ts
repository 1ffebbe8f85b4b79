/** The only place that writes SQL for the audit chain. */
import { type RawBuilder, sql } from 'kysely';
import type { Executor, StatementRunner } from '../../db/index.js';
import type { JsonObject } from '../../kernel/json.js';
import { offsetOf, type PageRequest } from '../../kernel/pagination.js';
import type { AuditOutcome } from './audit.table.js';

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
/** The same columns, of the events alias e. */
const E_COLUMNS = COLUMNS.split(',')
  .map((c) => `e.${c.trim()}`)
  .join(', ');

/**
 * Chained events travel as one JSON array (JSON.stringify is native; sixteen arrays escaped element by
 * element in JavaScript cost more than the database's own JSON parser) and become rows with this type.
 */
const ROW_TYPE = `r(seq bigint, id uuid, occurred_at timestamptz, actor_user_id uuid, actor_username text,
  actor_org_id uuid, actor_system_id uuid, action text, object_type text, object_id text, outcome text,
  detail jsonb, request_id text, ip text, prev_hash text, hash text)`;

/** The events of the blocks aliased b, as rows aliased e (each block's JSON array expanded). */
const BLOCK_EVENTS = sql.raw(
  `cross join lateral jsonb_to_recordset(b.events::jsonb) as e${ROW_TYPE.slice(1)}`,
);

/**
 * The pipelined group commit in one statement: move the head from where the flush expects it and, only
 * if it moved, store the flush's chained events as one audit block. One round trip, one implicit
 * transaction, one plan, one row.
 */
const APPEND = `with moved as (
    update audit_head set seq = $1, hash = $2 where id = 1 and seq = $3 and hash = $4 returning 1
  )
  insert into audit_block (first_seq, last_seq, first_at, last_at, keys, key_counts, events)
  select $3::bigint + 1, $1, $6::timestamptz, $7::timestamptz, $8::text[], $9::jsonb, $5
  where exists (select 1 from moved)`;

/**
 * The keys a block is found by: for each event its object (type, id, both), organization, user, username,
 * outcome, and the prefixes of its action that end with a dot. A search for any of these reads only the blocks holding it (GIN); the events inside are then
 * filtered exactly.
 */
export function searchKeys(e: {
  action: string;
  object_type: string;
  object_id: string | null;
  actor_org_id: string | null;
  actor_user_id: string | null;
  actor_username: string | null;
  outcome: string;
}): string[] {
  const k = [`t:${e.object_type}`, `r:${e.outcome}`];
  if (e.object_id !== null) k.push(`i:${e.object_id}`, `o:${e.object_type}:${e.object_id}`);
  if (e.actor_org_id !== null) k.push(`g:${e.actor_org_id}`);
  if (e.actor_user_id !== null) k.push(`u:${e.actor_user_id}`);
  if (e.actor_username !== null) k.push(`n:${e.actor_username}`);
  // Every prefix of the action that ends with a dot ('exchange.' of 'exchange.query').
  for (let i = e.action.indexOf('.'); i > 0; i = e.action.indexOf('.', i + 1))
    k.push(`a:${e.action.slice(0, i + 1)}`);
  return k;
}

/** A block on its way in: its events as JSON rows, their time range, keys (array literal) and key counts (JSON). */
export interface Block {
  rows: string[];
  firstAt: string;
  lastAt: string;
  keys: string;
  keyCounts: string;
}

/** The keys every block holding an event that matches the filter must have. */
function filterKeys(f: AuditFilter): string[] {
  const k: string[] = [];
  // An object's history (type and id) is one key, so that its count needs no expansion.
  if (f.objectType && f.objectId) k.push(`o:${f.objectType}:${f.objectId}`);
  else if (f.objectType) k.push(`t:${f.objectType}`);
  else if (f.objectId) k.push(`i:${f.objectId}`);
  if (f.outcome) k.push(`r:${f.outcome}`);
  // An action prefix up to a dot ('sharing.') is a key; any other prefix is matched event by event.
  if (f.action?.endsWith('.')) k.push(`a:${f.action}`);
  if (f.orgId) k.push(`g:${f.orgId}`);
  if (f.actorUserId) k.push(`u:${f.actorUserId}`);
  if (f.actorUsername) k.push(`n:${f.actorUsername}`);
  return k;
}

/** The filter on events (alias e) and the pruning of blocks (alias b) for a search. */
function searchConditions(f: AuditFilter): { cond: RawBuilder<unknown>; prune: RawBuilder<unknown> } {
  const c: RawBuilder<unknown>[] = [sql`true`];
  if (f.actorUserId) c.push(sql`e.actor_user_id = ${f.actorUserId}::uuid`);
  if (f.actorUsername) c.push(sql`e.actor_username = ${f.actorUsername}`);
  if (f.orgId) c.push(sql`e.actor_org_id = ${f.orgId}::uuid`);
  if (f.action) c.push(sql`e.action like ${`${f.action.replace(/[%_\\]/g, '\\$&')}%`}`);
  if (f.objectType) c.push(sql`e.object_type = ${f.objectType}`);
  if (f.objectId) c.push(sql`e.object_id = ${f.objectId}`);
  if (f.outcome) c.push(sql`e.outcome = ${f.outcome}`);
  if (f.from) c.push(sql`e.occurred_at >= ${f.from}`);
  if (f.to) c.push(sql`e.occurred_at < ${f.to}`);
  const p: RawBuilder<unknown>[] = [sql`true`];
  const keys = filterKeys(f);
  if (keys.length) p.push(sql`b.keys @> ${`{${keys.map(arrayElement).join(',')}}`}::text[]`);
  if (f.from) p.push(sql`b.last_at >= ${f.from}`);
  if (f.to) p.push(sql`b.first_at < ${f.to}`);
  return { cond: sql.join(c, sql` and `), prune: sql.join(p, sql` and `) };
}

/** One element of a PostgreSQL array literal, quoted. */
function arrayElement(v: string): string {
  return `"${v.replace(/[\\"]/g, '\\$&')}"`;
}

/** A text[] literal, for the keys of a block. */
export function arrayLiteral(values: Iterable<string>): string {
  let out = '';
  for (const v of values) out += `${out ? ',' : ''}${arrayElement(v)}`;
  return `{${out}}`;
}

/** Rows as the database returns them, from either store: seq as a number, detail parsed, times as Dates. */
/** A row as either database returns it from either store (times as Dates, jsonb parsed); seq as a number. */
function toChainedRow(r: Record<string, unknown>): ChainedEvent {
  return { ...(r as unknown as ChainedEvent), seq: Number(r.seq) };
}

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
      await sql`insert into audit_event_row (${sql.raw(COLUMNS)})
        select ${sql.raw(COLUMNS)} from jsonb_to_recordset(${json}::jsonb) as ${sql.raw(ROW_TYPE)}`.execute(
        tx,
      );
    }
  },

  /** Stores chained events as one block, inside the caller's transaction (which moved the head). */
  async insertBlock(tx: Executor, firstSeq: number, lastSeq: number, block: Block): Promise<void> {
    await sql`insert into audit_block (first_seq, last_seq, first_at, last_at, keys, key_counts, events)
      values (${firstSeq}, ${lastSeq}, ${block.firstAt}::timestamptz, ${block.lastAt}::timestamptz,
              ${block.keys}::text[], ${block.keyCounts}::jsonb, ${`[${block.rows.join(',')}]`})`.execute(tx);
  },

  /**
   * Moves the head from `from` to `to` and stores the events chained between them (JSON rows, as for
   * insertChained) as one block, in one autocommit statement; false (and nothing written) when the head
   * is not at `from`.
   */
  async append(
    run: StatementRunner,
    from: { seq: number; hash: string },
    to: { seq: number; hash: string },
    block: Block,
  ): Promise<boolean> {
    const n = await run({
      name: 'audit_append',
      text: APPEND,
      values: [
        to.seq,
        to.hash,
        from.seq,
        from.hash,
        `[${block.rows.join(',')}]`,
        block.firstAt,
        block.lastAt,
        block.keys,
        block.keyCounts,
      ],
    });
    return n === 1;
  },

  /**
   * Events with seq > afterSeq, in chain order, from both stores: the verifier pages through the chain
   * with this. Blocks are read only as far as `limit` events can reach (seq is dense; a missing event
   * shows as a gap or a chain that ends early, both of which the verifier reports).
   */
  async chainPage(db: Executor, afterSeq: number, limit: number): Promise<ChainedEvent[]> {
    const r = await sql<Record<string, unknown>>`
      select * from (
        (select ${sql.raw(COLUMNS)} from audit_event_row where seq > ${afterSeq} order by seq limit ${limit})
        union all
        select ${sql.raw(E_COLUMNS)} from audit_block b
          ${BLOCK_EVENTS}
        where b.last_seq > ${afterSeq} and b.first_seq <= ${afterSeq + limit} and e.seq > ${afterSeq}
      ) x order by seq limit ${limit}`.execute(db);
    return r.rows.map(toChainedRow);
  },

  /**
   * A page of events matching the filter, newest first, and how many match. Rows come from their index;
   * blocks are read newest first, `blockBatch` at a time, only until the page is full (the events of
   * older blocks are all older). The total counts blocks by their key counts where one key (or none)
   * and a time range decide it, expanding only blocks that straddle the range's ends; other filters (an
   * action prefix not ending with a dot, several keys) expand every block that may hold a match.
   */
  async search(
    db: Executor,
    f: AuditFilter,
    page: PageRequest,
    blockBatch = 64,
  ): Promise<{ rows: ChainedEvent[]; total: number }> {
    const { cond, prune } = searchConditions(f);
    const need = offsetOf(page) + page.pageSize;
    const [own, inBlocks, total] = await Promise.all([
      sql<Record<string, unknown>>`
        select ${sql.raw(COLUMNS)} from audit_event_row e where ${cond} order by seq desc limit ${need}`.execute(
        db,
      ),
      (async () => {
        const found: Record<string, unknown>[] = [];
        let before = Number.MAX_SAFE_INTEGER;
        for (;;) {
          const blocks = await sql<{ first_seq: string }>`
            select first_seq from audit_block b where ${prune} and first_seq < ${before}
            order by first_seq desc limit ${blockBatch}`.execute(db);
          if (blocks.rows.length === 0) return found;
          before = Number(blocks.rows[blocks.rows.length - 1]?.first_seq);
          const hits = await sql<Record<string, unknown>>`
            select ${sql.raw(E_COLUMNS)} from
              (select events from audit_block where first_seq = any(${`{${blocks.rows.map((b) => b.first_seq).join(',')}}`}::bigint[])) b
              ${BLOCK_EVENTS}
            where ${cond} order by e.seq desc limit ${need - found.length}`.execute(db);
          found.push(...hits.rows);
          if (found.length >= need || blocks.rows.length < blockBatch) return found;
        }
      })(),
      this.count(db, f, cond, prune),
    ]);
    const rows = [...own.rows, ...inBlocks]
      .map(toChainedRow)
      .sort((x, y) => y.seq - x.seq)
      .slice(offsetOf(page), need);
    return { rows, total };
  },

  /** How many events match (see search). */
  async count(
    db: Executor,
    f: AuditFilter,
    cond: RawBuilder<unknown>,
    prune: RawBuilder<unknown>,
  ): Promise<number> {
    const keys = filterKeys(f);
    const rows = await sql<{ n: string }>`select count(*) as n from audit_event_row e where ${cond}`.execute(
      db,
    );
    let n = Number(rows.rows[0]?.n ?? 0);
    if ((f.action && !f.action.endsWith('.')) || keys.length > 1) {
      const r = await sql<{ n: string }>`
        select count(*) as n from audit_block b ${BLOCK_EVENTS} where ${prune} and ${cond}`.execute(db);
      return n + Number(r.rows[0]?.n ?? 0);
    }
    // One key or none: blocks wholly inside the time range count by their key counts; only blocks that
    // straddle an end of the range are expanded.
    const perBlock = keys[0]
      ? sql`coalesce((b.key_counts ->> ${keys[0]})::bigint, 0)`
      : sql`b.last_seq - b.first_seq + 1`;
    const inside = sql.join(
      [
        sql`true`,
        ...(f.from ? [sql`b.first_at >= ${f.from}`] : []),
        ...(f.to ? [sql`b.last_at < ${f.to}`] : []),
      ],
      sql` and `,
    );
    const whole = await sql<{ n: string }>`
      select coalesce(sum(${perBlock}), 0) as n from audit_block b where ${prune} and ${inside}`.execute(db);
    n += Number(whole.rows[0]?.n ?? 0);
    if (f.from || f.to) {
      const edges = await sql<{ n: string }>`
        select count(*) as n from (select * from audit_block b where ${prune} and not (${inside})) b
        ${BLOCK_EVENTS} where ${cond}`.execute(db);
      n += Number(edges.rows[0]?.n ?? 0);
    }
    return n;
  },

  async bySeq(db: Executor, seq: number): Promise<ChainedEvent | undefined> {
    const r = await sql<Record<string, unknown>>`
      select ${sql.raw(COLUMNS)} from audit_event_row where seq = ${seq}
      union all
      select ${sql.raw(E_COLUMNS)} from
        (select events from audit_block where first_seq <= ${seq} and last_seq >= ${seq}) b
        ${BLOCK_EVENTS}
      where e.seq = ${seq}`.execute(db);
    const row = r.rows[0];
    return row ? toChainedRow(row) : undefined;
  },

  async head(db: Executor): Promise<{ seq: number; hash: string }> {
    const row = await db
      .selectFrom('audit_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    return { seq: Number(row.seq), hash: row.hash };
  },
};
