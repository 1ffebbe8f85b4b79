/**
 * The value sets of the national catalog guide (《政务信息资源目录编制指南(试行)》, STANDARDS.md) and of
 * the 2025 regulation's data grading, with their Chinese labels. Identifiers are English; the labels are
 * what officers read and what the spreadsheets carry.
 */

export const CATEGORIES = { '1': '基础信息资源', '2': '主题信息资源', '3': '部门信息资源' } as const;
export type Category = keyof typeof CATEGORIES;

export const FORMAT_CATEGORIES = {
  electronic_file: '电子文件',
  spreadsheet: '电子表格',
  database: '数据库',
  image: '图形图像',
  streaming: '流媒体',
  self_describing: '自描述格式',
  service: '服务接口',
} as const;
export type FormatCategory = keyof typeof FORMAT_CATEGORIES;

/** Format types per category (the guide's lists; PostgreSQL and MySQL as used in practice). */
export const FORMAT_TYPES: Record<FormatCategory, readonly string[]> = {
  electronic_file: ['OFD', 'wps', 'xml', 'txt', 'doc', 'docx', 'html', 'pdf', 'ppt'],
  spreadsheet: ['et', 'xls', 'xlsx'],
  database: [
    '达梦DM',
    'KingbaseES',
    'PostgreSQL',
    'MySQL',
    'oracle',
    'sql server',
    'db2',
    'sybase',
    'access',
    'dbf',
    'dbase',
  ],
  image: ['jpg', 'gif', 'bmp'],
  streaming: ['swf', 'rm', 'mpg'],
  self_describing: ['json', 'xml'],
  service: ['REST', 'WebService'],
};

/** Formats whose entries must list their data items (信息项). */
export const FORMATS_REQUIRING_ITEMS: readonly FormatCategory[] = ['database', 'spreadsheet'];

export const SHARE_TYPES = {
  unconditional: '无条件共享',
  conditional: '有条件共享',
  not_shared: '不予共享',
} as const;
export type ShareType = keyof typeof SHARE_TYPES;

export const SHARE_MODES = {
  database: '库表',
  api: '接口',
  file: '文件',
  email: '邮件方式',
  media: '介质方式',
} as const;
export type ShareMode = keyof typeof SHARE_MODES;

/** Which share modes fit which formats: a file shares by file; a database by table or API (STANDARDS.md). */
export const MODES_FOR_FORMAT: Record<FormatCategory, readonly ShareMode[]> = {
  electronic_file: ['file', 'email', 'media'],
  spreadsheet: ['file', 'database', 'email', 'media'],
  database: ['database', 'api'],
  image: ['file', 'email', 'media'],
  streaming: ['file', 'media'],
  self_describing: ['file', 'api'],
  service: ['api'],
};

export const OPEN_TYPES = { general: '无条件开放', authorized: '有条件开放', not_open: '不予开放' } as const;
export type OpenType = keyof typeof OPEN_TYPES;

export const UPDATE_CYCLES = {
  realtime: '实时',
  daily: '每日',
  weekly: '每周',
  monthly: '每月',
  quarterly: '每季度',
  semiannual: '每半年',
  annual: '每年',
  irregular: '不定期',
  other: '其他',
} as const;
export type UpdateCycle = keyof typeof UPDATE_CYCLES;

export const BASIC_LIBRARIES = {
  population: '人口',
  legal_person: '法人',
  geo: '自然资源和空间地理',
  credit: '社会信用',
  license: '电子证照',
} as const;
export type BasicLibrary = keyof typeof BASIC_LIBRARIES;

/** Kinds of legal basis a "not shared" entry may cite; the active policy says which are accepted. */
export const BASIS_KINDS = {
  law: '法律',
  administrative_regulation: '行政法规',
  state_council_decision: '国务院决定',
  local_regulation: '地方性法规',
  rule: '规章',
  central_policy: '党中央、国务院政策',
  policy_document: '政策文件',
} as const;
export type BasisKind = keyof typeof BASIS_KINDS;

/** 数据分级 (《数据安全法》, 条例 Art. 13): core, important, general data. */
export const DATA_GRADES = { core: '核心数据', important: '重要数据', general: '一般数据' } as const;
export type DataGrade = keyof typeof DATA_GRADES;

/** 信息项数据类型 of the guide. */
export const DATA_TYPES = {
  C: '字符型',
  N: '数值型',
  Y: '货币型',
  D: '日期型',
  T: '日期时间型',
  L: '逻辑型',
  M: '备注型',
  G: '通用型',
  B: '双精度型',
  I: '整型',
  F: '浮点型',
} as const;
export type DataType = keyof typeof DATA_TYPES;

export const SENSITIVITIES = {
  public: '公开',
  internal: '内部',
  sensitive: '敏感',
  highly_sensitive: '高度敏感',
} as const;
export type Sensitivity = keyof typeof SENSITIVITIES;

/** Default masking of an item's values when shared: none, partial (e.g. 4201**********123X), SM3 hash, redacted. */
export const MASKINGS = { none: '不脱敏', partial: '部分遮盖', hash: '哈希', redact: '完全屏蔽' } as const;
export type Masking = keyof typeof MASKINGS;

export const ENTRY_STATUSES = {
  draft: '草稿',
  submitted: '待审核',
  returned: '已退回',
  published: '已发布',
  withdrawn: '已撤销',
} as const;
export type EntryStatus = keyof typeof ENTRY_STATUSES;

/** A value set as a lookup from label to identifier (spreadsheets carry the labels). */
export function byLabel<K extends string>(set: Record<K, string>): Map<string, K> {
  const m = new Map<string, K>();
  for (const [k, v] of Object.entries(set) as [K, string][]) {
    m.set(v, k);
    m.set(k, k);
  }
  return m;
}
