/**
 * The change feed and subscriptions (R5.6): consumers are told of changes to resources they hold a
 * grant for, pushed to a webhook or pulled by cursor.
 *
 * - **Feed.** `detectChanges` polls a mounted table by its watermark column (a column that grows with
 *   every insert and update, such as `updated_at` or a row version) and appends one `exchange_change`
 *   per changed record. The first poll of a mount only takes a baseline (the current maximum) and
 *   reports nothing: the feed tells of changes from the moment it starts (the full set is batch
 *   exchange's job, R5.4). `feed_watermark` is null before that baseline, '' when the baseline found
 *   an empty table. Deletes cannot be seen by watermark polling (the row is gone); providers that delete
 *   (or whose sources have no watermark, such as HTTP APIs) push their changes with `recordChange`.
 *   A watermark written by a transaction that commits after a later one has been polled is missed too
 *   (the usual limit of timestamp polling): providers should set the watermark at commit, or push.
 * - **Ordering.** Appends to one entry's feed take a transaction-level advisory lock, so within an
 *   entry a change's seq is never visible before a smaller one: a cursor (`seq > after`) never skips.
 * - **Fan-out.** The dispatcher gives each active webhook subscription (of an active grant) a delivery
 *   for every change after its `cursor`, and moves the cursor. A paused subscription is held, not
 *   skipped: on resume it receives what happened meanwhile.
 * - **Delivery.** Claimed with `FOR UPDATE SKIP LOCKED` in one auto-committed statement that pushes
 *   `next_attempt_at` forward by a lease (a crashed worker's delivery becomes due again when the lease
 *   runs out); the HTTP call runs with no transaction open; the outcome is recorded afterwards. Failures
 *   back off exponentially; after `maxAttempts` the delivery is dead (the dead-letter list). Deliveries
 *   of a grant that is no longer active are marked dead with the reason (and not fanned out any more);
 *   `redeliver` retries one once the grant is active again.
 * - **Masking.** A consumer sees a change's key items only if its grant includes them, masked by the
 *   grant's rule (hash keyed by the grant id), exactly as the gate masks records. Keys starting with `$`
 *   are platform identifiers (e.g. `$file` for a new file of a file resource) and pass unmasked.
 */

import { createHmac } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Database, Executor } from '../../db/index.js';
import type { RequestMeta } from '../../http/context.js';
import type { Clock } from '../../kernel/clock.js';
import { DomainError, type FieldProblem, type Message } from '../../kernel/errors.js';
import { isUuid, randomSecret } from '../../kernel/ids.js';
import type { Json, JsonObject } from '../../kernel/json.js';
import { mask } from '../../kernel/masking.js';
import type { SecretBox } from '../../kernel/secrets.js';
import { chinaToday } from '../../kernel/workdays.js';
import type { Services } from '../../services.js';
import type { AuditLog } from '../audit/audit.service.js';
import { type Action, authorize, listScope, type SystemActor, type UserActor } from '../auth/auth.policy.js';
import type { EntryView } from '../catalog/catalog.model.js';
import type { CatalogService } from '../catalog/catalog.service.js';
import type { GrantService, GrantView } from '../sharing/sharing.service.js';
import type { GrantItem } from '../sharing/sharing.table.js';
import { relationParts } from './exchange.connectors.js';
import { requireGrantAndPurpose } from './exchange.service.js';
import type { ExchangeMountRow, ExchangeSourceRow, SourceConfig } from './exchange.table.js';

export type ChangeOp = 'upsert' | 'delete';

/** What the feed, the dispatcher and the file exchange need from the node. */
export interface FeedDeps {
  db: Kysely<Database>;
  audit: AuditLog;
  catalog: CatalogService;
  grants: GrantService;
  secrets: () => SecretBox;
  clock: Clock;
}

export function feedDepsOf(s: Services): FeedDeps {
  return {
    db: s.db.kysely,
    audit: s.audit,
    catalog: s.catalog,
    grants: s.grants,
    secrets: () => s.secrets(),
    clock: s.clock,
  };
}

export interface FeedOptions {
  /** Source rows read per poll round (keyset on the watermark). Default 500. */
  batchSize?: number;
  /** Rounds one mount may take in one `pollAll` before the next mount's turn. Default 20. */
  maxRoundsPerPoll?: number;
  /** Changes fanned out per subscription per dispatch. Default 500. */
  fanOutBatch?: number;
  /** Deliveries claimed per dispatch. Default 50. */
  claimBatch?: number;
  /** HTTP calls in flight at once per dispatch. Default 8. */
  concurrency?: number;
  /** Attempts before a delivery is dead. Default 6. */
  maxAttempts?: number;
  /** Backoff after the n-th failed attempt: base × 2^(n-1), capped. Defaults 2 s and 1 h. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Randomizes each backoff within [½, 1] of its value (on by default; tests turn it off). */
  jitter?: boolean;
  /** How long a claim holds a delivery; must exceed the call timeout. Default 60 s. */
  leaseMs?: number;
  /** Timeout of one webhook call. Default 10 s. */
  timeoutMs?: number;
}

type Settings = Required<FeedOptions>;

const DEFAULTS: Settings = {
  batchSize: 500,
  maxRoundsPerPoll: 20,
  fanOutBatch: 500,
  claimBatch: 50,
  concurrency: 8,
  maxAttempts: 6,
  backoffBaseMs: 2_000,
  backoffCapMs: 3_600_000,
  jitter: true,
  leaseMs: 60_000,
  timeoutMs: 10_000,
};

/** Most rows sharing one watermark value that one poll takes (the watermark must be selective). */
const SAME_WATERMARK_CAP = 100_000;
const MAX_PULL = 1_000;

const SUBSCRIPTION: Message = { zh: '订阅', en: 'Subscription' };
const DELIVERY: Message = { zh: '投递', en: 'Delivery' };
const GRANT: Message = { zh: '共享授权', en: 'Grant' };

export interface ChangeView {
  seq: number;
  resource: string;
  op: ChangeOp;
  key: JsonObject;
  changedAt: string;
}

export interface SubscriptionView {
  id: string;
  grantId: string;
  entryId: string | null;
  resource: string | null;
  mode: 'webhook' | 'pull';
  url: string | null;
  status: 'active' | 'paused';
  /** Webhook: the last change fanned out to it; pull: the last position the consumer acknowledged. */
  cursor: number;
  hasSecret: boolean;
  createdAt: string;
}

export interface DeliveryView {
  id: number;
  subscriptionId: string;
  grantId: string;
  resource: string;
  url: string | null;
  changeSeq: number;
  attempts: number;
  status: 'pending' | 'delivered' | 'dead';
  lastError: string | null;
  nextAttemptAt: string;
  deliveredAt: string | null;
}

/** A delivery row as the queries select it (joined with its change's resource code). */
export interface DeliveryFields {
  id: number;
  subscription_id: string;
  grant_id: string;
  code: string;
  url: string | null;
  change_seq: number;
  attempts: number;
  status: DeliveryView['status'];
  last_error: string | null;
  next_attempt_at: Date;
  delivered_at: Date | null;
}

/** One delivery as the API shows it (the gate's dead letters and the console's delivery log). */
export function deliveryView(r: DeliveryFields): DeliveryView {
  return {
    id: r.id,
    subscriptionId: r.subscription_id,
    grantId: r.grant_id,
    resource: r.code,
    url: r.url,
    changeSeq: r.change_seq,
    attempts: r.attempts,
    status: r.status,
    lastError: r.last_error,
    nextAttemptAt: r.next_attempt_at.toISOString(),
    deliveredAt: r.delivered_at?.toISOString() ?? null,
  };
}

export interface DetectResult {
  entryId: string;
  appended: number;
  /** The feed watermark after this round. */
  watermark: string | null;
  /** A full batch was read: call again for the rest. */
  more: boolean;
}

export interface PollResult {
  mounts: number;
  appended: number;
  failed: { entryId: string; error: string }[];
}

export interface DispatchResult {
  fannedOut: number;
  claimed: number;
  delivered: number;
  retrying: number;
  dead: number;
}

/** A key's values as stored: plain JSON scalars. */
function scalar(v: unknown): Json {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/** A change key as one grant may see it: granted key items only, masked by the grant's rule. */
export function maskKey(key: JsonObject, grant: { id: string; items: GrantItem[] }): JsonObject {
  const rules = new Map(grant.items.map((i) => [i.name, i.masking]));
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(key)) {
    if (name.startsWith('$')) {
      out[name] = value;
      continue;
    }
    const rule = rules.get(name);
    if (rule) out[name] = scalar(mask(value, rule, grant.id));
  }
  return out;
}

/** `sm3=<hex>`: HMAC-SM3 keyed by the subscription secret over `timestamp + '.' + body`. */
export function signPayload(secret: string, timestamp: string, body: string): string {
  return `sm3=${createHmac('sm3', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

function grantActiveOn(g: { status: string; valid_from: string; valid_to: string }, today: string): boolean {
  return g.status === 'active' && g.valid_from <= today && g.valid_to >= today;
}

// ── reading a source by its watermark ────────────────────────────────────────────────────

interface SqlSource {
  rows(text: string, values: string[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

const IDENT = /^[\p{L}_][\p{L}\p{N}_$]*$/u;

function ident(name: string, field: string): string {
  if (!IDENT.test(name)) {
    throw DomainError.validation([
      {
        field,
        rule: 'identifier',
        zh: `“${name}”不是合法的列名`,
        en: `"${name}" is not a valid column name`,
      },
    ]);
  }
  return name;
}

function openSqlSource(source: ExchangeSourceRow, password: string | null): SqlSource {
  const cfg: SourceConfig = source.config;
  if (source.kind === 'postgres') {
    const pool = new pg.Pool({
      host: cfg.host,
      port: cfg.port ?? 5432,
      database: cfg.database,
      user: cfg.user,
      password: password ?? undefined,
      ssl: cfg.ssl ? { rejectUnauthorized: false } : undefined,
      max: 2,
      connectionTimeoutMillis: 5_000,
      statement_timeout: 30_000,
    });
    pool.on('error', () => undefined);
    return {
      rows: async (text, values) => (await pool.query({ text, values })).rows as Record<string, unknown>[],
      close: () => pool.end(),
    };
  }
  if (source.kind === 'mysql') {
    const pool = mysql.createPool({
      host: cfg.host,
      port: cfg.port ?? 3306,
      database: cfg.database,
      user: cfg.user,
      password: password ?? undefined,
      connectionLimit: 2,
      connectTimeout: 5_000,
      dateStrings: true,
    });
    return {
      rows: async (text, values) => (await pool.query(text, values))[0] as Record<string, unknown>[],
      close: () => pool.end(),
    };
  }
  throw DomainError.invalidState({
    zh: '只有数据库型数据源可按水位列轮询变更；其他数据源请由提供方推送变更',
    en: 'Only database sources can be polled by watermark; other sources push their changes',
  });
}

interface SourceChange {
  wm: string;
  key: JsonObject;
}

/** The SQL of one mount's watermark reads; every identifier checked and quoted, every value bound. */
function watermarkSql(kind: 'postgres' | 'mysql', mount: ExchangeMountRow) {
  const q =
    kind === 'postgres'
      ? (id: string) => `"${id.replace(/"/g, '""')}"`
      : (id: string) => `\`${id.replace(/`/g, '``')}\``;
  const text = (expr: string) => (kind === 'postgres' ? `(${expr})::text` : `cast(${expr} as char)`);
  const p1 = kind === 'postgres' ? '$1' : '?';
  const rel = relationParts(mount.relation).map(q).join('.');
  const wm = q(ident(mount.watermark_column ?? '', 'watermarkColumn'));
  const keys = mount.key_columns.map((k) => q(ident(k, 'keyColumns')));
  const cols = [`${text(wm)} as ${q('__wm')}`, ...keys.map((k, i) => `${text(k)} as ${q(`__k${i}`)}`)].join(
    ', ',
  );
  const order = [wm, ...keys].join(', ');
  return {
    max: `select ${text(`max(${wm})`)} as ${q('__wm')} from ${rel}`,
    after: (bounded: boolean, limit: number) =>
      `select ${cols} from ${rel} where ${wm} is not null${bounded ? ` and ${wm} > ${p1}` : ''} order by ${order} limit ${limit}`,
    at: (limit: number) => `select ${cols} from ${rel} where ${wm} = ${p1} order by ${order} limit ${limit}`,
  };
}

// ── the service ──────────────────────────────────────────────────────────────────────────

class FeedRace extends Error {}

interface Claimed {
  id: number;
  attempts: number;
}

interface DeliveryContext {
  id: number;
  attempts: number;
  subscription_id: string;
  url: string | null;
  secret: string | null;
  grant_id: string;
  grant_status: string;
  valid_from: string;
  valid_to: string;
  items: GrantItem[];
  consumer_org_id: string;
  consumer_system_id: string | null;
  seq: number;
  op: ChangeOp;
  record_key: JsonObject;
  changed_at: Date;
  code: string;
  entry_id: string;
}

export class FeedService {
  readonly settings: Settings;
  private readonly sources = new Map<string, SqlSource>();

  constructor(
    readonly deps: FeedDeps,
    options: FeedOptions = {},
  ) {
    this.settings = { ...DEFAULTS, ...options };
  }

  private get db(): Kysely<Database> {
    return this.deps.db;
  }

  /** Closes the connections to provider sources. */
  async stop(): Promise<void> {
    const all = [...this.sources.values()];
    this.sources.clear();
    for (const s of all) await s.close().catch(() => undefined);
  }

  // ── the change feed ────────────────────────────────────────────────────────────────────

  /**
   * Appends changes to an entry's feed inside the caller's transaction (the file exchange appends
   * a new file this way). Holds the entry's feed lock until the transaction ends, so seq order is
   * commit order within an entry.
   */
  async appendChanges(
    tx: Executor,
    entryId: string,
    changes: { op: ChangeOp; key: JsonObject }[],
    at: Date = this.deps.clock.now(),
  ): Promise<number[]> {
    await lockFeed(tx, entryId);
    const seqs: number[] = [];
    for (let i = 0; i < changes.length; i += 1000) {
      const rows = await tx
        .insertInto('exchange_change')
        .values(
          changes.slice(i, i + 1000).map((c) => ({
            entry_id: entryId,
            op: c.op,
            record_key: JSON.stringify(c.key),
            changed_at: at,
          })),
        )
        .returning('seq')
        .execute();
      seqs.push(...rows.map((r) => r.seq));
    }
    return seqs;
  }

  private sqlSource(source: ExchangeSourceRow): SqlSource {
    let s = this.sources.get(source.id);
    if (!s) {
      s = openSqlSource(source, source.secret ? this.deps.secrets().open(source.secret) : null);
      this.sources.set(source.id, s);
    }
    return s;
  }

  private async dropSource(id: string): Promise<void> {
    const s = this.sources.get(id);
    this.sources.delete(id);
    await s?.close().catch(() => undefined);
  }

  /**
   * One round of watermark polling for a mounted resource: reads at most a batch of rows whose
   * watermark is past the mount's (rows sharing the batch's last watermark are read whole, so
   * nothing is skipped or read twice), appends one upsert per row and moves the watermark — the
   * platform-side writes in one transaction, which refuses if another poller moved it meanwhile.
   */
  async detectChanges(entryId: string): Promise<DetectResult> {
    const mount = await this.db
      .selectFrom('exchange_mount')
      .selectAll()
      .where('entry_id', '=', entryId)
      .executeTakeFirst();
    if (!mount)
      throw DomainError.invalidState({ zh: '该资源尚未挂接数据源', en: 'The resource is not mounted' });
    if (!mount.watermark_column) {
      throw DomainError.invalidState({
        zh: '挂接未指定水位列，无法轮询变更',
        en: 'The mount has no watermark column to poll by',
      });
    }
    const source = await this.db
      .selectFrom('exchange_source')
      .selectAll()
      .where('id', '=', mount.source_id)
      .executeTakeFirstOrThrow();
    if (source.kind !== 'postgres' && source.kind !== 'mysql') {
      throw DomainError.invalidState({
        zh: '只有数据库型数据源可按水位列轮询变更；其他数据源请由提供方推送变更',
        en: 'Only database sources can be polled by watermark; other sources push their changes',
      });
    }
    const q = watermarkSql(source.kind, mount);
    const src = this.sqlSource(source);
    const from = mount.feed_watermark;
    let read: { changes: SourceChange[]; watermark: string | null; more: boolean };
    try {
      read = await this.readSource(src, q, mount, from);
    } catch (e) {
      await this.dropSource(source.id);
      throw e;
    }
    if (read.changes.length === 0 && read.watermark === from)
      return { entryId, appended: 0, watermark: from, more: false };
    try {
      await this.db.transaction().execute(async (tx) => {
        await lockFeed(tx, entryId);
        const moved = await tx
          .updateTable('exchange_mount')
          .set({ feed_watermark: read.watermark, updated_at: new Date() })
          .where('id', '=', mount.id)
          .where('feed_watermark', 'is not distinct from', from)
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== 1) throw new FeedRace();
        await this.appendChanges(
          tx,
          entryId,
          read.changes.map((c) => ({ op: 'upsert', key: c.key })),
        );
      });
    } catch (e) {
      if (e instanceof FeedRace) return { entryId, appended: 0, watermark: from, more: true };
      throw e;
    }
    return { entryId, appended: read.changes.length, watermark: read.watermark, more: read.more };
  }

  private async readSource(
    src: SqlSource,
    q: ReturnType<typeof watermarkSql>,
    mount: ExchangeMountRow,
    from: string | null,
  ): Promise<{ changes: SourceChange[]; watermark: string | null; more: boolean }> {
    if (from === null) {
      // The baseline: the feed starts now.
      const [row] = await src.rows(q.max, []);
      const wm = row?.__wm;
      return { changes: [], watermark: typeof wm === 'string' ? wm : '', more: false };
    }
    // Key columns are reported under their data item's name (the name consumers filter by).
    const itemOf = new Map(Object.entries(mount.mapping).map(([item, col]) => [col, item]));
    const names = mount.key_columns.map((c) => itemOf.get(c) ?? c);
    const toChange = (r: Record<string, unknown>): SourceChange => ({
      wm: String(r.__wm),
      key: Object.fromEntries(names.map((n, i) => [n, scalar(r[`__k${i}`])])),
    });
    const batch = this.settings.batchSize;
    const rows = (await src.rows(q.after(from !== '', batch), from !== '' ? [from] : [])).map(toChange);
    const last = rows[rows.length - 1];
    if (!last) return { changes: [], watermark: from, more: false };
    if (rows.length < batch) return { changes: rows, watermark: last.wm, more: false };
    // A full batch may have cut a run of equal watermarks: take that value's rows whole.
    const head = rows.filter((r) => r.wm !== last.wm);
    const tail = (await src.rows(q.at(SAME_WATERMARK_CAP + 1), [last.wm])).map(toChange);
    if (tail.length > SAME_WATERMARK_CAP) {
      throw DomainError.invalidState({
        zh: `水位列取值重复过多（超过 ${SAME_WATERMARK_CAP} 行相同），无法分批轮询`,
        en: `More than ${SAME_WATERMARK_CAP} rows share one watermark value: it cannot be polled in batches`,
      });
    }
    return { changes: [...head, ...tail], watermark: last.wm, more: true };
  }

  /** Polls every mount that has a watermark column, each until it has caught up (bounded). */
  async pollAll(): Promise<PollResult> {
    const mounts = await this.db
      .selectFrom('exchange_mount as m')
      .innerJoin('exchange_source as s', 's.id', 'm.source_id')
      .select('m.entry_id')
      .where('m.watermark_column', 'is not', null)
      .where('s.kind', 'in', ['postgres', 'mysql'])
      .orderBy('m.entry_id')
      .execute();
    const result: PollResult = { mounts: mounts.length, appended: 0, failed: [] };
    for (const m of mounts) {
      try {
        for (let round = 0; round < this.settings.maxRoundsPerPoll; round++) {
          const r = await this.detectChanges(m.entry_id);
          result.appended += r.appended;
          if (!r.more) break;
        }
      } catch (e) {
        result.failed.push({ entryId: m.entry_id, error: (e as Error).message.slice(0, 300) });
      }
    }
    return result;
  }

  /**
   * A change pushed by the provider (deletes, or sources without a watermark). The key names data
   * items of the entry (for an entry without items, any names not starting with `$`).
   */
  async recordChange(
    meta: RequestMeta | null,
    entryId: string,
    op: ChangeOp,
    key: Record<string, unknown>,
  ): Promise<ChangeView> {
    const [entry] = isUuid(entryId) ? await this.deps.catalog.views(this.db, [entryId]) : [];
    if (!entry || entry.revisionOf) throw DomainError.notFound({ zh: '目录资源', en: 'Catalog entry' });
    const p: FieldProblem[] = [];
    if (op !== 'upsert' && op !== 'delete')
      p.push({
        field: 'op',
        rule: 'enum',
        zh: '变更类型应为 upsert 或 delete',
        en: 'op must be upsert or delete',
      });
    const names = new Set(entry.items.map((i) => i.name));
    const clean: JsonObject = {};
    const entries = Object.entries(key);
    if (entries.length === 0)
      p.push({ field: 'key', rule: 'required', zh: '须给出记录的关键信息项', en: 'key is required' });
    for (const [name, value] of entries) {
      const known = names.size > 0 ? names.has(name) : !name.startsWith('$') && name.length <= 100;
      if (!known) {
        p.push({
          field: `key.${name}`,
          rule: 'item.in_entry',
          zh: `“${name}”不是该资源的信息项`,
          en: `"${name}" is not a data item of the resource`,
        });
        continue;
      }
      const v = scalar(value);
      if (typeof v === 'string' && v.length > 200) {
        p.push({
          field: `key.${name}`,
          rule: 'maxLength',
          zh: '关键值过长',
          en: 'The key value is too long',
        });
        continue;
      }
      clean[name] = v;
    }
    if (p.length) throw DomainError.validation(p);
    const at = this.deps.clock.now();
    const seq = await this.deps.audit.transaction(async (tx) => {
      const [s] = await this.appendChanges(tx, entry.id, [{ op, key: clean }], at);
      if (meta) {
        await this.deps.audit.stage(tx, {
          ...meta,
          action: 'exchange.feed.record',
          objectType: 'catalog_entry',
          objectId: entry.id,
          detail: { resource: entry.code, op, seq: s ?? null, items: Object.keys(clean) },
        });
      }
      return s ?? 0;
    });
    return { seq, resource: entry.code, op, key: clean, changedAt: at.toISOString() };
  }

  // ── subscriptions ──────────────────────────────────────────────────────────────────────

  private async grantRow(id: string) {
    const g = isUuid(id)
      ? await this.db.selectFrom('share_grant').selectAll().where('id', '=', id).executeTakeFirst()
      : undefined;
    if (!g) throw DomainError.notFound(GRANT);
    return g;
  }

  private checkUrl(url: string | undefined | null): FieldProblem[] {
    const bad: FieldProblem = {
      field: 'url',
      rule: 'url',
      zh: '回调地址须为不含用户名口令的 http(s) 地址',
      en: 'url must be an http(s) URL without credentials',
    };
    if (!url?.trim())
      return [{ ...bad, rule: 'required', zh: '推送方式须填写回调地址', en: 'url is required for webhooks' }];
    try {
      const u = new URL(url.trim());
      if (!/^https?:$/.test(u.protocol) || u.username || u.password || url.length > 2000) return [bad];
    } catch {
      return [bad];
    }
    return [];
  }

  /**
   * Subscribes the grant's consumer to changes of the granted resource. A webhook subscription gets a
   * signing secret, returned here once and stored SM4-sealed.
   */
  async subscribe(
    meta: RequestMeta,
    actor: UserActor,
    input: { grantId: string; mode: 'webhook' | 'pull'; url?: string | null },
  ): Promise<SubscriptionView & { secret: string | null }> {
    const g = await this.grantRow(input.grantId);
    authorize(actor, 'exchange.write', g.consumer_org_id);
    const p: FieldProblem[] = [];
    if (input.mode !== 'webhook' && input.mode !== 'pull')
      p.push({
        field: 'mode',
        rule: 'enum',
        zh: '订阅方式应为 webhook 或 pull',
        en: 'mode must be webhook or pull',
      });
    if (input.mode === 'webhook') p.push(...this.checkUrl(input.url));
    if (input.mode === 'pull' && input.url)
      p.push({
        field: 'url',
        rule: 'absent',
        zh: '拉取方式无需回调地址',
        en: 'A pull subscription has no url',
      });
    if (p.length) throw DomainError.validation(p);
    if (!g.entry_id || !grantActiveOn(g, chinaToday(this.deps.clock.now()))) {
      throw DomainError.invalidState({
        zh: '只能订阅有效的、针对目录资源的共享授权',
        en: 'Subscribe to an active grant on a catalog resource',
      });
    }
    const entryId = g.entry_id;
    const url = input.mode === 'webhook' ? (input.url ?? '').trim() : null;
    const secret = input.mode === 'webhook' ? `whsec_${randomSecret(32)}` : null;
    const row = await this.deps.audit.transaction(async (tx) => {
      const dup = await tx
        .selectFrom('exchange_subscription')
        .select('id')
        .where('grant_id', '=', g.id)
        .where('mode', '=', input.mode)
        .where('url', 'is not distinct from', url)
        .executeTakeFirst();
      if (dup) {
        throw DomainError.conflict({
          zh: '该授权已有相同的订阅',
          en: 'The grant already has this subscription',
        });
      }
      // Subscribers hear of changes from now on.
      const head = await tx
        .selectFrom('exchange_change')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('entry_id', '=', entryId)
        .executeTakeFirst();
      const s = await tx
        .insertInto('exchange_subscription')
        .values({
          grant_id: g.id,
          mode: input.mode,
          url,
          secret: secret ? this.deps.secrets().seal(secret) : null,
          cursor: Number(head?.seq ?? 0),
          created_by: actor.userId,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.deps.audit.stage(tx, {
        ...meta,
        action: 'exchange.subscription.create',
        objectType: 'exchange_subscription',
        objectId: s.id,
        detail: { grantId: g.id, mode: s.mode, url: s.url },
      });
      return s;
    });
    const [view] = await this.views([row.id]);
    if (!view) throw DomainError.notFound(SUBSCRIPTION);
    return { ...view, secret };
  }

  private async views(ids: string[] | null, orgId?: string | null): Promise<SubscriptionView[]> {
    let q = this.db
      .selectFrom('exchange_subscription as s')
      .innerJoin('share_grant as g', 'g.id', 's.grant_id')
      .leftJoin('catalog_entry as e', 'e.id', 'g.entry_id')
      .select([
        's.id',
        's.grant_id',
        'g.entry_id',
        'e.code',
        's.mode',
        's.url',
        's.status',
        's.cursor',
        's.secret',
        's.created_at',
      ]);
    if (ids) q = q.where('s.id', 'in', ids.length ? ids : ['00000000-0000-0000-0000-000000000000']);
    if (orgId) q = q.where('g.consumer_org_id', '=', orgId);
    const rows = await q.orderBy('s.created_at', 'desc').limit(1000).execute();
    return rows.map((r) => ({
      id: r.id,
      grantId: r.grant_id,
      entryId: r.entry_id,
      resource: r.code,
      mode: r.mode,
      url: r.url,
      status: r.status,
      cursor: Number(r.cursor),
      hasSecret: r.secret !== null,
      createdAt: r.created_at.toISOString(),
    }));
  }

  /** The subscriptions the actor's organization holds as consumer (all, for the platform office). */
  async listSubscriptions(actor: UserActor): Promise<SubscriptionView[]> {
    return this.views(null, listScope(actor, 'exchange.read'));
  }

  private async subscriptionWithGrant(id: string) {
    const s = isUuid(id)
      ? await this.db
          .selectFrom('exchange_subscription as s')
          .innerJoin('share_grant as g', 'g.id', 's.grant_id')
          .select(['s.id', 's.status', 'g.consumer_org_id'])
          .where('s.id', '=', id)
          .executeTakeFirst()
      : undefined;
    if (!s) throw DomainError.notFound(SUBSCRIPTION);
    return s;
  }

  private async setStatus(
    meta: RequestMeta,
    actor: UserActor,
    id: string,
    status: 'active' | 'paused',
  ): Promise<SubscriptionView> {
    const s = await this.subscriptionWithGrant(id);
    authorize(actor, 'exchange.write', s.consumer_org_id);
    if (s.status !== status) {
      await this.deps.audit.transaction(async (tx) => {
        await tx.updateTable('exchange_subscription').set({ status }).where('id', '=', id).execute();
        await this.deps.audit.stage(tx, {
          ...meta,
          action: status === 'paused' ? 'exchange.subscription.pause' : 'exchange.subscription.resume',
          objectType: 'exchange_subscription',
          objectId: id,
        });
      });
    }
    const [view] = await this.views([id]);
    if (!view) throw DomainError.notFound(SUBSCRIPTION);
    return view;
  }

  /** Holds deliveries: changes keep being recorded and are delivered on resume. */
  pause(meta: RequestMeta, actor: UserActor, id: string): Promise<SubscriptionView> {
    return this.setStatus(meta, actor, id, 'paused');
  }

  resume(meta: RequestMeta, actor: UserActor, id: string): Promise<SubscriptionView> {
    return this.setStatus(meta, actor, id, 'active');
  }

  // ── the dispatcher ─────────────────────────────────────────────────────────────────────

  /**
   * Gives every active webhook subscription of an active grant a delivery per change after its
   * cursor (idempotent: the unique (subscription, change) pair), and moves the cursor.
   */
  async fanOut(now: Date = this.deps.clock.now()): Promise<number> {
    const today = chinaToday(now);
    const subs = await this.db
      .selectFrom('exchange_subscription as s')
      .innerJoin('share_grant as g', 'g.id', 's.grant_id')
      .select(['s.id', 'g.entry_id'])
      .where('s.mode', '=', 'webhook')
      .where('s.status', '=', 'active')
      .where('g.status', '=', 'active')
      .where('g.valid_from', '<=', today)
      .where('g.valid_to', '>=', today)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('exchange_change as c')
            .select('c.seq')
            .whereRef('c.entry_id', '=', 'g.entry_id')
            .whereRef('c.seq', '>', 's.cursor'),
        ),
      )
      .execute();
    let total = 0;
    for (const sub of subs) {
      if (!sub.entry_id) continue;
      const entryId = sub.entry_id;
      total += await this.db.transaction().execute(async (tx) => {
        const locked = await tx
          .selectFrom('exchange_subscription')
          .select('cursor')
          .where('id', '=', sub.id)
          .where('status', '=', 'active')
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
        if (!locked) return 0;
        const seqs = await tx
          .selectFrom('exchange_change')
          .select('seq')
          .where('entry_id', '=', entryId)
          .where('seq', '>', locked.cursor)
          .orderBy('seq')
          .limit(this.settings.fanOutBatch)
          .execute();
        const last = seqs[seqs.length - 1];
        if (!last) return 0;
        await tx
          .insertInto('exchange_delivery')
          .values(seqs.map((c) => ({ subscription_id: sub.id, change_seq: c.seq, next_attempt_at: now })))
          .onConflict((oc) => oc.columns(['subscription_id', 'change_seq']).doNothing())
          .execute();
        await tx
          .updateTable('exchange_subscription')
          .set({ cursor: last.seq })
          .where('id', '=', sub.id)
          .execute();
        return seqs.length;
      });
    }
    return total;
  }

  /** Claims due deliveries in one auto-committed statement: attempts + 1 and a lease on each. */
  private async claim(now: Date): Promise<Claimed[]> {
    const lease = new Date(now.getTime() + this.settings.leaseMs);
    return this.db
      .updateTable('exchange_delivery')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: lease }))
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('exchange_delivery as d')
          .select('d.id')
          .where('d.status', '=', 'pending')
          .where('d.next_attempt_at', '<=', now)
          .where('d.attempts', '<', this.settings.maxAttempts)
          .where((w) =>
            w.exists(
              w
                .selectFrom('exchange_subscription as s')
                .select('s.id')
                .whereRef('s.id', '=', 'd.subscription_id')
                .where('s.status', '=', 'active'),
            ),
          )
          .orderBy('d.next_attempt_at')
          .orderBy('d.id')
          .limit(this.settings.claimBatch)
          .forUpdate()
          .skipLocked(),
      )
      .returning(['id', 'attempts'])
      .execute();
  }

  /** A delivery whose last attempt's worker never reported back (its lease ran out): dead. */
  private async buryAbandoned(now: Date): Promise<number> {
    const r = await this.db
      .updateTable('exchange_delivery')
      .set({ status: 'dead', last_error: 'the last attempt was claimed but never reported (worker lost)' })
      .where('status', '=', 'pending')
      .where('attempts', '>=', this.settings.maxAttempts)
      .where('next_attempt_at', '<=', now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  private async contexts(ids: number[]): Promise<DeliveryContext[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('exchange_delivery as d')
      .innerJoin('exchange_subscription as s', 's.id', 'd.subscription_id')
      .innerJoin('share_grant as g', 'g.id', 's.grant_id')
      .innerJoin('exchange_change as c', 'c.seq', 'd.change_seq')
      .innerJoin('catalog_entry as e', 'e.id', 'c.entry_id')
      .select([
        'd.id',
        'd.attempts',
        'd.subscription_id',
        's.url',
        's.secret',
        'g.id as grant_id',
        'g.status as grant_status',
        'g.valid_from',
        'g.valid_to',
        'g.items',
        'g.consumer_org_id',
        'g.consumer_system_id',
        'c.seq',
        'c.op',
        'c.record_key',
        'c.changed_at',
        'e.code',
        'e.id as entry_id',
      ])
      .where('d.id', 'in', ids)
      .execute();
    return rows;
  }

  private backoff(attempts: number): number {
    const { backoffBaseMs, backoffCapMs, jitter } = this.settings;
    const full = Math.min(backoffCapMs, backoffBaseMs * 2 ** Math.max(0, attempts - 1));
    return jitter ? Math.round(full / 2 + (Math.random() * full) / 2) : full;
  }

  /** The JSON a subscriber receives, with the key masked for its grant. */
  private payload(c: DeliveryContext): string {
    return JSON.stringify({
      subscriptionId: c.subscription_id,
      deliveryId: c.id,
      change: {
        seq: c.seq,
        resource: c.code,
        op: c.op,
        key: maskKey(c.record_key, { id: c.grant_id, items: c.items }),
        changedAt: c.changed_at.toISOString(),
      },
    });
  }

  private async markDead(c: DeliveryContext, reason: string, fence: boolean): Promise<boolean> {
    let q = this.db
      .updateTable('exchange_delivery')
      .set({ status: 'dead', last_error: reason.slice(0, 500) })
      .where('id', '=', c.id)
      .where('status', '=', 'pending');
    if (fence) q = q.where('attempts', '=', c.attempts);
    const r = await q.executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1) {
      await this.deps.audit.record({
        actor: { orgId: c.consumer_org_id, systemId: c.consumer_system_id },
        action: 'exchange.feed.dead',
        objectType: 'exchange_delivery',
        objectId: String(c.id),
        outcome: 'error',
        detail: {
          subscriptionId: c.subscription_id,
          resource: c.code,
          seq: c.seq,
          attempts: c.attempts,
          reason,
        },
      });
      return true;
    }
    return false;
  }

  /** One attempt: the HTTP call with no transaction open, then the outcome (fenced on the claim). */
  private async attempt(c: DeliveryContext, now: Date): Promise<'delivered' | 'retrying' | 'dead'> {
    const grant = { status: c.grant_status, valid_from: c.valid_from, valid_to: c.valid_to };
    if (!grantActiveOn(grant, chinaToday(now))) {
      const why = c.grant_status === 'active' ? 'outside its validity period' : c.grant_status;
      await this.markDead(c, `grant not active (${why}): deliveries stopped`, true);
      return 'dead';
    }
    if (!c.url || !c.secret) {
      await this.markDead(c, 'the subscription has no url or secret', true);
      return 'dead';
    }
    const body = this.payload(c);
    const timestamp = String(Math.floor(Date.now() / 1000));
    let error: string | null = null;
    try {
      const res = await fetch(c.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'GovShare-Webhook/1',
          'x-govshare-delivery': String(c.id),
          'x-govshare-timestamp': timestamp,
          'x-govshare-signature': signPayload(this.deps.secrets().open(c.secret), timestamp, body),
        },
        body,
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      error = `${(e as Error).name}: ${(e as Error).message}${cause?.code ? ` (${cause.code})` : ''}`;
    }
    if (!error) {
      const r = await this.db
        .updateTable('exchange_delivery')
        .set({ status: 'delivered', delivered_at: new Date(), last_error: null })
        .where('id', '=', c.id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 1) {
        await this.deps.audit.record({
          actor: { orgId: c.consumer_org_id, systemId: c.consumer_system_id },
          action: 'exchange.feed.deliver',
          objectType: 'exchange_delivery',
          objectId: String(c.id),
          detail: {
            subscriptionId: c.subscription_id,
            grantId: c.grant_id,
            resource: c.code,
            seq: c.seq,
            attempts: c.attempts,
          },
        });
      }
      return 'delivered';
    }
    if (c.attempts >= this.settings.maxAttempts) {
      await this.markDead(c, `${error} after ${c.attempts} attempts`, true);
      return 'dead';
    }
    await this.db
      .updateTable('exchange_delivery')
      .set({
        next_attempt_at: new Date(now.getTime() + this.backoff(c.attempts)),
        last_error: error.slice(0, 500),
      })
      .where('id', '=', c.id)
      .where('status', '=', 'pending')
      .where('attempts', '=', c.attempts)
      .execute();
    return 'retrying';
  }

  /**
   * One dispatcher run: fan out new changes, then claim due deliveries (SKIP LOCKED, so several
   * nodes may run it at once), call each subscriber and record the outcome. `now` is the scheduling
   * clock (tests advance it past each backoff); the signature's timestamp is the wall clock.
   */
  async dispatch(now: Date = this.deps.clock.now()): Promise<DispatchResult> {
    const fannedOut = await this.fanOut(now);
    const buried = await this.buryAbandoned(now);
    const claimed = await this.claim(now);
    const contexts = await this.contexts(claimed.map((c) => c.id));
    const result: DispatchResult = {
      fannedOut,
      claimed: claimed.length,
      delivered: 0,
      retrying: 0,
      dead: buried,
    };
    let next = 0;
    const worker = async () => {
      for (;;) {
        const c = contexts[next++];
        if (!c) return;
        // A failure to record an outcome leaves the lease in place: the delivery is offered again.
        const outcome = await this.attempt(c, now).catch(() => 'retrying' as const);
        result[outcome] += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.settings.concurrency, contexts.length) }, worker));
    return result;
  }

  // ── dead letters ───────────────────────────────────────────────────────────────────────

  private deliveryQuery() {
    return this.db
      .selectFrom('exchange_delivery as d')
      .innerJoin('exchange_subscription as s', 's.id', 'd.subscription_id')
      .innerJoin('share_grant as g', 'g.id', 's.grant_id')
      .innerJoin('exchange_change as c', 'c.seq', 'd.change_seq')
      .innerJoin('catalog_entry as e', 'e.id', 'c.entry_id')
      .select([
        'd.id',
        'd.subscription_id',
        'g.id as grant_id',
        'g.consumer_org_id',
        'g.status as grant_status',
        'g.valid_from',
        'g.valid_to',
        'e.code',
        's.url',
        'd.change_seq',
        'd.attempts',
        'd.status',
        'd.last_error',
        'd.next_attempt_at',
        'd.delivered_at',
      ]);
  }

  /** The dead-letter list: deliveries that gave up, of the actor's organization's subscriptions. */
  async deadLetters(actor: UserActor, limit = 200): Promise<DeliveryView[]> {
    const org = listScope(actor, 'exchange.read');
    let q = this.deliveryQuery().where('d.status', '=', 'dead');
    if (org) q = q.where('g.consumer_org_id', '=', org);
    const rows = await q
      .orderBy('d.id', 'desc')
      .limit(Math.min(Math.max(1, limit), 1000))
      .execute();
    return rows.map((r) => deliveryView(r));
  }

  async delivery(actor: UserActor, id: number, action: Action = 'exchange.read'): Promise<DeliveryView> {
    const r = Number.isSafeInteger(id)
      ? await this.deliveryQuery().where('d.id', '=', id).executeTakeFirst()
      : undefined;
    if (!r) throw DomainError.notFound(DELIVERY);
    authorize(actor, action, r.consumer_org_id);
    return deliveryView(r);
  }

  /** Puts a dead delivery back in the queue with fresh attempts (the grant must be active again). */
  async redeliver(meta: RequestMeta, actor: UserActor, id: number): Promise<DeliveryView> {
    const r = Number.isSafeInteger(id)
      ? await this.deliveryQuery().where('d.id', '=', id).executeTakeFirst()
      : undefined;
    if (!r) throw DomainError.notFound(DELIVERY);
    authorize(actor, 'exchange.write', r.consumer_org_id);
    if (r.status !== 'dead')
      throw DomainError.invalidState({
        zh: '只能重投已失败的投递',
        en: 'Only a dead delivery can be redelivered',
      });
    if (
      !grantActiveOn(
        { status: r.grant_status, valid_from: r.valid_from, valid_to: r.valid_to },
        chinaToday(this.deps.clock.now()),
      )
    ) {
      throw DomainError.invalidState({
        zh: '共享授权已失效，不能重投',
        en: 'The grant is no longer active: nothing can be redelivered',
      });
    }
    await this.deps.audit.transaction(async (tx) => {
      await tx
        .updateTable('exchange_delivery')
        .set({ status: 'pending', attempts: 0, next_attempt_at: this.deps.clock.now() })
        .where('id', '=', id)
        .where('status', '=', 'dead')
        .execute();
      await this.deps.audit.stage(tx, {
        ...meta,
        action: 'exchange.delivery.redeliver',
        objectType: 'exchange_delivery',
        objectId: String(id),
        detail: { subscriptionId: r.subscription_id, seq: r.change_seq, lastError: r.last_error },
      });
    });
    return this.delivery(actor, id, 'exchange.write');
  }

  // ── pull by cursor ─────────────────────────────────────────────────────────────────────

  /**
   * The changes of a granted resource after a cursor, masked for the caller's grant; `next` is the
   * cursor for the following call. If the grant has a pull subscription, `after` is recorded as the
   * position the consumer has acknowledged.
   */
  async pullChanges(
    system: SystemActor,
    meta: RequestMeta,
    ref: string,
    purpose: string | undefined,
    after: number,
    limit: number,
  ): Promise<{ resource: string; changes: ChangeView[]; next: number }> {
    const { entry, grant } = await admitSystem(this.deps, system, meta, ref, purpose, 'changes');
    const from = Math.max(0, Math.floor(after));
    const size = Math.min(Math.max(1, Math.floor(limit)), MAX_PULL);
    const rows = await this.db
      .selectFrom('exchange_change')
      .select(['seq', 'op', 'record_key', 'changed_at'])
      .where('entry_id', '=', entry.id)
      .where('seq', '>', from)
      .orderBy('seq')
      .limit(size)
      .execute();
    const changes = rows.map((r) => ({
      seq: r.seq,
      resource: entry.code,
      op: r.op,
      key: maskKey(r.record_key, grant),
      changedAt: r.changed_at.toISOString(),
    }));
    const next = rows[rows.length - 1]?.seq ?? from;
    await this.db
      .updateTable('exchange_subscription')
      .set({ cursor: sql<number>`greatest(cursor, ${from})` })
      .where('grant_id', '=', grant.id)
      .where('mode', '=', 'pull')
      .execute();
    await this.deps.audit.record({
      ...meta,
      action: 'exchange.changes',
      objectType: 'catalog_entry',
      objectId: entry.id,
      detail: {
        resource: entry.code,
        grantId: grant.id,
        purpose: grant.purposeCategory,
        after: from,
        count: changes.length,
        next,
      },
    });
    return { resource: entry.code, changes, next };
  }
}

/** Serializes appends to one entry's feed until the transaction ends. */
async function lockFeed(tx: Executor, entryId: string): Promise<void> {
  if (!tx.isTransaction) throw new Error('feed appends must run inside a transaction');
  await sql`select pg_advisory_xact_lock(hashtext(${`govshare.exchange_change:${entryId}`}))`.execute(tx);
}

// ── gate admission for the feed and the file exchange ─────────────────────────────────────

/** Resolves a resource reference (code with '/' written '-', or the entry id) to a published entry. */
async function publishedEntry(deps: FeedDeps, ref: string): Promise<EntryView> {
  const byId = isUuid(ref);
  const row = await deps.db
    .selectFrom('catalog_entry')
    .select('id')
    .where(byId ? 'id' : 'code', '=', byId ? ref : ref.replace('-', '/'))
    .where('revision_of', 'is', null)
    .executeTakeFirst();
  const [entry] = row ? await deps.catalog.views(deps.db, [row.id]) : [];
  if (entry?.status !== 'published')
    throw new DomainError('NOT_FOUND', { zh: '没有该共享资源', en: 'No such shared resource' });
  return entry;
}

/**
 * The gate's admission for a consuming system (as the query gate does it): the resource must be
 * published, the system must hold an active grant on it, and X-Purpose must name the grant's purpose
 * category (code or Chinese label). A refusal is audited before the error goes out.
 */
export async function admitSystem(
  deps: FeedDeps,
  system: SystemActor,
  meta: RequestMeta,
  ref: string,
  purpose: string | undefined,
  op: string,
): Promise<{ entry: EntryView; grant: GrantView }> {
  let entry: EntryView | null = null;
  try {
    entry = await publishedEntry(deps, ref);
    const grant = requireGrantAndPurpose(await deps.grants.activeFor(system.systemId, entry.id), purpose);
    return { entry, grant };
  } catch (e) {
    await deps.audit.record({
      ...meta,
      action: `exchange.${op}`,
      objectType: 'catalog_entry',
      objectId: entry?.id ?? ref.slice(0, 80),
      outcome: 'denied',
      detail: {
        code: e instanceof DomainError ? e.code : 'INTERNAL',
        purpose: (purpose ?? '').slice(0, 60),
        resource: entry?.code ?? ref.slice(0, 80),
      },
    });
    throw e;
  }
}

// ── wiring ─────────────────────────────────────────────────────────────────────────────────

const feeds = new WeakMap<Services, FeedService>();

/**
 * The node's feed service: `services.feed` once the composition root provides one, else one made on
 * first use per Services (options apply only to that first call).
 */
export function feedFor(services: Services, options: FeedOptions = {}): FeedService {
  if ('feed' in services && services.feed instanceof FeedService) return services.feed;
  let f = feeds.get(services);
  if (!f) {
    f = new FeedService(feedDepsOf(services), options);
    feeds.set(services, f);
  }
  return f;
}

/**
 * The periodic job: polls watermarks every `pollMs` and dispatches deliveries every `dispatchMs`
 * (safe on several nodes at once). Returns a function that stops the timers.
 */
export function startFeedJobs(
  feed: FeedService,
  options: { pollMs?: number; dispatchMs?: number; onError?: (e: unknown) => void } = {},
): () => void {
  const onError =
    options.onError ?? ((e: unknown) => process.emitWarning(`feed job failed: ${(e as Error).message}`));
  let polling = false;
  let dispatching = false;
  const poll = setInterval(() => {
    if (polling) return;
    polling = true;
    void feed
      .pollAll()
      .catch(onError)
      .finally(() => {
        polling = false;
      });
  }, options.pollMs ?? 60_000);
  const dispatch = setInterval(() => {
    if (dispatching) return;
    dispatching = true;
    void feed
      .dispatch()
      .catch(onError)
      .finally(() => {
        dispatching = false;
      });
  }, options.dispatchMs ?? 5_000);
  poll.unref();
  dispatch.unref();
  return () => {
    clearInterval(poll);
    clearInterval(dispatch);
  };
}
