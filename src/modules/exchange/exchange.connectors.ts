/**
 * Connectors to where departments keep their data: PostgreSQL and MySQL databases (their own or a
 * front-end processor 前置机) and HTTP JSON APIs. Every SQL identifier comes from a mount that was
 * checked against the source's own column list, and is quoted; every value is a bound parameter.
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import { DomainError } from '../../kernel/errors.js';
import { LookupCoalescer, shapeOf } from './exchange.coalesce.js';
import type { SourceConfig, SourceKind } from './exchange.table.js';

export interface ColumnInfo {
  name: string;
  type: string;
  nullable: boolean;
}

export interface Filter {
  column: string;
  value: string;
}

export interface SelectSpec {
  relation: string;
  columns: string[];
  filters: Filter[];
  orderBy: string[];
  limit: number;
  offset: number;
}

export interface Connector {
  test(): Promise<void>;
  relations(): Promise<string[]>;
  columns(relation: string): Promise<ColumnInfo[]>;
  select(spec: SelectSpec): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

const IDENT = /^[\p{L}_][\p{L}\p{N}_$]*$/u;

/** Splits schema.table and checks each part; refuses anything that is not a plain identifier. */
export function relationParts(relation: string): string[] {
  const parts = relation.split('.');
  if (parts.length < 1 || parts.length > 2 || parts.some((p) => !IDENT.test(p))) {
    throw DomainError.validation([
      {
        field: 'relation',
        rule: 'identifier',
        zh: '表名应为“模式.表名”或“表名”',
        en: 'relation must be schema.table or table',
      },
    ]);
  }
  return parts;
}

function checkIdent(name: string, field: string): string {
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

const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let n = statementNames.get(text);
  if (!n) {
    n = `gs_${statementNames.size}`;
    if (statementNames.size < 10_000) statementNames.set(text, n);
  }
  return n;
}

const pgq = (id: string) => `"${id.replace(/"/g, '""')}"`;
const myq = (id: string) => `\`${id.replace(/`/g, '``')}\``;

/**
 * Whether PostgreSQL refused the statement itself (an SQLSTATE outside connection failures, shutdown and
 * lack of resources): then each coalesced lookup is retried alone.
 */
function isStatementError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|57|53)/.test(code);
}

/**
 * Statements a source runs at once for the gateway's lookups; more wait and go out coalesced. Two keep
 * a source busy while the other answer travels, and let the waiting lookups gather into large statements
 * (bench:exchange: two gave a third more calls a second than four, at a lower p99).
 */
const COALESCE_LIMIT = 2;
/**
 * The names a coalesced statement gives its values, subqueries and the columns it adds. Each has a
 * hyphen, which no relation or column of a mount can have (they are checked against IDENT), so none can
 * ever be taken for a source's own table or column.
 */
const KEYS = '"gs-keys"';
const PAGE = '"gs-page"';
const ROWS = '"gs-rows"';
const LOOKUP_NO = 'gs-lookup-no';
const ROW_NO = '"gs-row-no"';

class PostgresConnector implements Connector {
  private readonly pool: pg.Pool;
  constructor(cfg: SourceConfig, password: string | null) {
    this.pool = new pg.Pool({
      host: cfg.host,
      port: cfg.port ?? 5432,
      database: cfg.database,
      user: cfg.user,
      password: password ?? undefined,
      ssl: cfg.ssl ? { rejectUnauthorized: false } : undefined,
      max: 8,
      connectionTimeoutMillis: 5_000,
      statement_timeout: 15_000,
    });
    this.pool.on('error', () => undefined);
    this.lookups = new LookupCoalescer(
      COALESCE_LIMIT,
      (s) => this.selectOne(s),
      (specs) => this.selectMany(specs),
      // An error the server answered with an SQLSTATE came from the statement, not the connection.
      isStatementError,
    );
  }
  /** Concurrent keyed lookups, coalesced while the source is busy. */
  readonly lookups: LookupCoalescer;
  async test() {
    await this.pool.query('select 1');
  }
  async relations() {
    const r = await this.pool.query<{ r: string }>(
      `select table_schema || '.' || table_name as r from information_schema.tables
       where table_schema not in ('pg_catalog','information_schema') order by 1`,
    );
    return r.rows.map((x) => x.r);
  }
  async columns(relation: string) {
    const [a, b] = relationParts(relation);
    const schema = b ? a : 'public';
    const table = b ?? a;
    const r = await this.pool.query<{ name: string; type: string; nullable: string }>(
      `select column_name as name, data_type as type, is_nullable as nullable from information_schema.columns
       where table_schema = $1 and table_name = $2 order by ordinal_position`,
      [schema, table],
    );
    return r.rows.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable === 'YES' }));
  }
  select(s: SelectSpec) {
    return s.filters.length > 0 ? this.lookups.select(s) : this.selectOne(s);
  }
  /** Statement texts by lookup shape: built (identifiers checked and quoted) once, then only executed. */
  private readonly texts = new Map<string, { one: string; many: string }>();
  private textsOf(s: SelectSpec): { one: string; many: string } {
    const shape = shapeOf(s);
    const hit = this.texts.get(shape);
    if (hit) return hit;
    const rel = relationParts(s.relation).map(pgq).join('.');
    const cols = s.columns.map((c) => pgq(checkIdent(c, 'columns'))).join(', ');
    const order = s.orderBy.map((c) => pgq(checkIdent(c, 'orderBy'))).join(', ');
    const orderBy = order ? ` order by ${order}` : '';
    const page = `limit ${Number(s.limit)} offset ${Number(s.offset)}`;
    const filterCols = s.filters.map((f) => pgq(checkIdent(f.column, 'filter')));
    const where = filterCols.map((c, i) => `${c}::text = $${i + 1}`);
    const one = `select ${cols} from ${rel}${where.length ? ` where ${where.join(' and ')}` : ''}${orderBy} ${page}`;
    // Several lookups of one shape: the filter values travel as one array per filter column; each lookup
    // is a lateral subquery with its own order, limit and offset, numbered so that every row goes back
    // to its caller in its own order.
    const vars = filterCols.map((_, j) => `k${j}`);
    const manyWhere = filterCols.map((c, j) => `${c}::text = ${KEYS}.k${j}`);
    const many =
      `select ${KEYS}.i::int as ${pgq(LOOKUP_NO)}, ${ROWS}.* from unnest(${vars.map((_, j) => `$${j + 1}::text[]`).join(', ')})` +
      ` with ordinality as ${KEYS}(${vars.join(', ')}, i) cross join lateral (select row_number() over () as ${ROW_NO}, ${PAGE}.*` +
      ` from (select ${cols} from ${rel} where ${manyWhere.join(' and ')}${orderBy} ${page}) ${PAGE}) ${ROWS}` +
      ` order by ${KEYS}.i, ${ROWS}.${ROW_NO}`;
    const texts = { one, many };
    if (this.texts.size < 10_000) this.texts.set(shape, texts);
    return texts;
  }
  private async selectOne(s: SelectSpec) {
    const text = this.textsOf(s).one;
    // A named statement is parsed and planned once per connection, then only executed.
    const r = await this.pool.query({
      text,
      values: s.filters.map((f) => f.value),
      name: statementName(text),
    });
    return r.rows as Record<string, unknown>[];
  }
  /** Several lookups of one shape in one statement (see exchange.coalesce and textsOf). */
  private async selectMany(specs: SelectSpec[]): Promise<Record<string, unknown>[][]> {
    const [first] = specs as [SelectSpec];
    const text = this.textsOf(first).many;
    const r = await this.pool.query<Record<string, unknown>>({
      text,
      values: first.filters.map((_, j) => specs.map((sp) => sp.filters[j]?.value ?? '')),
      name: statementName(text),
    });
    const out: Record<string, unknown>[][] = specs.map(() => []);
    for (const row of r.rows) {
      const own: Record<string, unknown> = {};
      for (const c of first.columns) own[c] = row[c];
      out[Number(row[LOOKUP_NO]) - 1]?.push(own);
    }
    return out;
  }
  async close() {
    await this.pool.end();
  }
}

class MysqlConnector implements Connector {
  private readonly pool: mysql.Pool;
  private readonly database: string;
  constructor(cfg: SourceConfig, password: string | null) {
    this.database = cfg.database ?? '';
    this.pool = mysql.createPool({
      host: cfg.host,
      port: cfg.port ?? 3306,
      database: cfg.database,
      user: cfg.user,
      password: password ?? undefined,
      connectionLimit: 8,
      connectTimeout: 5_000,
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
    });
  }
  async test() {
    await this.pool.query('select 1');
  }
  async relations() {
    const [rows] = await this.pool.query(
      'select table_name as r from information_schema.tables where table_schema = ? order by 1',
      [this.database],
    );
    return (rows as { r: string }[]).map((x) => x.r);
  }
  async columns(relation: string) {
    const parts = relationParts(relation);
    const table = parts[parts.length - 1] as string;
    const schema = parts.length === 2 ? (parts[0] as string) : this.database;
    const [rows] = await this.pool.query(
      'select column_name as name, data_type as type, is_nullable as nullable from information_schema.columns where table_schema = ? and table_name = ? order by ordinal_position',
      [schema, table],
    );
    return (rows as { name: string; type: string; nullable: string }[]).map((c) => ({
      name: c.name,
      type: c.type,
      nullable: c.nullable === 'YES',
    }));
  }
  async select(s: SelectSpec) {
    const rel = relationParts(s.relation).map(myq).join('.');
    const cols = s.columns.map((c) => myq(checkIdent(c, 'columns'))).join(', ');
    const where = s.filters.map((f) => `${myq(checkIdent(f.column, 'filter'))} = ?`);
    const order = s.orderBy.map((c) => myq(checkIdent(c, 'orderBy'))).join(', ');
    const text = `select ${cols} from ${rel}${where.length ? ` where ${where.join(' and ')}` : ''}${order ? ` order by ${order}` : ''} limit ${Number(s.limit)} offset ${Number(s.offset)}`;
    const [rows] = await this.pool.query(
      text,
      s.filters.map((f) => f.value),
    );
    return rows as Record<string, unknown>[];
  }
  async close() {
    await this.pool.end();
  }
}

/** An HTTP JSON API: GET {baseUrl}/{relation}?{field}={value}&limit&offset → an array of objects. */
class HttpConnector implements Connector {
  constructor(
    private readonly cfg: SourceConfig,
    private readonly token: string | null,
  ) {}
  private headers(): Record<string, string> {
    return this.token ? { [this.cfg.headerName ?? 'authorization']: this.token } : {};
  }
  async test() {
    const r = await fetch(this.cfg.baseUrl ?? '', {
      method: 'GET',
      headers: this.headers(),
      signal: AbortSignal.timeout(5_000),
    });
    if (r.status >= 500) throw new Error(`HTTP ${r.status}`);
  }
  async relations() {
    return [];
  }
  async columns(relation: string) {
    const rows = await this.select({ relation, columns: [], filters: [], orderBy: [], limit: 1, offset: 0 });
    const first = rows[0] ?? {};
    return Object.entries(first).map(([name, v]) => ({ name, type: typeof v, nullable: true }));
  }
  async select(s: SelectSpec) {
    const url = new URL(`${(this.cfg.baseUrl ?? '').replace(/\/$/, '')}/${s.relation.replace(/^\//, '')}`);
    for (const f of s.filters) url.searchParams.set(f.column, f.value);
    url.searchParams.set('limit', String(s.limit));
    url.searchParams.set('offset', String(s.offset));
    const r = await fetch(url, { headers: this.headers(), signal: AbortSignal.timeout(15_000) });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    const body = (await r.json()) as unknown;
    const rows = Array.isArray(body) ? body : ((body as { items?: unknown[] }).items ?? []);
    const want = new Set(s.columns);
    return (rows as Record<string, unknown>[]).map((row) =>
      s.columns.length ? Object.fromEntries(Object.entries(row).filter(([k]) => want.has(k))) : row,
    );
  }
  async close() {}
}

export function openConnector(kind: SourceKind, cfg: SourceConfig, secret: string | null): Connector {
  switch (kind) {
    case 'postgres':
      return new PostgresConnector(cfg, secret);
    case 'mysql':
      return new MysqlConnector(cfg, secret);
    case 'http':
      return new HttpConnector(cfg, secret);
    case 'file':
      throw new DomainError('INVALID_STATE', {
        zh: '文件型数据源经上传装载后按库表方式访问',
        en: 'File sources are read through the table they were loaded into',
      });
  }
}
