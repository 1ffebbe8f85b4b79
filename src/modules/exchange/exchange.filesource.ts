/**
 * File sources (issue 5 §1): a department uploads a CSV or XLSX file as a source; the platform loads
 * it into a table of its own in the `srcdata` schema (one table per source, typed columns declared in
 * the source's config or inferred from the data), and from then on the source is mounted, queried
 * through the gate and synced like a database source.
 *
 * - All or nothing: every row is parsed and checked before anything is written; a file with a bad row
 *   is refused with a problem per bad cell (spreadsheet-style `sheet!C5`), and nothing is loaded.
 * - A re-upload replaces the content atomically: the new version is loaded into a table of its own and
 *   swapped in (drop the old, rename the new) in the same transaction, so readers see the old content
 *   or the new one, never a mix or an empty table.
 * - Guards: the upload size, an XLSX's real uncompressed size (every zip entry is inflated with an
 *   output limit before ExcelJS sees the file: a zip bomb is refused, whatever the archive claims), row
 *   and column counts, column names sanitised into plain identifiers, and one load per source at a time
 *   (in this node, and across nodes by a transaction-scoped advisory lock).
 * - The connector reads only its own source's table: mounting a file source on any other relation
 *   (a platform table) finds no such table.
 */
import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database, Executor } from '../../db/index.js';
import type { RequestMeta } from '../../http/context.js';
import { DomainError, type FieldProblem, type Message } from '../../kernel/errors.js';
import { isUuid } from '../../kernel/ids.js';
import { sm3Hex } from '../../kernel/sm3.js';
import type { Services } from '../../services.js';
import type { AuditLog } from '../audit/audit.service.js';
import { authorize, type UserActor } from '../auth/auth.policy.js';
import type { ColumnInfo, Connector, SelectSpec } from './exchange.connectors.js';
import type { ExchangeService } from './exchange.service.js';
import type {
  ExchangeSourceRow,
  FileColumnDeclaration,
  FileColumnType,
  FileSourceColumn,
} from './exchange.table.js';

/** Largest file accepted as a source (20 MB). */
export const MAX_FILE_SOURCE_BYTES = 20 * 1024 * 1024;
/** Largest total an XLSX may inflate to (100 MB). */
export const MAX_XLSX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024;
export const MAX_FILE_SOURCE_ROWS = 500_000;
export const MAX_FILE_SOURCE_COLUMNS = 200;
/** Longest value of a cell (characters). */
export const MAX_CELL_CHARS = 10_000;
/** Problems reported at most (the rest are counted). */
const MAX_PROBLEMS = 100;
export const FILE_SOURCE_SCHEMA = 'srcdata';
export const FILE_COLUMN_TYPES: readonly FileColumnType[] = [
  'text',
  'integer',
  'numeric',
  'date',
  'timestamp',
  'boolean',
];
const SQL_TYPE: Record<FileColumnType, string> = {
  text: 'text',
  integer: 'bigint',
  numeric: 'numeric',
  date: 'date',
  timestamp: 'timestamp',
  boolean: 'boolean',
};
const SOURCE: Message = { zh: '数据源', en: 'Source' };
/** Names PostgreSQL keeps for system columns: a column may not have them. */
const SYSTEM_COLUMNS = new Set(['tableoid', 'cmax', 'xmax', 'cmin', 'xmin', 'ctid', 'oid']);
/** Advisory lock class of file-source loads (the object is derived from the source id). */
const LOCK_CLASS = 0x67730001 | 0;

const pgq = (id: string) => `"${id.replace(/"/g, '""')}"`;

/** The table of a source: srcdata.s_<id without dashes>. */
export function fileSourceRelation(sourceId: string): string {
  return `${FILE_SOURCE_SCHEMA}.s_${sourceId.replace(/-/g, '').toLowerCase()}`;
}

function problem(field: string, rule: string, zh: string, en: string): FieldProblem {
  return { field, rule, zh, en };
}

function fileError(rule: string, zh: string, en: string): DomainError {
  return DomainError.validation([problem('body', rule, zh, en)]);
}

// ── column names ───────────────────────────────────────────────────────────────────────────

function truncateUtf8(s: string, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > maxBytes) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/**
 * A header made into a plain identifier (letters, digits, underscore; not starting with a digit; not a
 * system column; at most 55 bytes so a suffix still fits PostgreSQL's 63), unique among `used`.
 */
export function sanitizeColumnName(header: string, index: number, used: Set<string>): string {
  let s = header
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_]+/gu, '_')
    .replace(/^_+|_+$/g, '');
  if (!s) s = `col_${index + 1}`;
  if (!/^[\p{L}_]/u.test(s)) s = `c_${s}`;
  if (SYSTEM_COLUMNS.has(s)) s = `${s}_`;
  s = truncateUtf8(s, 55);
  let name = s;
  for (let n = 2; used.has(name); n++) name = `${s}_${n}`;
  used.add(name);
  return name;
}

// ── reading the file ───────────────────────────────────────────────────────────────────────

/** A table of texts: the header row and the data rows, each cell's place for reporting. */
interface Grid {
  format: 'csv' | 'xlsx';
  /** Sheet name for XLSX, "csv" for CSV. */
  sheet: string;
  header: string[];
  /** Data rows with their row number in the file (the header is row 1). */
  rows: { row: number; cells: string[] }[];
}

function utf8OrGb18030(data: Buffer): string {
  const body = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? data.subarray(3) : data;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    // Files saved by Excel on a Chinese Windows are often GB 18030 (GBK).
    try {
      return new TextDecoder('gb18030', { fatal: true }).decode(body);
    } catch {
      throw fileError(
        'file.encoding',
        'CSV 文件应为 UTF-8（或 GB 18030）编码',
        'The CSV file must be encoded in UTF-8 (or GB 18030)',
      );
    }
  }
}

/** RFC 4180 CSV (comma, or tab when the header has tabs and no commas); quotes may span lines. */
export function parseCsv(data: Buffer): Grid {
  const text = utf8OrGb18030(data);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const sep = !firstLine.includes(',') && firstLine.includes('\t') ? '\t' : ',';
  const records: { row: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let row = 1;
  let i = 0;
  const n = text.length;
  let startedRow = false;
  while (i < n) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === '') {
      quoted = true;
      startedRow = true;
      i++;
    } else if (c === sep) {
      cells.push(cell);
      cell = '';
      startedRow = true;
      i++;
    } else if (c === '\n' || c === '\r') {
      cells.push(cell);
      records.push({ row, cells });
      row++;
      cells = [];
      cell = '';
      startedRow = false;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      cell += c;
      startedRow = true;
      i++;
    }
    if (records.length > MAX_FILE_SOURCE_ROWS + 1) {
      throw fileError(
        'file.rows',
        `文件不得超过 ${MAX_FILE_SOURCE_ROWS} 行`,
        `The file may not have more than ${MAX_FILE_SOURCE_ROWS} rows`,
      );
    }
  }
  if (quoted) {
    throw fileError(
      'csv.quote',
      `第 ${row} 行起的引号没有闭合`,
      `A quote opened on row ${row} is never closed`,
    );
  }
  if (startedRow || cell !== '') {
    cells.push(cell);
    records.push({ row, cells });
  }
  const [head, ...rest] = records;
  if (!head) throw fileError('file.empty', '文件为空', 'The file is empty');
  return { format: 'csv', sheet: 'csv', header: head.cells.map((h) => h.trim()), rows: rest };
}

/**
 * Checks an XLSX (zip) archive before anything unpacks it: every entry is inflated with an output limit,
 * so the real uncompressed total is known, whatever the headers claim.
 */
export function checkZip(data: Buffer, maxTotal = MAX_XLSX_UNCOMPRESSED_BYTES): void {
  const notZip = () =>
    fileError('file.format', '文件不是 Excel 工作簿（.xlsx）', 'The file is not an Excel workbook (.xlsx)');
  const bomb = () =>
    fileError(
      'xlsx.uncompressed_size',
      `工作簿解压后超过 ${maxTotal / 1024 / 1024} MB，疑为压缩炸弹，已拒绝`,
      `The workbook inflates to more than ${maxTotal / 1024 / 1024} MB (a zip bomb?); refused`,
    );
  if (data.length < 22 || data.readUInt32LE(0) !== 0x04034b50) throw notZip();
  // End of central directory: the last 22 bytes plus a comment of at most 65,535.
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 65_535); i--) {
    if (data.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw notZip();
  const entries = data.readUInt16LE(eocd + 10);
  const cdOffset = data.readUInt32LE(eocd + 16);
  if (entries === 0xffff || cdOffset === 0xffffffff) throw bomb(); // zip64: never needed under 20 MB
  if (entries > 10_000) throw bomb();
  let at = cdOffset;
  let total = 0;
  for (let e = 0; e < entries; e++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== 0x02014b50) throw notZip();
    const method = data.readUInt16LE(at + 10);
    const compressed = data.readUInt32LE(at + 20);
    const declared = data.readUInt32LE(at + 24);
    const nameLen = data.readUInt16LE(at + 28);
    const extraLen = data.readUInt16LE(at + 30);
    const commentLen = data.readUInt16LE(at + 32);
    const local = data.readUInt32LE(at + 42);
    at += 46 + nameLen + extraLen + commentLen;
    if (total + declared > maxTotal) throw bomb();
    if (local + 30 > data.length || data.readUInt32LE(local) !== 0x04034b50) throw notZip();
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    if (start + compressed > data.length) throw notZip();
    const body = data.subarray(start, start + compressed);
    if (method === 0) total += body.length;
    else if (method === 8) {
      try {
        total += inflateRawSync(body, { maxOutputLength: maxTotal - total + 1 }).length;
      } catch (err) {
        if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
          throw bomb();
        throw notZip();
      }
    } else throw notZip();
    if (total > maxTotal) throw bomb();
  }
}

function isoDateOf(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The text of an XLSX cell: formulas by their result, rich text joined, dates as ISO dates or times. */
function xlsxText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return '';
    const iso = v.toISOString();
    return iso.slice(11, 23) === '00:00:00.000' ? isoDateOf(v) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  }
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) {
      return v.richText
        .map((r: unknown) => (r && typeof r === 'object' && 'text' in r ? String(r.text) : ''))
        .join('');
    }
    if ('result' in v) return xlsxText(v.result);
    if ('text' in v) return xlsxText(v.text);
    if ('error' in v) return '';
    if ('formula' in v || 'sharedFormula' in v) return '';
  }
  return String(v);
}

export async function parseXlsx(data: Buffer, sheetName: string | undefined): Promise<Grid> {
  checkZip(data);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(new Uint8Array(data).buffer, {
      ignoreNodes: ['dataValidations', 'conditionalFormatting'],
    });
  } catch {
    throw fileError(
      'file.format',
      '文件不是 Excel 工作簿（.xlsx）',
      'The file is not an Excel workbook (.xlsx)',
    );
  }
  const ws = sheetName ? wb.getWorksheet(sheetName) : wb.worksheets[0];
  if (!ws) {
    throw DomainError.validation([
      problem(
        'config.sheet',
        'xlsx.sheet',
        `工作簿中没有工作表“${sheetName ?? ''}”`,
        `The workbook has no sheet "${sheetName ?? ''}"`,
      ),
    ]);
  }
  if (ws.rowCount > MAX_FILE_SOURCE_ROWS + 1) {
    throw fileError(
      'file.rows',
      `文件不得超过 ${MAX_FILE_SOURCE_ROWS} 行`,
      `The file may not have more than ${MAX_FILE_SOURCE_ROWS} rows`,
    );
  }
  const width = Math.min(ws.columnCount, MAX_FILE_SOURCE_COLUMNS + 1);
  const rowTexts = (r: number): string[] => {
    const row = ws.getRow(r);
    const out: string[] = [];
    for (let c = 1; c <= width; c++) out.push(xlsxText(row.getCell(c).value));
    return out;
  };
  const header = rowTexts(1).map((h) => h.trim());
  while (header.length && header[header.length - 1] === '') header.pop();
  const rows: Grid['rows'] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const cells = rowTexts(r);
    // Cells right of the header are kept only when not empty (then they are reported).
    while (cells.length > header.length && cells[cells.length - 1] === '') cells.pop();
    rows.push({ row: r, cells });
  }
  return { format: 'xlsx', sheet: ws.name, header, rows };
}

// ── types ──────────────────────────────────────────────────────────────────────────────────

function validDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d && y >= 1 && y <= 9999;
}

/** A value normalized for its column type, or undefined when it is not of that type. */
export function normalizeValue(type: FileColumnType, v: string): string | undefined {
  switch (type) {
    case 'text':
      return v;
    case 'integer':
      return /^[-+]?\d{1,18}$/.test(v) ? String(BigInt(v)) : undefined;
    case 'numeric':
      return /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(v) && v.length <= 100 ? v : undefined;
    case 'date': {
      const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(v);
      if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
      return `${m[1]}-${(m[2] as string).padStart(2, '0')}-${(m[3] as string).padStart(2, '0')}`;
    }
    case 'timestamp': {
      const m =
        /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?)?$/.exec(v);
      if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
      const [hh, mm, ss] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
      if (hh > 23 || mm > 59 || ss > 59) return undefined;
      const p = (x: number) => String(x).padStart(2, '0');
      return `${m[1]}-${(m[2] as string).padStart(2, '0')}-${(m[3] as string).padStart(2, '0')} ${p(hh)}:${p(mm)}:${p(ss)}${m[7] ?? ''}`;
    }
    case 'boolean': {
      const t = v.toLowerCase();
      if (['true', 't', '1', 'y', 'yes', '是'].includes(t)) return 'true';
      if (['false', 'f', '0', 'n', 'no', '否'].includes(t)) return 'false';
      return undefined;
    }
  }
}

/**
 * The narrowest type every value of a column fits when it is not declared. Integers only up to ten
 * digits without a leading zero (longer digit strings are codes: ID, phone, account numbers); dates and
 * times only in ISO order; booleans only as true/false.
 */
export function inferType(values: string[]): FileColumnType {
  const present = values.filter((v) => v !== '');
  if (present.length === 0) return 'text';
  const all = (re: RegExp) => present.every((v) => re.test(v));
  if (all(/^-?(0|[1-9]\d{0,9})$/)) return 'integer';
  if (
    all(/^-?(0|[1-9]\d{0,14})\.\d{1,10}$/) ||
    (all(/^-?(0|[1-9]\d{0,14})(\.\d{1,10})?$/) && present.some((v) => v.includes('.')))
  )
    return 'numeric';
  if (all(/^\d{4}-\d{2}-\d{2}$/) && present.every((v) => normalizeValue('date', v) !== undefined))
    return 'date';
  if (
    all(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$/) &&
    present.every((v) => normalizeValue('timestamp', v) !== undefined)
  )
    return 'timestamp';
  if (all(/^(true|false)$/i)) return 'boolean';
  return 'text';
}

function columnLetter(n: number): string {
  let s = '';
  let x = n;
  while (x > 0) {
    const r = (x - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    x = Math.floor((x - 1) / 26);
  }
  return s;
}

const TYPE_NAMES: Record<FileColumnType, Message> = {
  text: { zh: '文本', en: 'text' },
  integer: { zh: '整数', en: 'an integer' },
  numeric: { zh: '数值', en: 'a number' },
  date: { zh: '日期（YYYY-MM-DD）', en: 'a date (YYYY-MM-DD)' },
  timestamp: { zh: '日期时间（YYYY-MM-DD HH:MM:SS）', en: 'a date and time (YYYY-MM-DD HH:MM:SS)' },
  boolean: { zh: '是/否（true/false）', en: 'a boolean (true/false)' },
};

export interface LoadPlan {
  columns: FileSourceColumn[];
  /** Normalized values, null for an empty cell, in column order. */
  rows: (string | null)[][];
}

/** Names, types and normalized values of a grid; every bad cell reported, or the plan. */
export function planLoad(grid: Grid, declared: FileColumnDeclaration[] | undefined): LoadPlan {
  const p: FieldProblem[] = [];
  let more = 0;
  const report = (x: FieldProblem) => {
    if (p.length < MAX_PROBLEMS) p.push(x);
    else more++;
  };
  if (grid.header.length === 0 || grid.header.every((h) => h === '')) {
    throw fileError('file.header', '第 1 行应为列名', 'Row 1 must hold the column names');
  }
  if (grid.header.length > MAX_FILE_SOURCE_COLUMNS) {
    throw fileError(
      'file.columns',
      `列数不得超过 ${MAX_FILE_SOURCE_COLUMNS}`,
      `The file may not have more than ${MAX_FILE_SOURCE_COLUMNS} columns`,
    );
  }
  const used = new Set<string>();
  const names = grid.header.map((h, i) => sanitizeColumnName(h, i, used));
  const decl = new Map<string, FileColumnType>();
  for (const [i, d] of (declared ?? []).entries()) {
    const at = names.findIndex((n, k) => n === d.name || grid.header[k] === d.name);
    if (at < 0) {
      p.push(
        problem(
          `config.columns[${i}].name`,
          'column.exists',
          `文件中没有声明的列“${d.name}”`,
          `The file has no declared column "${d.name}"`,
        ),
      );
    } else decl.set(names[at] as string, d.type);
  }
  if (p.length) throw DomainError.validation(p);
  const rows = grid.rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (rows.length === 0) throw fileError('file.rows_none', '文件中没有数据行', 'The file has no data rows');
  const width = names.length;
  const columns: FileSourceColumn[] = names.map((name, i) => ({
    name,
    header: grid.header[i] || name,
    type:
      decl.get(name) ??
      inferType(rows.map((r) => (r.cells[i] ?? '').trim()).filter((v) => v.length <= MAX_CELL_CHARS)),
  }));
  const where = (row: number, col: number) =>
    grid.format === 'xlsx'
      ? `${grid.sheet}!${columnLetter(col + 1)}${row}`
      : `csv!${columnLetter(col + 1)}${row}`;
  const out: (string | null)[][] = [];
  for (const r of rows) {
    if (r.cells.length > width) {
      report(
        problem(
          where(r.row, width),
          'row.width',
          `第 ${r.row} 行有 ${r.cells.length} 列，多于表头的 ${width} 列`,
          `Row ${r.row} has ${r.cells.length} fields, more than the header's ${width}`,
        ),
      );
      continue;
    }
    if (grid.format === 'csv' && r.cells.length < width) {
      report(
        problem(
          where(r.row, r.cells.length),
          'row.width',
          `第 ${r.row} 行只有 ${r.cells.length} 列，少于表头的 ${width} 列`,
          `Row ${r.row} has ${r.cells.length} fields, fewer than the header's ${width}`,
        ),
      );
      continue;
    }
    const values: (string | null)[] = new Array(width);
    for (let i = 0; i < width; i++) {
      const col = columns[i] as FileSourceColumn;
      const raw = col.type === 'text' ? (r.cells[i] ?? '') : (r.cells[i] ?? '').trim();
      if (raw.trim() === '') {
        values[i] = null;
        continue;
      }
      if (raw.length > MAX_CELL_CHARS) {
        report(
          problem(
            where(r.row, i),
            'cell.length',
            `第 ${r.row} 行“${col.header}”超过 ${MAX_CELL_CHARS} 个字符`,
            `Row ${r.row}, "${col.header}": more than ${MAX_CELL_CHARS} characters`,
          ),
        );
        continue;
      }
      const v = normalizeValue(col.type, raw);
      if (v === undefined) {
        const t = TYPE_NAMES[col.type];
        report(
          problem(
            where(r.row, i),
            `type.${col.type}`,
            `第 ${r.row} 行“${col.header}”的值“${raw.slice(0, 50)}”不是${t.zh}`,
            `Row ${r.row}, "${col.header}": "${raw.slice(0, 50)}" is not ${t.en}`,
          ),
        );
        continue;
      }
      values[i] = v.replaceAll('\u0000', '');
    }
    out.push(values);
  }
  if (p.length) {
    if (more) {
      p.push(
        problem('body', 'rows.more', `另有 ${more} 处错误未列出`, `${more} more problems are not listed`),
      );
    }
    throw new DomainError(
      'VALIDATION',
      {
        zh: `文件中有 ${p.length + more} 处错误，未装载任何数据`,
        en: `The file has ${p.length + more} problems; nothing was loaded`,
      },
      p,
    );
  }
  return { columns, rows: out };
}

// ── the connector the gate and the mount use ───────────────────────────────────────────────

/** Runs one statement with bound parameters on the platform database (or a transaction). */
async function run<R>(db: Executor, text: string, values: readonly unknown[] = []): Promise<R[]> {
  const r = await db.executeQuery<R>(CompiledQuery.raw(text, [...values]));
  return r.rows;
}

/** The platform's own table of a file source, read as a PostgreSQL source is: only that table. */
export class FileSourceConnector implements Connector {
  private readonly relation: string;
  constructor(
    private readonly db: Kysely<Database>,
    sourceId: string,
  ) {
    this.relation = fileSourceRelation(sourceId);
  }

  private quoted(): string {
    return this.relation.split('.').map(pgq).join('.');
  }

  async test(): Promise<void> {
    const [r] = await run<{ t: string | null }>(this.db, 'select to_regclass($1)::text as t', [
      this.quoted(),
    ]);
    if (!r?.t) throw new Error('No file has been loaded into this source yet');
  }

  async relations(): Promise<string[]> {
    const [r] = await run<{ t: string | null }>(this.db, 'select to_regclass($1)::text as t', [
      this.quoted(),
    ]);
    return r?.t ? [this.relation] : [];
  }

  async columns(relation: string): Promise<ColumnInfo[]> {
    if (relation !== this.relation) return [];
    const table = this.relation.split('.')[1] as string;
    const rows = await run<{ name: string; type: string; nullable: string }>(
      this.db,
      `select column_name as name, data_type as type, is_nullable as nullable from information_schema.columns
        where table_schema = $1 and table_name = $2 order by ordinal_position`,
      [FILE_SOURCE_SCHEMA, table],
    );
    return rows.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable === 'YES' }));
  }

  async select(s: SelectSpec): Promise<Record<string, unknown>[]> {
    if (s.relation !== this.relation) throw new Error('A file source reads only its own table');
    const ident = /^[\p{L}_][\p{L}\p{N}_$]*$/u;
    for (const c of [...s.columns, ...s.filters.map((f) => f.column), ...s.orderBy]) {
      if (!ident.test(c)) {
        throw DomainError.validation([
          problem('columns', 'identifier', `“${c}”不是合法的列名`, `"${c}" is not a valid column name`),
        ]);
      }
    }
    const cols = s.columns.map(pgq).join(', ');
    const where = s.filters.map((f, i) => `${pgq(f.column)}::text = $${i + 1}`);
    const order = s.orderBy.map(pgq).join(', ');
    const text = `select ${cols} from ${this.quoted()}${where.length ? ` where ${where.join(' and ')}` : ''}${order ? ` order by ${order}` : ''} limit ${Number(s.limit)} offset ${Number(s.offset)}`;
    return run<Record<string, unknown>>(
      this.db,
      text,
      s.filters.map((f) => f.value),
    );
  }

  async close(): Promise<void> {}
}

// ── the service ────────────────────────────────────────────────────────────────────────────

export interface FileSourceView {
  sourceId: string;
  version: number;
  relation: string;
  fileName: string;
  format: 'csv' | 'xlsx';
  size: number;
  sm3: string;
  rows: number;
  columns: FileSourceColumn[];
  loadedBy: string | null;
  loadedAt: string;
}

export interface FileSourceUpload {
  name: string | undefined;
  contentType: string | undefined;
  /** The digest the sender computed (x-content-sm3), optional; checked when given. */
  sm3: string | undefined;
  data: Buffer;
}

export interface FileSourceDeps {
  db: Kysely<Database>;
  audit: AuditLog;
  exchange: ExchangeService;
}

function formatOf(input: FileSourceUpload): 'csv' | 'xlsx' | null {
  const name = (input.name ?? '').toLowerCase();
  const type = (input.contentType ?? '').toLowerCase();
  if (/\.(xls|xlsm|xlsb|ods|numbers|et)$/.test(name)) return null;
  if (name.endsWith('.xlsx') || type.includes('spreadsheetml')) return 'xlsx';
  if (name.endsWith('.csv') || type.startsWith('text/csv') || type.startsWith('text/plain')) return 'csv';
  // Sniff: a zip archive is an XLSX; anything else is tried as CSV text.
  if (input.data.length >= 4 && input.data.readUInt32LE(0) === 0x04034b50) return 'xlsx';
  return 'csv';
}

export class FileSourceService {
  /** Sources being loaded by this node right now. */
  private readonly loading = new Set<string>();

  constructor(readonly deps: FileSourceDeps) {}

  private async fileSource(actor: UserActor, sourceId: string, action: 'exchange.read' | 'exchange.write') {
    if (!isUuid(sourceId)) throw DomainError.notFound(SOURCE);
    const s = await this.deps.exchange.sourceRow(sourceId);
    authorize(actor, action, s.org_id);
    if (s.kind !== 'file') {
      throw DomainError.invalidState({
        zh: '只有文件型数据源可以上传文件',
        en: 'Only a file source takes uploaded files',
      });
    }
    return s;
  }

  private view(r: {
    source_id: string;
    version: number;
    relation: string;
    file_name: string;
    format: 'csv' | 'xlsx';
    size: number;
    sm3: string;
    row_count: number;
    columns: FileSourceColumn[];
    loaded_by: string | null;
    loaded_at: Date;
  }): FileSourceView {
    return {
      sourceId: r.source_id,
      version: r.version,
      relation: r.relation,
      fileName: r.file_name,
      format: r.format,
      size: r.size,
      sm3: r.sm3,
      rows: r.row_count,
      columns: r.columns,
      loadedBy: r.loaded_by,
      loadedAt: r.loaded_at.toISOString(),
    };
  }

  /** What is loaded now (404 when nothing has been uploaded yet). */
  async current(actor: UserActor, sourceId: string): Promise<FileSourceView> {
    const s = await this.fileSource(actor, sourceId, 'exchange.read');
    const r = await this.deps.db
      .selectFrom('exchange_file_source')
      .selectAll()
      .where('source_id', '=', s.id)
      .executeTakeFirst();
    if (!r) throw DomainError.notFound({ zh: '已装载的文件', en: 'Loaded file' });
    return this.view(r);
  }

  /** Loads a CSV or XLSX into the source's table, replacing what was there, all or nothing. */
  async upload(meta: RequestMeta, actor: UserActor, sourceId: string, input: FileSourceUpload) {
    const source = await this.fileSource(actor, sourceId, 'exchange.write');
    if (this.loading.has(source.id)) throw this.busy();
    this.loading.add(source.id);
    try {
      return await this.load(meta, actor, source, input);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'VALIDATION') {
        await this.deps.audit.record({
          ...meta,
          action: 'exchange.source.load',
          objectType: 'exchange_source',
          objectId: source.id,
          outcome: 'denied',
          detail: {
            name: (input.name ?? '').slice(0, 255),
            size: input.data.length,
            rules: [...new Set(e.fields.map((f) => f.rule))].slice(0, 20),
            problems: e.fields.length,
          },
        });
      }
      throw e;
    } finally {
      this.loading.delete(source.id);
    }
  }

  private busy(): DomainError {
    return DomainError.conflict({
      zh: '该数据源正在装载另一个文件，请稍后再试',
      en: 'Another file is being loaded into this source; try again shortly',
    });
  }

  private async load(
    meta: RequestMeta,
    actor: UserActor,
    source: ExchangeSourceRow,
    input: FileSourceUpload,
  ): Promise<FileSourceView> {
    const p: FieldProblem[] = [];
    const name = (input.name ?? '').trim();
    if (!name || name.length > 255 || /[/\\\p{Cc}]/u.test(name)) {
      p.push(
        problem(
          'x-file-name',
          name ? 'file_name' : 'required',
          '须在 x-file-name 请求头中给出文件名（UTF-8 百分号编码，不含路径）',
          'Name the file in the x-file-name header (percent-encoded UTF-8, no path)',
        ),
      );
    }
    if (input.data.length === 0) p.push(problem('body', 'required', '文件内容为空', 'The file is empty'));
    else if (input.data.length > MAX_FILE_SOURCE_BYTES) {
      p.push(
        problem(
          'body',
          'maxSize',
          `文件不能超过 ${MAX_FILE_SOURCE_BYTES / 1024 / 1024} MB`,
          `The file must not exceed ${MAX_FILE_SOURCE_BYTES / 1024 / 1024} MB`,
        ),
      );
    }
    const actual = sm3Hex(input.data);
    const declared = (input.sm3 ?? '').trim().toLowerCase();
    if (declared && declared !== actual) {
      p.push(
        problem(
          'x-content-sm3',
          /^[0-9a-f]{64}$/.test(declared) ? 'sm3.mismatch' : 'sm3.format',
          `x-content-sm3 与收到的内容不一致（收到内容的 SM3 为 ${actual}）`,
          `x-content-sm3 does not match the content received (its SM3 is ${actual})`,
        ),
      );
    }
    const format = formatOf(input);
    if (!format) {
      p.push(
        problem(
          'x-file-name',
          'file.format',
          '只接受 CSV（UTF-8）或 XLSX 文件；旧版 .xls 请另存为 .xlsx',
          'Only CSV (UTF-8) or XLSX files; save an old .xls as .xlsx',
        ),
      );
    }
    if (p.length) throw DomainError.validation(p);
    const grid = format === 'xlsx' ? await parseXlsx(input.data, source.config.sheet) : parseCsv(input.data);
    const plan = planLoad(grid, source.config.columns);
    const relation = fileSourceRelation(source.id);
    const [schema, table] = relation.split('.') as [string, string];
    const lockKey = Number.parseInt(sm3Hex(source.id).slice(0, 8), 16) | 0;
    const row = await this.deps.audit.transaction(async (tx) => {
      const [locked] = await run<{ ok: boolean }>(tx, 'select pg_try_advisory_xact_lock($1, $2) as ok', [
        LOCK_CLASS,
        lockKey,
      ]);
      if (!locked?.ok) throw this.busy();
      const prev = await tx
        .selectFrom('exchange_file_source')
        .select('version')
        .where('source_id', '=', source.id)
        .forUpdate()
        .executeTakeFirst();
      const version = (prev?.version ?? 0) + 1;
      const staging = `${table}_v${version}`;
      const stagingRel = `${pgq(schema)}.${pgq(staging)}`;
      await run(tx, `drop table if exists ${stagingRel}`);
      await run(
        tx,
        `create table ${stagingRel} (${plan.columns.map((c) => `${pgq(c.name)} ${SQL_TYPE[c.type]}`).join(', ')})`,
      );
      const width = plan.columns.length;
      const batch = Math.max(1, Math.min(1000, Math.floor(30_000 / width)));
      const casts = plan.columns.map((c) => (c.type === 'text' ? '' : `::${SQL_TYPE[c.type]}`));
      const colList = plan.columns.map((c) => pgq(c.name)).join(', ');
      for (let i = 0; i < plan.rows.length; i += batch) {
        const slice = plan.rows.slice(i, i + batch);
        const values: (string | null)[] = [];
        const tuples = slice.map((r, k) => {
          for (const v of r) values.push(v);
          return `(${casts.map((cast, j) => `$${k * width + j + 1}${cast}`).join(', ')})`;
        });
        await run(tx, `insert into ${stagingRel} (${colList}) values ${tuples.join(', ')}`, values);
      }
      // The swap: readers see the old table until this transaction commits, then the new one.
      await run(tx, `drop table if exists ${pgq(schema)}.${pgq(table)}`);
      await run(tx, `alter table ${stagingRel} rename to ${pgq(table)}`);
      const values = {
        version,
        relation,
        file_name: name,
        format: format as 'csv' | 'xlsx',
        size: input.data.length,
        sm3: actual,
        row_count: plan.rows.length,
        columns: JSON.stringify(plan.columns),
        loaded_by: actor.userId,
        loaded_at: new Date(),
      };
      const r = await tx
        .insertInto('exchange_file_source')
        .values({ source_id: source.id, ...values })
        .onConflict((oc) => oc.column('source_id').doUpdateSet(values))
        .returningAll()
        .executeTakeFirstOrThrow();
      await tx
        .updateTable('exchange_source')
        .set({ status: 'up', last_checked_at: new Date(), last_error: null, updated_at: new Date() })
        .where('id', '=', source.id)
        .execute();
      await this.deps.audit.stage(tx, {
        ...meta,
        action: 'exchange.source.load',
        objectType: 'exchange_source',
        objectId: source.id,
        detail: {
          version,
          name,
          format: format as string,
          size: input.data.length,
          sm3: actual,
          rows: plan.rows.length,
          columns: plan.columns.map((c) => `${c.name}:${c.type}`),
          replaced: prev !== undefined,
        },
      });
      return r;
    });
    return this.view(row);
  }
}

const instances = new WeakMap<Services, FileSourceService>();

/** The node's file-source service (one per Services object). */
export function fileSourcesFor(services: Services): FileSourceService {
  let s = instances.get(services);
  if (!s) {
    s = new FileSourceService({ db: services.db.kysely, audit: services.audit, exchange: services.exchange });
    instances.set(services, s);
  }
  return s;
}
