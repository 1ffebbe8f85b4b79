/**
 * The catalog as a spreadsheet, in the layout of the national fill-in template (《政务信息资源目录编制指南
 * (试行)》附件): sheet 信息资源 (one row per entry), sheet 信息项 (one row per data item) and sheet 填表说明
 * (what each column means and which values it takes). Cells carry the Chinese labels of the value sets.
 *
 * Import is all-or-nothing (DESIGN.md "Nothing lost on bad input"): every row of both sheets is read and
 * checked — the spreadsheet's own rules (headers, labels, numbers, links between the sheets, providers)
 * and every rule of `validateEntry` — and each problem is reported at its cell (`信息项!E7`). Only a file
 * without a single problem is written, by `CatalogService.createMany`, in one transaction.
 */
import ExcelJS from 'exceljs';
import type { RequestMeta } from '../../http/context.js';
import { DomainError, type FieldProblem } from '../../kernel/errors.js';
import type { UserActor } from '../auth/auth.policy.js';
import type { EntryInput, EntryView, ItemInput } from './catalog.model.js';
import { catalogRepository as repo } from './catalog.repository.js';
import { type CatalogService, type ValidationContext, validateEntry } from './catalog.service.js';
import {
  BASIC_LIBRARIES,
  BASIS_KINDS,
  byLabel,
  DATA_GRADES,
  DATA_TYPES,
  type DataType,
  ENTRY_STATUSES,
  type EntryStatus,
  FORMAT_CATEGORIES,
  FORMAT_TYPES,
  type FormatCategory,
  MASKINGS,
  OPEN_TYPES,
  SENSITIVITIES,
  SHARE_MODES,
  SHARE_TYPES,
  type ShareMode,
  UPDATE_CYCLES,
} from './catalog.values.js';

export const ENTRY_SHEET = '信息资源';
export const ITEM_SHEET = '信息项';
export const GUIDE_SHEET = '填表说明';
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
export const MAX_ENTRY_ROWS = 100_000;
/** At most this many problems are reported; a last one says how many were left out. */
export const MAX_PROBLEMS = 1000;

/**
 * One problem of an imported file, at its cell: `column` is the Excel column letter ('D'), `field` the
 * column's header ('信息资源名称'), `zh`/`en` the bare message (without the row and column).
 */
export type ImportProblem = {
  sheet: string;
  row: number;
  column: string;
  field: string;
  rule: string;
  zh: string;
  en: string;
};

/** The problem as a FieldProblem: the field is the cell (`信息资源!D12`), the messages name row and column. */
export function toFieldProblem(p: ImportProblem): FieldProblem {
  return {
    field: `${p.sheet}!${p.column}${p.row}`,
    rule: p.rule,
    zh: `第${p.row}行“${p.field}”：${p.zh}`,
    en: `row ${p.row}, ${p.field}: ${p.en}`,
  };
}

// ── the columns ─────────────────────────────────────────────────────────────────────────────

type ListName =
  | 'formatCategory'
  | 'formatType'
  | 'shareType'
  | 'basisKind'
  | 'shareMode'
  | 'openType'
  | 'updateCycle'
  | 'basicLibrary'
  | 'dataGrade'
  | 'status'
  | 'org'
  | 'dataType'
  | 'sensitivity'
  | 'masking';

interface Column<K extends string> {
  key: K;
  header: string;
  width: number;
  /** 'required': the import refuses a sheet without this column; 'optional': may be left out. */
  need: 'required' | 'optional';
  /** Stored as text (codes that look like numbers). */
  text?: boolean;
  /** The dropdown's value list; `loose` lists warn instead of refusing (other spellings are accepted). */
  list?: ListName;
  loose?: boolean;
  /** Not exported; read when present. */
  importOnly?: boolean;
  aliases?: readonly string[];
  /** 填表说明. */
  note: string;
}

type EntryKey =
  | 'code'
  | 'classCode'
  | 'className'
  | 'name'
  | 'providerName'
  | 'providerCode'
  | 'providerUnit'
  | 'summary'
  | 'formatCategory'
  | 'formatType'
  | 'shareType'
  | 'shareConditionScope'
  | 'shareConditionUse'
  | 'notSharedBasisKind'
  | 'notSharedBasis'
  | 'shareModes'
  | 'openType'
  | 'openCondition'
  | 'updateCycle'
  | 'publishDate'
  | 'relatedCodes'
  | 'sourceSystem'
  | 'basicLibrary'
  | 'dataCategory'
  | 'dataGrade'
  | 'storageGb'
  | 'recordCount'
  | 'sharedGb'
  | 'sharedRecords'
  | 'openedGb'
  | 'openedRecords'
  | 'status'
  | 'classified';

type ItemKey =
  | 'code'
  | 'entryName'
  | 'seq'
  | 'name'
  | 'dataType'
  | 'length'
  | 'description'
  | 'collectingOrg'
  | 'sensitivity'
  | 'masking'
  | 'standardElement';

const CENSUS_KEYS = [
  'storageGb',
  'recordCount',
  'sharedGb',
  'sharedRecords',
  'openedGb',
  'openedRecords',
] as const;
type CensusKey = (typeof CENSUS_KEYS)[number];
const INTEGER_CENSUS: ReadonlySet<CensusKey> = new Set(['recordCount', 'sharedRecords', 'openedRecords']);

const ENTRY_COLUMNS: readonly Column<EntryKey>[] = [
  {
    key: 'code',
    header: '资源代码',
    width: 16,
    need: 'optional',
    text: true,
    aliases: ['信息资源代码'],
    note: '“分类码/顺序码”，如 301001/0001。新编目录可留空，导入时自动生成；填写时分类码部分须与本行“分类码”一致，目标目录中未被占用的代码将被保留。',
  },
  {
    key: 'classCode',
    header: '分类码',
    width: 10,
    need: 'required',
    text: true,
    aliases: ['信息资源分类码'],
    note: '类（1 位：1 基础、2 主题、3 部门）+ 项（2 位）+ 目（3 位）+ 细目（可选数字），如 101001。',
  },
  {
    key: 'className',
    header: '信息资源分类',
    width: 24,
    need: 'required',
    note: '分类名称，类/项/目/细目以“/”分隔，如 基础信息资源/人口/户籍。',
  },
  { key: 'name', header: '信息资源名称', width: 30, need: 'required', note: '不超过 200 字。' },
  {
    key: 'providerName',
    header: '信息资源提供方',
    width: 26,
    need: 'optional',
    list: 'org',
    loose: true,
    aliases: ['提供方', '提供方名称'],
    note: '提供单位的全称或简称；与“提供方代码”至少填写一项，两项都填时须一致。部门用户只能导入本单位的目录。',
  },
  {
    key: 'providerCode',
    header: '提供方代码',
    width: 22,
    need: 'optional',
    text: true,
    aliases: ['信息资源提供方代码', '统一社会信用代码'],
    note: '提供单位的统一社会信用代码（GB 32100，18 位）。',
  },
  {
    key: 'providerUnit',
    header: '提供方内部部门',
    width: 16,
    need: 'optional',
    note: '提供单位负责该资源的内设机构，可留空。',
  },
  { key: 'summary', header: '信息资源摘要', width: 40, need: 'required', note: '资源内容的简要说明。' },
  {
    key: 'formatCategory',
    header: '信息资源格式分类',
    width: 14,
    need: 'required',
    list: 'formatCategory',
    aliases: ['格式分类'],
    note: '数据库、电子表格类资源须在“信息项”表列明信息项。',
  },
  {
    key: 'formatType',
    header: '信息资源格式类型',
    width: 14,
    need: 'required',
    list: 'formatType',
    aliases: ['格式类型'],
    note: '须为所选格式分类下的类型（见可选值）。',
  },
  { key: 'shareType', header: '共享类型', width: 12, need: 'required', list: 'shareType', note: '' },
  {
    key: 'shareConditionScope',
    header: '共享条件（范围）',
    width: 20,
    need: 'required',
    note: '有条件共享时必填：向谁、在什么范围内共享。',
  },
  {
    key: 'shareConditionUse',
    header: '共享条件（用途）',
    width: 20,
    need: 'required',
    note: '有条件共享时必填：用于何种用途。',
  },
  {
    key: 'notSharedBasisKind',
    header: '不予共享依据类别',
    width: 14,
    need: 'required',
    list: 'basisKind',
    note: '不予共享时必填；须为现行政策认可的类别。',
  },
  {
    key: 'notSharedBasis',
    header: '不予共享依据',
    width: 26,
    need: 'required',
    note: '不予共享时必填：引用的具体法律法规条款。',
  },
  {
    key: 'shareModes',
    header: '共享方式',
    width: 14,
    need: 'required',
    list: 'shareMode',
    loose: true,
    note: '可多选，以“、”或“;”分隔，如 库表、接口。不予共享时可留空。文件格式以“文件”方式共享，数据库以“库表”或“接口”方式共享。',
  },
  { key: 'openType', header: '开放类型', width: 12, need: 'required', list: 'openType', note: '' },
  {
    key: 'openCondition',
    header: '开放条件',
    width: 20,
    need: 'required',
    note: '有条件开放时必填。',
  },
  { key: 'updateCycle', header: '更新周期', width: 10, need: 'required', list: 'updateCycle', note: '' },
  {
    key: 'publishDate',
    header: '发布日期',
    width: 12,
    need: 'optional',
    text: true,
    note: '发布时由平台填写（CCYY-MM-DD）；导入时仅作参考，导入的目录均为草稿。',
  },
  {
    key: 'relatedCodes',
    header: '关联资源代码',
    width: 20,
    need: 'optional',
    text: true,
    note: '关联资源的“分类码/顺序码”，多个以“、”或“;”分隔。',
  },
  { key: 'sourceSystem', header: '来源信息系统', width: 20, need: 'optional', note: '可留空。' },
  {
    key: 'basicLibrary',
    header: '所属基础库',
    width: 16,
    need: 'required',
    list: 'basicLibrary',
    note: '基础信息资源（分类码以 1 开头）必填。',
  },
  {
    key: 'dataCategory',
    header: '数据分类',
    width: 14,
    need: 'optional',
    note: '如 个人信息、公共管理数据，可留空。',
  },
  { key: 'dataGrade', header: '数据分级', width: 10, need: 'required', list: 'dataGrade', note: '' },
  { key: 'storageGb', header: '存储量(GB)', width: 11, need: 'optional', note: '非负数，可留空。' },
  { key: 'recordCount', header: '结构化记录数', width: 13, need: 'optional', note: '非负整数，可留空。' },
  { key: 'sharedGb', header: '已共享数据量(GB)', width: 15, need: 'optional', note: '非负数，可留空。' },
  { key: 'sharedRecords', header: '已共享记录数', width: 13, need: 'optional', note: '非负整数，可留空。' },
  { key: 'openedGb', header: '已开放数据量(GB)', width: 15, need: 'optional', note: '非负数，可留空。' },
  { key: 'openedRecords', header: '已开放记录数', width: 13, need: 'optional', note: '非负整数，可留空。' },
  {
    key: 'status',
    header: '状态',
    width: 10,
    need: 'optional',
    list: 'status',
    note: '导出时的目录状态，仅作参考；导入的目录一律为草稿。',
  },
  {
    key: 'classified',
    header: '涉密属性',
    width: 10,
    need: 'optional',
    importOnly: true,
    note: '可选列：涉密 / 非涉密。涉密信息资源不得进入共享平台，标为“涉密”的行将被拒绝。',
  },
];

const ITEM_COLUMNS: readonly Column<ItemKey>[] = [
  {
    key: 'code',
    header: '资源代码',
    width: 16,
    need: 'optional',
    text: true,
    aliases: ['信息资源代码'],
    note: '所属目录的资源代码；新编目录（无代码）可留空，按“信息资源名称”关联。',
  },
  {
    key: 'entryName',
    header: '信息资源名称',
    width: 30,
    need: 'optional',
    note: '所属目录的名称；与“资源代码”至少填写一项。按名称关联时，该名称在“信息资源”表中须唯一。',
  },
  {
    key: 'seq',
    header: '信息项序号',
    width: 10,
    need: 'optional',
    note: '正整数，决定信息项顺序；留空按行序。',
  },
  { key: 'name', header: '信息项名称', width: 24, need: 'required', note: '同一目录内不得重复。' },
  {
    key: 'dataType',
    header: '数据类型',
    width: 12,
    need: 'required',
    list: 'dataType',
    loose: true,
    note: '可填字母（C）、名称（字符型）或两者（C 字符型）。',
  },
  {
    key: 'length',
    header: '数据长度',
    width: 10,
    need: 'required',
    note: '字符型、数值型、货币型、双精度型、浮点型（C、N、Y、B、F）必填，正整数。',
  },
  { key: 'description', header: '描述', width: 30, need: 'optional', note: '可留空。' },
  {
    key: 'collectingOrg',
    header: '责任采集部门',
    width: 26,
    need: 'optional',
    list: 'org',
    loose: true,
    note: '单位全称、简称或统一社会信用代码；留空为提供方。',
  },
  {
    key: 'sensitivity',
    header: '敏感级别',
    width: 10,
    need: 'optional',
    list: 'sensitivity',
    note: '留空为“内部”。',
  },
  {
    key: 'masking',
    header: '脱敏规则',
    width: 10,
    need: 'optional',
    list: 'masking',
    note: '共享时默认的脱敏方式，留空为“不脱敏”。',
  },
  {
    key: 'standardElement',
    header: '标准数据元',
    width: 22,
    need: 'optional',
    note: '引用的标准数据元，如 GB/T 2261.1 性别代码，可留空。',
  },
];

/** The headers of the two data sheets, in the order the export writes them. */
export const ENTRY_HEADERS: readonly string[] = ENTRY_COLUMNS.filter((c) => !c.importOnly).map(
  (c) => c.header,
);
export const ITEM_HEADERS: readonly string[] = ITEM_COLUMNS.map((c) => c.header);

const LIST_TITLES: Record<ListName, string> = {
  formatCategory: '信息资源格式分类',
  formatType: '信息资源格式类型',
  shareType: '共享类型',
  basisKind: '不予共享依据类别',
  shareMode: '共享方式',
  openType: '开放类型',
  updateCycle: '更新周期',
  basicLibrary: '所属基础库',
  dataGrade: '数据分级',
  status: '状态',
  org: '单位',
  dataType: '数据类型',
  sensitivity: '敏感级别',
  masking: '脱敏规则',
};

function dataTypeText(t: DataType): string {
  return `${t} ${DATA_TYPES[t]}`;
}

function staticLists(): Record<Exclude<ListName, 'org'>, string[]> {
  const formatTypes: string[] = [];
  for (const types of Object.values(FORMAT_TYPES)) {
    for (const t of types) if (!formatTypes.includes(t)) formatTypes.push(t);
  }
  return {
    formatCategory: Object.values(FORMAT_CATEGORIES),
    formatType: formatTypes,
    shareType: Object.values(SHARE_TYPES),
    basisKind: Object.values(BASIS_KINDS),
    shareMode: Object.values(SHARE_MODES),
    openType: Object.values(OPEN_TYPES),
    updateCycle: Object.values(UPDATE_CYCLES),
    basicLibrary: Object.values(BASIC_LIBRARIES),
    dataGrade: Object.values(DATA_GRADES),
    status: Object.values(ENTRY_STATUSES),
    dataType: (Object.keys(DATA_TYPES) as DataType[]).map(dataTypeText),
    sensitivity: Object.values(SENSITIVITIES),
    masking: Object.values(MASKINGS),
  };
}

// ── cells ───────────────────────────────────────────────────────────────────────────────────

/** 1 → A, 27 → AA. */
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

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The text of a cell of any kind (formulas by their result, rich text joined), trimmed. */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : isoDate(v);
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) {
      return v.richText
        .map((r: unknown) => (r && typeof r === 'object' && 'text' in r ? String(r.text) : ''))
        .join('')
        .trim();
    }
    if ('result' in v) return cellText(v.result);
    if ('text' in v) return cellText(v.text);
    if ('error' in v) return String(v.error);
    if ('formula' in v || 'sharedFormula' in v) return '';
  }
  return String(v).trim();
}

/** For comparing headers and labels: full-width forms folded (（）→ ()), spaces and a leading * dropped. */
function norm(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '').replace(/^\*+/, '').toLowerCase();
}

// ── value sets ──────────────────────────────────────────────────────────────────────────────

/** A lookup from label or identifier (normalized) to the identifier. */
function lookup<K extends string>(set: Record<K, string>, extra: Record<string, K> = {}): Map<string, K> {
  const m = new Map<string, K>();
  for (const [label, k] of byLabel(set)) m.set(norm(label), k);
  for (const [label, k] of Object.entries(extra) as [string, K][]) m.set(norm(label), k);
  return m;
}

const FORMAT_CATEGORY_OF = lookup(FORMAT_CATEGORIES);
const SHARE_TYPE_OF = lookup(SHARE_TYPES);
const BASIS_KIND_OF = lookup(BASIS_KINDS);
const SHARE_MODE_OF = lookup(SHARE_MODES, {
  邮件: 'email',
  介质: 'media',
  数据库: 'database',
  api: 'api',
  共享平台方式库表: 'database',
  共享平台方式接口: 'api',
  共享平台方式文件: 'file',
});
const OPEN_TYPE_OF = lookup(OPEN_TYPES, { 普遍开放: 'general', 授权开放: 'authorized' });
const UPDATE_CYCLE_OF = lookup(UPDATE_CYCLES);
const BASIC_LIBRARY_OF = lookup(BASIC_LIBRARIES, { 法人单位: 'legal_person' });
const DATA_GRADE_OF = lookup(DATA_GRADES);
const SENSITIVITY_OF = lookup(SENSITIVITIES);
const MASKING_OF = lookup(MASKINGS);
const CLASSIFIED_OF = new Map<string, boolean>([
  ['涉密', true],
  ['非涉密', false],
  ['是', true],
  ['否', false],
]);

/** 'C', '字符型', 'C 字符型', 'C-字符型', '字符型(C)', 'c' — letter and label must agree when both are given. */
function dataTypeOf(text: string): DataType | undefined {
  const s = text.normalize('NFKC').trim();
  const byLetter = (x: string): DataType | undefined => {
    const u = x.toUpperCase();
    return Object.hasOwn(DATA_TYPES, u) ? (u as DataType) : undefined;
  };
  const byName = (x: string): DataType | undefined =>
    (Object.entries(DATA_TYPES) as [DataType, string][]).find(([, label]) => label === x)?.[0];
  if (/^[A-Za-z]$/.test(s)) return byLetter(s);
  const plain = byName(s.replace(/\s+/g, ''));
  if (plain) return plain;
  const a = /^([A-Za-z])[\s\-_:.、]*([^\sA-Za-z][^\s]*)$/.exec(s);
  const b = /^([^\sA-Za-z()]+)\s*\(\s*([A-Za-z])\s*\)$/.exec(s);
  const letter = a?.[1] ?? b?.[2];
  const name = a?.[2] ?? b?.[1];
  if (!letter || !name) return undefined;
  const l = byLetter(letter);
  return l && byName(name) === l ? l : undefined;
}

/** The listed values of a column, for the messages. */
function allowed(set: Record<string, string>): string {
  return Object.values(set).join('、');
}

// ── reading a sheet ─────────────────────────────────────────────────────────────────────────

interface SheetRow<K extends string> {
  row: number;
  cells: Map<K, string>;
}

interface Sheet<K extends string> {
  name: string;
  /** Column index (1-based) of each recognized column. */
  cols: Map<K, number>;
  rows: SheetRow<K>[];
}

/** Finds the header row (one of the first five rows holding `marker`) and maps the known headers. */
function headerOf<K extends string>(
  ws: ExcelJS.Worksheet,
  columns: readonly Column<K>[],
  marker: string,
): { headerRow: number; cols: Map<K, number>; duplicates: { col: number; header: string }[] } | null {
  const byHeader = new Map<string, K>();
  for (const c of columns) {
    byHeader.set(norm(c.header), c.key);
    for (const a of c.aliases ?? []) byHeader.set(norm(a), c.key);
  }
  const last = Math.min(ws.rowCount, 5);
  for (let r = 1; r <= last; r++) {
    const row = ws.getRow(r);
    const texts: string[] = [];
    row.eachCell((cell, col) => {
      texts[col] = cellText(cell.value);
    });
    if (!texts.some((t) => t !== undefined && norm(t) === norm(marker))) continue;
    const cols = new Map<K, number>();
    const duplicates: { col: number; header: string }[] = [];
    texts.forEach((t, col) => {
      if (t === undefined) return;
      const key = byHeader.get(norm(t));
      if (key === undefined) return;
      if (cols.has(key)) duplicates.push({ col, header: t });
      else cols.set(key, col);
    });
    return { headerRow: r, cols, duplicates };
  }
  return null;
}

function rowsOf<K extends string>(
  ws: ExcelJS.Worksheet,
  headerRow: number,
  cols: Map<K, number>,
): SheetRow<K>[] {
  const out: SheetRow<K>[] = [];
  ws.eachRow((row, r) => {
    if (r <= headerRow) return;
    const cells = new Map<K, string>();
    let empty = true;
    for (const [key, col] of cols) {
      const t = cellText(row.getCell(col).value);
      cells.set(key, t);
      if (t) empty = false;
    }
    // A row with values only in unrecognized columns counts as empty too: there is nothing to import.
    if (!empty) out.push({ row: r, cells });
  });
  return out;
}

// ── parsing an import ───────────────────────────────────────────────────────────────────────

interface OrgRef {
  id: string;
  name: string;
  short_name: string;
  credit_code: string;
}

class OrgIndex {
  private readonly byKey = new Map<string, OrgRef[]>();
  constructor(readonly orgs: OrgRef[]) {
    for (const o of orgs) {
      for (const k of new Set([o.name, o.short_name, o.credit_code].filter(Boolean).map(norm))) {
        const list = this.byKey.get(k) ?? [];
        list.push(o);
        this.byKey.set(k, list);
      }
    }
  }
  find(text: string): OrgRef[] {
    return this.byKey.get(norm(text)) ?? [];
  }
  byCredit(code: string): OrgRef | undefined {
    const c = norm(code);
    return this.orgs.find((o) => norm(o.credit_code) === c);
  }
}

interface ParsedItem {
  row: number;
  seq: number | null;
  input: ItemInput;
}

interface ParsedEntry {
  row: number;
  code: string;
  name: string;
  /** The column of the provider cell that decided the provider. */
  providerKey: 'providerCode' | 'providerName';
  input: EntryInput;
  items: ParsedItem[];
}

interface Parsed {
  problems: ImportProblem[];
  entries: ParsedEntry[];
  /** The sheets as read (to place problems found later). */
  sheets?: { entrySheet: Sheet<EntryKey>; itemSheet: Sheet<ItemKey> | null };
}

/** The item length column is a 32-bit integer. */
const MAX_ITEM_LENGTH = 2_147_483_647;
const CODE_PATTERN = /^([123]\d{5,})\/(\d{3,})$/;
const LIST_SEPARATORS = /[、;；,，\s]+/;

/** validateEntry's item field → the item sheet's column. */
const ITEM_FIELD: Record<string, ItemKey> = {
  name: 'name',
  dataType: 'dataType',
  length: 'length',
  description: 'description',
  collectingOrgId: 'collectingOrg',
  sensitivity: 'sensitivity',
  masking: 'masking',
  standardElement: 'standardElement',
};

/** validateEntry's entry field → the entry sheet's column (providerOrgId is resolved per row). */
const ENTRY_FIELD: Record<string, EntryKey> = {
  classCode: 'classCode',
  className: 'className',
  name: 'name',
  providerUnit: 'providerUnit',
  summary: 'summary',
  formatCategory: 'formatCategory',
  formatType: 'formatType',
  shareType: 'shareType',
  shareConditionScope: 'shareConditionScope',
  shareConditionUse: 'shareConditionUse',
  notSharedBasisKind: 'notSharedBasisKind',
  notSharedBasis: 'notSharedBasis',
  shareModes: 'shareModes',
  openType: 'openType',
  openCondition: 'openCondition',
  updateCycle: 'updateCycle',
  relatedCodes: 'relatedCodes',
  sourceSystem: 'sourceSystem',
  basicLibrary: 'basicLibrary',
  classified: 'classified',
  dataCategory: 'dataCategory',
  dataGrade: 'dataGrade',
  storageGb: 'storageGb',
  recordCount: 'recordCount',
  sharedGb: 'sharedGb',
  sharedRecords: 'sharedRecords',
  openedGb: 'openedGb',
  openedRecords: 'openedRecords',
};

class Report {
  readonly list: ImportProblem[] = [];
  /** Cells with a problem of the spreadsheet's own (an unreadable label, a number that is none…). */
  private readonly own = new Set<string>();
  private readonly seen = new Set<string>();

  add(sheet: string, row: number, col: number, header: string, rule: string, zh: string, en: string): void {
    const column = col > 0 ? columnLetter(col) : 'A';
    this.own.add(`${sheet}!${column}${row}`);
    this.push({ sheet, row, column, field: header, rule, zh, en });
  }

  /**
   * Adds a problem of validateEntry unless the spreadsheet already reported its cell: a label the
   * import could not read reaches validateEntry as absent, and the cell's first problem explains it.
   */
  addUnlessReported(
    sheet: string,
    row: number,
    col: number,
    header: string,
    p: { rule: string; zh: string; en: string },
  ): void {
    const column = col > 0 ? columnLetter(col) : 'A';
    if (this.own.has(`${sheet}!${column}${row}`)) return;
    this.push({ sheet, row, column, field: header, rule: p.rule, zh: p.zh, en: p.en });
  }

  private push(p: ImportProblem): void {
    const key = `${p.sheet}!${p.column}${p.row}|${p.rule}|${p.zh}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(p);
  }
}

function fileError(rule: string, zh: string, en: string): DomainError {
  return DomainError.validation([{ field: 'file', rule, zh, en }]);
}

// ── the service ─────────────────────────────────────────────────────────────────────────────

export class CatalogSpreadsheet {
  constructor(private readonly catalog: CatalogService) {}

  // ── export ──────────────────────────────────────────────────────────────────────────────

  /**
   * The entries the actor may see (the published catalog; drafts and other unpublished entries of the
   * actor's own organization; everything for the platform office), as the national template.
   */
  async exportWorkbook(
    actor: UserActor,
    filter: { providerOrgId?: string | null; statuses?: EntryStatus[]; ids?: readonly string[] },
  ): Promise<Buffer> {
    const db = this.catalog.db;
    // Given ids were already chosen under the actor's visibility (a search); [] gives the empty template.
    const ids = filter.ids ? [...filter.ids] : await this.visibleIds(actor, filter);
    const views: EntryView[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      views.push(...(await this.catalog.views(db, ids.slice(i, i + 500))));
    }
    views.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    const orgs = await repo.orgNames(db);

    const wb = new ExcelJS.Workbook();
    wb.creator = 'GovShare';
    wb.created = new Date();
    const entrySheet = wb.addWorksheet(ENTRY_SHEET);
    const itemSheet = wb.addWorksheet(ITEM_SHEET);
    const guide = wb.addWorksheet(GUIDE_SHEET);

    const entryColumns = ENTRY_COLUMNS.filter((c) => !c.importOnly);
    layout(entrySheet, entryColumns);
    layout(itemSheet, ITEM_COLUMNS);

    for (const v of views) {
      const values: Record<EntryKey, string | number | null> = {
        code: v.code,
        classCode: v.classCode,
        className: v.className,
        name: v.name,
        providerName: v.providerName,
        providerCode: v.providerCreditCode,
        providerUnit: v.providerUnit,
        summary: v.summary,
        formatCategory: FORMAT_CATEGORIES[v.formatCategory],
        formatType: v.formatType,
        shareType: SHARE_TYPES[v.shareType],
        shareConditionScope: v.shareConditionScope,
        shareConditionUse: v.shareConditionUse,
        notSharedBasisKind: v.notSharedBasisKind ? BASIS_KINDS[v.notSharedBasisKind] : '',
        notSharedBasis: v.notSharedBasis,
        shareModes: v.shareModes.map((m) => SHARE_MODES[m]).join('、'),
        openType: OPEN_TYPES[v.openType],
        openCondition: v.openCondition,
        updateCycle: UPDATE_CYCLES[v.updateCycle],
        publishDate: v.publishDate ?? '',
        relatedCodes: v.relatedCodes.join('、'),
        sourceSystem: v.sourceSystem,
        basicLibrary: v.basicLibrary ? BASIC_LIBRARIES[v.basicLibrary] : '',
        dataCategory: v.dataCategory,
        dataGrade: DATA_GRADES[v.dataGrade],
        storageGb: v.census.storageGb,
        recordCount: v.census.recordCount,
        sharedGb: v.census.sharedGb,
        sharedRecords: v.census.sharedRecords,
        openedGb: v.census.openedGb,
        openedRecords: v.census.openedRecords,
        status: ENTRY_STATUSES[v.status],
        classified: v.classified ? '涉密' : '非涉密',
      };
      entrySheet.addRow(entryColumns.map((c) => values[c.key]));
      for (const it of v.items) {
        const item: Record<ItemKey, string | number | null> = {
          code: v.code,
          entryName: v.name,
          seq: it.seq,
          name: it.name,
          dataType: dataTypeText(it.dataType),
          length: it.length,
          description: it.description,
          collectingOrg: it.collectingOrgName ?? '',
          sensitivity: SENSITIVITIES[it.sensitivity],
          masking: MASKINGS[it.masking],
          standardElement: it.standardElement ?? '',
        };
        itemSheet.addRow(ITEM_COLUMNS.map((c) => item[c.key]));
      }
    }

    const { acceptedBasisKinds } = await this.catalog.validationContext();
    const lists = writeGuide(guide, entryColumns, orgs, acceptedBasisKinds);
    dropdowns(entrySheet, entryColumns, lists, Math.max(1000, views.length + 200));
    const itemCount = views.reduce((n, v) => n + v.items.length, 0);
    dropdowns(itemSheet, ITEM_COLUMNS, lists, Math.max(1000, itemCount + 200));

    const out = await wb.xlsx.writeBuffer();
    return Buffer.from(out);
  }

  /** The ids of the entries the actor may see under the filter, with the rule of `catalog.search`. */
  private async visibleIds(
    actor: UserActor,
    filter: { providerOrgId?: string | null; statuses?: EntryStatus[] },
  ): Promise<string[]> {
    const db = this.catalog.db;
    const providerOrgId = filter.providerOrgId ?? null;
    const statuses = filter.statuses?.length ? filter.statuses : undefined;
    if (actor.role === 'platform_admin' || (providerOrgId !== null && providerOrgId === actor.orgId)) {
      return repo.entryIds(db, { providerOrgId, ...(statuses ? { statuses } : {}) });
    }
    const ids: string[] = [];
    if (!statuses || statuses.includes('published')) {
      ids.push(...(await repo.entryIds(db, { providerOrgId, statuses: ['published'] })));
    }
    if (providerOrgId === null) {
      const unpublished = (Object.keys(ENTRY_STATUSES) as EntryStatus[]).filter(
        (s) => s !== 'published' && (!statuses || statuses.includes(s)),
      );
      if (unpublished.length) {
        ids.push(...(await repo.entryIds(db, { providerOrgId: actor.orgId, statuses: unpublished })));
      }
    }
    return ids;
  }

  // ── import ──────────────────────────────────────────────────────────────────────────────

  /** Every problem of the file, row by row, without writing anything. File-level problems throw. */
  async checkWorkbook(actor: UserActor, file: Buffer): Promise<ImportProblem[]> {
    const ctx = await this.catalog.validationContext();
    const orgs = await repo.orgNames(this.catalog.db);
    return (await this.parse(actor, file, ctx, orgs)).problems;
  }

  /**
   * Imports the file all-or-nothing: any problem throws VALIDATION with every problem at its cell and
   * nothing is written; otherwise every entry is created as a draft in one transaction.
   */
  async importWorkbook(
    meta: RequestMeta,
    actor: UserActor,
    file: Buffer,
  ): Promise<{ created: number; entries: { code: string; name: string; id: string }[] }> {
    // Everything read before the transaction opens (PGlite has one connection).
    const ctx = await this.catalog.validationContext();
    const orgs = await repo.orgNames(this.catalog.db);
    const parsed = await this.parse(actor, file, ctx, orgs);
    if (parsed.problems.length) throw DomainError.validation(parsed.problems.map(toFieldProblem));
    let ids: string[];
    try {
      ids = await this.catalog.createMany(
        meta,
        actor,
        parsed.entries.map((e) => ({ input: e.input, code: e.code || null })),
        { ctx, action: 'catalog.entry.import' },
      );
    } catch (err) {
      // Checked above with the same context, so this is not expected; still, name the rows.
      if (err instanceof DomainError && err.code === 'VALIDATION') {
        throw DomainError.validation(this.remap(parsed, err.fields));
      }
      throw err;
    }
    const entries: { code: string; name: string; id: string }[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      for (const v of await this.catalog.views(this.catalog.db, ids.slice(i, i + 500))) {
        entries.push({ code: v.code, name: v.name, id: v.id });
      }
    }
    return { created: ids.length, entries };
  }

  /** createMany's `[i].field` problems (or `field` with one entry) at the cells they came from. */
  private remap(parsed: Parsed, fields: FieldProblem[]): FieldProblem[] {
    const report = new Report();
    const single = parsed.entries.length === 1;
    for (const f of fields) {
      const m = /^\[(\d+)\]\.(.*)$/.exec(f.field);
      const entry = single ? parsed.entries[0] : m ? parsed.entries[Number(m[1])] : undefined;
      if (!entry) {
        report.add(ENTRY_SHEET, 1, 1, '文件', f.rule, f.zh, f.en);
        continue;
      }
      this.placeEntryProblem(report, entry, m?.[2] ?? f.field, f, parsed.sheets);
    }
    return report.list.map(toFieldProblem);
  }

  private placeEntryProblem(
    report: Report,
    entry: ParsedEntry,
    field: string,
    p: { rule: string; zh: string; en: string },
    where: { entrySheet: Sheet<EntryKey>; itemSheet: Sheet<ItemKey> | null } | undefined,
  ): void {
    const entrySheet = where?.entrySheet;
    const entryName = entrySheet?.name ?? ENTRY_SHEET;
    const colOf = (k: EntryKey): number => entrySheet?.cols.get(k) ?? 0;
    const headerFor = (k: EntryKey): string => ENTRY_COLUMNS.find((c) => c.key === k)?.header ?? k;
    const item = /^items\[(\d+)\]\.(\w+)$/.exec(field);
    if (item) {
      const it = entry.items[Number(item[1])];
      const key = ITEM_FIELD[item[2] ?? ''];
      const itemSheet = where?.itemSheet;
      if (it && key) {
        const header = ITEM_COLUMNS.find((c) => c.key === key)?.header ?? key;
        const col = itemSheet?.cols.get(key) ?? itemSheet?.cols.get('name') ?? 0;
        report.addUnlessReported(itemSheet?.name ?? ITEM_SHEET, it.row, col, header, p);
        return;
      }
    }
    if (field === 'items') {
      report.addUnlessReported(entryName, entry.row, colOf('name'), '信息项', p);
      return;
    }
    if (field === 'providerOrgId') {
      const k = colOf(entry.providerKey)
        ? entry.providerKey
        : colOf('providerName')
          ? 'providerName'
          : 'providerCode';
      report.addUnlessReported(entryName, entry.row, colOf(k), headerFor(k), p);
      return;
    }
    const base = field.replace(/^census\./, '').replace(/\[\d+\]$/, '');
    const key = ENTRY_FIELD[base];
    if (key && colOf(key)) {
      report.addUnlessReported(entryName, entry.row, colOf(key), headerFor(key), p);
    } else {
      report.addUnlessReported(entryName, entry.row, colOf('name'), key ? headerFor(key) : field, p);
    }
  }

  private async load(file: Buffer): Promise<ExcelJS.Workbook> {
    if (file.length > MAX_FILE_BYTES) {
      throw fileError(
        'file.too_large',
        `文件不得超过 ${MAX_FILE_BYTES / 1024 / 1024} MB，请分批导入`,
        `The file may not exceed ${MAX_FILE_BYTES / 1024 / 1024} MB; import it in parts`,
      );
    }
    const notXlsx = () =>
      fileError(
        'file.format',
        '文件不是 Excel 工作簿（.xlsx，Excel 2007 及以上格式），请用目录模板填写后上传',
        'The file is not an Excel workbook (.xlsx, Excel 2007 or later); fill in the catalog template',
      );
    // An .xlsx is a zip archive.
    if (file.length < 4 || file.readUInt32LE(0) !== 0x04034b50) throw notXlsx();
    const wb = new ExcelJS.Workbook();
    try {
      // ExcelJS types its input as an ArrayBuffer; a copy is one.
      await wb.xlsx.load(new Uint8Array(file).buffer, {
        ignoreNodes: ['dataValidations', 'conditionalFormatting'],
      });
    } catch {
      throw notXlsx();
    }
    if (wb.worksheets.length === 0) throw notXlsx();
    return wb;
  }

  private async parse(
    actor: UserActor,
    file: Buffer,
    ctx: ValidationContext,
    orgList: OrgRef[],
  ): Promise<Parsed> {
    const wb = await this.load(file);
    const report = new Report();
    const orgs = new OrgIndex(orgList);

    const findSheet = (name: string, marker: string, not: string) =>
      wb.getWorksheet(name) ??
      wb.worksheets.find((ws) => {
        const texts: string[] = [];
        ws.getRow(1).eachCell((c) => {
          texts.push(norm(cellText(c.value)));
        });
        return texts.includes(norm(marker)) && !texts.includes(norm(not));
      });
    const ews = findSheet(ENTRY_SHEET, '信息资源名称', '信息项名称');
    const found = findSheet(ITEM_SHEET, '信息项名称', '信息资源摘要');
    // An items sheet with nothing in it is no items sheet (a file of service-format entries).
    const iws = found && found.actualRowCount > 0 ? found : undefined;
    if (!ews) {
      report.add(
        ENTRY_SHEET,
        1,
        1,
        ENTRY_SHEET,
        'import.sheet_missing',
        `找不到“${ENTRY_SHEET}”工作表，请使用目录模板`,
        `No "${ENTRY_SHEET}" sheet; use the catalog template`,
      );
      return { problems: report.list, entries: [] };
    }

    // Headers first: without its columns a sheet cannot be read row by row.
    const eh = headerOf(ews, ENTRY_COLUMNS, '信息资源名称');
    const ih = iws ? headerOf(iws, ITEM_COLUMNS, '信息项名称') : null;
    const structural = (
      ws: ExcelJS.Worksheet,
      columns: readonly Column<string>[],
      h: {
        headerRow: number;
        cols: Map<string, number>;
        duplicates: { col: number; header: string }[];
      } | null,
      oneOf: [string, string],
    ) => {
      const headerRow = h?.headerRow ?? 1;
      for (const c of columns) {
        if (c.need === 'required' && !h?.cols.has(c.key)) {
          report.add(
            ws.name,
            headerRow,
            1,
            c.header,
            'import.column_missing',
            `表头缺少“${c.header}”列`,
            `The header row lacks the column "${c.header}"`,
          );
        }
      }
      if (h && !h.cols.has(oneOf[0]) && !h.cols.has(oneOf[1])) {
        const [a, b] = oneOf.map((k) => columns.find((c) => c.key === k)?.header ?? k);
        report.add(
          ws.name,
          headerRow,
          1,
          `${a}/${b}`,
          'import.column_missing',
          `表头须包含“${a}”或“${b}”列`,
          `The header row needs the column "${a}" or "${b}"`,
        );
      }
      for (const d of h?.duplicates ?? []) {
        report.add(
          ws.name,
          headerRow,
          d.col,
          d.header,
          'import.column_duplicate',
          `“${d.header}”列重复`,
          `The column "${d.header}" appears twice`,
        );
      }
    };
    structural(ews, ENTRY_COLUMNS, eh, ['providerCode', 'providerName']);
    if (iws) structural(iws, ITEM_COLUMNS, ih, ['code', 'entryName']);
    if (report.list.length || !eh) return { problems: sortProblems(report.list, wb), entries: [] };

    if (ews.actualRowCount - eh.headerRow > MAX_ENTRY_ROWS) {
      throw fileError(
        'file.too_many_rows',
        `“${ENTRY_SHEET}”表不得超过 ${MAX_ENTRY_ROWS} 行，请分批导入`,
        `The "${ENTRY_SHEET}" sheet may not exceed ${MAX_ENTRY_ROWS} rows; import it in parts`,
      );
    }

    const entrySheet: Sheet<EntryKey> = {
      name: ews.name,
      cols: eh.cols,
      rows: rowsOf(ews, eh.headerRow, eh.cols),
    };
    const itemSheet: Sheet<ItemKey> | null =
      iws && ih ? { name: iws.name, cols: ih.cols, rows: rowsOf(iws, ih.headerRow, ih.cols) } : null;

    if (entrySheet.rows.length === 0) {
      report.add(
        entrySheet.name,
        eh.headerRow + 1,
        entrySheet.cols.get('name') ?? 1,
        '信息资源名称',
        'import.empty',
        '“信息资源”表没有任何目录行',
        'The entry sheet holds no entries',
      );
      return { problems: report.list, entries: [] };
    }

    const entries = entrySheet.rows.map((r) => this.parseEntry(actor, r, entrySheet, orgs, report));

    // Codes and names: unique, so that the item rows can find their entry.
    const byCode = new Map<string, ParsedEntry>();
    const byName = new Map<string, ParsedEntry[]>();
    for (const e of entries) {
      if (e.code) {
        if (byCode.has(e.code)) {
          report.add(
            entrySheet.name,
            e.row,
            entrySheet.cols.get('code') ?? 0,
            '资源代码',
            'import.code_duplicate',
            `资源代码“${e.code}”在第${byCode.get(e.code)?.row}行已出现`,
            `Code ${e.code} already appears in row ${byCode.get(e.code)?.row}`,
          );
        } else {
          byCode.set(e.code, e);
        }
      }
      if (e.name) {
        const same = byName.get(e.name) ?? [];
        const clash = same.find((o) => !o.code || !e.code);
        if (clash) {
          report.add(
            entrySheet.name,
            e.row,
            entrySheet.cols.get('name') ?? 0,
            '信息资源名称',
            'import.name_duplicate',
            `信息资源名称“${e.name}”在第${clash.row}行已出现；未填资源代码的目录，名称在文件中须唯一`,
            `The name "${e.name}" already appears in row ${clash.row}; entries without a code need a unique name`,
          );
        }
        same.push(e);
        byName.set(e.name, same);
      }
    }

    if (itemSheet) {
      for (const r of itemSheet.rows) {
        const owner = this.linkItem(r, itemSheet, byCode, byName, report);
        const item = this.parseItem(r, itemSheet, orgs, report);
        if (owner && item) owner.items.push(item);
      }
    }

    for (const e of entries) {
      // Items in the order of their numbers; rows without a number after, in file order.
      const seen = new Map<number, number>();
      for (const it of e.items) {
        if (it.seq === null) continue;
        const first = seen.get(it.seq);
        if (first !== undefined && itemSheet) {
          report.add(
            itemSheet.name,
            it.row,
            itemSheet.cols.get('seq') ?? 0,
            '信息项序号',
            'import.item_seq_duplicate',
            `信息项序号 ${it.seq} 在第${first}行已用于同一目录`,
            `Item number ${it.seq} is already used for this entry in row ${first}`,
          );
        } else {
          seen.set(it.seq, it.row);
        }
      }
      e.items.sort(
        (a, b) => (a.seq ?? Number.POSITIVE_INFINITY) - (b.seq ?? Number.POSITIVE_INFINITY) || a.row - b.row,
      );
      e.input.items = e.items.map((i) => i.input);
      for (const p of validateEntry(e.input, ctx)) {
        this.placeEntryProblem(report, e, p.field, p, { entrySheet, itemSheet });
      }
    }

    return {
      problems: sortProblems(report.list, wb),
      entries: report.list.length ? [] : entries,
      sheets: { entrySheet, itemSheet },
    };
  }

  private parseEntry(
    actor: UserActor,
    r: SheetRow<EntryKey>,
    sheet: Sheet<EntryKey>,
    orgs: OrgIndex,
    report: Report,
  ): ParsedEntry {
    const get = (k: EntryKey): string => r.cells.get(k) ?? '';
    const col = (k: EntryKey): number => sheet.cols.get(k) ?? 0;
    const header = (k: EntryKey): string => ENTRY_COLUMNS.find((c) => c.key === k)?.header ?? k;
    const problem = (k: EntryKey, rule: string, zh: string, en: string) =>
      report.add(sheet.name, r.row, col(k), header(k), rule, zh, en);

    /** A value-set cell: empty → undefined (reported when required), unknown → reported. */
    const pick = <K extends string>(
      k: EntryKey,
      map: Map<string, K>,
      set: Record<K, string>,
      required: boolean,
    ): K | undefined => {
      const t = get(k);
      if (!t) {
        if (required) problem(k, 'required', `“${header(k)}”必填`, `${header(k)} is required`);
        return undefined;
      }
      const v = map.get(norm(t));
      if (v === undefined) {
        problem(
          k,
          'import.value_unknown',
          `“${t}”不是可选值，应为：${allowed(set)}`,
          `"${t}" is not an allowed value; use one of ${allowed(set)}`,
        );
      }
      return v;
    };

    const number = (k: CensusKey): number | null => {
      const t = get(k);
      if (!t) return null;
      const n = parseNumber(t);
      if (n === null) {
        problem(k, 'import.number_format', `“${t}”不是数字`, `"${t}" is not a number`);
        return null;
      }
      if (INTEGER_CENSUS.has(k) && !Number.isInteger(n)) {
        problem(k, 'import.number_integer', `“${t}”须为整数`, `"${t}" must be a whole number`);
        return null;
      }
      if (INTEGER_CENSUS.has(k) && !Number.isSafeInteger(n)) {
        problem(k, 'import.number_range', `“${t}”超出可记录的范围`, `"${t}" is out of range`);
        return null;
      }
      return n;
    };

    const formatCategory = pick('formatCategory', FORMAT_CATEGORY_OF, FORMAT_CATEGORIES, true);
    const shareType = pick('shareType', SHARE_TYPE_OF, SHARE_TYPES, true);
    const notSharedBasisKind = pick('notSharedBasisKind', BASIS_KIND_OF, BASIS_KINDS, false) ?? null;
    const openType = pick('openType', OPEN_TYPE_OF, OPEN_TYPES, true);
    const updateCycle = pick('updateCycle', UPDATE_CYCLE_OF, UPDATE_CYCLES, true);
    const basicLibrary = pick('basicLibrary', BASIC_LIBRARY_OF, BASIC_LIBRARIES, false) ?? null;
    const dataGrade = pick('dataGrade', DATA_GRADE_OF, DATA_GRADES, true);

    // 格式类型: the guide's spelling, whatever the case and spacing the file uses.
    let formatType = get('formatType');
    if (formatCategory) {
      const canonical = FORMAT_TYPES[formatCategory].find((t) => norm(t) === norm(formatType));
      if (canonical) formatType = canonical;
    }

    const shareModes: ShareMode[] = [];
    const unknownModes: string[] = [];
    for (const part of get('shareModes').split(LIST_SEPARATORS).filter(Boolean)) {
      const m = SHARE_MODE_OF.get(norm(part));
      if (m) shareModes.push(m);
      else unknownModes.push(part);
    }
    if (unknownModes.length) {
      problem(
        'shareModes',
        'import.value_unknown',
        `“${unknownModes.join('、')}”不是可选的共享方式，应为：${allowed(SHARE_MODES)}（多个以“、”分隔）`,
        `"${unknownModes.join(', ')}" is not a share mode; use ${allowed(SHARE_MODES)} (several separated by 、 or ;)`,
      );
    }

    let classified = false;
    const cl = get('classified');
    if (cl) {
      const v = CLASSIFIED_OF.get(norm(cl));
      if (v === undefined) {
        problem(
          'classified',
          'import.value_unknown',
          `“${cl}”应为：涉密、非涉密`,
          `"${cl}" must be 涉密 or 非涉密`,
        );
      } else {
        classified = v;
      }
    }

    const census = {
      storageGb: number('storageGb'),
      recordCount: number('recordCount'),
      sharedGb: number('sharedGb'),
      sharedRecords: number('sharedRecords'),
      openedGb: number('openedGb'),
      openedRecords: number('openedRecords'),
    };

    // The provider: by credit code, else by name; both given must agree.
    const providerCode = get('providerCode');
    const providerName = get('providerName');
    let providerOrgId = '';
    const providerKey: ParsedEntry['providerKey'] = providerCode ? 'providerCode' : 'providerName';
    if (providerCode) {
      const o = orgs.byCredit(providerCode);
      if (!o) {
        problem(
          'providerCode',
          'import.provider_unknown',
          `统一社会信用代码“${providerCode}”不对应平台上的任何单位`,
          `No organization on the platform has the credit code ${providerCode}`,
        );
      } else {
        providerOrgId = o.id;
        if (providerName && !orgs.find(providerName).some((x) => x.id === o.id)) {
          problem(
            'providerName',
            'import.provider_mismatch',
            `“${providerName}”与提供方代码“${providerCode}”（${o.name}）不一致`,
            `"${providerName}" does not match the credit code ${providerCode} (${o.name})`,
          );
        }
      }
    } else if (providerName) {
      const found = orgs.find(providerName);
      if (found.length === 1 && found[0]) {
        providerOrgId = found[0].id;
      } else if (found.length > 1) {
        problem(
          'providerName',
          'import.provider_ambiguous',
          `“${providerName}”对应多个单位，请填写提供方代码`,
          `"${providerName}" names several organizations; give the credit code`,
        );
      } else {
        problem(
          'providerName',
          'import.provider_unknown',
          `平台上没有名为“${providerName}”的单位`,
          `No organization on the platform is called "${providerName}"`,
        );
      }
    } else {
      const k: EntryKey = col('providerName') ? 'providerName' : 'providerCode';
      problem(
        k,
        'required',
        '须填写信息资源提供方或提供方代码',
        'The provider (name or credit code) is required',
      );
    }
    if (providerOrgId && actor.role !== 'platform_admin' && providerOrgId !== actor.orgId) {
      const own = orgs.orgs.find((o) => o.id === actor.orgId);
      problem(
        providerKey,
        'import.provider_not_own',
        `只能导入本单位（${own?.name ?? actor.orgId}）的目录`,
        `You may import only your own organization's entries (${own?.name ?? actor.orgId})`,
      );
    }

    const code = get('code');
    const classCode = get('classCode');
    if (code) {
      const m = CODE_PATTERN.exec(code);
      if (!m || (/^[123]\d{5,}$/.test(classCode) && m[1] !== classCode)) {
        problem(
          'code',
          'import.code_format',
          `资源代码应为“分类码/顺序码”，且分类码与本行“分类码”（${classCode}）一致；新编目录可留空`,
          `The code must be 分类码/顺序码 with this row's 分类码 (${classCode}); leave it empty for a new entry`,
        );
      }
    }

    const relatedCodes = get('relatedCodes').split(LIST_SEPARATORS).filter(Boolean);
    const input: EntryInput = {
      classCode,
      className: get('className'),
      name: get('name'),
      providerOrgId,
      providerUnit: get('providerUnit'),
      summary: get('summary'),
      // Unreadable labels were reported above; validateEntry sees them as absent and its own report on
      // the same cell is dropped.
      formatCategory: formatCategory ?? ('' as FormatCategory),
      formatType,
      shareType: shareType ?? ('' as NonNullable<typeof shareType>),
      shareConditionScope: get('shareConditionScope'),
      shareConditionUse: get('shareConditionUse'),
      notSharedBasisKind,
      notSharedBasis: get('notSharedBasis'),
      shareModes,
      openType: openType ?? ('' as NonNullable<typeof openType>),
      openCondition: get('openCondition'),
      updateCycle: updateCycle ?? ('' as NonNullable<typeof updateCycle>),
      relatedCodes,
      sourceSystem: get('sourceSystem'),
      basicLibrary,
      classified,
      dataCategory: get('dataCategory'),
      dataGrade: dataGrade ?? ('' as NonNullable<typeof dataGrade>),
      census,
      items: [],
    };
    return { row: r.row, code, name: input.name, providerKey, input, items: [] };
  }

  private linkItem(
    r: SheetRow<ItemKey>,
    sheet: Sheet<ItemKey>,
    byCode: Map<string, ParsedEntry>,
    byName: Map<string, ParsedEntry[]>,
    report: Report,
  ): ParsedEntry | undefined {
    const code = r.cells.get('code') ?? '';
    const name = r.cells.get('entryName') ?? '';
    const codeCol = sheet.cols.get('code') ?? 0;
    const nameCol = sheet.cols.get('entryName') ?? 0;
    if (code) {
      const e = byCode.get(code);
      if (!e) {
        report.add(
          sheet.name,
          r.row,
          codeCol,
          '资源代码',
          'import.item_orphan',
          `“${ENTRY_SHEET}”表中没有资源代码为“${code}”的目录`,
          `No entry of the "${ENTRY_SHEET}" sheet has the code ${code}`,
        );
        return undefined;
      }
      if (name && name !== e.name) {
        report.add(
          sheet.name,
          r.row,
          nameCol,
          '信息资源名称',
          'import.item_name_mismatch',
          `资源代码“${code}”的目录名为“${e.name}”，与“${name}”不一致`,
          `The entry with code ${code} is called "${e.name}", not "${name}"`,
        );
      }
      return e;
    }
    if (!name) {
      report.add(
        sheet.name,
        r.row,
        codeCol || nameCol,
        codeCol ? '资源代码' : '信息资源名称',
        'import.item_unlinked',
        '须填写所属目录的资源代码或信息资源名称',
        'Give the code or the name of the entry this item belongs to',
      );
      return undefined;
    }
    const found = byName.get(name) ?? [];
    if (found.length === 0) {
      report.add(
        sheet.name,
        r.row,
        nameCol,
        '信息资源名称',
        'import.item_orphan',
        `“${ENTRY_SHEET}”表中没有名为“${name}”的目录`,
        `No entry of the "${ENTRY_SHEET}" sheet is called "${name}"`,
      );
      return undefined;
    }
    if (found.length > 1) {
      report.add(
        sheet.name,
        r.row,
        nameCol,
        '信息资源名称',
        'import.item_ambiguous',
        `“${ENTRY_SHEET}”表中有多个名为“${name}”的目录，请填写资源代码`,
        `Several entries are called "${name}"; give the code`,
      );
      return undefined;
    }
    return found[0];
  }

  private parseItem(
    r: SheetRow<ItemKey>,
    sheet: Sheet<ItemKey>,
    orgs: OrgIndex,
    report: Report,
  ): ParsedItem | undefined {
    const get = (k: ItemKey): string => r.cells.get(k) ?? '';
    const header = (k: ItemKey): string => ITEM_COLUMNS.find((c) => c.key === k)?.header ?? k;
    const problem = (k: ItemKey, rule: string, zh: string, en: string) =>
      report.add(sheet.name, r.row, sheet.cols.get(k) ?? 0, header(k), rule, zh, en);

    let seq: number | null = null;
    const seqText = get('seq');
    if (seqText) {
      const n = parseNumber(seqText);
      if (n === null)
        problem('seq', 'import.number_format', `“${seqText}”不是数字`, `"${seqText}" is not a number`);
      else if (!Number.isInteger(n) || n <= 0)
        problem(
          'seq',
          'import.number_integer',
          `“${seqText}”须为正整数`,
          `"${seqText}" must be a positive whole number`,
        );
      else seq = n;
    }

    const typeText = get('dataType');
    let dataType: DataType | undefined;
    if (!typeText) {
      problem('dataType', 'required', '“数据类型”必填', '数据类型 is required');
    } else {
      dataType = dataTypeOf(typeText);
      if (!dataType) {
        const list = (Object.keys(DATA_TYPES) as DataType[]).map(dataTypeText).join('、');
        problem(
          'dataType',
          'import.value_unknown',
          `“${typeText}”不是可选的数据类型，应为：${list}（可只填字母或名称）`,
          `"${typeText}" is not a data type; use ${list} (the letter or the name alone will do)`,
        );
      }
    }

    let length: number | null = null;
    const lengthText = get('length');
    if (lengthText) {
      length = parseNumber(lengthText);
      if (length === null) {
        problem(
          'length',
          'import.number_format',
          `“${lengthText}”不是数字`,
          `"${lengthText}" is not a number`,
        );
      } else if (length > MAX_ITEM_LENGTH) {
        problem(
          'length',
          'import.number_range',
          `数据长度不得超过 ${MAX_ITEM_LENGTH}`,
          `The length may not exceed ${MAX_ITEM_LENGTH}`,
        );
        length = null;
      }
    }

    let collectingOrgId: string | null = null;
    const orgText = get('collectingOrg');
    if (orgText) {
      const found = orgs.find(orgText);
      if (found.length === 1 && found[0]) collectingOrgId = found[0].id;
      else if (found.length > 1)
        problem(
          'collectingOrg',
          'import.org_ambiguous',
          `“${orgText}”对应多个单位，请填写全称或统一社会信用代码`,
          `"${orgText}" names several organizations; give the full name or the credit code`,
        );
      else
        problem(
          'collectingOrg',
          'import.org_unknown',
          `平台上没有“${orgText}”这个单位（可填全称、简称或统一社会信用代码）`,
          `No organization "${orgText}" on the platform (full name, short name or credit code)`,
        );
    }

    const optionalSet = <K extends string>(k: ItemKey, map: Map<string, K>, set: Record<K, string>) => {
      const t = get(k);
      if (!t) return undefined;
      const v = map.get(norm(t));
      if (v === undefined) {
        problem(
          k,
          'import.value_unknown',
          `“${t}”不是可选值，应为：${allowed(set)}`,
          `"${t}" is not an allowed value; use one of ${allowed(set)}`,
        );
      }
      return v;
    };
    const sensitivity = optionalSet('sensitivity', SENSITIVITY_OF, SENSITIVITIES);
    const masking = optionalSet('masking', MASKING_OF, MASKINGS);

    const input: ItemInput = {
      name: get('name'),
      dataType: dataType ?? ('' as DataType),
      length,
      description: get('description'),
      collectingOrgId,
      standardElement: get('standardElement') || null,
      ...(sensitivity ? { sensitivity } : {}),
      ...(masking ? { masking } : {}),
    };
    return { row: r.row, seq, input };
  }
}

/** '1,234.5', ' 12 ', '１２' → numbers; anything else → null. */
function parseNumber(text: string): number | null {
  const t = text.normalize('NFKC').replace(/[,\s]/g, '');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** Sheet order, then row, then column; at most MAX_PROBLEMS, the last saying how many more there were. */
function sortProblems(list: ImportProblem[], wb: ExcelJS.Workbook): ImportProblem[] {
  const order = new Map(wb.worksheets.map((ws, i) => [ws.name, i]));
  const colNum = (c: string) => [...c].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  const sorted = [...list].sort(
    (a, b) =>
      (order.get(a.sheet) ?? 99) - (order.get(b.sheet) ?? 99) ||
      a.row - b.row ||
      colNum(a.column) - colNum(b.column),
  );
  if (sorted.length <= MAX_PROBLEMS) return sorted;
  const kept = sorted.slice(0, MAX_PROBLEMS - 1);
  const last = sorted[MAX_PROBLEMS - 1] as ImportProblem;
  const more = sorted.length - kept.length;
  kept.push({
    ...last,
    rule: 'import.too_many_problems',
    zh: `还有 ${more} 个问题未列出，请先改正以上问题`,
    en: `${more} more problems are not listed; correct the ones above first`,
  });
  return kept;
}

// ── writing the sheets ──────────────────────────────────────────────────────────────────────

function layout<K extends string>(ws: ExcelJS.Worksheet, columns: readonly Column<K>[]): void {
  ws.columns = columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width,
    ...(c.text ? { style: { numFmt: '@' } } : {}),
  }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  header.height = 30;
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }];
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
}

/** The ranges of the value lists on the guide sheet, as formulas for the dropdowns. */
type ListRanges = Record<ListName, string>;

function writeGuide(
  ws: ExcelJS.Worksheet,
  entryColumns: readonly Column<EntryKey>[],
  orgs: { name: string; short_name: string; credit_code: string }[],
  acceptedBasisKinds: readonly string[],
): ListRanges {
  const lists: Record<ListName, string[]> = { ...staticLists(), org: orgs.map((o) => o.name).sort() };
  const valuesText: Record<ListName, string> = {
    ...(Object.fromEntries((Object.keys(lists) as ListName[]).map((k) => [k, lists[k].join('、')])) as Record<
      ListName,
      string
    >),
    formatType: (Object.keys(FORMAT_TYPES) as FormatCategory[])
      .map((c) => `${FORMAT_CATEGORIES[c]}：${FORMAT_TYPES[c].join('、')}`)
      .join('；'),
    org: '平台上的单位（全称见右侧“单位”列；也可填简称或统一社会信用代码）',
    basisKind: `${lists.basisKind.join('、')}（现行政策认可：${acceptedBasisKinds
      .map((k) => (Object.hasOwn(BASIS_KINDS, k) ? BASIS_KINDS[k as keyof typeof BASIS_KINDS] : k))
      .join('、')}）`,
  };

  ws.columns = [
    { header: '工作表', key: 'sheet', width: 10 },
    { header: '列名', key: 'column', width: 20 },
    { header: '必填', key: 'required', width: 8 },
    { header: '说明', key: 'note', width: 60 },
    { header: '可选值', key: 'values', width: 60 },
    { header: '', key: 'gap', width: 3 },
  ];
  const requiredText = (c: Column<string>): string => {
    const always = new Set([
      'classCode',
      'className',
      'name',
      'summary',
      'formatCategory',
      'formatType',
      'shareType',
      'openType',
      'updateCycle',
      'dataGrade',
    ]);
    if (c.key === 'providerName' || c.key === 'providerCode') return '二选一';
    if (c.key === 'shareModes') return '是';
    return always.has(c.key) ? '是' : c.need === 'required' ? '视情况' : '否';
  };
  for (const c of entryColumns) {
    ws.addRow({
      sheet: ENTRY_SHEET,
      column: c.header,
      required: requiredText(c),
      note: c.note,
      values: c.list ? valuesText[c.list] : '',
    });
  }
  const classified = ENTRY_COLUMNS.find((c) => c.key === 'classified');
  if (classified) {
    ws.addRow({
      sheet: ENTRY_SHEET,
      column: classified.header,
      required: '否',
      note: classified.note,
      values: '涉密、非涉密',
    });
  }
  for (const c of ITEM_COLUMNS) {
    const required =
      c.key === 'code' || c.key === 'entryName'
        ? '二选一'
        : c.key === 'name' || c.key === 'dataType'
          ? '是'
          : c.key === 'length'
            ? '视情况'
            : '否';
    ws.addRow({
      sheet: ITEM_SHEET,
      column: c.header,
      required,
      note: c.note,
      values: c.list ? valuesText[c.list] : '',
    });
  }
  ws.addRow({});
  const general = [
    '填表要求：',
    '1. 表头（第 1 行）的列名不可修改；列的顺序可以调整，可以增加其他列（导入时忽略）。',
    '2. “信息资源”表每行一个目录，“信息项”表每行一个信息项，以“资源代码”（新编目录以“信息资源名称”）关联到所属目录。',
    '3. 取值列请使用下拉列表中的中文名称；共享方式可多选，以“、”分隔。',
    '4. 导入为“全部或全不”：任何一格有误，整个文件都不导入，并逐行列出问题所在的单元格；改正后重新上传即可。',
    '5. 导入的目录均为草稿，须经评估、部门负责人审批、提交和平台审核后发布。部门用户只能导入本单位的目录。',
    `6. 单个文件不超过 ${MAX_FILE_BYTES / 1024 / 1024} MB、${MAX_ENTRY_ROWS} 个目录。涉密信息资源不得进入共享平台。`,
  ];
  for (const line of general) ws.addRow({ sheet: line });

  // The value lists, one column each, to the right: the dropdowns of the data sheets point here.
  const ranges = {} as ListRanges;
  (Object.keys(lists) as ListName[]).forEach((k, i) => {
    const col = 7 + i;
    const letter = columnLetter(col);
    ws.getColumn(col).width = Math.max(10, LIST_TITLES[k].length * 2 + 2);
    ws.getCell(1, col).value = LIST_TITLES[k];
    lists[k].forEach((v, j) => {
      ws.getCell(2 + j, col).value = v;
    });
    const last = Math.max(2, 1 + lists[k].length);
    ranges[k] = `'${GUIDE_SHEET}'!$${letter}$2:$${letter}$${last}`;
  });
  const header = ws.getRow(1);
  header.font = { bold: true };
  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }];
  ws.getColumn(4).alignment = { wrapText: true, vertical: 'top' };
  ws.getColumn(5).alignment = { wrapText: true, vertical: 'top' };
  return ranges;
}

/** ExcelJS supports range validations at run time; its typings leave them out. */
interface WithValidations {
  dataValidations: {
    add(address: string, validation: ExcelJS.DataValidation): void;
  };
}

function dropdowns<K extends string>(
  ws: ExcelJS.Worksheet,
  columns: readonly Column<K>[],
  lists: ListRanges,
  lastRow: number,
): void {
  const dv = (ws as unknown as WithValidations).dataValidations;
  columns.forEach((c, i) => {
    if (!c.list) return;
    const letter = columnLetter(i + 1);
    dv.add(`${letter}2:${letter}${lastRow}`, {
      type: 'list',
      allowBlank: true,
      formulae: [lists[c.list]],
      showErrorMessage: true,
      errorStyle: c.loose ? 'warning' : 'stop',
      errorTitle: c.header,
      error: c.loose ? `请从列表中选择，或按填表说明填写` : `请从下拉列表中选择“${c.header}”的可选值`,
    });
  });
}
