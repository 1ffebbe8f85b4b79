/**
 * The console's paged reads of the exchange: sources, batch jobs and the runs of one, subscriptions and
 * their deliveries (dead letters included). The older list endpoints answer whole arrays; these answer
 * one page with its total, filtered on the server, and each read is audited.
 *
 * A job's runs are not kept in a table of their own: every pass of a job ends with an
 * `exchange.sync.transfer` event on the audit chain (rows copied, outcome, error, worker), so the run
 * history is read from there — the same record the auditors verify.
 */
import type { Kysely } from 'kysely';
import type { Database, Executor } from '../../db/index.js';
import type { RequestMeta } from '../../http/context.js';
import { DomainError } from '../../kernel/errors.js';
import { offsetOf, type Page, type PageRequest } from '../../kernel/pagination.js';
import { type AuditLog, searchAudit } from '../audit/audit.service.js';
import { authorize, listScope, type UserActor } from '../auth/auth.policy.js';
import { type DeliveryView, deliveryView } from './exchange.feed.js';
import { type SourceView, sourceView } from './exchange.service.js';
import type { SyncJobView, SyncService } from './exchange.sync.js';
import type { SourceKind, SourceStatus } from './exchange.table.js';

export interface SubscriptionRow {
  id: string;
  grantId: string;
  entryId: string | null;
  resource: string | null;
  entryName: string | null;
  mode: string;
  url: string | null;
  status: string;
  cursor: number;
  hasSecret: boolean;
  createdAt: string;
  pending: number;
  delivered: number;
  dead: number;
}

export interface SyncRunView {
  seq: number;
  at: string;
  outcome: 'ok' | 'error';
  rows: number | null;
  rowsDone: number | null;
  pass: number | null;
  resumed: boolean;
  worker: string | null;
  error: string | null;
}

/** The SQL of these reads (the exchange's other queries stay in their own repositories). */
export const exchangeConsoleRepository = {
  async sources(
    db: Executor,
    f: { orgId: string | null; status?: SourceStatus; kind?: SourceKind; q?: string },
    page: PageRequest,
  ) {
    let q = db.selectFrom('exchange_source');
    if (f.orgId) q = q.where('org_id', '=', f.orgId);
    if (f.status) q = q.where('status', '=', f.status);
    if (f.kind) q = q.where('kind', '=', f.kind);
    if (f.q) q = q.where('name', 'like', `%${f.q.replace(/[%_\\]/g, '\\$&')}%`);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('name').orderBy('id').limit(page.pageSize).offset(offsetOf(page)).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  async jobIds(db: Executor, f: { orgId: string | null; status?: string }, page: PageRequest) {
    let q = db.selectFrom('exchange_sync_job as j').innerJoin('share_grant as g', 'g.id', 'j.grant_id');
    if (f.orgId) q = q.where('g.consumer_org_id', '=', f.orgId);
    if (f.status) q = q.where('j.status', '=', f.status);
    const [rows, count] = await Promise.all([
      q
        .select('j.id')
        .orderBy('j.created_at', 'desc')
        .orderBy('j.id')
        .limit(page.pageSize)
        .offset(offsetOf(page))
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { ids: rows.map((r) => r.id), total: Number(count.n) };
  },

  async subscriptions(
    db: Executor,
    f: { orgId: string | null; status?: string; mode?: string; id?: string },
    page: PageRequest,
  ) {
    let q = db
      .selectFrom('exchange_subscription as s')
      .innerJoin('share_grant as g', 'g.id', 's.grant_id')
      .leftJoin('catalog_entry as e', 'e.id', 'g.entry_id');
    if (f.orgId) q = q.where('g.consumer_org_id', '=', f.orgId);
    if (f.status) q = q.where('s.status', '=', f.status as 'active' | 'paused');
    if (f.mode) q = q.where('s.mode', '=', f.mode as 'webhook' | 'pull');
    if (f.id) q = q.where('s.id', '=', f.id);
    const [rows, count] = await Promise.all([
      q
        .select((eb) => [
          's.id',
          's.grant_id',
          'g.entry_id',
          'g.consumer_org_id',
          'e.code',
          'e.name as entry_name',
          's.mode',
          's.url',
          's.status',
          's.cursor',
          's.secret',
          's.created_at',
          eb
            .selectFrom('exchange_delivery as d')
            .whereRef('d.subscription_id', '=', 's.id')
            .where('d.status', '=', 'pending')
            .select((x) => x.fn.countAll<number>().as('n'))
            .as('pending'),
          eb
            .selectFrom('exchange_delivery as d')
            .whereRef('d.subscription_id', '=', 's.id')
            .where('d.status', '=', 'delivered')
            .select((x) => x.fn.countAll<number>().as('n'))
            .as('delivered'),
          eb
            .selectFrom('exchange_delivery as d')
            .whereRef('d.subscription_id', '=', 's.id')
            .where('d.status', '=', 'dead')
            .select((x) => x.fn.countAll<number>().as('n'))
            .as('dead'),
        ])
        .orderBy('s.created_at', 'desc')
        .orderBy('s.id')
        .limit(page.pageSize)
        .offset(offsetOf(page))
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  async subscriptionOrg(db: Executor, id: string): Promise<string | undefined> {
    const r = await db
      .selectFrom('exchange_subscription as s')
      .innerJoin('share_grant as g', 'g.id', 's.grant_id')
      .select('g.consumer_org_id')
      .where('s.id', '=', id)
      .executeTakeFirst();
    return r?.consumer_org_id;
  },

  async deliveries(
    db: Executor,
    f: { orgId: string | null; subscriptionId?: string; status?: string },
    page: PageRequest,
  ) {
    let q = db
      .selectFrom('exchange_delivery as d')
      .innerJoin('exchange_subscription as s', 's.id', 'd.subscription_id')
      .innerJoin('share_grant as g', 'g.id', 's.grant_id')
      .innerJoin('exchange_change as c', 'c.seq', 'd.change_seq')
      .innerJoin('catalog_entry as e', 'e.id', 'c.entry_id');
    if (f.orgId) q = q.where('g.consumer_org_id', '=', f.orgId);
    if (f.subscriptionId) q = q.where('d.subscription_id', '=', f.subscriptionId);
    if (f.status) q = q.where('d.status', '=', f.status as 'pending' | 'delivered' | 'dead');
    const [rows, count] = await Promise.all([
      q
        .select([
          'd.id',
          'd.subscription_id',
          'g.id as grant_id',
          'e.code',
          's.url',
          'd.change_seq',
          'd.attempts',
          'd.status',
          'd.last_error',
          'd.next_attempt_at',
          'd.delivered_at',
        ])
        .orderBy('d.id', 'desc')
        .limit(page.pageSize)
        .offset(offsetOf(page))
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },
};

const repo = exchangeConsoleRepository;

type SubscriptionDbRow = Awaited<ReturnType<typeof repo.subscriptions>>['rows'][number];

function subscriptionRow(r: SubscriptionDbRow): SubscriptionRow {
  return {
    id: r.id,
    grantId: r.grant_id,
    entryId: r.entry_id,
    resource: r.code,
    entryName: r.entry_name,
    mode: r.mode,
    url: r.url,
    status: r.status,
    cursor: Number(r.cursor),
    hasSecret: r.secret !== null,
    createdAt: r.created_at.toISOString(),
    pending: Number(r.pending ?? 0),
    delivered: Number(r.delivered ?? 0),
    dead: Number(r.dead ?? 0),
  };
}

const SUBSCRIPTION = { zh: '订阅', en: 'Subscription' };

function isUuid(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

export interface ConsoleDeps {
  db: Kysely<Database>;
  audit: AuditLog;
  sync: SyncService;
}

/** The paged reads; every method authorizes the actor itself and audits the read. */
export class ExchangeConsole {
  constructor(private readonly deps: ConsoleDeps) {}

  private async audited(
    meta: RequestMeta,
    action: string,
    objectType: string,
    objectId: string | null,
    detail = {},
  ) {
    await this.deps.audit.record({ ...meta, action, objectType, objectId, detail });
  }

  async sources(
    meta: RequestMeta,
    actor: UserActor,
    f: { orgId?: string; status?: SourceStatus; kind?: SourceKind; q?: string },
    page: PageRequest,
  ): Promise<Page<SourceView>> {
    const orgId = listScope(actor, 'exchange.read') ?? f.orgId ?? null;
    const { rows, total } = await repo.sources(this.deps.db, { ...f, orgId }, page);
    await this.audited(meta, 'exchange.source.list', 'exchange_source', null, { orgId, page: page.page });
    return { items: rows.map(sourceView), total, page: page.page, pageSize: page.pageSize };
  }

  async syncJobs(
    meta: RequestMeta,
    actor: UserActor,
    f: { status?: string },
    page: PageRequest,
  ): Promise<Page<SyncJobView>> {
    const orgId = listScope(actor, 'exchange.read');
    const { ids, total } = await repo.jobIds(this.deps.db, { orgId, status: f.status }, page);
    const items = await Promise.all(ids.map((id) => this.deps.sync.get(id)));
    await this.audited(meta, 'exchange.sync.list', 'exchange_sync_job', null, { orgId, page: page.page });
    return { items, total, page: page.page, pageSize: page.pageSize };
  }

  /** The passes of one job, newest first, from its `exchange.sync.transfer` audit events. */
  async runs(meta: RequestMeta, jobId: string, page: PageRequest): Promise<Page<SyncRunView>> {
    const found = await searchAudit(
      this.deps.db,
      { action: 'exchange.sync.transfer', objectType: 'exchange_sync_job', objectId: jobId },
      page,
    );
    await this.audited(meta, 'exchange.sync.runs.read', 'exchange_sync_job', jobId, { page: page.page });
    return {
      items: found.items.map((e) => {
        const d = (
          e.detail && typeof e.detail === 'object' && !Array.isArray(e.detail) ? e.detail : {}
        ) as Record<string, unknown>;
        return {
          seq: e.seq,
          at: e.occurredAt,
          outcome: e.outcome === 'ok' ? 'ok' : 'error',
          rows: num(d.rows),
          rowsDone: num(d.rowsDone),
          pass: num(d.pass),
          resumed: d.resumed === true,
          worker: str(d.worker),
          error: str(d.error),
        };
      }),
      total: found.total,
      page: found.page,
      pageSize: found.pageSize,
    };
  }

  /** One subscription with its delivery counts. */
  async subscription(meta: RequestMeta, actor: UserActor, id: string): Promise<SubscriptionRow> {
    const org = isUuid(id) ? await repo.subscriptionOrg(this.deps.db, id) : undefined;
    if (!org) throw DomainError.notFound(SUBSCRIPTION);
    authorize(actor, 'exchange.read', org);
    const { rows } = await repo.subscriptions(this.deps.db, { orgId: null, id }, { page: 1, pageSize: 1 });
    const [view] = rows.map(subscriptionRow);
    if (!view) throw DomainError.notFound(SUBSCRIPTION);
    await this.audited(meta, 'exchange.subscription.read', 'exchange_subscription', id);
    return view;
  }

  async subscriptions(
    meta: RequestMeta,
    actor: UserActor,
    f: { status?: string; mode?: string },
    page: PageRequest,
  ): Promise<Page<SubscriptionRow>> {
    const orgId = listScope(actor, 'exchange.read');
    const { rows, total } = await repo.subscriptions(this.deps.db, { ...f, orgId }, page);
    await this.audited(meta, 'exchange.subscription.list', 'exchange_subscription', null, {
      orgId,
      page: page.page,
    });
    return {
      items: rows.map(subscriptionRow),
      total,
      page: page.page,
      pageSize: page.pageSize,
    };
  }

  /** Deliveries of the actor's organization's subscriptions (or one subscription's), newest first. */
  async deliveries(
    meta: RequestMeta,
    actor: UserActor,
    f: { subscriptionId?: string; status?: string },
    page: PageRequest,
  ): Promise<Page<DeliveryView>> {
    if (f.subscriptionId) {
      const org = isUuid(f.subscriptionId)
        ? await repo.subscriptionOrg(this.deps.db, f.subscriptionId)
        : undefined;
      if (!org) throw DomainError.notFound(SUBSCRIPTION);
      authorize(actor, 'exchange.read', org);
    }
    const orgId = listScope(actor, 'exchange.read');
    const { rows, total } = await repo.deliveries(
      this.deps.db,
      { orgId: orgId ?? null, subscriptionId: f.subscriptionId, status: f.status },
      page,
    );
    await this.audited(meta, 'exchange.delivery.list', 'exchange_subscription', f.subscriptionId ?? null, {
      status: f.status ?? null,
      page: page.page,
    });
    return {
      items: rows.map(deliveryView),
      total,
      page: page.page,
      pageSize: page.pageSize,
    };
  }
}
