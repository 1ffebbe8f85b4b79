/**
 * The exchange (R5): departments register where their data lives (sources), bind catalog entries to
 * it (mounts), and consuming systems read it through the gate, only as their grants allow: granted
 * items only, masked as granted, filtered by key items, paginated, within quota, every call audited
 * before its answer goes out.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../../db/index.js';
import type { RequestMeta } from '../../http/context.js';
import type { Clock } from '../../kernel/clock.js';
import { DomainError, type FieldProblem, type Message } from '../../kernel/errors.js';
import type { JsonObject } from '../../kernel/json.js';
import { mask } from '../../kernel/masking.js';
import type { SecretBox } from '../../kernel/secrets.js';
import { sm3Hex } from '../../kernel/sm3.js';
import { checkCreditCode, checkIdNumber } from '../../kernel/validators.js';
import { chinaDay } from '../../kernel/workdays.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { SystemActor, UserActor } from '../auth/auth.policy.js';
import type { EntryInput, EntryView } from '../catalog/catalog.model.js';
import type { CatalogService } from '../catalog/catalog.service.js';
import type { DataType } from '../catalog/catalog.values.js';
import { PURPOSE_CATEGORIES } from '../sharing/sharing.machine.js';
import type { GrantService, GrantView } from '../sharing/sharing.service.js';
import type { GrantItem } from '../sharing/sharing.table.js';
import { type ColumnInfo, type Connector, openConnector, relationParts } from './exchange.connectors.js';
import { FILE_COLUMN_TYPES, FileSourceConnector } from './exchange.filesource.js';
import { exchangeRepository as repo } from './exchange.repository.js';
import type { ExchangeMountRow, ExchangeSourceRow, SourceConfig, SourceKind } from './exchange.table.js';

const SOURCE: Message = { zh: '数据源', en: 'Source' };
export const MAX_PAGE_SIZE = 100;

export interface SourceInput {
  orgId: string;
  name: string;
  kind: SourceKind;
  config: SourceConfig;
  /** Password or API token; stored SM4-encrypted, never returned. */
  secret?: string | null;
}

export interface SourceView {
  id: string;
  orgId: string;
  name: string;
  kind: SourceKind;
  config: SourceConfig;
  hasSecret: boolean;
  status: ExchangeSourceRow['status'];
  lastCheckedAt: string | null;
  lastLatencyMs: number | null;
  lastError: string | null;
}

export function sourceView(s: ExchangeSourceRow): SourceView {
  return {
    id: s.id,
    orgId: s.org_id,
    name: s.name,
    kind: s.kind,
    config: s.config,
    hasSecret: s.secret !== null,
    status: s.status,
    lastCheckedAt: s.last_checked_at?.toISOString() ?? null,
    lastLatencyMs: s.last_latency_ms,
    lastError: s.last_error,
  };
}

export interface MountInput {
  entryId: string;
  sourceId: string;
  relation: string;
  keyColumns: string[];
  /** { data item name: source column } */
  mapping: Record<string, string>;
  watermarkColumn?: string | null;
}

/** Maps a source column type to the guide's data type letter and a length (backward cataloguing). */
export function guideType(c: ColumnInfo): { dataType: DataType; length: number | null } {
  const t = c.type.toLowerCase();
  if (/(char|text|uuid|json|enum|set)/.test(t))
    return { dataType: 'C', length: /text|json/.test(t) ? 4000 : 255 };
  if (/timestamp|datetime/.test(t)) return { dataType: 'T', length: null };
  if (/date/.test(t)) return { dataType: 'D', length: null };
  if (/bool|bit/.test(t)) return { dataType: 'L', length: null };
  if (/(smallint|integer|bigint|int)/.test(t)) return { dataType: 'I', length: null };
  if (/(numeric|decimal|money)/.test(t)) return { dataType: 'N', length: 18 };
  if (/(double|real|float)/.test(t)) return { dataType: 'F', length: 18 };
  if (/(bytea|blob|binary)/.test(t)) return { dataType: 'G', length: null };
  return { dataType: 'C', length: 255 };
}

/** A mounted resource as the gate needs it. */
interface Resolved {
  entry: EntryView;
  mount: ExchangeMountRow;
  connector: Connector;
  /** Items that may be used as filters: those mapped to key columns. */
  keyItems: Map<string, string>;
  /** The identifier check each key item's values must pass (by its standard element or name). */
  keyChecks: Map<string, 'id_number' | 'credit_code' | null>;
  at: number;
}

/** What a grant lets a system read of a mounted resource: worked out once per grant and mount. */
interface ReadPlan {
  resolved: Resolved;
  granted: GrantItem[];
  columns: string[];
  names: string[];
}

const RESOLVE_TTL_MS = 30_000;
const GRANT_TTL_MS = 1_000;
const QUOTA_FLUSH_MS = 1_000;

export class ExchangeService {
  private readonly connectors = new Map<string, Connector>();
  private readonly resolved = new Map<string, Resolved>();
  private readonly grantCache = new Map<string, { grant: GrantView | null; at: number }>();
  /** Read plans by the cached grant object: recomputed whenever the grant is read again. */
  private readonly plans = new WeakMap<GrantView, ReadPlan>();
  private readonly calls = new Map<string, { day: string; base: number; local: number; pending: number }>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly db: Kysely<Database>,
    readonly audit: AuditLog,
    readonly catalog: CatalogService,
    readonly grants: GrantService,
    readonly secrets: () => SecretBox,
    readonly clock: Clock,
    readonly config: Pick<Config, 'grantRatePerSecond'>,
  ) {}

  // ── sources ────────────────────────────────────────────────────────────────────────────

  private connectorFor(s: ExchangeSourceRow): Connector {
    let c = this.connectors.get(s.id);
    if (!c) {
      // A file source is the platform's own table of it (srcdata), read through the platform's database.
      c =
        s.kind === 'file'
          ? new FileSourceConnector(this.db, s.id)
          : openConnector(s.kind, s.config, s.secret ? this.secrets().open(s.secret) : null);
      this.connectors.set(s.id, c);
    }
    return c;
  }

  private async dropConnector(id: string): Promise<void> {
    const c = this.connectors.get(id);
    this.connectors.delete(id);
    for (const [k, r] of this.resolved) if (r.mount.source_id === id) this.resolved.delete(k);
    await c?.close().catch(() => undefined);
  }

  private checkSource(input: SourceInput): FieldProblem[] {
    const p: FieldProblem[] = [];
    if (!input.name?.trim())
      p.push({ field: 'name', rule: 'required', zh: '数据源名称必填', en: 'name is required' });
    if (!['postgres', 'mysql', 'http', 'file'].includes(input.kind)) {
      p.push({
        field: 'kind',
        rule: 'enum',
        zh: '数据源类型应为 postgres、mysql、http 或 file',
        en: 'kind must be postgres, mysql, http or file',
      });
    }
    if (input.kind !== 'file' && (input.config.columns !== undefined || input.config.sheet !== undefined)) {
      p.push({
        field: 'config.columns',
        rule: 'source.file_only',
        zh: '列类型声明和工作表只适用于文件型数据源',
        en: 'Declared columns and a sheet apply to file sources only',
      });
    }
    if (input.kind === 'file') {
      const seen = new Set<string>();
      for (const [i, c] of (input.config.columns ?? []).entries()) {
        if (!c.name?.trim() || seen.has(c.name))
          p.push({
            field: `config.columns[${i}].name`,
            rule: c.name?.trim() ? 'unique' : 'required',
            zh: '声明的列名必填且不能重复',
            en: 'A declared column needs a name, once',
          });
        seen.add(c.name);
        if (!FILE_COLUMN_TYPES.includes(c.type))
          p.push({
            field: `config.columns[${i}].type`,
            rule: 'enum',
            zh: `列类型应为 ${FILE_COLUMN_TYPES.join('、')} 之一`,
            en: `type must be one of ${FILE_COLUMN_TYPES.join(', ')}`,
          });
      }
    }
    if (input.kind === 'postgres' || input.kind === 'mysql') {
      if (!input.config.host)
        p.push({ field: 'config.host', rule: 'required', zh: '须填写主机', en: 'config.host is required' });
      if (!input.config.database)
        p.push({
          field: 'config.database',
          rule: 'required',
          zh: '须填写数据库名',
          en: 'config.database is required',
        });
      if (!input.config.user)
        p.push({ field: 'config.user', rule: 'required', zh: '须填写用户名', en: 'config.user is required' });
      if (
        input.config.port !== undefined &&
        (!Number.isInteger(input.config.port) || input.config.port < 1 || input.config.port > 65535)
      ) {
        p.push({
          field: 'config.port',
          rule: 'range',
          zh: '端口应为 1 到 65535',
          en: 'config.port must be 1 to 65535',
        });
      }
    }
    if (input.kind === 'http') {
      try {
        const u = new URL(input.config.baseUrl ?? '');
        if (!/^https?:$/.test(u.protocol)) throw new Error('scheme');
      } catch {
        p.push({
          field: 'config.baseUrl',
          rule: 'url',
          zh: '须为 http(s) 地址',
          en: 'config.baseUrl must be an http(s) URL',
        });
      }
    }
    return p;
  }

  async createSource(meta: RequestMeta, input: SourceInput): Promise<SourceView> {
    const p = this.checkSource(input);
    if (p.length) throw DomainError.validation(p);
    const secret = input.secret ? this.secrets().seal(input.secret) : null;
    const row = await this.audit.transaction(async (tx) => {
      const s = await repo.insertSource(tx, {
        org_id: input.orgId,
        name: input.name.trim(),
        kind: input.kind,
        config: JSON.stringify(input.config),
        secret,
        last_checked_at: null,
        last_latency_ms: null,
        last_error: null,
      });
      // The secret itself never reaches the audit trail.
      await this.audit.stage(tx, {
        actor: meta.actor,
        requestId: meta.requestId,
        ip: meta.ip,
        action: 'exchange.source.create',
        objectType: 'exchange_source',
        objectId: s.id,
        detail: { name: s.name, kind: s.kind, hasSecret: secret !== null },
      });
      return s;
    });
    return sourceView(row);
  }

  async updateSource(meta: RequestMeta, id: string, input: Partial<SourceInput>): Promise<SourceView> {
    const current = await this.sourceRow(id);
    const merged: SourceInput = {
      orgId: current.org_id,
      name: input.name ?? current.name,
      kind: current.kind,
      config: input.config ?? current.config,
      secret: null,
    };
    const p = this.checkSource(merged);
    if (p.length) throw DomainError.validation(p);
    const row = await this.audit.transaction(async (tx) => {
      const s = await repo.updateSource(tx, id, {
        name: merged.name.trim(),
        config: JSON.stringify(merged.config),
        ...(input.secret !== undefined
          ? { secret: input.secret ? this.secrets().seal(input.secret) : null }
          : {}),
        updated_at: new Date(),
      });
      if (!s) throw DomainError.notFound(SOURCE);
      await this.audit.stage(tx, {
        actor: meta.actor,
        requestId: meta.requestId,
        ip: meta.ip,
        action: 'exchange.source.update',
        objectType: 'exchange_source',
        objectId: id,
        detail: { secretChanged: input.secret !== undefined },
      });
      return s;
    });
    await this.dropConnector(id);
    return sourceView(row);
  }

  async sourceRow(id: string): Promise<ExchangeSourceRow> {
    const s = await repo.source(this.db, id);
    if (!s) throw DomainError.notFound(SOURCE);
    return s;
  }

  async getSource(id: string): Promise<SourceView> {
    return sourceView(await this.sourceRow(id));
  }

  async listSources(orgId: string | null): Promise<SourceView[]> {
    return (await repo.sources(this.db, orgId)).map(sourceView);
  }

  /** Tests a source now and records the outcome (the health check does the same for every source). */
  async testSource(
    meta: RequestMeta | null,
    id: string,
  ): Promise<{ ok: boolean; latencyMs: number; error: string | null }> {
    const s = await this.sourceRow(id);
    const started = Date.now();
    let error: string | null = null;
    try {
      await this.connectorFor(s).test();
    } catch (e) {
      error = (e as Error).message.slice(0, 500);
      await this.dropConnector(id);
    }
    const latencyMs = Date.now() - started;
    await this.audit.transaction(async (tx) => {
      await repo.updateSource(tx, id, {
        status: error ? 'down' : 'up',
        last_checked_at: new Date(),
        last_latency_ms: latencyMs,
        last_error: error,
      });
      await repo.recordCheck(tx, { source_id: id, ok: !error, latency_ms: latencyMs, error });
      if (meta) {
        await this.audit.stage(tx, {
          actor: meta.actor,
          requestId: meta.requestId,
          ip: meta.ip,
          action: 'exchange.source.test',
          objectType: 'exchange_source',
          objectId: id,
          outcome: error ? 'error' : 'ok',
          detail: { latencyMs },
        });
      }
    });
    return { ok: !error, latencyMs, error };
  }

  /** The health-check job: tests every source and keeps its status. */
  async checkAll(): Promise<{ checked: number; up: number }> {
    const all = await repo.sources(this.db, null);
    let up = 0;
    for (const s of all) if ((await this.testSource(null, s.id)).ok) up++;
    return { checked: all.length, up };
  }

  /** 联通率: per organization, the share of its sources up now and of successful checks in the window. */
  async connectionRates(days = 30) {
    const since = new Date(this.clock.now().getTime() - days * 86_400_000);
    const rows = await repo.connectionRates(this.db, since);
    return rows.map((r) => ({
      orgId: r.org_id,
      orgName: r.org_name,
      sources: Number(r.sources),
      up: Number(r.up),
      rateNow: Number(r.sources) ? Number(r.up) / Number(r.sources) : 0,
      checks: Number(r.checks),
      rateWindow: Number(r.checks) ? Number(r.ok_checks) / Number(r.checks) : null,
    }));
  }

  async relations(id: string): Promise<string[]> {
    const s = await this.sourceRow(id);
    return upstream(s, () => this.connectorFor(s).relations());
  }

  async columns(id: string, relation: string): Promise<ColumnInfo[]> {
    relationParts(relation);
    const s = await this.sourceRow(id);
    return upstream(s, () => this.connectorFor(s).columns(relation));
  }

  // ── mounts and backward cataloguing ───────────────────────────────────────────────────

  async mount(meta: RequestMeta, actor: UserActor, input: MountInput) {
    const entry = await this.catalog.get(actor, input.entryId);
    const source = await this.sourceRow(input.sourceId);
    const p: FieldProblem[] = [];
    if (source.org_id !== entry.providerOrgId) {
      p.push({
        field: 'sourceId',
        rule: 'source.provider',
        zh: '只能挂接到提供方自己的数据源',
        en: "Mount on the provider's own source",
      });
    }
    let cols: ColumnInfo[] = [];
    try {
      cols = await this.connectorFor(source).columns(input.relation);
    } catch (e) {
      if (e instanceof DomainError) throw e;
      p.push({
        field: 'relation',
        rule: 'source.reachable',
        zh: `无法读取数据源：${(e as Error).message}`,
        en: `Cannot read the source: ${(e as Error).message}`,
      });
    }
    if (!p.length && source.kind !== 'http' && cols.length === 0) {
      p.push({
        field: 'relation',
        rule: 'relation.exists',
        zh: '数据源中没有该表或视图',
        en: 'No such table or view in the source',
      });
    }
    const known = new Set(cols.map((c) => c.name));
    const check = (col: string, field: string) => {
      if (source.kind !== 'http' && !known.has(col))
        p.push({
          field,
          rule: 'column.exists',
          zh: `表中没有列“${col}”`,
          en: `No column "${col}" in the table`,
        });
    };
    if (input.keyColumns.length === 0)
      p.push({
        field: 'keyColumns',
        rule: 'required',
        zh: '须指定关键列',
        en: 'At least one key column is required',
      });
    for (const [i, c] of input.keyColumns.entries()) check(c, `keyColumns[${i}]`);
    const itemNames = new Set(entry.items.map((i) => i.name));
    for (const [item, col] of Object.entries(input.mapping)) {
      if (!itemNames.has(item))
        p.push({
          field: `mapping.${item}`,
          rule: 'item.in_entry',
          zh: `“${item}”不是该资源的信息项`,
          en: `"${item}" is not a data item of the resource`,
        });
      check(col, `mapping.${item}`);
    }
    for (const item of itemNames) {
      if (!(item in input.mapping))
        p.push({
          field: `mapping.${item}`,
          rule: 'item.mapped',
          zh: `信息项“${item}”未映射到列`,
          en: `Item "${item}" is not mapped to a column`,
        });
    }
    if (input.watermarkColumn) check(input.watermarkColumn, 'watermarkColumn');
    if (p.length) throw DomainError.validation(p);
    const row = await this.audit.transaction(async (tx) => {
      const m = await repo.insertMount(tx, {
        entry_id: entry.id,
        source_id: source.id,
        relation: input.relation,
        key_columns: input.keyColumns,
        mapping: JSON.stringify(input.mapping),
        watermark_column: input.watermarkColumn ?? null,
        feed_watermark: null,
      });
      await this.audit.stage(tx, {
        actor: meta.actor,
        requestId: meta.requestId,
        ip: meta.ip,
        action: 'exchange.mount',
        objectType: 'catalog_entry',
        objectId: entry.id,
        detail: { sourceId: source.id, relation: input.relation },
      });
      return m;
    });
    this.resolved.delete(entry.id);
    this.resolved.delete(entry.code);
    return {
      entryId: row.entry_id,
      sourceId: row.source_id,
      relation: row.relation,
      keyColumns: row.key_columns,
      mapping: row.mapping,
      watermarkColumn: row.watermark_column,
    };
  }

  async mounts(orgId: string | null) {
    return (await repo.mounts(this.db, orgId)).map((m) => ({
      entryId: m.entry_id,
      code: m.code,
      entryName: m.entry_name,
      sourceId: m.source_id,
      sourceName: m.source_name,
      orgId: m.org_id,
      relation: m.relation,
      keyColumns: m.key_columns,
      mapping: m.mapping,
      watermarkColumn: m.watermark_column,
    }));
  }

  /** 反编目: a draft catalog entry made from a table's columns and types, mounted on it. */
  async backwardCatalog(
    meta: RequestMeta,
    actor: UserActor,
    input: {
      sourceId: string;
      relation: string;
      name: string;
      classCode: string;
      className: string;
      summary: string;
      keyColumns: string[];
    },
  ) {
    const source = await this.sourceRow(input.sourceId);
    const cols = await upstream(source, () => this.connectorFor(source).columns(input.relation));
    if (cols.length === 0) {
      throw DomainError.validation([
        {
          field: 'relation',
          rule: 'relation.exists',
          zh: '数据源中没有该表或视图',
          en: 'No such table or view in the source',
        },
      ]);
    }
    const entryInput: EntryInput = {
      classCode: input.classCode,
      className: input.className,
      name: input.name,
      providerOrgId: source.org_id,
      summary: input.summary,
      formatCategory: 'database',
      formatType: source.kind === 'mysql' ? 'MySQL' : 'PostgreSQL',
      shareType: 'conditional',
      shareConditionScope: '待补充',
      shareConditionUse: '待补充',
      shareModes: ['api'],
      openType: 'not_open',
      updateCycle: 'daily',
      dataGrade: 'general',
      sourceSystem: source.name,
      items: cols.map((c) => ({ name: c.name, ...guideType(c), description: `源列 ${c.name}（${c.type}）` })),
    };
    const entry = await this.catalog.create(meta, actor, entryInput);
    const mounted = await this.mount(meta, actor, {
      entryId: entry.id,
      sourceId: source.id,
      relation: input.relation,
      keyColumns: input.keyColumns,
      mapping: Object.fromEntries(cols.map((c) => [c.name, c.name])),
    });
    return { entry, mount: mounted };
  }

  // ── the gate ───────────────────────────────────────────────────────────────────────────

  /** Forgets cached grants (all, or one); called on every grant change and on NOTIFY govshare_grant. */
  invalidateGrants(): void {
    this.grantCache.clear();
  }

  private async resolve(ref: string): Promise<Resolved> {
    const hit = this.resolved.get(ref);
    const now = Date.now();
    if (hit && now - hit.at < RESOLVE_TTL_MS) return hit;
    const id = /^[0-9a-f-]{36}$/i.test(ref) ? ref : null;
    const code = id ? null : ref.replace('-', '/');
    const entryRow = id
      ? await this.db
          .selectFrom('catalog_entry')
          .select('id')
          .where('id', '=', id)
          .where('revision_of', 'is', null)
          .executeTakeFirst()
      : await this.db
          .selectFrom('catalog_entry')
          .select('id')
          .where('code', '=', code ?? '')
          .where('revision_of', 'is', null)
          .executeTakeFirst();
    const [entry] = entryRow ? await this.catalog.views(this.db, [entryRow.id]) : [];
    if (entry?.status !== 'published')
      throw new DomainError('NOT_FOUND', { zh: '没有该共享资源', en: 'No such shared resource' });
    const mount = await repo.mountOf(this.db, entry.id);
    if (!mount)
      throw DomainError.invalidState({
        zh: '该资源尚未挂接数据源',
        en: 'The resource is not mounted on a source yet',
      });
    const source = await this.sourceRow(mount.source_id);
    const keyCols = new Set(mount.key_columns);
    const keyItems = new Map(Object.entries(mount.mapping).filter(([, col]) => keyCols.has(col)));
    const keyChecks = new Map(
      [...keyItems.keys()].map((name) => {
        const it = entry.items.find((i) => i.name === name);
        const std = `${it?.standardElement ?? ''} ${name}`;
        const check = /GB 11643|身份号码/.test(std)
          ? ('id_number' as const)
          : /GB 32100|统一社会信用代码/.test(std)
            ? ('credit_code' as const)
            : null;
        return [name, check];
      }),
    );
    const r: Resolved = { entry, mount, connector: this.connectorFor(source), keyItems, keyChecks, at: now };
    this.resolved.set(ref, r);
    return r;
  }

  private async grantFor(system: SystemActor, entryId: string): Promise<GrantView | null> {
    const key = `${system.systemId}:${entryId}`;
    const hit = this.grantCache.get(key);
    const now = Date.now();
    if (hit && now - hit.at < GRANT_TTL_MS) return hit.grant;
    const grant = await this.grants.activeFor(system.systemId, entryId);
    this.grantCache.set(key, { grant, at: now });
    return grant;
  }

  private rateOk(grantId: string): boolean {
    const rate = this.config.grantRatePerSecond;
    const now = Date.now();
    const b = this.buckets.get(grantId) ?? { tokens: rate, at: now };
    b.tokens = Math.min(rate * 2, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    this.buckets.set(grantId, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Counts a call against the grant's daily quota; false when the quota is used up. */
  private async quotaOk(grant: GrantView): Promise<boolean> {
    const day = this.today();
    let c = this.calls.get(grant.id);
    if (!c || c.day !== day) {
      c = { day, base: await repo.callsToday(this.db, grant.id, day), local: 0, pending: 0 };
      this.calls.set(grant.id, c);
    }
    if (c.base + c.local >= grant.dailyQuota) return false;
    c.local++;
    c.pending++;
    this.scheduleFlush();
    return true;
  }

  /** Today in China, worked out once a day rather than once a call. */
  private today(): string {
    const now = this.clock.now().getTime();
    if (!(now >= this.day.from && now < this.day.to)) this.day = chinaDay(now);
    return this.day.day;
  }
  private day: { day: string; from: number; to: number } = { day: '', from: Number.NaN, to: Number.NaN };

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.flushCalls().catch(() => undefined);
    }, QUOTA_FLUSH_MS);
    this.flushTimer.unref();
  }

  /** Writes the counted calls to the shared counters (so other nodes and restarts see them). */
  async flushCalls(): Promise<void> {
    const batch = new Map<string, { grantId: string; n: number }[]>();
    for (const [grantId, c] of this.calls) {
      if (c.pending > 0) {
        batch.set(c.day, [...(batch.get(c.day) ?? []), { grantId, n: c.pending }]);
        c.pending = 0;
      }
    }
    for (const [day, counts] of batch) await repo.addCalls(this.db, day, counts);
  }

  async stop(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    await this.flushCalls();
    for (const id of [...this.connectors.keys()]) await this.dropConnector(id);
  }

  /**
   * Checks everything a call needs before touching the source, and records a refusal in the audit
   * chain before the error goes out.
   */
  private async admit(
    system: SystemActor,
    meta: RequestMeta,
    ref: string,
    purpose: string | undefined,
    op: string,
  ) {
    let resolved: Resolved | null = null;
    try {
      resolved = await this.resolve(ref);
      const grant = requireGrantAndPurpose(await this.grantFor(system, resolved.entry.id), purpose);
      if (!this.rateOk(grant.id)) {
        throw new DomainError('RATE_LIMITED', {
          zh: '调用过于频繁，请稍后再试',
          en: 'Too many calls for this grant; slow down',
        });
      }
      if (!(await this.quotaOk(grant))) {
        throw new DomainError('RATE_LIMITED', {
          zh: '已超过该授权的每日调用限额',
          en: "The grant's daily call quota is used up",
        });
      }
      return { resolved, grant };
    } catch (e) {
      await this.audit.record({
        ...meta,
        action: `exchange.${op}`,
        objectType: 'catalog_entry',
        objectId: resolved?.entry.id ?? ref.slice(0, 80),
        outcome: 'denied',
        detail: {
          code: e instanceof DomainError ? e.code : 'INTERNAL',
          purpose: (purpose ?? '').slice(0, 60),
          resource: resolved?.entry.code ?? ref.slice(0, 80),
        },
      });
      throw e;
    }
  }

  /** Validates filter values: only key items, and identifiers must pass their check. */
  private filtersOf(r: Resolved, filters: Record<string, string>): { column: string; value: string }[] {
    const p: FieldProblem[] = [];
    const out: { column: string; value: string }[] = [];
    for (const name of Object.keys(filters)) {
      const value = String(filters[name]);
      const col = r.keyItems.get(name);
      if (!col) {
        p.push({
          field: name,
          rule: 'filter.key_item',
          zh: `只能按关键信息项查询：${[...r.keyItems.keys()].join('、')}`,
          en: `Filter only by key items: ${[...r.keyItems.keys()].join(', ')}`,
        });
        continue;
      }
      if (value.length > 200) {
        p.push({ field: name, rule: 'filter.length', zh: '查询值过长', en: 'The filter value is too long' });
        continue;
      }
      const check = r.keyChecks.get(name);
      if (check === 'id_number') {
        const c = checkIdNumber(value);
        if (!c.ok)
          p.push({
            field: name,
            rule: c.rule ?? 'id_number',
            zh: c.zh ?? '公民身份号码无效',
            en: c.en ?? 'Invalid ID number',
          });
      } else if (check === 'credit_code') {
        const c = checkCreditCode(value);
        if (!c.ok)
          p.push({
            field: name,
            rule: c.rule ?? 'credit_code',
            zh: c.zh ?? '统一社会信用代码无效',
            en: c.en ?? 'Invalid credit code',
          });
      }
      out.push({ column: col, value });
    }
    if (out.length === 0 && p.length === 0) {
      p.push({
        field: 'filters',
        rule: 'filter.required',
        zh: `须按关键信息项查询：${[...r.keyItems.keys()].join('、')}`,
        en: `Filter by a key item: ${[...r.keyItems.keys()].join(', ')}`,
      });
    }
    if (p.length) throw DomainError.validation(p);
    return out;
  }

  /** The governed query: granted items only, masked as granted, by key items, paginated. */
  async query(
    system: SystemActor,
    meta: RequestMeta,
    ref: string,
    purpose: string | undefined,
    filters: Record<string, string>,
    page: number,
    pageSize: number,
  ): Promise<{ resource: string; items: string[]; page: number; pageSize: number; records: JsonObject[] }> {
    const { resolved: r, grant } = await this.admit(system, meta, ref, purpose, 'query');
    const size = Math.min(Math.max(1, pageSize), MAX_PAGE_SIZE);
    const plan = this.readPlan(r, grant);
    let rows: Record<string, unknown>[] = [];
    let outcome: 'ok' | 'denied' | 'error' = 'ok';
    const hashed: JsonObject = {};
    for (const k of Object.keys(filters))
      hashed[k] = sm3Hex(`${grant.id}:${String(filters[k])}`).slice(0, 16);
    try {
      const f = this.filtersOf(r, filters);
      rows = await r.connector.select({
        relation: r.mount.relation,
        columns: plan.columns,
        filters: f,
        orderBy: r.mount.key_columns,
        limit: size,
        offset: (Math.max(1, page) - 1) * size,
      });
    } catch (e) {
      outcome = e instanceof DomainError && e.code === 'VALIDATION' ? 'denied' : 'error';
      await this.audit.record({
        actor: meta.actor,
        requestId: meta.requestId,
        ip: meta.ip,
        action: 'exchange.query',
        objectType: 'catalog_entry',
        objectId: r.entry.id,
        outcome,
        detail: {
          resource: r.entry.code,
          grantId: grant.id,
          purpose: grant.purposeCategory,
          filters: hashed,
          error: e instanceof DomainError ? e.code : 'SOURCE',
        },
      });
      if (e instanceof DomainError) throw e;
      throw new DomainError('INTERNAL', { zh: '数据源暂时不可用', en: 'The source is unavailable' });
    }
    const { granted, columns, names } = plan;
    const records: JsonObject[] = new Array(rows.length);
    for (let n = 0; n < rows.length; n++) {
      const row = rows[n] as Record<string, unknown>;
      const out: JsonObject = {};
      for (let i = 0; i < granted.length; i++) {
        const item = granted[i] as GrantItem;
        out[item.name] = mask(row[columns[i] as string], item.masking, grant.id) as JsonObject[string];
      }
      records[n] = out;
    }
    await this.audit.record({
      actor: meta.actor,
      requestId: meta.requestId,
      ip: meta.ip,
      action: 'exchange.query',
      objectType: 'catalog_entry',
      objectId: r.entry.id,
      detail: {
        resource: r.entry.code,
        grantId: grant.id,
        items: names,
        purpose: grant.purposeCategory,
        filters: hashed,
        rows: records.length,
      },
    });
    return {
      resource: r.entry.code,
      items: names,
      page: Math.max(1, page),
      pageSize: size,
      records,
    };
  }

  /** The granted items that are mounted, their columns and names; kept with the grant while it is cached. */
  private readPlan(r: Resolved, grant: GrantView): ReadPlan {
    const hit = this.plans.get(grant);
    if (hit && hit.resolved === r) return hit;
    const granted = grant.items.filter((i) => i.name in r.mount.mapping);
    const plan: ReadPlan = {
      resolved: r,
      granted,
      columns: granted.map((i) => r.mount.mapping[i.name] as string),
      names: granted.map((i) => i.name),
    };
    this.plans.set(grant, plan);
    return plan;
  }

  /**
   * 核验: the caller submits values of some items of one record, found by the key items among them;
   * the answer is match / no match per item, never the data.
   */
  async verify(
    system: SystemActor,
    meta: RequestMeta,
    ref: string,
    purpose: string | undefined,
    values: Record<string, string>,
  ): Promise<{ resource: string; found: boolean; match: Record<string, boolean> }> {
    const { resolved: r, grant } = await this.admit(system, meta, ref, purpose, 'verify');
    const grantedNames = new Set(grant.items.map((i) => i.name));
    const p: FieldProblem[] = [];
    for (const name of Object.keys(values)) {
      if (!grantedNames.has(name) || !(name in r.mount.mapping)) {
        p.push({
          field: name,
          rule: 'verify.granted_item',
          zh: `“${name}”不在授权范围内`,
          en: `"${name}" is not a granted item`,
        });
      }
    }
    const keyValues = Object.fromEntries(Object.entries(values).filter(([k]) => r.keyItems.has(k)));
    if (p.length) {
      await this.audit.record({
        actor: meta.actor,
        requestId: meta.requestId,
        ip: meta.ip,
        action: 'exchange.verify',
        objectType: 'catalog_entry',
        objectId: r.entry.id,
        outcome: 'denied',
        detail: { resource: r.entry.code, grantId: grant.id, items: Object.keys(values) },
      });
      throw DomainError.validation(p);
    }
    const f = this.filtersOf(r, keyValues);
    const rows = await r.connector.select({
      relation: r.mount.relation,
      columns: Object.keys(values).map((k) => r.mount.mapping[k] as string),
      filters: f,
      orderBy: r.mount.key_columns,
      limit: 2,
      offset: 0,
    });
    const row = rows.length === 1 ? rows[0] : undefined;
    const match: Record<string, boolean> = {};
    for (const [k, v] of Object.entries(values)) {
      const actual = row?.[r.mount.mapping[k] as string];
      match[k] =
        row !== undefined && actual !== null && actual !== undefined && normalize(actual) === normalize(v);
    }
    await this.audit.record({
      actor: meta.actor,
      requestId: meta.requestId,
      ip: meta.ip,
      action: 'exchange.verify',
      objectType: 'catalog_entry',
      objectId: r.entry.id,
      detail: {
        resource: r.entry.code,
        grantId: grant.id,
        items: Object.keys(values),
        purpose: grant.purposeCategory,
        found: row !== undefined,
      },
    });
    return { resource: r.entry.code, found: row !== undefined, match };
  }
}

/** Runs a call to a department's source; an unreachable source is a clear 502, not a crash. */
async function upstream<T>(s: ExchangeSourceRow, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw new DomainError('UPSTREAM_UNAVAILABLE', {
      zh: `数据源“${s.name}”无法访问：${(e as Error).message}`,
      en: `The source "${s.name}" cannot be reached: ${(e as Error).message}`,
    });
  }
}

/**
 * What every call of the gate (query, verify, change pull, file download) needs: an active grant, and a
 * stated purpose (X-Purpose) that is the grant's purpose category, by its code or its Chinese name.
 */
export function requireGrantAndPurpose(grant: GrantView | null, purpose: string | undefined): GrantView {
  if (!grant) {
    throw DomainError.forbidden({
      zh: '本系统没有该资源的有效共享授权',
      en: 'This system holds no active grant for the resource',
    });
  }
  const p = (purpose ?? '').trim();
  if (!p) {
    throw DomainError.validation([
      {
        field: 'x-purpose',
        rule: 'required',
        zh: '须在 X-Purpose 请求头中声明用途',
        en: 'State the purpose in the X-Purpose header',
      },
    ]);
  }
  const label = grant.purposeCategory ? PURPOSE_CATEGORIES[grant.purposeCategory] : null;
  if (p !== grant.purposeCategory && p !== label) {
    throw DomainError.forbidden({
      zh: '声明的用途与共享授权不一致',
      en: 'The stated purpose does not match the grant',
    });
  }
  return grant;
}

function normalize(v: unknown): string {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).trim().toUpperCase();
}
