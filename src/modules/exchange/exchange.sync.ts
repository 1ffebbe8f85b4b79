/**
 * Batch exchange (库表交换, R5.4): a consumer's copy of a granted, mounted table, kept in its own
 * PostgreSQL or MySQL database, in full or incrementally, on a schedule, resumable after any crash
 * with nothing lost and nothing duplicated.
 *
 * How a run stays exact:
 * - The source is read in keyset order: on (watermark column, key columns) for incremental jobs whose
 *   mount has a watermark, otherwise on the key columns; chunk after chunk, each chunk a fresh
 *   `… where (order cols) > (position) order by … limit n` (no offsets, no long-lived cursor).
 * - Each chunk is written to the TARGET in one target transaction: lock the job's control row in
 *   `govshare_sync_state`, COPY the chunk into a temporary staging table (MySQL: batched multi-row
 *   inserts), upsert it into the target table on its key, and move the control row to the position after
 *   the chunk. Data and position commit together, so the target's control row is the truth: a run that
 *   dies anywhere resumes from it; a chunk is either wholly there with its position, or not at all.
 *   A pass that began on an empty table (the control row's `fresh`) COPYs its chunks straight into the
 *   table — keyset order makes their keys new — until a chunk conflicts (a row whose watermark moved
 *   during the pass, a row someone else wrote): that chunk is rolled back and upserted, and so is the rest
 *   of the pass. On PostgreSQL the whole transaction is one message sent with the chunk's COPY data: one
 *   round trip per chunk.
 * - Between two PostgreSQL databases the source is read with COPY (… order by … limit n) TO STDOUT and
 *   its text rows are reshaped as bytes: clear columns pass as they are, masked ones are decoded to the
 *   very text a row query gives, masked, and encoded again. The next chunk is read while the target
 *   commits the one before; what a transaction records is always the end of its own chunk.
 * - The control row also fences: each chunk checks the row's sequence number it last wrote, so a worker
 *   whose platform lease was taken over cannot write another chunk.
 * - The platform's `exchange_sync_job` mirrors the progress for the console and carries the lease
 *   (`lease_owner`, `lease_until`, claimed with FOR UPDATE SKIP LOCKED and renewed while the run lives;
 *   a killed worker's lease simply expires).
 * - The grant is the only permission: only granted items, masked as granted with the grant id as key
 *   (the same `mask()` on the same JS values the query gate sees); the grant is checked before every
 *   chunk and a run whose grant is no longer active stops, failed, saying so.
 *
 * Target columns are named by the mount's source column names (plain identifiers, stable, already checked
 * against the source); each PostgreSQL column carries the data item's name as its comment (MySQL: the
 * column COMMENT). The key is the target's primary key. Deletions at the source are not propagated
 * (neither keyset order nor a watermark can see them).
 */
import { hostname } from 'node:os';
import { type Kysely, sql } from 'kysely';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Database, Executor } from '../../db/index.js';
import type { RequestMeta } from '../../http/context.js';
import type { Clock } from '../../kernel/clock.js';
import { DomainError, type FieldProblem, type Message } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { type MaskRule, mask } from '../../kernel/masking.js';
import type { SecretBox } from '../../kernel/secrets.js';
import { sm3Hex } from '../../kernel/sm3.js';
import { chinaToday } from '../../kernel/workdays.js';
import type { Services } from '../../services.js';
import type { AuditLog } from '../audit/audit.service.js';
import type { SystemActor, UserActor } from '../auth/auth.policy.js';
import { sharingRepository } from '../sharing/sharing.repository.js';
import { type GrantService, type GrantView, grantView } from '../sharing/sharing.service.js';
import { relationParts } from './exchange.connectors.js';
import {
  type FilePartView,
  FilePartWriter,
  listParts,
  PlatformReader,
  readPart,
} from './exchange.filesync.js';
import { exchangeRepository } from './exchange.repository.js';
import type { ExchangeService } from './exchange.service.js';
import type { ExchangeMountRow, ExchangeSyncJobTable, SourceConfig } from './exchange.table.js';

// ── types ──────────────────────────────────────────────────────────────────────────────────

export type SyncMode = 'full' | 'incremental';
export type TargetKind = 'postgres' | 'mysql';
export type SyncStatus = 'idle' | 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted';

/** Where the consumer's copy lives (the password is separate, sealed). */
export interface TargetConfig {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  ssl?: boolean;
}

export interface SyncJobInput {
  grantId: string;
  targetKind: TargetKind | 'file';
  /** The target database (postgres, mysql); none for a file target. */
  targetConfig?: TargetConfig;
  /** The target's password; stored SM4-sealed, never returned. */
  targetSecret?: string | null;
  /** table or schema.table (MySQL: database.table) in the target. */
  targetTable: string;
  mode: SyncMode;
  /** Run every n minutes (first run at once); null or absent: only on demand. */
  scheduleMinutes?: number | null;
}

export interface SyncJobView {
  id: string;
  grantId: string;
  entryId: string | null;
  consumerOrgId: string;
  targetKind: ExchangeSyncJobTable['target_kind'];
  targetConfig: TargetConfig;
  hasTargetSecret: boolean;
  targetTable: string;
  mode: SyncMode;
  scheduleMinutes: number | null;
  /** idle · queued · running · succeeded · failed · interrupted (running, but its worker's lease lapsed). */
  status: SyncStatus;
  rowsDone: number;
  rowsTotal: number | null;
  lastWatermark: string | null;
  lastRunAt: string | null;
  nextRunAt: string | null;
  lastError: string | null;
  leaseOwner: string | null;
  leaseUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One granted item as the transfer writes it. */
export interface SyncItem {
  item: string;
  column: string;
  masking: MaskRule;
}

export interface Endpoint {
  kind: TargetKind;
  config: SourceConfig;
  password: string | null;
}

/** Everything one transfer needs, resolved: usable from a script or a benchmark without the platform. */
export interface TransferJob {
  jobId: string;
  /** The masking key (the query gate's too). */
  grantId: string;
  mode: SyncMode;
  source: Endpoint & {
    relation: string;
    keyColumns: string[];
    watermarkColumn: string | null;
    /** A file source: its srcdata table is read on this platform database (kind is then 'postgres'). */
    platform?: Kysely<Database>;
  };
  target: Omit<Endpoint, 'kind'> & {
    kind: TargetKind | 'file';
    table: string;
    /** A file target: CSV parts kept on this platform database. */
    platform?: Kysely<Database>;
  };
  items: SyncItem[];
  /** Seals key positions of masked keys in the target's control table. */
  box?: SecretBox | null;
}

export interface TransferProgress {
  pass: number;
  rowsDone: number;
  rowsTotal: number;
  /** The watermark (incremental with a watermark column), else the key position as JSON, when in clear. */
  position: string | null;
  complete: boolean;
}

export interface TransferOptions {
  /** Rows per chunk and target transaction (default 5,000). */
  chunkRows?: number;
  signal?: AbortSignal;
  /** Called before each chunk is read (grant still active? lease still ours?); throw to stop. */
  beforeChunk?: () => Promise<void>;
  /** Called after each chunk committed on the target. */
  onProgress?: (p: TransferProgress) => Promise<void>;
}

export interface TransferResult extends TransferProgress {
  /** Rows written by this call (a resumed pass counts only what it wrote itself). */
  rowsThisRun: number;
  chunks: number;
  resumed: boolean;
}

// ── identifiers and values ─────────────────────────────────────────────────────────────────

const pgq = (id: string) => `"${id.replace(/"/g, '""')}"`;
const myq = (id: string) => `\`${id.replace(/`/g, '``')}\``;
const STATE_TABLE = 'govshare_sync_state';
const STAGE_TABLE = 'govshare_stage';
const SEALED_PREFIX = 'sm4ctr-hsm3$';

type Cell = string | Buffer | null;

/** A source column as the catalog of the source database describes it. */
interface SourceColumn {
  name: string;
  /** Full type: format_type() on PostgreSQL, COLUMN_TYPE on MySQL. */
  type: string;
  /** pg_type.typname on PostgreSQL, DATA_TYPE on MySQL (lower case). */
  base: string;
  nullable: boolean;
  /** PostgreSQL type OID (to parse a value exactly as the query gate's driver does). */
  oid: number;
  /** A type every PostgreSQL has (pg_catalog), so the same name works on the target. */
  builtin: boolean;
}

interface PlannedColumn {
  item: string;
  source: SourceColumn;
  target: string;
  masking: MaskRule;
  key: boolean;
  targetType: string;
  cell: (raw: unknown) => Cell;
}

/** The driver's default parser for a PostgreSQL type: what the gate's pg pool hands to mask(). */
function gateParser(oid: number): (v: string) => unknown {
  const p = pg.types.getTypeParser(oid, 'text') as (v: string) => unknown;
  return p;
}

const RAW_TEXT = {
  getTypeParser: (() => (v: string) => v) as unknown as typeof pg.types.getTypeParser,
};

function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v)) return v.toString('hex');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The target type of a column delivered in clear. */
function clearType(c: SourceColumn, from: TargetKind, to: TargetKind, key: boolean): string {
  const t = c.type.toLowerCase();
  if (from === 'postgres' && to === 'postgres') return c.builtin ? c.type : 'text';
  // The provider's own type names go into the consumer's DDL only when they are plain type names.
  if (from === 'mysql' && to === 'mysql')
    return /^[a-z]+( [a-z]+)?(\(\d+(,\d+)?\))?( unsigned)?( zerofill)?$/.test(t)
      ? c.type
      : key
        ? 'varchar(255)'
        : 'longtext';
  if (from === 'postgres') {
    // PostgreSQL → MySQL
    const len = /\((\d+)(?:,\s*(\d+))?\)/.exec(t);
    switch (c.base) {
      case 'int2':
        return 'smallint';
      case 'int4':
        return 'int';
      case 'int8':
        return 'bigint';
      case 'numeric':
        return len ? `decimal(${len[1]},${len[2] ?? 0})` : 'decimal(65,30)';
      case 'float4':
        return 'float';
      case 'float8':
        return 'double';
      case 'bool':
        return 'tinyint(1)';
      case 'date':
        return 'date';
      case 'timestamp':
      case 'timestamptz':
        return 'datetime(6)';
      case 'time':
        return 'time(6)';
      case 'varchar':
        return len && Number(len[1]) <= 16383 ? `varchar(${len[1]})` : key ? 'varchar(255)' : 'longtext';
      case 'bpchar':
        return len && Number(len[1]) <= 255 ? `char(${len[1]})` : 'varchar(255)';
      case 'uuid':
        return 'char(36)';
      case 'json':
      case 'jsonb':
        return 'json';
      case 'bytea':
        return key ? 'varbinary(255)' : 'longblob';
      default:
        return key ? 'varchar(255)' : 'longtext';
    }
  }
  // MySQL → PostgreSQL
  const unsigned = t.includes('unsigned');
  const len = /\((\d+)(?:,\s*(\d+))?\)/.exec(t);
  switch (c.base) {
    case 'tinyint':
      return 'smallint';
    case 'smallint':
      return unsigned ? 'integer' : 'smallint';
    case 'mediumint':
      return 'integer';
    case 'int':
    case 'integer':
      return unsigned ? 'bigint' : 'integer';
    case 'bigint':
      return unsigned ? 'numeric(20,0)' : 'bigint';
    case 'decimal':
      return len ? `numeric(${len[1]},${len[2] ?? 0})` : 'numeric';
    case 'float':
      return 'real';
    case 'double':
      return 'double precision';
    case 'date':
      return 'date';
    case 'datetime':
    case 'timestamp':
      return 'timestamp(6)';
    case 'year':
      return 'smallint';
    case 'char':
      return len ? `char(${len[1]})` : 'text';
    case 'varchar':
      return len ? `varchar(${len[1]})` : 'text';
    case 'json':
      return 'jsonb';
    case 'blob':
    case 'tinyblob':
    case 'mediumblob':
    case 'longblob':
    case 'binary':
    case 'varbinary':
      return 'bytea';
    default:
      return 'text';
  }
}

/** How a raw source value (text from PostgreSQL, a mysql2 value from MySQL) becomes a target cell. */
function clearCell(c: SourceColumn, from: TargetKind, to: TargetKind): (raw: unknown) => Cell {
  if (from === 'postgres') {
    if (to === 'postgres') return (raw) => (raw === null || raw === undefined ? null : (raw as string));
    switch (c.base) {
      case 'bool':
        return (raw) => (raw === null ? null : raw === 't' ? '1' : '0');
      case 'timestamptz':
        // The reading session runs in UTC: "2026-01-01 02:03:04.5+00" → "2026-01-01 02:03:04.5".
        return (raw) => (raw === null ? null : (raw as string).replace(/[+-]\d\d(:\d\d)?$/, ''));
      case 'bytea':
        return (raw) => (raw === null ? null : Buffer.from((raw as string).slice(2), 'hex'));
      default:
        return (raw) => (raw === null || raw === undefined ? null : (raw as string));
    }
  }
  if (to === 'mysql') {
    return (raw) =>
      raw === null || raw === undefined ? null : Buffer.isBuffer(raw) ? raw : textOf(raw as object);
  }
  return (raw) => {
    if (raw === null || raw === undefined) return null;
    if (Buffer.isBuffer(raw)) return `\\x${raw.toString('hex')}`;
    return textOf(raw);
  };
}

function maskedCell(c: SourceColumn, from: TargetKind, rule: MaskRule, key: string): (raw: unknown) => Cell {
  const parse = from === 'postgres' ? gateParser(c.oid) : null;
  return (raw) => {
    if (raw === null || raw === undefined) return null;
    const value = parse ? parse(raw as string) : raw;
    const m = mask(value, rule, key);
    return m === null || m === undefined ? null : textOf(m);
  };
}

function plan(job: TransferJob, cols: SourceColumn[]): PlannedColumn[] {
  // A CSV file takes every value as the text a PostgreSQL target would get.
  const to: TargetKind = job.target.kind === 'mysql' ? 'mysql' : 'postgres';
  const byName = new Map(cols.map((c) => [c.name, c]));
  const keys = new Set(job.source.keyColumns);
  const missing = job.items.filter((i) => !byName.has(i.column)).map((i) => i.column);
  for (const k of job.source.keyColumns) if (!byName.has(k)) missing.push(k);
  if (job.source.watermarkColumn && !byName.has(job.source.watermarkColumn))
    missing.push(job.source.watermarkColumn);
  if (missing.length) {
    throw DomainError.invalidState({
      zh: `数据源表 ${job.source.relation} 中没有列：${missing.join('、')}`,
      en: `The source table ${job.source.relation} has no column ${missing.join(', ')}`,
    });
  }
  return job.items.map((i) => {
    const src = byName.get(i.column) as SourceColumn;
    const key = keys.has(i.column);
    const clear = i.masking === 'none';
    const textType = to === 'postgres' ? 'text' : key ? 'varchar(255)' : 'longtext';
    return {
      item: i.item,
      source: src,
      target: i.column,
      masking: i.masking,
      key,
      targetType: clear ? clearType(src, job.source.kind, to, key) : textType,
      cell: clear
        ? clearCell(src, job.source.kind, to)
        : maskedCell(src, job.source.kind, i.masking, job.grantId),
    };
  });
}

// ── chunks ─────────────────────────────────────────────────────────────────────────────────
//
// PostgreSQL's COPY text format (sql-copy, "Text Format"): a row ends in \n, fields are separated by
// \t, \N is NULL, and a backslash escapes the rest. PostgreSQL sources are read in it and PostgreSQL
// targets are written in it; the text of a value is its type's output, as in a query's text result.

const COPY_UNESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** A COPY text field (not \N) back to the value's text. */
function copyUnescape(s: string): string {
  let b = s.indexOf('\\');
  if (b < 0) return s;
  let out = '';
  let i = 0;
  while (b >= 0 && b < s.length - 1) {
    out += s.slice(i, b);
    const ch = s[b + 1] as string;
    i = b + 2;
    const named = COPY_UNESCAPES[ch];
    if (named !== undefined) out += named;
    else if (ch >= '0' && ch <= '7') {
      // \ooo: one to three octal digits (COPY TO never writes them; COPY FROM accepts them).
      const m = /^[0-7]{1,3}/.exec(s.slice(b + 1, b + 4)) as RegExpExecArray;
      out += String.fromCharCode(Number.parseInt(m[0], 8));
      i = b + 1 + m[0].length;
    } else if (ch === 'x' && /^[0-9a-fA-F]/.test(s.slice(b + 2, b + 3))) {
      const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(b + 2, b + 4)) as RegExpExecArray;
      out += String.fromCharCode(Number.parseInt(m[0], 16));
      i = b + 2 + m[0].length;
    } else out += ch;
    b = s.indexOf('\\', i);
  }
  return out + s.slice(i);
}

/**
 * How source rows become target rows. The select list is the delivered columns in their planned order,
 * then the order columns that are not delivered. Output columns come in segments: a run of clear
 * columns between two PostgreSQL databases keeps the source's COPY text as it is (the same type's
 * output, read back by the same type); any other column goes through its cell function — mask() for a
 * masked one — on exactly the value a row query would give.
 */
interface Shape {
  /** Fields per source row (the select list). */
  width: number;
  /** Output columns: fields from..to as they are (cell null), or field `from` through `cell`. */
  segments: { from: number; to: number; cell: ((raw: unknown) => Cell) | null }[];
  /** Every output column's cell function (field i → column i). */
  cells: ((raw: unknown) => Cell)[];
  /** Where each order column is in the select list. */
  orderFields: number[];
  /** A PostgreSQL target (COPY text) or a MySQL one (cells). */
  toPg: boolean;
}

function shapeOf(planned: PlannedColumn[], width: number, orderFields: number[], job: TransferJob): Shape {
  const verbatim = job.source.kind === 'postgres' && job.target.kind === 'postgres';
  const segments: Shape['segments'] = [];
  planned.forEach((p, i) => {
    const prev = segments[segments.length - 1];
    if (verbatim && p.masking === 'none') {
      if (prev && prev.cell === null && prev.to === i - 1) prev.to = i;
      else segments.push({ from: i, to: i, cell: null });
    } else segments.push({ from: i, to: i, cell: p.cell });
  });
  return {
    width,
    segments,
    cells: planned.map((p) => p.cell),
    orderFields,
    toPg: job.target.kind === 'postgres',
  };
}

/** One chunk, read from the source and shaped for the target. */
interface Chunk {
  rows: number;
  /** The last row's order values as text (the position after the chunk); null for an empty chunk. */
  last: string[] | null;
  /** PostgreSQL target: the rows in COPY text format. */
  copy: Buffer[];
  /** MySQL target: the rows' cells. */
  cells: Cell[][];
}

type Segment = Shape['segments'][number];
type CellOf = (raw: unknown) => Cell;

/**
 * Builds one chunk from COPY text rows (a PostgreSQL source, as bytes) or from row arrays (a MySQL
 * source). A PostgreSQL target's COPY text is written straight into buffers, without a row object.
 */
class ChunkBuilder {
  private rows = 0;
  private readonly copy: Buffer[] = [];
  private readonly cells: Cell[][] = [];
  private out = Buffer.alloc(0);
  private at = 0;
  private outSize = 64 << 10;
  private lastCopy: Buffer | null = null;
  private lastRow: unknown[] | null = null;
  /** The row last scanned: where each field starts and ends, and whether it has a byte above 0x7f. */
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly high: Int32Array;

  constructor(private readonly shape: Shape) {
    this.starts = new Int32Array(shape.width);
    this.ends = new Int32Array(shape.width);
    this.high = new Int32Array(shape.width);
  }

  private ensure(n: number): void {
    if (this.at + n <= this.out.length) return;
    if (this.at) this.copy.push(this.out.subarray(0, this.at));
    this.out = Buffer.allocUnsafe(Math.max(this.outSize, n));
    this.outSize = Math.min(this.outSize * 2, 4 << 20);
    this.at = 0;
  }

  private byte(v: number): void {
    this.ensure(1);
    this.out[this.at++] = v;
  }

  private bytes(b: Buffer, from: number, to: number): void {
    const n = to - from;
    this.ensure(n);
    const out = this.out;
    let at = this.at;
    if (n < 48) for (let i = from; i < to; i++) out[at++] = b[i] as number;
    else {
      b.copy(out, at, from, to);
      at += n;
    }
    this.at = at;
  }

  /** A cell as a COPY text field: \N, or UTF-8 with \\, \n, \r and \t escaped. */
  private cell(v: Cell): void {
    if (v === null) {
      this.ensure(2);
      this.out[this.at++] = 92;
      this.out[this.at++] = 78;
      return;
    }
    if (typeof v !== 'string') {
      // bytea's hex form, its backslash escaped: \\x0a1b…
      const hex = `\\\\x${v.toString('hex')}`;
      this.ensure(hex.length);
      this.at += this.out.write(hex, this.at, 'latin1');
      return;
    }
    // Written here rather than with Buffer#write: most cells are a few characters, where a call into
    // the runtime costs more than the encoding. Lone surrogates become U+FFFD, as Buffer#write does.
    // Three bytes per UTF-16 unit always suffice (an escaped character takes two).
    this.ensure(v.length * 3);
    const out = this.out;
    let at = this.at;
    const n = v.length;
    for (let i = 0; i < n; i++) {
      let c = v.charCodeAt(i);
      if (c < 0x80) {
        if (c === 92 || c === 10 || c === 13 || c === 9) {
          out[at++] = 92;
          c = c === 92 ? 92 : c === 10 ? 110 : c === 13 ? 114 : 116;
        }
        out[at++] = c;
      } else if (c < 0x800) {
        out[at++] = 0xc0 | (c >> 6);
        out[at++] = 0x80 | (c & 63);
      } else if (c >= 0xd800 && c < 0xe000) {
        const d = i + 1 < n ? v.charCodeAt(i + 1) : 0;
        if (c < 0xdc00 && d >= 0xdc00 && d < 0xe000) {
          i++;
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          out[at++] = 0xf0 | (cp >> 18);
          out[at++] = 0x80 | ((cp >> 12) & 63);
          out[at++] = 0x80 | ((cp >> 6) & 63);
          out[at++] = 0x80 | (cp & 63);
        } else {
          out[at++] = 0xef;
          out[at++] = 0xbf;
          out[at++] = 0xbd;
        }
      } else {
        out[at++] = 0xe0 | (c >> 12);
        out[at++] = 0x80 | ((c >> 6) & 63);
        out[at++] = 0x80 | (c & 63);
      }
    }
    this.at = at;
  }

  /** Whether copyRow() needs its row's buffer as Latin-1 text (some field is more than copied). */
  get latin1(): boolean {
    return !this.shape.toPg || this.shape.segments.some((g) => g.cell !== null);
  }

  /** One COPY text row: bytes from..to of b, without its \n; `latin1` is b decoded as Latin-1. */
  copyRow(b: Buffer, from: number, to: number, latin1: string): void {
    const { width, segments, cells, toPg } = this.shape;
    const starts = this.starts;
    const ends = this.ends;
    const high = this.high;
    let f = 0;
    let h = 0;
    starts[0] = from;
    for (let i = from; i < to; i++) {
      const c = b[i] as number;
      if (c === 9) {
        ends[f] = i;
        high[f] = h;
        h = 0;
        if (++f === width) throw new Error('COPY text: a row with too many fields');
        starts[f] = i + 1;
      } else h |= c;
    }
    ends[f] = to;
    high[f] = h;
    if (f !== width - 1) throw new Error('COPY text: a row with too few fields');
    if (toPg) {
      for (let g = 0; g < segments.length; g++) {
        const seg = segments[g] as Segment;
        if (g > 0) this.byte(9);
        if (seg.cell === null) this.bytes(b, starts[seg.from] as number, ends[seg.to] as number);
        else this.cell(seg.cell(this.value(b, latin1, seg.from)));
      }
      this.byte(10);
    } else {
      const row: Cell[] = new Array(cells.length);
      for (let k = 0; k < cells.length; k++) row[k] = (cells[k] as CellOf)(this.value(b, latin1, k));
      this.cells.push(row);
    }
    this.rows++;
    this.lastCopy = b;
  }

  /**
   * Field k of the row just scanned, as a text-mode query hands it over: its text (UTF-8; ASCII bytes
   * are their Latin-1 text as well), or null.
   */
  private value(b: Buffer, latin1: string, k: number): string | null {
    const from = this.starts[k] as number;
    const to = this.ends[k] as number;
    if (to - from === 2 && b[from] === 92 && b[from + 1] === 78) return null;
    return copyUnescape(
      (this.high[k] as number) & 0x80 ? b.toString('utf8', from, to) : latin1.slice(from, to),
    );
  }

  /** One row of values (mysql2's), in select-list order. */
  values(values: unknown[]): void {
    const { cells, toPg } = this.shape;
    const row: Cell[] = new Array(cells.length);
    for (let i = 0; i < cells.length; i++) row[i] = (cells[i] as CellOf)(values[i]);
    if (toPg) {
      for (let i = 0; i < row.length; i++) {
        if (i > 0) this.byte(9);
        this.cell(row[i] as Cell);
      }
      this.byte(10);
    } else this.cells.push(row);
    this.lastRow = values;
    this.rows++;
  }

  finish(): Chunk {
    if (this.at) this.copy.push(this.out.subarray(0, this.at));
    this.out = Buffer.alloc(0);
    this.at = 0;
    let last: string[] | null = null;
    const { orderFields } = this.shape;
    if (this.lastRow) {
      const r = this.lastRow;
      last = orderFields.map((i) => textOf(r[i]));
    } else if (this.lastCopy) {
      // The last row's fields are still in starts/ends.
      const b = this.lastCopy;
      last = orderFields.map((k) => this.value(b, b.toString('latin1'), k) ?? '');
    }
    return { rows: this.rows, last, copy: this.copy, cells: this.cells };
  }
}

/**
 * COPY … TO STDOUT on a pg client, each row handed over as it arrives: bytes of the socket's buffer
 * (PostgreSQL sends one CopyData message per row). Like pg-copy-streams' copy-to, it takes the client's
 * socket over from the submit to the CopyDone (or an ErrorResponse), then hands the rest back to pg.
 */
class CopyOut implements pg.Submittable {
  readonly done: Promise<void>;
  private settle: { resolve: () => void; reject: (e: unknown) => void } | null = null;
  private connection: pg.Connection | null = null;
  private pgData: ((b: Buffer) => void) | null = null;
  private parts: Buffer[] = [];
  private partsLength = 0;
  private need = 0;
  private failure: unknown = null;
  private readonly onData = (b: Buffer) => this.data(b);

  /**
   * `row` gets bytes from..to of b (a row without its \n) and, when `latin1` is asked for, b decoded
   * as Latin-1 (one character per byte: a field of ASCII bytes is that string's slice, at no cost).
   */
  constructor(
    private readonly text: string,
    private readonly latin1: boolean,
    private readonly row: (b: Buffer, from: number, to: number, latin1: string) => void,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
  }

  /** Returns an error, as pg's Submittable contract has it, when the socket is not pg's alone. */
  submit(connection: pg.Connection): Error | undefined {
    this.connection = connection;
    const s = connection.stream;
    const listeners = s.listeners('data') as ((b: Buffer) => void)[];
    if (listeners.length !== 1) return new Error('COPY: the connection is not in a state to copy');
    this.pgData = listeners[0] as (b: Buffer) => void;
    s.removeListener('data', this.pgData);
    s.on('data', this.onData);
    connection.query(this.text);
    return undefined;
  }

  private data(chunk: Buffer): void {
    let b = chunk;
    if (this.parts.length) {
      this.parts.push(chunk);
      this.partsLength += chunk.length;
      if (this.partsLength < this.need) return;
      b = Buffer.concat(this.parts, this.partsLength);
      this.parts = [];
      this.partsLength = 0;
    }
    const text = this.latin1 && this.failure === null ? b.toString('latin1') : '';
    let i = 0;
    while (i + 5 <= b.length) {
      const code = b[i];
      // An ErrorResponse: pg reads it (and what follows) and fails the query.
      if (code === 0x45) {
        this.detach(b.subarray(i));
        return;
      }
      const end = i + 1 + b.readUInt32BE(i + 1);
      if (end > b.length) break;
      if (code === 0x64) {
        // CopyData: one row, ending in \n. A row that fails to convert fails the read, after the COPY.
        if (this.failure === null) {
          try {
            if (b[end - 1] !== 10) throw new Error('COPY text: a message that is not one row');
            this.row(b, i + 5, end - 1, text);
          } catch (e) {
            this.failure = e;
          }
        }
      } else if (code === 0x63) {
        // CopyDone: CommandComplete and ReadyForQuery follow, for pg.
        this.detach(b.subarray(end));
        return;
      }
      // Anything else (CopyOutResponse, a notice, a parameter status): nothing to do.
      i = end;
    }
    if (i < b.length) {
      const rest = b.subarray(i);
      this.parts = [rest];
      this.partsLength = rest.length;
      this.need = rest.length >= 5 ? 1 + rest.readUInt32BE(1) : 5;
    }
  }

  private detach(rest: Buffer): void {
    const s = this.connection?.stream;
    const pgData = this.pgData;
    if (!s || !pgData) return;
    this.pgData = null;
    s.removeListener('data', this.onData);
    s.on('data', pgData);
    if (rest.length) pgData(rest);
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    if (this.failure !== null) this.settle?.reject(this.failure);
    else this.settle?.resolve();
  }

  handleError(e: unknown): void {
    this.detach(Buffer.alloc(0));
    this.settle?.reject(e);
  }
}

const COPY_DONE = Buffer.from([0x63, 0, 0, 0, 4]);

/**
 * A simple-query message whose statements include one COPY … FROM STDIN, sent together with the
 * COPY's data and end, without waiting for the server's CopyInResponse; done when the server is ready
 * again. Should a statement before the COPY fail, the server drops the data (the protocol has it ignore
 * CopyData and CopyDone outside a COPY); should any fail, the message's remaining statements are skipped.
 */
class CopyIn implements pg.Submittable {
  readonly done: Promise<void>;
  private settle: { resolve: () => void; reject: (e: unknown) => void } | null = null;

  constructor(
    private readonly text: string,
    private readonly data: Buffer[],
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
  }

  submit(connection: pg.Connection): void {
    const s = connection.stream;
    s.cork();
    connection.query(this.text);
    if (this.data.length) {
      for (const b of this.data) {
        const head = Buffer.allocUnsafe(5);
        head[0] = 0x64;
        head.writeUInt32BE(b.length + 4, 1);
        s.write(head);
        s.write(b);
      }
      s.write(COPY_DONE);
    }
    s.uncork();
  }

  handleCopyInResponse(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}

  handleReadyForQuery(): void {
    this.settle?.resolve();
  }

  handleError(e: unknown): void {
    this.settle?.reject(e);
  }
}

// ── sources ────────────────────────────────────────────────────────────────────────────────

interface SourceReader {
  columns(): Promise<SourceColumn[]>;
  hasNulls(column: string): Promise<boolean>;
  /** Rows after the position in the order. */
  count(order: SourceColumn[], after: string[] | null): Promise<number>;
  /** The next `limit` rows after the position in the order, `columns` of each, into the chunk. */
  read(
    order: SourceColumn[],
    after: string[] | null,
    columns: string[],
    limit: number,
    into: ChunkBuilder,
  ): Promise<void>;
  close(): Promise<void>;
}

class PgReader implements SourceReader {
  private readonly client: pg.Client;
  private readonly rel: string;
  private readonly regclass: string;
  private opened = false;

  constructor(e: Endpoint, relation: string) {
    this.client = new pg.Client({
      host: e.config.host,
      port: e.config.port ?? 5432,
      database: e.config.database,
      user: e.config.user,
      password: e.password ?? undefined,
      ssl: e.config.ssl ? { rejectUnauthorized: false } : undefined,
      connectionTimeoutMillis: 10_000,
      types: RAW_TEXT,
    });
    this.client.on('error', () => undefined);
    this.rel = relationParts(relation).map(pgq).join('.');
    this.regclass = this.rel;
  }

  private async c(): Promise<pg.Client> {
    if (!this.opened) {
      this.opened = true;
      await this.client.connect();
      // Never writes to the provider's database; timestamptz in UTC (a MySQL target needs no offset).
      await this.client.query("set default_transaction_read_only = on; set time zone 'UTC'");
    }
    return this.client;
  }

  async columns(): Promise<SourceColumn[]> {
    const c = await this.c();
    const r = await c.query<{
      name: string;
      type: string;
      base: string;
      nullable: string;
      oid: string;
      builtin: string;
    }>(
      `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, t.typname as base,
              (not a.attnotnull) as nullable, a.atttypid::int as oid,
              (t.typnamespace = 'pg_catalog'::regnamespace) as builtin
         from pg_attribute a join pg_type t on t.oid = a.atttypid
        where a.attrelid = to_regclass($1) and a.attnum > 0 and not a.attisdropped
        order by a.attnum`,
      [this.regclass],
    );
    return r.rows.map((x) => ({
      name: x.name,
      type: x.type,
      base: x.base,
      nullable: x.nullable === 't',
      oid: Number(x.oid),
      builtin: x.builtin === 't',
    }));
  }

  async hasNulls(column: string): Promise<boolean> {
    const c = await this.c();
    const r = await c.query<{ e: string }>(
      `select exists(select 1 from ${this.rel} where ${pgq(column)} is null) as e`,
    );
    return r.rows[0]?.e === 't';
  }

  private after(order: SourceColumn[], after: string[] | null): string {
    if (!after) return '';
    const lhs = order.map((o) => pgq(o.name)).join(', ');
    // The source knows its own types (even user-defined ones): compare as the column's type.
    const rhs = order.map((o, i) => `cast($${i + 1} as ${o.type})`).join(', ');
    return ` where (${lhs}) > (${rhs})`;
  }

  async count(order: SourceColumn[], after: string[] | null): Promise<number> {
    const c = await this.c();
    const r = await c.query<{ n: string }>({
      text: `select count(*) as n from ${this.rel}${this.after(order, after)}`,
      values: after ?? [],
    });
    return Number(r.rows[0]?.n ?? 0);
  }

  /**
   * COPY (select … where (order) > (position) order by … limit n) TO STDOUT: the same keyset query as a
   * row query, in COPY text, parsed as it arrives. COPY takes no parameters: the position is written as
   * literals (pg's escapeLiteral), cast to the column's type as the parameters were.
   */
  async read(
    order: SourceColumn[],
    after: string[] | null,
    columns: string[],
    limit: number,
    into: ChunkBuilder,
  ): Promise<void> {
    const c = await this.c();
    const sel = columns.map(pgq).join(', ');
    const by = order.map((o) => pgq(o.name)).join(', ');
    const where = after
      ? ` where (${by}) > (${order
          .map((o, i) => `cast(${pg.escapeLiteral(after[i] ?? '')} as ${o.type})`)
          .join(', ')})`
      : '';
    const copy = new CopyOut(
      `copy (select ${sel} from ${this.rel}${where} order by ${by} limit ${Number(limit)}) to stdout`,
      into.latin1,
      (b, from, to, text) => into.copyRow(b, from, to, text),
    );
    c.query(copy);
    await copy.done;
  }

  async close() {
    if (this.opened) await this.client.end().catch(() => undefined);
  }
}

/** Same driver options as the gate's MySQL connector, so masked values are the gate's. */
function mysqlOptions(e: Endpoint): mysql.ConnectionOptions {
  return {
    host: e.config.host,
    port: e.config.port ?? 3306,
    database: e.config.database,
    user: e.config.user,
    password: e.password ?? undefined,
    connectTimeout: 10_000,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
  };
}

class MysqlReader implements SourceReader {
  private conn: mysql.Connection | null = null;
  private readonly rel: string;
  private readonly schema: string;
  private readonly table: string;

  constructor(
    private readonly e: Endpoint,
    relation: string,
  ) {
    const parts = relationParts(relation);
    this.rel = parts.map(myq).join('.');
    this.table = parts[parts.length - 1] as string;
    this.schema = parts.length === 2 ? (parts[0] as string) : (e.config.database ?? '');
  }

  private async c(): Promise<mysql.Connection> {
    if (!this.conn) {
      this.conn = await mysql.createConnection(mysqlOptions(this.e));
      await this.conn.query('set session transaction read only');
    }
    return this.conn;
  }

  async columns(): Promise<SourceColumn[]> {
    const c = await this.c();
    const [rows] = await c.query(
      `select column_name as name, column_type as type, data_type as base, is_nullable as nullable
         from information_schema.columns where table_schema = ? and table_name = ? order by ordinal_position`,
      [this.schema, this.table],
    );
    return (rows as { name: string; type: string; base: string; nullable: string }[]).map((x) => ({
      name: x.name,
      type: x.type,
      base: x.base.toLowerCase(),
      nullable: x.nullable === 'YES',
      oid: 0,
      builtin: true,
    }));
  }

  async hasNulls(column: string): Promise<boolean> {
    const c = await this.c();
    const [rows] = await c.query(
      `select exists(select 1 from ${this.rel} where ${myq(column)} is null) as e`,
    );
    return Number((rows as { e: number | string }[])[0]?.e ?? 0) === 1;
  }

  private after(order: SourceColumn[], after: string[] | null): string {
    if (!after) return '';
    return ` where (${order.map((o) => myq(o.name)).join(', ')}) > (${order.map(() => '?').join(', ')})`;
  }

  async count(order: SourceColumn[], after: string[] | null): Promise<number> {
    const c = await this.c();
    const [rows] = await c.query(
      `select count(*) as n from ${this.rel}${this.after(order, after)}`,
      after ?? [],
    );
    return Number((rows as { n: number | string }[])[0]?.n ?? 0);
  }

  async read(
    order: SourceColumn[],
    after: string[] | null,
    columns: string[],
    limit: number,
    into: ChunkBuilder,
  ): Promise<void> {
    const c = await this.c();
    const sel = columns.map(myq).join(', ');
    const by = order.map((o) => myq(o.name)).join(', ');
    const [rows] = await c.query(
      {
        sql: `select ${sel} from ${this.rel}${this.after(order, after)} order by ${by} limit ${Number(limit)}`,
        rowsAsArray: true,
      },
      after ?? [],
    );
    for (const r of rows as unknown[][]) into.values(r);
  }

  async close() {
    await this.conn?.end().catch(() => undefined);
  }
}

// ── targets ────────────────────────────────────────────────────────────────────────────────

/** The job's row in the target's control table: where the data in the target ends. */
interface StateRow {
  orderBy: string;
  watermark: string | null;
  key: string | null;
  rows: number;
  pass: number;
  complete: boolean;
  seq: number;
  /**
   * The pass began on an empty target table: its chunks are COPYed straight into the table (keyset order
   * makes each chunk's keys new) until one conflicts; that chunk and the rest of the pass are upserted.
   */
  fresh: boolean;
}

interface TargetWriter {
  /** Creates the target table (if missing) and the control table, and the job's control row. */
  prepare(columns: PlannedColumn[], jobId: string): Promise<void>;
  state(jobId: string): Promise<StateRow>;
  /** Whether the target table holds no row (a pass may then load it without upserts). */
  isEmpty(): Promise<boolean>;
  /**
   * One transaction: fence on seq, load the chunk, upsert (or, while `next.fresh`, insert straight
   * away), move the control row to `next`. Returns whether the pass is still fresh.
   */
  commit(
    jobId: string,
    expectedSeq: number,
    columns: PlannedColumn[],
    chunk: Chunk,
    next: StateRow,
  ): Promise<boolean>;
  close(): Promise<void>;
}

function fenced(): DomainError {
  return DomainError.conflict({
    zh: '目标库中的同步位置已被其他执行者推进，本执行者停止',
    en: "The job's position in the target moved under this worker (another worker took over); stopping",
  });
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

class PgWriter implements TargetWriter {
  private readonly client: pg.Client;
  private readonly table: string;
  private readonly regclass: string;
  private readonly state_: string;
  private upsert = '';
  private copy = '';
  private copyDirect = '';
  private opened = false;

  constructor(e: Endpoint, table: string) {
    this.client = new pg.Client({
      host: e.config.host,
      port: e.config.port ?? 5432,
      database: e.config.database,
      user: e.config.user,
      password: e.password ?? undefined,
      ssl: e.config.ssl ? { rejectUnauthorized: false } : undefined,
      connectionTimeoutMillis: 10_000,
      types: RAW_TEXT,
    });
    this.client.on('error', () => undefined);
    const parts = relationParts(table);
    this.table = parts.map(pgq).join('.');
    this.regclass = this.table;
    this.state_ = parts.length === 2 ? `${pgq(parts[0] as string)}.${pgq(STATE_TABLE)}` : pgq(STATE_TABLE);
  }

  private async c(): Promise<pg.Client> {
    if (!this.opened) {
      this.opened = true;
      await this.client.connect();
    }
    return this.client;
  }

  private async tx<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
    const c = await this.c();
    await c.query('begin');
    try {
      const r = await fn(c);
      await c.query('commit');
      return r;
    } catch (e) {
      await c.query('rollback').catch(() => undefined);
      throw e;
    }
  }

  async prepare(columns: PlannedColumn[], jobId: string): Promise<void> {
    const c = await this.c();
    const exists = await c.query<{ r: string | null }>('select to_regclass($1)::text as r', [this.regclass]);
    const names = columns.map((x) => x.target);
    if (!exists.rows[0]?.r) {
      await this.tx(async (t) => {
        const defs = columns.map((x) => `${pgq(x.target)} ${x.targetType}${x.key ? ' not null' : ''}`);
        const keys = columns.filter((x) => x.key).map((x) => pgq(x.target));
        await t.query(
          `create table if not exists ${this.table} (${defs.join(', ')}, primary key (${keys.join(', ')}))`,
        );
        for (const x of columns) {
          const note = `${x.item}${x.masking === 'none' ? '' : ` (${x.masking})`}`.replace(/'/g, "''");
          await t.query(`comment on column ${this.table}.${pgq(x.target)} is '${note}'`);
        }
      });
    } else {
      const have = await c.query<{ n: string }>(
        'select attname as n from pg_attribute where attrelid = to_regclass($1) and attnum > 0 and not attisdropped',
        [this.regclass],
      );
      const set = new Set(have.rows.map((r) => r.n));
      const lacking = names.filter((n) => !set.has(n));
      if (lacking.length) {
        throw DomainError.invalidState({
          zh: `目标表缺少列：${lacking.join('、')}`,
          en: `The target table lacks column ${lacking.join(', ')}`,
        });
      }
    }
    const ddl = `create table if not exists ${this.state_} (job_id text primary key, order_by text,
      watermark text, "key" text, "rows" bigint not null default 0, pass integer not null default 0,
      complete boolean not null default true, seq bigint not null default 0,
      updated_at timestamptz not null default now(), fresh boolean not null default false)`;
    try {
      await c.query(ddl);
    } catch {
      // Two jobs creating the control table at once: one wins, the other finds it.
      await c.query(ddl);
    }
    // A control table made before the fresh flag existed gets it (checked first: ALTER locks the table).
    const flag = await c.query(
      "select 1 from pg_attribute where attrelid = to_regclass($1) and attname = 'fresh' and not attisdropped",
      [this.state_],
    );
    if (!flag.rowCount)
      await c.query(
        `alter table ${this.state_} add column if not exists fresh boolean not null default false`,
      );
    await c.query(`insert into ${this.state_} (job_id) values ($1) on conflict (job_id) do nothing`, [jobId]);
    const cols = names.map(pgq).join(', ');
    await c.query(`drop table if exists pg_temp.${STAGE_TABLE}`);
    await c.query(
      `create temp table ${STAGE_TABLE} on commit delete rows as select ${cols} from ${this.table} with no data`,
    );
    this.copy = `copy ${STAGE_TABLE} (${cols}) from stdin`;
    this.copyDirect = `copy ${this.table} (${cols}) from stdin`;
    const keys = columns.filter((x) => x.key).map((x) => pgq(x.target));
    const rest = columns.filter((x) => !x.key).map((x) => pgq(x.target));
    this.upsert =
      `insert into ${this.table} as t (${cols}) select ${cols} from ${STAGE_TABLE} on conflict (${keys.join(', ')}) ` +
      (rest.length
        ? `do update set ${rest.map((r) => `${r} = excluded.${r}`).join(', ')} where row(${rest
            .map((r) => `t.${r}`)
            .join(', ')}) is distinct from row(${rest.map((r) => `excluded.${r}`).join(', ')})`
        : 'do nothing');
  }

  async state(jobId: string): Promise<StateRow> {
    const c = await this.c();
    const r = await c.query<Record<string, string | null>>(
      `select order_by, watermark, "key", "rows", pass, complete, seq, fresh from ${this.state_} where job_id = $1`,
      [jobId],
    );
    const s = r.rows[0];
    if (!s) throw new Error('control row missing');
    return {
      orderBy: s.order_by ?? '',
      watermark: s.watermark ?? null,
      key: s.key ?? null,
      rows: Number(s.rows),
      pass: Number(s.pass),
      complete: s.complete === 't',
      seq: Number(s.seq),
      fresh: s.fresh === 't',
    };
  }

  async isEmpty(): Promise<boolean> {
    const c = await this.c();
    const r = await c.query<{ e: string }>(`select not exists(select 1 from ${this.table}) as e`);
    return r.rows[0]?.e === 't';
  }

  /**
   * The chunk's transaction as one message (one round trip): lock the control row at the seq this
   * worker last wrote — or fail the lot with a division by zero, the fence —, COPY the chunk (into the
   * table, or into staging and upsert), move the control row, commit.
   */
  private async write(jobId: string, expectedSeq: number, chunk: Chunk, next: StateRow, direct: boolean) {
    const c = await this.c();
    const lit = (v: string | null) => (v === null ? 'null' : pg.escapeLiteral(v));
    const statements = [
      'begin',
      `select 1 / count(*) from (select 1 from ${this.state_} where job_id = ${lit(jobId)} and seq = ${Number(expectedSeq)} for update) f`,
      ...(chunk.rows ? (direct ? [this.copyDirect] : [this.copy, this.upsert]) : []),
      `update ${this.state_} set order_by = ${lit(next.orderBy)}, watermark = ${lit(next.watermark)},
         "key" = ${lit(next.key)}, "rows" = ${Number(next.rows)}, pass = ${Number(next.pass)},
         complete = ${next.complete}, seq = seq + 1, updated_at = now(), fresh = ${direct}
       where job_id = ${lit(jobId)}`,
      'commit',
    ];
    const q = new CopyIn(statements.join(';\n'), chunk.rows ? chunk.copy : []);
    c.query(q);
    try {
      await q.done;
    } catch (e) {
      await c.query('rollback').catch(() => undefined);
      throw (e as { code?: unknown }).code === '22012' ? fenced() : e;
    }
  }

  async commit(jobId: string, expectedSeq: number, _columns: PlannedColumn[], chunk: Chunk, next: StateRow) {
    if (next.fresh) {
      try {
        await this.write(jobId, expectedSeq, chunk, next, true);
        return true;
      } catch (e) {
        // A key already there (a row whose watermark moved on during the pass, a row of someone
        // else's): the whole transaction rolled back; the chunk goes in again as an upsert.
        if (!isUniqueViolation(e)) throw e;
      }
    }
    await this.write(jobId, expectedSeq, chunk, next, false);
    return false;
  }

  async close() {
    if (this.opened) await this.client.end().catch(() => undefined);
  }
}

class MysqlWriter implements TargetWriter {
  private conn: mysql.Connection | null = null;
  private readonly table: string;
  private readonly schema: string;
  private readonly name: string;
  private readonly state_: string;
  private insertHead = '';
  private insertTail = '';

  constructor(
    private readonly e: Endpoint,
    table: string,
  ) {
    const parts = relationParts(table);
    this.table = parts.map(myq).join('.');
    this.name = parts[parts.length - 1] as string;
    this.schema = parts.length === 2 ? (parts[0] as string) : (e.config.database ?? '');
    this.state_ = parts.length === 2 ? `${myq(parts[0] as string)}.${myq(STATE_TABLE)}` : myq(STATE_TABLE);
  }

  private async c(): Promise<mysql.Connection> {
    if (!this.conn) this.conn = await mysql.createConnection({ ...mysqlOptions(this.e), charset: 'utf8mb4' });
    return this.conn;
  }

  async prepare(columns: PlannedColumn[], jobId: string): Promise<void> {
    const c = await this.c();
    const [have] = await c.query(
      'select column_name as n from information_schema.columns where table_schema = ? and table_name = ?',
      [this.schema, this.name],
    );
    const set = new Set((have as { n: string }[]).map((r) => r.n));
    const names = columns.map((x) => x.target);
    if (set.size === 0) {
      const defs = columns.map((x) => {
        const note = `${x.item}${x.masking === 'none' ? '' : ` (${x.masking})`}`;
        return `${myq(x.target)} ${x.targetType}${x.key ? ' not null' : ' null'} comment ${c.escape(note)}`;
      });
      const keys = columns.filter((x) => x.key).map((x) => myq(x.target));
      await c.query(
        `create table if not exists ${this.table} (${defs.join(', ')}, primary key (${keys.join(', ')})) engine=InnoDB default charset=utf8mb4`,
      );
    } else {
      const lacking = names.filter((n) => !set.has(n));
      if (lacking.length) {
        throw DomainError.invalidState({
          zh: `目标表缺少列：${lacking.join('、')}`,
          en: `The target table lacks column ${lacking.join(', ')}`,
        });
      }
    }
    await c.query(
      `create table if not exists ${this.state_} (job_id varchar(64) primary key, order_by text, watermark text,
        \`key\` text, \`rows\` bigint not null default 0, pass int not null default 0,
        complete tinyint(1) not null default 1, seq bigint not null default 0,
        updated_at timestamp(6) not null default current_timestamp(6)) engine=InnoDB default charset=utf8mb4`,
    );
    await c.query(`insert ignore into ${this.state_} (job_id) values (?)`, [jobId]);
    const cols = names.map(myq).join(', ');
    const rest = columns.filter((x) => !x.key).map((x) => myq(x.target));
    const firstKey = myq(columns.find((x) => x.key)?.target ?? '');
    this.insertHead = `insert into ${this.table} (${cols}) values `;
    this.insertTail = ` on duplicate key update ${
      rest.length ? rest.map((r) => `${r} = values(${r})`).join(', ') : `${firstKey} = ${firstKey}`
    }`;
  }

  async state(jobId: string): Promise<StateRow> {
    const c = await this.c();
    const [rows] = await c.query(
      `select order_by, watermark, \`key\`, \`rows\`, pass, complete, seq from ${this.state_} where job_id = ?`,
      [jobId],
    );
    const s = (rows as Record<string, string | number | null>[])[0];
    if (!s) throw new Error('control row missing');
    return {
      orderBy: String(s.order_by ?? ''),
      watermark: s.watermark === null ? null : String(s.watermark),
      key: s.key === null ? null : String(s.key),
      rows: Number(s.rows),
      pass: Number(s.pass),
      complete: Number(s.complete) === 1,
      seq: Number(s.seq),
      fresh: false,
    };
  }

  /** MySQL targets always upsert (batched multi-row INSERT … ON DUPLICATE KEY UPDATE). */
  async isEmpty(): Promise<boolean> {
    return false;
  }

  async commit(jobId: string, expectedSeq: number, columns: PlannedColumn[], chunk: Chunk, next: StateRow) {
    const cells = chunk.cells;
    const c = await this.c();
    await c.beginTransaction();
    try {
      const [rows] = await c.query(`select seq from ${this.state_} where job_id = ? for update`, [jobId]);
      if (Number((rows as { seq: number | string }[])[0]?.seq) !== expectedSeq) throw fenced();
      const per = Math.max(1, Math.min(1000, Math.floor(60_000 / columns.length)));
      const row = `(${columns.map(() => '?').join(', ')})`;
      for (let i = 0; i < cells.length; i += per) {
        const batch = cells.slice(i, i + per);
        await c.query(this.insertHead + batch.map(() => row).join(', ') + this.insertTail, batch.flat());
      }
      await c.query(
        `update ${this.state_} set order_by = ?, watermark = ?, \`key\` = ?, \`rows\` = ?, pass = ?, complete = ?,
           seq = seq + 1, updated_at = current_timestamp(6) where job_id = ?`,
        [next.orderBy, next.watermark, next.key, next.rows, next.pass, next.complete ? 1 : 0, jobId],
      );
      await c.commit();
    } catch (e) {
      await c.rollback().catch(() => undefined);
      throw e;
    }
    return false;
  }

  async close() {
    await this.conn?.end().catch(() => undefined);
  }
}

function openReader(s: TransferJob['source']): SourceReader {
  if (s.platform) return new PlatformReader(s.platform, s.relation);
  return s.kind === 'postgres' ? new PgReader(s, s.relation) : new MysqlReader(s, s.relation);
}

function openWriter(t: TransferJob['target'], mode: SyncMode): TargetWriter {
  if (t.kind === 'file') {
    if (!t.platform) throw new Error('a file target needs the platform database');
    return new FilePartWriter(t.platform, mode);
  }
  return t.kind === 'postgres'
    ? new PgWriter({ ...t, kind: 'postgres' }, t.table)
    : new MysqlWriter({ ...t, kind: 'mysql' }, t.table);
}

// ── the transfer ───────────────────────────────────────────────────────────────────────────

/**
 * Moves the source into the target, chunk by chunk, from the position the target's control row holds.
 * A finished pass (control row complete) starts the next one: from the beginning in full mode, from
 * the last position in incremental mode (so only rows changed or added since).
 */
export async function transfer(job: TransferJob, options: TransferOptions = {}): Promise<TransferResult> {
  const chunkRows = Math.max(1, options.chunkRows ?? 5_000);
  const reader = openReader(job.source);
  const writer = openWriter(job.target, job.mode);
  try {
    const cols = await reader.columns();
    if (cols.length === 0) {
      throw DomainError.invalidState({
        zh: `数据源中没有表 ${job.source.relation}`,
        en: `No table ${job.source.relation} in the source`,
      });
    }
    const planned = plan(job, cols);
    const byName = new Map(cols.map((c) => [c.name, c]));
    const wm = job.mode === 'incremental' ? job.source.watermarkColumn : null;
    const order = [...(wm ? [wm] : []), ...job.source.keyColumns].map((n) => byName.get(n) as SourceColumn);
    // A NULL in an order column would fall outside every keyset comparison: refuse rather than skip it.
    for (const o of order) {
      if (o.nullable && (await reader.hasNulls(o.name))) {
        throw DomainError.invalidState({
          zh: `排序列 ${o.name} 含空值，无法保证不漏行`,
          en: `Order column ${o.name} holds NULLs; rows would be skipped`,
        });
      }
    }
    const orderBy = order.map((o) => o.name).join(',');
    const keyClear = planned.filter((p) => p.key).every((p) => p.masking === 'none');
    const encodeKey = (k: string[]): string => {
      const text = JSON.stringify(k);
      if (keyClear) return text;
      if (!job.box) throw new Error('a SecretBox is needed to keep the position of a masked key');
      return job.box.seal(text);
    };
    const decodeKey = (s: string): string[] => {
      if (!s.startsWith(SEALED_PREFIX)) return JSON.parse(s) as string[];
      if (!job.box) throw new Error('a SecretBox is needed to read the position of a masked key');
      return JSON.parse(job.box.open(s)) as string[];
    };

    await writer.prepare(planned, job.jobId);
    const st = await writer.state(job.jobId);
    const positionOf = (s: { watermark: string | null; key: string | null }): string[] | null =>
      s.key === null ? null : [...(wm ? [s.watermark ?? ''] : []), ...decodeKey(s.key)];
    const sameOrder = st.orderBy === orderBy;
    const resumed = sameOrder && !st.complete && st.pass > 0;
    let pass = resumed ? st.pass : st.pass + 1;
    let rows = resumed ? st.rows : 0;
    // A changed order (the mount's watermark changed) starts again from the beginning: upserts make that safe.
    let pos = !sameOrder ? null : resumed || job.mode === 'incremental' ? positionOf(st) : null;
    if (!sameOrder) pass = st.pass + 1;
    let seq = st.seq;
    const total = rows + (await reader.count(order, pos));
    // The select list: the delivered columns in planned order, then order columns not delivered.
    const delivered = planned.map((p) => p.source.name);
    const select = [...delivered, ...order.map((o) => o.name).filter((n) => !delivered.includes(n))];
    const shape = shapeOf(
      planned,
      select.length,
      order.map((o) => select.indexOf(o.name)),
      job,
    );
    // A pass that began on an empty table loads it with plain COPY (see StateRow.fresh).
    let fresh = resumed ? st.fresh : await writer.isEmpty();
    const clearPosition = (p: string[] | null): string | null => {
      if (!p) return null;
      if (wm) return p[0] ?? null;
      return keyClear ? JSON.stringify(p) : null;
    };
    let rowsThisRun = 0;
    let chunks = 0;
    const progress = (complete: boolean): TransferProgress => ({
      pass,
      rowsDone: rows,
      rowsTotal: Math.max(total, rows),
      position: clearPosition(pos),
      complete,
    });
    await options.onProgress?.(progress(false));
    // Writes one chunk with the position right after it, then reports; chunks commit one after another.
    const commit = async (chunk: Chunk, complete: boolean): Promise<void> => {
      options.signal?.throwIfAborted();
      const nextPos = chunk.last ?? pos;
      const next: StateRow = {
        orderBy,
        watermark: wm && nextPos ? (nextPos[0] ?? null) : null,
        key: nextPos ? encodeKey(wm ? nextPos.slice(1) : nextPos) : null,
        rows: rows + chunk.rows,
        pass,
        complete,
        seq: seq + 1,
        fresh,
      };
      fresh = await writer.commit(job.jobId, seq, planned, chunk, next);
      seq += 1;
      rows += chunk.rows;
      rowsThisRun += chunk.rows;
      pos = nextPos;
      chunks++;
      await options.onProgress?.(progress(complete));
    };
    // Pipelined: the next chunk is read from the source while the target commits the one before it.
    // The source position of a read runs ahead of the target's by at most one chunk; what the target
    // records is always the end of the chunk in the same transaction.
    let readPos = pos;
    let writing: Promise<void> | null = null;
    try {
      for (;;) {
        options.signal?.throwIfAborted();
        await options.beforeChunk?.();
        const into = new ChunkBuilder(shape);
        await reader.read(order, readPos, select, chunkRows, into);
        const chunk = into.finish();
        readPos = chunk.last ?? readPos;
        const complete = chunk.rows < chunkRows;
        if (writing) await writing;
        writing = commit(chunk, complete);
        // Awaited before the next commit or on the way out; meanwhile, a failure is not "unhandled".
        void writing.catch(() => undefined);
        if (complete) break;
      }
      await writing;
    } catch (e) {
      await writing?.catch(() => undefined);
      throw e;
    }
    return { ...progress(true), rowsThisRun, chunks, resumed };
  } finally {
    await reader.close();
    await writer.close();
  }
}

// ── the platform side: jobs, leases, runs ──────────────────────────────────────────────────

const JOB: Message = { zh: '同步任务', en: 'Sync job' };
const SYNC_ACCESS_MODES = new Set(['database', 'api']);
const FILE_SYNC_ACCESS_MODES = new Set(['database', 'api', 'file', 'batch_download']);

type JobRow = {
  id: string;
  grant_id: string;
  target_kind: ExchangeSyncJobTable['target_kind'];
  target_config: TargetConfig;
  target_secret: string | null;
  target_table: string;
  mode: SyncMode;
  schedule_minutes: number | null;
  status: string;
  rows_done: number;
  rows_total: number | null;
  last_watermark: string | null;
  last_run_at: Date | null;
  next_run_at: Date | null;
  last_error: string | null;
  lease_owner: string | null;
  lease_until: Date | null;
  created_at: Date;
  updated_at: Date;
  consumer_org_id: string;
  entry_id: string | null;
};

/** SQL for the job table (kept beside the service: this file is the sync module's repository too). */
const syncRepository = {
  jobs(db: Executor) {
    return db
      .selectFrom('exchange_sync_job as j')
      .innerJoin('share_grant as g', 'g.id', 'j.grant_id')
      .select([
        'j.id',
        'j.grant_id',
        'j.target_kind',
        'j.target_config',
        'j.target_secret',
        'j.target_table',
        'j.mode',
        'j.schedule_minutes',
        'j.status',
        'j.rows_done',
        'j.rows_total',
        'j.last_watermark',
        'j.last_run_at',
        'j.next_run_at',
        'j.last_error',
        'j.lease_owner',
        'j.lease_until',
        'j.created_at',
        'j.updated_at',
        'g.consumer_org_id',
        'g.entry_id',
      ]);
  },
  async job(db: Executor, id: string): Promise<JobRow | undefined> {
    return syncRepository.jobs(db).where('j.id', '=', id).executeTakeFirst();
  },
  /** Claims the job for a worker unless another holds a live lease (FOR UPDATE SKIP LOCKED). */
  async claim(db: Kysely<Database>, id: string, worker: string, leaseSeconds: number): Promise<boolean> {
    return db.transaction().execute(async (tx) => {
      const free = await tx
        .selectFrom('exchange_sync_job')
        .select('id')
        .where('id', '=', id)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', sql<Date>`now()`)]))
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!free) return false;
      await tx
        .updateTable('exchange_sync_job')
        .set({
          lease_owner: worker,
          lease_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})`,
          status: 'running',
          last_run_at: sql<Date>`now()`,
          last_error: null,
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', id)
        .execute();
      return true;
    });
  },
  /** Renews the lease and mirrors progress; false when the lease is no longer this worker's. */
  async heartbeat(
    db: Executor,
    id: string,
    worker: string,
    leaseSeconds: number,
    p: TransferProgress | null,
  ): Promise<boolean> {
    const r = await db
      .updateTable('exchange_sync_job')
      .set({
        lease_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})`,
        updated_at: sql<Date>`now()`,
        ...(p ? { rows_done: p.rowsDone, rows_total: p.rowsTotal, last_watermark: p.position } : {}),
      })
      .where('id', '=', id)
      .where('lease_owner', '=', worker)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },
  async finish(
    db: Executor,
    id: string,
    worker: string,
    patch: {
      status: SyncStatus;
      lastError: string | null;
      nextRunMinutes: number | null;
      progress: TransferProgress | null;
    },
  ): Promise<void> {
    await db
      .updateTable('exchange_sync_job')
      .set({
        status: patch.status,
        last_error: patch.lastError,
        lease_owner: null,
        lease_until: null,
        next_run_at:
          patch.nextRunMinutes === null
            ? null
            : sql<Date>`now() + make_interval(mins => ${patch.nextRunMinutes})`,
        updated_at: sql<Date>`now()`,
        ...(patch.progress
          ? {
              rows_done: patch.progress.rowsDone,
              rows_total: patch.progress.rowsTotal,
              last_watermark: patch.progress.position,
            }
          : {}),
      })
      .where('id', '=', id)
      .where('lease_owner', '=', worker)
      .execute();
  },
};

function jobView(j: JobRow): SyncJobView {
  const leaseLive = j.lease_until !== null && j.lease_until.getTime() > Date.now();
  const status = (j.status === 'running' && !leaseLive ? 'interrupted' : j.status) as SyncStatus;
  const { host, port, database, user, ssl } = j.target_config;
  return {
    id: j.id,
    grantId: j.grant_id,
    entryId: j.entry_id,
    consumerOrgId: j.consumer_org_id,
    targetKind: j.target_kind,
    targetConfig: {
      ...(host !== undefined ? { host } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(database !== undefined ? { database } : {}),
      ...(user !== undefined ? { user } : {}),
      ...(ssl !== undefined ? { ssl } : {}),
    },
    hasTargetSecret: j.target_secret !== null,
    targetTable: j.target_table,
    mode: j.mode,
    scheduleMinutes: j.schedule_minutes,
    status,
    rowsDone: Number(j.rows_done),
    rowsTotal: j.rows_total === null ? null : Number(j.rows_total),
    lastWatermark: j.last_watermark,
    lastRunAt: j.last_run_at?.toISOString() ?? null,
    nextRunAt: j.next_run_at?.toISOString() ?? null,
    lastError: j.last_error,
    leaseOwner: leaseLive ? j.lease_owner : null,
    leaseUntil: leaseLive ? (j.lease_until?.toISOString() ?? null) : null,
    createdAt: j.created_at.toISOString(),
    updatedAt: j.updated_at.toISOString(),
  };
}

/** Thrown when a worker cannot claim a job another worker holds. */
export class JobLeasedError extends DomainError {
  constructor(
    readonly owner: string | null,
    readonly until: Date | null,
  ) {
    super('CONFLICT', {
      zh: `同步任务正由 ${owner ?? '其他执行者'} 执行（租约至 ${until?.toISOString() ?? '-'}）`,
      en: `The job is leased by ${owner ?? 'another worker'} until ${until?.toISOString() ?? '-'}`,
    });
  }
}

class GrantInactiveError extends DomainError {
  constructor(status: string) {
    super('INVALID_STATE', {
      zh: `共享授权已不再有效（${status}），同步停止`,
      en: `The grant is no longer active (${status}); the sync stopped`,
    });
  }
}

class LeaseLostError extends Error {}

export interface RunResult {
  jobId: string;
  status: 'succeeded' | 'failed' | 'interrupted';
  rowsDone: number;
  rowsTotal: number | null;
  rowsThisRun: number;
  resumed: boolean;
  error: string | null;
}

export interface SyncDeps {
  db: Kysely<Database>;
  audit: AuditLog;
  grants: GrantService;
  exchange: ExchangeService;
  secrets: () => SecretBox;
  clock: Clock;
}

export interface SyncOptions {
  /** How long a claim holds without renewal (default 60 s); renewed every third of it while running. */
  leaseSeconds?: number;
  chunkRows?: number;
  /** This process's worker id (default host:pid). */
  workerId?: string;
}

function grantIsActive(g: GrantView, today: string): boolean {
  return g.status === 'active' && g.validFrom <= today && g.validTo >= today;
}

function errorText(e: unknown): string {
  if (e instanceof DomainError) return `${e.zh} / ${e.en}`.slice(0, 1000);
  return (e instanceof Error ? e.message : String(e)).slice(0, 1000);
}

/** Granted items present in the mount, and what blocks a batch copy of them. */
function itemsOf(grant: GrantView, mount: ExchangeMountRow): { items: SyncItem[]; problems: FieldProblem[] } {
  const items = grant.items
    .filter((i) => i.name in mount.mapping)
    .map((i) => ({ item: i.name, column: mount.mapping[i.name] as string, masking: i.masking }));
  const problems: FieldProblem[] = [];
  for (const k of mount.key_columns) {
    const it = items.find((i) => i.column === k);
    if (!it) {
      problems.push({
        field: 'grantId',
        rule: 'sync.key_granted',
        zh: `关键列 ${k} 不在授权信息项中，无法按关键列同步`,
        en: `Key column ${k} is not among the granted items; a copy needs the key`,
      });
    } else if (it.masking === 'partial' || it.masking === 'redact') {
      problems.push({
        field: 'grantId',
        rule: 'sync.key_masking',
        zh: `关键信息项“${it.item}”按“${it.masking}”脱敏后不再唯一，只能不脱敏或哈希`,
        en: `Key item "${it.item}" masked "${it.masking}" is no longer unique; a key may be only clear or hashed`,
      });
    }
  }
  const seen = new Set<string>();
  for (const i of items) {
    if (seen.has(i.column))
      problems.push({
        field: 'grantId',
        rule: 'sync.column_twice',
        zh: `列 ${i.column} 映射了多个信息项`,
        en: `Column ${i.column} is mapped by more than one item`,
      });
    seen.add(i.column);
  }
  return { items, problems };
}

export class SyncService {
  readonly workerId: string;
  private readonly leaseSeconds: number;
  private readonly chunkRows: number;
  private readonly running = new Set<Promise<unknown>>();
  private readonly aborts = new Set<AbortController>();

  constructor(
    private readonly deps: SyncDeps,
    options: SyncOptions = {},
  ) {
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}`;
    this.leaseSeconds = options.leaseSeconds ?? 60;
    this.chunkRows = options.chunkRows ?? 5_000;
  }

  private today(): string {
    return chinaToday(this.deps.clock.now());
  }

  private async row(id: string): Promise<JobRow> {
    const j = await syncRepository.job(this.deps.db, id);
    if (!j) throw DomainError.notFound(JOB);
    return j;
  }

  /** The organization a job belongs to (its grant's consumer): what routes authorize against. */
  async consumerOrgOf(jobId: string): Promise<string> {
    return (await this.row(jobId)).consumer_org_id;
  }

  /** The consumer organization of a grant, for authorizing a new job; unknown grants are 404. */
  async consumerOrgOfGrant(grantId: string): Promise<string> {
    const g = await sharingRepository.grant(this.deps.db, grantId);
    if (!g) throw DomainError.notFound({ zh: '共享授权', en: 'Grant' });
    return g.consumer_org_id;
  }

  async createJob(meta: RequestMeta, actor: UserActor, input: SyncJobInput): Promise<SyncJobView> {
    const grant = await this.deps.grants.get(actor, input.grantId);
    const mayAct =
      actor.role === 'platform_admin' ||
      (actor.orgId === grant.consumerOrgId && (actor.role === 'dept_admin' || actor.role === 'tech_officer'));
    if (!mayAct) {
      throw DomainError.forbidden({
        zh: '只有使用方的管理员或技术专员、或平台管理机构可以建立同步任务',
        en: "Only the consumer's head or technical officer, or the platform office, may set up a sync",
      });
    }
    if (!grantIsActive(grant, this.today())) throw new GrantInactiveError(grant.status);
    // A copy into files also serves grants for file delivery or batch download.
    const modes = input.targetKind === 'file' ? FILE_SYNC_ACCESS_MODES : SYNC_ACCESS_MODES;
    if (!grant.accessMode || !modes.has(grant.accessMode)) {
      throw DomainError.invalidState({
        zh:
          input.targetKind === 'file'
            ? '该授权的共享方式不是库表、接口、文件或批量下载，不能同步到文件'
            : '该授权的共享方式不是库表或接口，不能批量同步',
        en:
          input.targetKind === 'file'
            ? 'The grant is for none of database, API, file or batch download access; no copy into files'
            : 'The grant is for neither database nor API access; no batch copy',
      });
    }
    const mount = grant.entryId ? await exchangeRepository.mountOf(this.deps.db, grant.entryId) : undefined;
    if (!mount)
      throw DomainError.invalidState({
        zh: '该资源尚未挂接数据源',
        en: 'The resource is not mounted on a source',
      });
    const source = await this.deps.exchange.sourceRow(mount.source_id);
    if (source.kind !== 'postgres' && source.kind !== 'mysql' && source.kind !== 'file') {
      throw DomainError.invalidState({
        zh: '只有挂接在 PostgreSQL、MySQL 库表或文件型数据源上的资源可以批量同步',
        en: 'Only resources mounted on a PostgreSQL or MySQL table or a file source can be copied in batch',
      });
    }
    const p: FieldProblem[] = [...itemsOf(grant, mount).problems];
    const toFile = input.targetKind === 'file';
    if (!toFile && input.targetKind !== 'postgres' && input.targetKind !== 'mysql') {
      p.push({
        field: 'targetKind',
        rule: 'enum',
        zh: '目标类型应为 postgres、mysql 或 file',
        en: 'targetKind must be postgres, mysql or file',
      });
    }
    const cfg = toFile ? {} : (input.targetConfig ?? {});
    if (toFile && input.targetConfig && Object.keys(input.targetConfig).length > 0)
      p.push({
        field: 'targetConfig',
        rule: 'sync.file_target',
        zh: '文件目标不需要目标库连接',
        en: 'A file target takes no database connection',
      });
    if (!toFile && !cfg.host)
      p.push({
        field: 'targetConfig.host',
        rule: 'required',
        zh: '须填写主机',
        en: 'targetConfig.host is required',
      });
    if (!toFile && !cfg.database)
      p.push({
        field: 'targetConfig.database',
        rule: 'required',
        zh: '须填写数据库名',
        en: 'targetConfig.database is required',
      });
    if (!toFile && !cfg.user)
      p.push({
        field: 'targetConfig.user',
        rule: 'required',
        zh: '须填写用户名',
        en: 'targetConfig.user is required',
      });
    if (cfg.port !== undefined && (!Number.isInteger(cfg.port) || cfg.port < 1 || cfg.port > 65535))
      p.push({
        field: 'targetConfig.port',
        rule: 'range',
        zh: '端口应为 1 到 65535',
        en: 'targetConfig.port must be 1 to 65535',
      });
    try {
      relationParts(input.targetTable ?? '');
      if (relationParts(input.targetTable).at(-1) === STATE_TABLE) throw new Error('reserved');
      if (toFile && relationParts(input.targetTable).length !== 1) throw new Error('file stem');
    } catch {
      p.push({
        field: 'targetTable',
        rule: 'identifier',
        zh: toFile
          ? '文件名应为字母、数字或下划线组成的名称（不含扩展名）'
          : '目标表名应为“表名”或“模式.表名”',
        en: toFile
          ? 'targetTable (the file name, without extension) must be letters, digits and underscores'
          : 'targetTable must be table or schema.table',
      });
    }
    if (input.mode !== 'full' && input.mode !== 'incremental')
      p.push({
        field: 'mode',
        rule: 'enum',
        zh: '同步方式应为 full 或 incremental',
        en: 'mode must be full or incremental',
      });
    const every = input.scheduleMinutes ?? null;
    if (every !== null && (!Number.isInteger(every) || every < 1 || every > 525_600))
      p.push({
        field: 'scheduleMinutes',
        rule: 'range',
        zh: '同步周期应为 1 到 525600 分钟',
        en: 'scheduleMinutes must be 1 to 525600',
      });
    if (p.length) throw DomainError.validation(p);
    const secret = input.targetSecret ? this.deps.secrets().seal(input.targetSecret) : null;
    const id = await this.deps.audit.transaction(async (tx) => {
      const j = await tx
        .insertInto('exchange_sync_job')
        .values({
          grant_id: grant.id,
          target_kind: input.targetKind,
          target_config: JSON.stringify(
            toFile
              ? {}
              : {
                  host: cfg.host,
                  ...(cfg.port !== undefined ? { port: cfg.port } : {}),
                  database: cfg.database,
                  user: cfg.user,
                  ...(cfg.ssl !== undefined ? { ssl: cfg.ssl } : {}),
                },
          ),
          target_secret: toFile ? null : secret,
          target_table: input.targetTable,
          mode: input.mode,
          schedule_minutes: every,
          rows_total: null,
          last_watermark: null,
          last_run_at: null,
          next_run_at: every === null ? null : sql<Date>`now()`,
          last_error: null,
          lease_owner: null,
          lease_until: null,
          created_by: actor.userId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // The password never reaches the audit trail.
      await this.deps.audit.stage(tx, {
        ...meta,
        action: 'exchange.sync.create',
        objectType: 'exchange_sync_job',
        objectId: j.id,
        detail: {
          grantId: grant.id,
          targetKind: input.targetKind,
          targetHost: cfg.host ?? null,
          targetDatabase: cfg.database ?? null,
          targetTable: input.targetTable,
          mode: input.mode,
          scheduleMinutes: every,
          hasSecret: secret !== null,
        },
      });
      return j.id;
    });
    return jobView(await this.row(id));
  }

  /** Jobs, newest first; consumerOrgId null = every organization's. */
  async list(consumerOrgId: string | null): Promise<SyncJobView[]> {
    let q = syncRepository.jobs(this.deps.db);
    if (consumerOrgId) q = q.where('g.consumer_org_id', '=', consumerOrgId);
    return (await q.orderBy('j.created_at', 'desc').execute()).map(jobView);
  }

  async get(id: string): Promise<SyncJobView> {
    return jobView(await this.row(id));
  }

  /**
   * Asks for a run now: the job becomes due (any worker's due loop takes it) and, unless told not to,
   * this process starts it in the background (see idle()).
   */
  async runNow(
    meta: RequestMeta,
    jobId: string,
    options: { inProcess?: boolean } = {},
  ): Promise<SyncJobView> {
    const j = await this.row(jobId);
    if (j.status === 'running' && j.lease_until && j.lease_until.getTime() > Date.now()) {
      throw new JobLeasedError(j.lease_owner, j.lease_until);
    }
    await this.deps.audit.transaction(async (tx) => {
      await tx
        .updateTable('exchange_sync_job')
        .set({ status: 'queued', next_run_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
        .where('id', '=', jobId)
        .execute();
      await this.deps.audit.stage(tx, {
        ...meta,
        action: 'exchange.sync.run',
        objectType: 'exchange_sync_job',
        objectId: jobId,
        detail: { grantId: j.grant_id, mode: j.mode },
      });
    });
    if (options.inProcess !== false) this.background(jobId);
    return jobView(await this.row(jobId));
  }

  private background(jobId: string): void {
    const p = this.runJob(jobId, this.workerId).catch(() => undefined);
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  /** Resolves when the runs this process started in the background have ended. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /** Stops this process's runs at the next chunk boundary and waits for them. */
  async stop(): Promise<void> {
    for (const a of this.aborts) a.abort();
    await this.idle();
  }

  /** Claims and runs every due job (next_run_at passed, no live lease), one after another. */
  async runDue(workerId = this.workerId, limit = 10): Promise<RunResult[]> {
    const due = await this.deps.db
      .selectFrom('exchange_sync_job')
      .select('id')
      .where('next_run_at', '<=', sql<Date>`now()`)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', sql<Date>`now()`)]))
      .orderBy('next_run_at')
      .limit(limit)
      .execute();
    const out: RunResult[] = [];
    for (const d of due) {
      try {
        out.push(await this.runJob(d.id, workerId));
      } catch (e) {
        if (!(e instanceof JobLeasedError)) throw e;
      }
    }
    return out;
  }

  /** Resolves a job into a transfer: the grant's items on the mount, the source, the target. */
  private async transferJob(j: JobRow, grant: GrantView): Promise<TransferJob> {
    const mount = grant.entryId ? await exchangeRepository.mountOf(this.deps.db, grant.entryId) : undefined;
    if (!mount)
      throw DomainError.invalidState({
        zh: '该资源尚未挂接数据源',
        en: 'The resource is not mounted on a source',
      });
    const source = await this.deps.exchange.sourceRow(mount.source_id);
    if (source.kind !== 'postgres' && source.kind !== 'mysql' && source.kind !== 'file') {
      throw DomainError.invalidState({
        zh: '数据源不是 PostgreSQL、MySQL 或文件型数据源',
        en: 'The source is neither PostgreSQL nor MySQL nor a file source',
      });
    }
    const { items, problems } = itemsOf(grant, mount);
    if (problems.length) throw DomainError.validation(problems);
    const box = this.deps.secrets;
    const fileSource = source.kind === 'file';
    return {
      jobId: j.id,
      grantId: grant.id,
      mode: j.mode,
      source: {
        // A file source is the platform's own PostgreSQL table of it.
        kind: fileSource ? 'postgres' : (source.kind as TargetKind),
        config: fileSource ? {} : source.config,
        password: !fileSource && source.secret ? box().open(source.secret) : null,
        relation: mount.relation,
        keyColumns: mount.key_columns,
        watermarkColumn: mount.watermark_column,
        ...(fileSource ? { platform: this.deps.db } : {}),
      },
      target: {
        kind: j.target_kind,
        config: j.target_config,
        password: j.target_secret ? box().open(j.target_secret) : null,
        table: j.target_table,
        ...(j.target_kind === 'file' ? { platform: this.deps.db } : {}),
      },
      items,
      box: box(),
    };
  }

  // ── file targets: the published parts ──

  private async fileJob(jobId: string): Promise<JobRow> {
    const j = await this.row(jobId);
    if (j.target_kind !== 'file') {
      throw DomainError.invalidState({
        zh: '该任务的目标不是文件，没有文件分片',
        en: 'The job delivers into a table, not into files: it has no parts',
      });
    }
    return j;
  }

  /** The CSV parts a file-target job has published, newest first. */
  async parts(
    meta: RequestMeta,
    jobId: string,
    page: number,
    pageSize: number,
  ): Promise<{ items: FilePartView[]; total: number; page: number; pageSize: number }> {
    const j = await this.fileJob(jobId);
    const out = await listParts(this.deps.db, j.id, j.target_table, page, pageSize);
    await this.deps.audit.record({
      ...meta,
      action: 'exchange.sync.parts',
      objectType: 'exchange_sync_job',
      objectId: j.id,
      detail: { grantId: j.grant_id, page, count: out.items.length },
    });
    return out;
  }

  /**
   * The consumer only: a user of the consumer organization, or a consuming system of it (the grant's
   * own system when the grant names one); and only while the grant is active.
   */
  private async consumerCheck(actor: UserActor | SystemActor, j: JobRow): Promise<void> {
    const g = await sharingRepository.grant(this.deps.db, j.grant_id);
    const grantSystem = g?.consumer_system_id ?? null;
    const isConsumer =
      actor.orgId === j.consumer_org_id &&
      (actor.kind === 'user' || grantSystem === null || grantSystem === actor.systemId);
    if (!isConsumer) {
      throw DomainError.forbidden({
        zh: '只有使用方（及授权指定的使用系统）可以获取同步文件',
        en: "Only the consumer (and the grant's consuming system) gets the files of its sync job",
      });
    }
    if (!g) throw new GrantInactiveError('deleted');
    const grant = grantView(g);
    if (!grantIsActive(grant, this.today())) throw new GrantInactiveError(grant.status);
  }

  /** The parts for a consuming system through the gate (bearer token). */
  async partsForSystem(
    meta: RequestMeta,
    system: SystemActor,
    jobId: string,
    page: number,
    pageSize: number,
  ): Promise<{ items: FilePartView[]; total: number; page: number; pageSize: number }> {
    const j = await this.fileJob(jobId);
    await this.consumerCheck(system, j);
    return this.parts(meta, jobId, page, pageSize);
  }

  /**
   * One part for the consumer: only while the grant is active; the stored bytes are checked against
   * their SM3 before they leave, and the download is audited before the answer goes out.
   */
  async downloadPart(
    meta: RequestMeta,
    actor: UserActor | SystemActor,
    jobId: string,
    partNo: number,
  ): Promise<{ part: FilePartView; data: Buffer }> {
    const j = await this.fileJob(jobId);
    await this.consumerCheck(actor, j);
    const found = Number.isInteger(partNo)
      ? await readPart(this.deps.db, j.id, partNo, j.target_table)
      : undefined;
    if (!found) throw DomainError.notFound({ zh: '文件分片', en: 'Part' });
    const intact = sm3Hex(found.data) === found.part.sm3;
    await this.deps.audit.record({
      ...meta,
      action: 'exchange.sync.download',
      objectType: 'exchange_sync_job',
      objectId: j.id,
      outcome: intact ? 'ok' : 'error',
      detail: {
        grantId: j.grant_id,
        partNo,
        rows: found.part.rows,
        size: found.part.size,
        sm3: found.part.sm3,
        ...(intact ? {} : { error: 'stored bytes do not match their SM3' }),
      },
    });
    if (!intact) {
      throw new DomainError('INTERNAL', {
        zh: '存储的文件分片未通过完整性校验，已记录',
        en: 'The stored part failed its integrity check; this has been recorded',
      });
    }
    return found;
  }

  /**
   * Claims the job (throws JobLeasedError when another worker holds it) and runs it to the end of a
   * pass. The outcome, success or failure, is kept on the job and returned; the lease is released.
   */
  async runJob(
    jobId: string,
    workerId = this.workerId,
    options: { chunkRows?: number; signal?: AbortSignal } = {},
  ): Promise<RunResult> {
    const { db, audit } = this.deps;
    if (!(await syncRepository.claim(db, jobId, workerId, this.leaseSeconds))) {
      const j = await this.row(jobId);
      throw new JobLeasedError(j.lease_owner, j.lease_until);
    }
    const j = await this.row(jobId);
    const ctrl = new AbortController();
    this.aborts.add(ctrl);
    const onOuterAbort = () => ctrl.abort();
    options.signal?.addEventListener('abort', onOuterAbort);
    let lost = false;
    let last: TransferProgress | null = null;
    let beating: Promise<unknown> = Promise.resolve();
    const timer = setInterval(
      () => {
        beating = syncRepository
          .heartbeat(db, jobId, workerId, this.leaseSeconds, null)
          .then((ok) => {
            if (!ok) {
              lost = true;
              ctrl.abort();
            }
          })
          .catch(() => undefined);
      },
      Math.max(500, (this.leaseSeconds * 1000) / 3),
    );
    timer.unref();
    let result: RunResult;
    const meta: RequestMeta = {
      actor: { username: `sync:${workerId}`.slice(0, 100), orgId: j.consumer_org_id },
      requestId: newId(),
      ip: '',
    };
    try {
      const loadGrant = async (): Promise<GrantView> => {
        const g = await sharingRepository.grant(db, j.grant_id);
        if (!g) throw new GrantInactiveError('deleted');
        const v = grantView(g);
        if (!grantIsActive(v, this.today())) throw new GrantInactiveError(v.status);
        return v;
      };
      const grant = await loadGrant();
      const job = await this.transferJob(j, grant);
      const r = await transfer(job, {
        chunkRows: options.chunkRows ?? this.chunkRows,
        signal: ctrl.signal,
        beforeChunk: async () => {
          await loadGrant();
        },
        onProgress: async (p) => {
          last = p;
          if (!(await syncRepository.heartbeat(db, jobId, workerId, this.leaseSeconds, p))) {
            lost = true;
            throw new LeaseLostError('lease lost');
          }
        },
      });
      await syncRepository.finish(db, jobId, workerId, {
        status: 'succeeded',
        lastError: null,
        nextRunMinutes: j.schedule_minutes,
        progress: r,
      });
      result = {
        jobId,
        status: 'succeeded',
        rowsDone: r.rowsDone,
        rowsTotal: r.rowsTotal,
        rowsThisRun: r.rowsThisRun,
        resumed: r.resumed,
        error: null,
      };
      await audit.record({
        ...meta,
        action: 'exchange.sync.transfer',
        objectType: 'exchange_sync_job',
        objectId: jobId,
        detail: {
          grantId: j.grant_id,
          pass: r.pass,
          rows: r.rowsThisRun,
          rowsDone: r.rowsDone,
          resumed: r.resumed,
          worker: workerId,
        },
      });
    } catch (e) {
      const p = last as TransferProgress | null;
      const interrupted = ctrl.signal.aborted && !lost;
      const error = interrupted ? 'Interrupted: the run resumes from its last committed chunk' : errorText(e);
      if (!lost) {
        await syncRepository.finish(db, jobId, workerId, {
          status: interrupted ? 'interrupted' : 'failed',
          lastError: error,
          // A job whose grant ended waits for a person; other failures retry on the schedule.
          nextRunMinutes: e instanceof GrantInactiveError ? null : interrupted ? 0 : j.schedule_minutes,
          progress: p,
        });
      }
      result = {
        jobId,
        status: interrupted ? 'interrupted' : 'failed',
        rowsDone: p?.rowsDone ?? Number(j.rows_done),
        rowsTotal: p?.rowsTotal ?? null,
        rowsThisRun: 0,
        resumed: false,
        error,
      };
      await audit.record({
        ...meta,
        action: 'exchange.sync.transfer',
        objectType: 'exchange_sync_job',
        objectId: jobId,
        outcome: 'error',
        detail: { grantId: j.grant_id, error: error.slice(0, 300), worker: workerId },
      });
    } finally {
      clearInterval(timer);
      await beating;
      options.signal?.removeEventListener('abort', onOuterAbort);
      this.aborts.delete(ctrl);
    }
    return result;
  }
}

const instances = new WeakMap<Services, SyncService>();

/** The node's SyncService (one per Services object) until the composition root owns one. */
export function syncServiceOf(services: Services, options: SyncOptions = {}): SyncService {
  let s = instances.get(services);
  if (!s) {
    s = new SyncService(
      {
        db: services.db.kysely,
        audit: services.audit,
        grants: services.grants,
        exchange: services.exchange,
        secrets: services.secrets,
        clock: services.clock,
      },
      options,
    );
    instances.set(services, s);
  }
  return s;
}
