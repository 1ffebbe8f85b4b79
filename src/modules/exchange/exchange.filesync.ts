/**
 * The platform's side of batch sync (issue 5 §1 and §5): reading a file source's own table, and
 * delivering a sync job into CSV files instead of a table.
 *
 * - `PlatformReader` reads a file source's srcdata table on the platform's own database (PGlite or
 *   PostgreSQL) in the keyset order the transfer asks for, every value as the text a PostgreSQL source's
 *   COPY gives, so masking and positions are exactly those of a database source.
 * - `FilePartWriter` is a target whose "table" is a series of CSV files (UTF-8, a header row of the
 *   granted items' names). Each chunk commits in one platform transaction together with the job's
 *   position (`exchange_sync_file_state`), as a database target's chunk does; the chunks of a pass stay
 *   invisible (`exchange_sync_file_chunk`) until the pass's last chunk, whose transaction also assembles
 *   them into one published part (`exchange_sync_file_part`: rows, SM3 of the bytes, the watermark range
 *   it covers) and deletes them. A run killed anywhere resumes from the last committed chunk; a part is
 *   published once, whole, with the position after it: no row lost, none twice. A full job publishes a
 *   complete snapshot per run; an incremental one a part per run with the rows changed since the last.
 * - The consumer lists and downloads the parts; a download re-checks the stored bytes against their SM3
 *   before they leave and sends the digest (`x-content-sm3`) for the receiver to check.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database, Executor } from '../../db/index.js';
import { DomainError } from '../../kernel/errors.js';
import { sm3Hex } from '../../kernel/sm3.js';
import { FILE_SOURCE_SCHEMA } from './exchange.filesource.js';

/** What the transfer's reader and writer exchange (kept structural to avoid an import cycle). */
export interface ReaderColumn {
  name: string;
  type: string;
  base: string;
  nullable: boolean;
  oid: number;
  builtin: boolean;
}

export type Cell = string | Buffer | null;

export interface RowSink {
  values(values: unknown[]): void;
}

export interface WriterState {
  orderBy: string;
  watermark: string | null;
  key: string | null;
  rows: number;
  pass: number;
  complete: boolean;
  seq: number;
  fresh: boolean;
}

export interface WriterChunk {
  rows: number;
  cells: Cell[][];
}

const SEALED_PREFIX = 'sm4ctr-hsm3$';
const pgq = (id: string) => `"${id.replace(/"/g, '""')}"`;

async function run<R>(db: Executor, text: string, values: readonly unknown[] = []): Promise<R[]> {
  return (await db.executeQuery<R>(CompiledQuery.raw(text, [...values]))).rows;
}

// ── reading a file source ──────────────────────────────────────────────────────────────────

export class PlatformReader {
  private readonly rel: string;
  private readonly schema: string;
  private readonly table: string;
  private bases = new Map<string, string>();

  constructor(
    private readonly db: Kysely<Database>,
    relation: string,
  ) {
    const parts = relation.split('.');
    if (parts.length !== 2 || parts[0] !== FILE_SOURCE_SCHEMA) {
      throw DomainError.invalidState({
        zh: '文件型数据源只能读取其在平台中的数据表',
        en: 'A file source is read only from its own table on the platform',
      });
    }
    this.schema = parts[0] as string;
    this.table = parts[1] as string;
    this.rel = parts.map(pgq).join('.');
  }

  async columns(): Promise<ReaderColumn[]> {
    const rows = await run<{
      name: string;
      type: string;
      base: string;
      nullable: boolean;
      oid: number;
      builtin: boolean;
    }>(
      this.db,
      `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, t.typname as base,
              (not a.attnotnull) as nullable, a.atttypid::int as oid,
              (t.typnamespace = 'pg_catalog'::regnamespace) as builtin
         from pg_attribute a join pg_type t on t.oid = a.atttypid
         join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relname = $2 and a.attnum > 0 and not a.attisdropped
        order by a.attnum`,
      [this.schema, this.table],
    );
    const cols = rows.map((x) => ({
      name: x.name,
      type: x.type,
      base: x.base,
      nullable: Boolean(x.nullable),
      oid: Number(x.oid),
      builtin: Boolean(x.builtin),
    }));
    this.bases = new Map(cols.map((c) => [c.name, c.base]));
    return cols;
  }

  async hasNulls(column: string): Promise<boolean> {
    const [r] = await run<{ e: boolean }>(
      this.db,
      `select exists(select 1 from ${this.rel} where ${pgq(column)} is null) as e`,
    );
    return Boolean(r?.e);
  }

  private after(order: ReaderColumn[], after: string[] | null): string {
    if (!after) return '';
    const lhs = order.map((o) => pgq(o.name)).join(', ');
    const rhs = order.map((o, i) => `cast($${i + 1} as ${o.type})`).join(', ');
    return ` where (${lhs}) > (${rhs})`;
  }

  async count(order: ReaderColumn[], after: string[] | null): Promise<number> {
    const [r] = await run<{ n: number }>(
      this.db,
      `select count(*)::int as n from ${this.rel}${this.after(order, after)}`,
      after ?? [],
    );
    return Number(r?.n ?? 0);
  }

  /** Each value as its type's text output (what COPY and a text-mode query give), NULL as null. */
  private textOf(column: string): string {
    const c = pgq(column);
    return this.bases.get(column) === 'bool'
      ? `case when ${c} then 't' when not ${c} then 'f' end`
      : `${c}::text`;
  }

  async read(
    order: ReaderColumn[],
    after: string[] | null,
    columns: string[],
    limit: number,
    into: RowSink,
  ): Promise<void> {
    const sel = columns.map((c, i) => `${this.textOf(c)} as c${i}`).join(', ');
    const by = order.map((o) => pgq(o.name)).join(', ');
    const rows = await run<Record<string, string | null>>(
      this.db,
      `select ${sel} from ${this.rel}${this.after(order, after)} order by ${by} limit ${Number(limit)}`,
      after ?? [],
    );
    for (const r of rows) into.values(columns.map((_, i) => r[`c${i}`] ?? null));
  }

  async close(): Promise<void> {}
}

// ── writing CSV parts ──────────────────────────────────────────────────────────────────────

/** One CSV field: NULL as nothing, the empty string as "", quoted when it must be (RFC 4180). */
export function csvField(v: Cell): string {
  if (v === null) return '';
  const s = typeof v === 'string' ? v : `\\x${v.toString('hex')}`;
  if (s === '') return '""';
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvLines(rows: Cell[][]): Buffer {
  let out = '';
  for (const r of rows) out += `${r.map(csvField).join(',')}\r\n`;
  return Buffer.from(out, 'utf8');
}

/** A position as it may be shown: the watermark, or the key in clear (a sealed key is not shown). */
function clearPosition(s: { watermark: string | null; key: string | null }): string | null {
  if (s.watermark !== null) return s.watermark;
  if (s.key === null || s.key.startsWith(SEALED_PREFIX)) return null;
  return s.key;
}

function fenced(): DomainError {
  return DomainError.conflict({
    zh: '文件目标中的同步位置已被其他执行者推进，本执行者停止',
    en: "The job's position in its file target moved under this worker (another worker took over); stopping",
  });
}

export class FilePartWriter {
  private header: string[] = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly mode: 'full' | 'incremental',
  ) {}

  async prepare(columns: { item: string }[], jobId: string): Promise<void> {
    this.header = columns.map((c) => c.item);
    await this.db
      .insertInto('exchange_sync_file_state')
      .values({
        job_id: jobId,
        order_by: '',
        watermark: null,
        key: null,
        rows: 0,
        pass: 0,
        complete: false,
        seq: 0,
        pass_from: null,
      })
      .onConflict((oc) => oc.column('job_id').doNothing())
      .execute();
  }

  async state(jobId: string): Promise<WriterState> {
    const s = await this.db
      .selectFrom('exchange_sync_file_state')
      .selectAll()
      .where('job_id', '=', jobId)
      .executeTakeFirstOrThrow();
    return {
      orderBy: s.order_by,
      watermark: s.watermark,
      key: s.key,
      rows: Number(s.rows),
      pass: s.pass,
      complete: s.complete,
      seq: s.seq,
      fresh: false,
    };
  }

  async isEmpty(): Promise<boolean> {
    return false;
  }

  /**
   * One platform transaction: fence on seq, keep the chunk (invisible), and on the pass's last chunk
   * publish the part; move the position to `next`.
   */
  async commit(
    jobId: string,
    expectedSeq: number,
    _columns: unknown,
    chunk: WriterChunk,
    next: WriterState,
  ): Promise<boolean> {
    await this.db.transaction().execute(async (tx) => {
      const st = await tx
        .selectFrom('exchange_sync_file_state')
        .selectAll()
        .where('job_id', '=', jobId)
        .forUpdate()
        .executeTakeFirst();
      if (!st || st.seq !== expectedSeq) throw fenced();
      let passFrom = st.pass_from;
      if (st.pass !== next.pass) {
        // A new pass: it starts where the last one ended (incremental) or from the beginning (full).
        passFrom = this.mode === 'incremental' && st.order_by === next.orderBy ? clearPosition(st) : null;
        await tx.deleteFrom('exchange_sync_file_chunk').where('job_id', '=', jobId).execute();
      }
      if (chunk.rows > 0) {
        await tx
          .insertInto('exchange_sync_file_chunk')
          .values({
            job_id: jobId,
            pass: next.pass,
            seq: next.seq,
            rows: chunk.rows,
            data: csvLines(chunk.cells),
          })
          .execute();
      }
      if (next.complete) {
        const parts = await tx
          .selectFrom('exchange_sync_file_chunk')
          .select(['rows', 'data'])
          .where('job_id', '=', jobId)
          .where('pass', '=', next.pass)
          .orderBy('seq')
          .execute();
        const rows = parts.reduce((n, p) => n + p.rows, 0);
        if (rows > 0) {
          const data = Buffer.concat([
            Buffer.from(`${this.header.map(csvField).join(',')}\r\n`, 'utf8'),
            ...parts.map((p) => (Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data))),
          ]);
          const last = await tx
            .selectFrom('exchange_sync_file_part')
            .select((eb) => eb.fn.max('part_no').as('n'))
            .where('job_id', '=', jobId)
            .executeTakeFirst();
          await tx
            .insertInto('exchange_sync_file_part')
            .values({
              job_id: jobId,
              part_no: Number(last?.n ?? 0) + 1,
              pass: next.pass,
              mode: this.mode,
              rows,
              size: data.length,
              sm3: sm3Hex(data),
              range_from: passFrom,
              range_to: clearPosition(next),
              data,
            })
            .execute();
        }
        await tx.deleteFrom('exchange_sync_file_chunk').where('job_id', '=', jobId).execute();
      }
      await tx
        .updateTable('exchange_sync_file_state')
        .set({
          order_by: next.orderBy,
          watermark: next.watermark,
          key: next.key,
          rows: next.rows,
          pass: next.pass,
          complete: next.complete,
          seq: next.seq,
          pass_from: passFrom,
        })
        .where('job_id', '=', jobId)
        .execute();
    });
    return false;
  }

  async close(): Promise<void> {}
}

// ── the published parts ────────────────────────────────────────────────────────────────────

export interface FilePartView {
  id: string;
  jobId: string;
  partNo: number;
  pass: number;
  mode: 'full' | 'incremental';
  rows: number;
  size: number;
  /** SM3 of the CSV bytes, lowercase hex. */
  sm3: string;
  /** The position the part starts after (incremental), null from the beginning. */
  rangeFrom: string | null;
  /** The position of its last row (watermark, or key in clear), null when not shown. */
  rangeTo: string | null;
  fileName: string;
  createdAt: string;
}

const partColumns = [
  'id',
  'job_id',
  'part_no',
  'pass',
  'mode',
  'rows',
  'size',
  'sm3',
  'range_from',
  'range_to',
  'created_at',
] as const;

function partView(
  r: {
    id: string;
    job_id: string;
    part_no: number;
    pass: number;
    mode: 'full' | 'incremental';
    rows: number;
    size: number;
    sm3: string;
    range_from: string | null;
    range_to: string | null;
    created_at: Date;
  },
  base: string,
): FilePartView {
  return {
    id: r.id,
    jobId: r.job_id,
    partNo: r.part_no,
    pass: r.pass,
    mode: r.mode,
    rows: r.rows,
    size: r.size,
    sm3: r.sm3,
    rangeFrom: r.range_from,
    rangeTo: r.range_to,
    fileName: `${base}.part${String(r.part_no).padStart(5, '0')}.csv`,
    createdAt: r.created_at.toISOString(),
  };
}

/** The parts of a job, newest first, a page at a time. */
export async function listParts(
  db: Kysely<Database>,
  jobId: string,
  base: string,
  page: number,
  pageSize: number,
): Promise<{ items: FilePartView[]; total: number; page: number; pageSize: number }> {
  const [rows, total] = await Promise.all([
    db
      .selectFrom('exchange_sync_file_part')
      .select(partColumns)
      .where('job_id', '=', jobId)
      .orderBy('part_no', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db
      .selectFrom('exchange_sync_file_part')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('job_id', '=', jobId)
      .executeTakeFirst(),
  ]);
  return { items: rows.map((r) => partView(r, base)), total: Number(total?.n ?? 0), page, pageSize };
}

/** One part with its bytes (undefined when the job has no such part). */
export async function readPart(
  db: Kysely<Database>,
  jobId: string,
  partNo: number,
  base: string,
): Promise<{ part: FilePartView; data: Buffer } | undefined> {
  const r = await db
    .selectFrom('exchange_sync_file_part')
    .select([...partColumns, 'data'])
    .where('job_id', '=', jobId)
    .where('part_no', '=', partNo)
    .executeTakeFirst();
  if (!r) return undefined;
  const data = Buffer.isBuffer(r.data) ? r.data : Buffer.from(r.data);
  return { part: partView(r, base), data };
}
