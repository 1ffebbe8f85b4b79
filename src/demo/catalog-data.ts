/**
 * The demo resource catalog of Xianning as pure data: the first batch of shared government
 * information resources (咸宁市首批政务信息资源共享目录, the last section of seed 004, 第一条–第十七条).
 *
 * One entry per register the seed names, every field the seed lists as one data item with the seed's
 * own name and in the seed's order. Where a field is added or a name is split, a comment says so:
 *
 * - 004 第十一条: every department other than 公安 that provides natural-person data must also provide
 *   the person's 姓名, 身份证件类型 and 身份证件号码 for matching. Where the seed's list lacks them they
 *   are added at the head of the item list (marked `MATCHING` below and in the item description).
 *   公安's own registers are exempt (§11 "除公安部门外"): 户籍 carries 公民身份号码 itself.
 * - Departments are mapped to the demo organizations (src/demo/index.ts) that hold the function today:
 *   工商行政管理 and 质量技术监督 → 市市场监管局 (2018 institutional reform), 卫生和计划生育 → 市卫健委,
 *   机构编制管理 → 市编办, 国土资源 / 城乡规划 → 市自然资源和规划局; the departments of 第十七条 that the demo
 *   does not have (水利, 林业, 农业, 气象 …) are mapped to 市自然资源和规划局 as the holder of the unified
 *   natural-resources survey and spatial-geography base (see each entry).
 *
 * Census figures are plausible for a city of about 2.65 million residents (3.05 million registered);
 * they are demo values, not statistics.
 */
import type { EntryInput, ItemInput } from '../modules/catalog/catalog.model.js';
import type { DataType } from '../modules/catalog/catalog.values.js';

export interface DemoItem extends Omit<ItemInput, 'collectingOrgId'> {
  /** short name of the 责任采集部门 when it is not the provider, e.g. '市民政局' */
  collectingOrg?: string;
}

export interface DemoEntry extends Omit<EntryInput, 'providerOrgId' | 'items'> {
  /** short name of the providing organization as in src/demo/index.ts, e.g. '市公安局' */
  provider: string;
  /** which 条 of the seed it comes from, e.g. '第一条' */
  seedArticle: string;
  items: DemoItem[];
  /** demo workflow state to leave the entry in: most 'published'; a few 'draft', 'submitted' or 'returned' so the workflow screens are not empty */
  demoStatus: 'published' | 'draft' | 'submitted' | 'returned';
}

// ── item helpers ──

type ItemOpts = Pick<
  DemoItem,
  'description' | 'collectingOrg' | 'sensitivity' | 'masking' | 'standardElement'
>;

/** A data item; internal and unmasked unless told otherwise. Length only for C/N/Y/B/F. */
function item(name: string, dataType: DataType, length: number | null = null, opts: ItemOpts = {}): DemoItem {
  return { name, dataType, length, sensitivity: 'internal', masking: 'none', standardElement: null, ...opts };
}

/** A character code or short text, internal. */
function code(
  name: string,
  length: number,
  standardElement: string | null = null,
  description?: string,
): DemoItem {
  return item(name, 'C', length, { standardElement, ...(description ? { description } : {}) });
}

/** A text of public record (organization names, registration authorities of legal persons …). */
function publicText(name: string, length: number, description?: string): DemoItem {
  return item(name, 'C', length, { sensitivity: 'public', ...(description ? { description } : {}) });
}

function date(name: string, opts: ItemOpts = {}): DemoItem {
  return item(name, 'D', null, opts);
}

/** A natural person's name: sensitive, partly masked when shared. */
function personName(name: string, opts: ItemOpts = {}): DemoItem {
  return item(name, 'C', 50, { sensitivity: 'sensitive', masking: 'partial', ...opts });
}

/** 公民身份号码 (GB 11643). */
function citizenId(name: string, opts: ItemOpts = {}): DemoItem {
  return item(name, 'C', 18, {
    sensitivity: 'sensitive',
    masking: 'partial',
    standardElement: 'GB 11643 公民身份号码',
    ...opts,
  });
}

/** An identity-document number of any document type (居民身份证, 护照, 港澳台居民居住证 …). */
function idNumber(name: string, opts: ItemOpts = {}): DemoItem {
  return item(name, 'C', 18, { sensitivity: 'sensitive', masking: 'partial', ...opts });
}

function idType(opts: ItemOpts = {}): DemoItem {
  return item('身份证件类型', 'C', 3, { standardElement: 'GA/T 517 常用证件代码', ...opts });
}

/** A personal address, phone or certificate number: sensitive, partly masked. */
function personal(name: string, length: number, opts: ItemOpts = {}): DemoItem {
  return item(name, 'C', length, { sensitivity: 'sensitive', masking: 'partial', ...opts });
}

/** Health, death-cause and disability details: highly sensitive, redacted unless a grant says otherwise. */
function health(name: string, dataType: DataType, length: number | null, opts: ItemOpts = {}): DemoItem {
  return item(name, dataType, length, { sensitivity: 'highly_sensitive', masking: 'redact', ...opts });
}

/** A GB/T 2260 administrative-division code (the seed's "…行政区划" of an authority or place). */
function division(name: string): DemoItem {
  return code(name, 6, 'GB/T 2260 行政区划代码');
}

const gender = (): DemoItem => code('性别', 1, 'GB/T 2261.1 人的性别代码');
const ethnicity = (): DemoItem => code('民族', 2, 'GB/T 3304 中国各民族名称的罗马字母拼写法和代码');

const ADDED = '依 004 第十一条补充，用于比对';

/**
 * The matching fields of 004 §11, for the registers whose seed list lacks them. `hasName` when the
 * seed already lists the person's name under another label (e.g. 学生姓名).
 */
function matching(hasName = false): DemoItem[] {
  return [
    ...(hasName ? [] : [personName('姓名', { description: ADDED })]),
    idType({ description: ADDED }),
    idNumber('身份证件号码', { description: ADDED }),
  ];
}

// ── entry defaults ──

type Sharing = Pick<DemoEntry, 'shareType' | 'shareConditionScope' | 'shareConditionUse' | 'openType'>;

/** Personal data: conditional sharing for the duties of government departments, never opened. */
const PERSON_SHARING: Sharing = {
  shareType: 'conditional',
  shareConditionScope: '市直及县（市、区）政务部门依法履职',
  shareConditionUse: '仅用于身份核验、业务审批，不得向第三方提供',
  openType: 'not_open',
};

function personSharing(scope: string, use: string): Sharing {
  return {
    shareType: 'conditional',
    shareConditionScope: scope,
    shareConditionUse: use,
    openType: 'not_open',
  };
}

// ── the catalog ──

export const DEMO_CATALOG: DemoEntry[] = [
  // ═════ 第一节 自然人基础信息 ═════

  // 第一条 公安部门: 户籍登记信息. §11 exempts 公安 from the matching fields: 公民身份号码 is the key
  // itself and the document type is always 居民身份证, so nothing is added.
  {
    classCode: '101001',
    className: '基础信息资源/人口/户籍',
    name: '户籍人口基本信息',
    provider: '市公安局',
    providerUnit: '治安管理支队（户政）',
    seedArticle: '第一条',
    summary:
      '全市常住人口户籍登记信息：户籍人员的姓名、公民身份号码、性别、民族、户籍地镇(街道)及派出所、相片，户籍信息状态（正常或注销）及注销前行政区划、派出所、注销日期和原因（迁出或死亡）。人口基础信息库的权威来源。',
    formatCategory: 'database',
    formatType: 'oracle',
    ...personSharing(
      '市直及县（市、区）政务部门依法履职',
      '仅用于身份核验、业务审批，不得向第三方提供；相片仅限人像比对核验',
    ),
    shareModes: ['api'],
    updateCycle: 'realtime',
    sourceSystem: '公安人口信息管理系统',
    basicLibrary: 'population',
    dataCategory: '个人信息',
    dataGrade: 'important',
    census: { storageGb: 168, recordCount: 3_052_400, sharedGb: 9.6, sharedRecords: 3_052_400 },
    items: [
      personName('姓名'),
      citizenId('公民身份号码'),
      gender(),
      ethnicity(),
      code('户籍地镇(街道)', 100),
      code('户籍地派出所', 100),
      health('相片', 'G', null, { description: '居民身份证登记照片（人脸信息，属敏感个人信息）' }),
      code('户籍信息状态', 2, null, '“正常”或者“注销”'),
      division('注销前行政区划'),
      code('注销前派出所', 100),
      date('注销日期'),
      code('注销原因', 2, null, '“迁出”或者“死亡”'),
    ],
    demoStatus: 'published',
  },

  // 第二条 公安部门: 居住证登记信息 (the seed lists 姓名 + 身份证件类型 + 身份证件号码 itself).
  {
    classCode: '101002',
    className: '基础信息资源/人口/居住证',
    name: '居住证登记信息',
    provider: '市公安局',
    providerUnit: '治安管理支队（流动人口管理）',
    seedArticle: '第二条',
    summary:
      '在本市申领居住证的流动人口登记信息：持证人身份信息、户籍地址、居住证号码、居住地详址及所属区镇街道村、居委会和派出所，发证、登记及注销信息。',
    formatCategory: 'database',
    formatType: 'oracle',
    ...PERSON_SHARING,
    shareModes: ['api'],
    updateCycle: 'daily',
    sourceSystem: '湖北省流动人口居住证管理信息系统',
    basicLibrary: 'population',
    dataCategory: '个人信息',
    dataGrade: 'general',
    census: { storageGb: 1.4, recordCount: 86_300, sharedGb: 0.6, sharedRecords: 86_300 },
    items: [
      personName('姓名'),
      idType(),
      idNumber('身份证件号码'),
      gender(),
      ethnicity(),
      date('出生日期'),
      personal('户籍地址', 200),
      personal('居住证号码', 30),
      personal('居住地址详址', 200),
      code('居住地(区、镇、街道、村)', 100),
      code('居住地居委会', 100),
      code('居住地派出所', 100),
      date('居住证发证时间'),
      code('登记机关', 100),
      division('登记机关行政区划'),
      date('登记日期'),
      date('注销日期'),
    ],
    demoStatus: 'published',
  },

  // 第三条 民政部门: 婚姻登记 and 收养登记 are two registers, split into two entries. The seed's
  // "发证机关名称、发证机关行政区划" follow 收养证号 and belong to the adoption certificate.
  {
    classCode: '101003',
    className: '基础信息资源/人口/婚姻',
    name: '婚姻登记信息',
    provider: '市民政局',
    providerUnit: '社会事务科（婚姻登记处）',
    seedArticle: '第三条',
    summary:
      '居民在民政部门办理的结婚、离婚登记信息：结婚登记日期、离婚登记日期和婚姻状况（仅适用于在民政部门办理婚姻登记的情况）。',
    formatCategory: 'database',
    formatType: 'KingbaseES',
    ...personSharing(
      '市直及县（市、区）政务部门依法履职',
      '仅用于婚姻状况核验及不动产登记、公积金、社会救助等业务审批，不得向第三方提供',
    ),
    shareModes: ['api'],
    updateCycle: 'daily',
    sourceSystem: '全国婚姻登记信息系统',
    basicLibrary: 'population',
    dataCategory: '个人信息',
    dataGrade: 'general',
    census: { storageGb: 0.9, recordCount: 1_148_600, sharedGb: 0.3, sharedRecords: 1_148_600 },
    items: [
      ...matching(), // MATCHING: 004 §11
      date('结婚登记日期', { sensitivity: 'sensitive' }),
      date('离婚登记日期', { sensitivity: 'sensitive' }),
      item('婚姻状况', 'C', 2, {
        sensitivity: 'sensitive',
        standardElement: 'GB/T 2261.2 婚姻状况代码',
        description: '适用于在民政部门办理婚姻登记的情况',
      }),
    ],
    demoStatus: 'published',
  },
  {
    classCode: '101004',
    className: '基础信息资源/人口/收养',
    name: '收养登记信息',
    provider: '市民政局',
    providerUnit: '社会事务和儿童福利科',
    seedArticle: '第三条',
    summary: '依法办理的收养登记信息：收养证号及其发证机关名称和行政区划。',
    formatCategory: 'database',
    formatType: 'KingbaseES',
    ...personSharing(
      '市直及县（市、区）公安、教育、卫生健康部门依法履职',
      '仅用于户籍登记、入学和医疗保障核验，不得向第三方提供',
    ),
    shareModes: ['api'],
    updateCycle: 'daily',
    sourceSystem: '全国收养登记信息系统',
    basicLibrary: 'population',
    dataCategory: '个人信息',
    dataGrade: 'general',
    census: { storageGb: 0.01, recordCount: 3_260 },
    items: [
      ...matching(), // MATCHING: 004 §11
      personal('收养证号', 30),
      code('发证机关名称', 100),
      division('发证机关行政区划'),
    ],
    demoStatus: 'draft',
  },
  // 第三条 (second paragraph): 低保证号 … The line stands under 第三条 although 第六条's heading names
  // 最低生活保障信息 for 民政部门 (and lists none of its fields); kept as 第三条 where its fields are.
  {
    classCode: '101005',
    className: '基础信息资源/人口/最低生活保障',
    name: '最低生活保障信息',
    provider: '市民政局',
    providerUnit: '社会救助科',
    seedArticle: '第三条',
    summary:
      '城乡最低生活保障对象的低保证信息：低保证号及其发证机关名称和行政区划（第六条亦将最低生活保障信息列为民政部门职责）。',
    formatCategory: 'database',
    formatType: 'MySQL',
    ...personSharing(
      '市直及县（市、区）政务部门依法履职',
      '仅用于社会救助、医疗救助、教育资助、住房保障等业务审核，不得向第三方提供',
    ),
    shareModes: ['api', 'database'],
    updateCycle: 'monthly',
    sourceSystem: '全国社会救助信息系统',
    basicLibrary: 'population',
    dataCategory: '个人信息',
    dataGrade: 'general',
    census: { storageGb: 0.06, recordCount: 58_420, sharedGb: 0.02, sharedRecords: 58_420 },
    items: [
      ...matching(), // MATCHING: 004 §11
      personal('低保证号', 30),
      code('发证机关名称', 100),
      division('发证机关行政区划'),
    ],
    demoStatus: 'published',
  },

  // 第四条 卫生和计划生育行政部门 (→ 市卫健委)、公安部门: 出生 and 死亡, plus the line "体质健康测试及
  // 健康体检信息、预防接种信息" which names two registers of the health department without fields.
  //
  // 出生医学证明: no matching fields added — a newborn has no 公民身份号码 yet (it is allotted at
  // household registration); the seed's 母亲/父亲姓名 + 公民身份号码 are the matching keys (type
  // implicitly 居民身份证).
  {
    classCode: '101006',
    className: '基础信息资源/人口/出生',
    name: '出生医学证明信息',
    provider: '市卫健委',
    providerUnit: '妇幼健康科',
    seedArticle: '第四条',
    summary:
      '全市助产机构签发的《出生医学证明》信息：证号、新生儿姓名、性别、健康状况、父母姓名和公民身份号码、出生日期、证明发出时间及单位。用于出生登记（落户）、预防接种建档和社保参保。',
    formatCategory: 'database',
    formatType: '达梦DM',
    ...personSharing(
      '市直及县（市、区）公安、医疗保障、人力资源和社会保障部门依法履职',
      '仅用于出生登记、参保登记和“出生一件事”联办，不得向第三方提供',
    ),
    shareModes: ['api'],
    updateCycle: 'daily',
    sourceSystem: '湖北省出生医学证明管理信息系统',
    basicLibrary: 'population',
    dataCategory: '个人信息',
    dataGrade: 'general',
    census: { storageGb: 0.6, recordCount: 624_800, sharedGb: 0.2, sharedRecords: 212_000 },
    items: [
      personal('出生医学证号', 10),
      personName('新生儿姓名'),
      code('性别', 4, null, '性别名称（男、女、未知）'),
      code('性别代码', 1, 'GB/T 2261.1 人的性别代码'),
      health('健康状况', 'C', 20),
      health('健康状况代码', 'C', 2, { standardElement: 'GB/T 2261.3 健康状况代码' }),
      personName('母亲姓名'),
      citizenId('母亲公民身份号码'),
      personName('父亲姓名'),
      citizenId('父亲公民身份号码'),
      date('出生日期'),
      item('证明发出时间', 'T'),
      code('证明发出单位', 200),
    ],
    demoStatus: 'published',
  },
  // "体质健康测试及健康体检信息、预防接种信息": named as information without fields. Each becomes one
  // entry whose only seed item is the information itself (a 备注型 record), with the matching fields.
  {
    classCode: '101007',
    className: '基础信息资源/人口/预防接种',
    name: '预防接种信息',
    provider: '市卫健委',
    providerUnit: '疾病预防控制科（市疾病预防控制中心）',
    seedArticle: '第四条',
    summary:
      '儿童及成人预防接种记录，供入托入学查验接种证、健康管理等使用。种子目录未细分信息项，以接种记录整体提供。',
    formatCategory: 'database',
    formatType: 'oracle',
    ...personSharing(
      '市直及县（市、区）教育、卫生健康部门依法履职',
      '仅用于入托入学预防接种证查验和公共卫生管理，不得向第三方提供',
    ),
    shareModes: ['api'],
    updateCycle: 'daily',
    sourceSystem: '湖北省免疫规划信息管理系统',
    basicLibrary: 'population',
    dataCategory: '个人信息',
    dataGrade: 'important',
    census: { storageGb: 6.8, recordCount: 14_520_000 },
    items: [
      ...matching(), // MATCHING: 004 §11
      health('预防接种信息', 'M', null, { description: '接种疫苗名称、剂次、接种日期、接种单位等接种记录' }),
    ],
    demoStatus: 'published',
  },
  {
    classCode: '101008',
    className: '基础信息资源/人口/健康体检',
    name: '体质健康测试及健康体检信息',
    provider: '市卫健委',
    providerUnit: '基层卫生健康科',
    seedArticle: '第四条',
    summary: '居民健康体检及学生体质健康测试信息。种子目录未细分信息项，以体检（测试）记录整体提供。',
    formatCategory: 'database',
    formatType: 'PostgreSQL',
    ...personSharing(
      '市直及县（市、区）卫生健康、教育部门依法履职',
      '仅用于健康管理和学生体质健康监测，不得向第三方提供',
    ),
    shareModes: ['api'],
    updateCycle: 'monthly',
    sourceSystem: '咸宁市全民健康信息平台（居民电子健康档案）',
    basicLibrary: 'population',
    dataCategory: '个人信息',
    dataGrade: 'important',
    census: { storageGb: 3.5, recordCount: 2_086_000 },
    items: [
      ...matching(), // MATCHING: 004 §11
      health('体质健康测试及健康体检信息', 'M', null, {
        description: '体检（测试）日期、机构、项目及结论等记录',
      }),
    ],
    demoStatus: 'published',
  },
  // 死亡: the 《居民死亡医学证明（推断）书》 is issued by the health side; the police fill in the
  // officer's signature and the police station (责任采集部门 市公安局). The seed's "省、市、县名称" is
  // read as three fields 省名称、市名称、县名称.
  {
    classCode: '101009',
    className: '基础信息资源/人口/死亡',
    name: '死亡登记信息',
    provider: '市卫健委',
    providerUnit: '疾病预防控制科（死因监测）',
    seedArticle: '第四条',
    summary:
      '居民死亡医学证明（推断）书登记信息：死者身份信息、常住及户籍地址、死亡日期、地点和原因，家属联系信息，签证医师与医疗卫生机构，以及民警签名与派出所。用于户籍注销、停发待遇和殡葬管理。',
    formatCategory: 'database',
    formatType: '达梦DM',
    ...personSharing(
      '市直及县（市、区）公安、民政、人力资源和社会保障、医疗保障部门依法履职',
      '仅用于户籍注销、停发养老金和救助待遇、殡葬管理，不得向第三方提供',
    ),
    shareModes: ['api', 'database'],
    updateCycle: 'daily',
    sourceSystem: '人口死亡信息登记管理系统',
    basicLibrary: 'population',
    dataCategory: '个人信息',
    dataGrade: 'general',
    census: { storageGb: 0.4, recordCount: 312_500, sharedGb: 0.1, sharedRecords: 98_000 },
    items: [
      code('行政区划代码', 6, 'GB/T 2260 行政区划代码'),
      // "省、市、县名称" in the seed:
      code('省名称', 50),
      code('市名称', 50),
      code('县名称', 50),
      code('《死亡证》编号', 20),
      personName('死者姓名'),
      gender(),
      ethnicity(),
      code('国家或地区', 3, 'GB/T 2659 世界各国和地区名称代码'),
      item('年龄', 'N', 3),
      idType(),
      idNumber('身份证件号码'),
      personal('常住地址', 200),
      personal('户籍地址', 200),
      date('出生日期'),
      date('死亡日期'),
      personal('死亡地点', 200),
      health('死亡原因', 'C', 200, { standardElement: 'GB/T 14396 疾病分类与代码' }),
      personName('家属姓名'),
      personal('联系电话', 20),
      personal('家属住址或单位', 200),
      personName('医师签名'),
      code('医疗卫生部门名称', 200),
      personName('民警签名', { collectingOrg: '市公安局' }),
      item('派出所名称', 'C', 100, { collectingOrg: '市公安局' }),
    ],
    demoStatus: 'published',
  },

  // 第五条 卫生和计划生育行政部门 (→ 市卫健委): 计划生育信息.
  {
    classCode: '101010',
    className: '基础信息资源/人口/计划生育',
    name: '计划生育信息',
    provider: '市卫健委',
    providerUnit: '人口监测与家庭发展科',
    seedArticle: '第五条',
    summary: '计划生育服务证（生育服务登记）和流动人员婚育证明的证号、领证日期、发证机关及其行政区划。',
    formatCategory: 'database',
    formatType: 'oracle',
    ...PERSON_SHARING,
    shareModes: ['api'],
    updateCycle: 'monthly',
    sourceSystem: '全员人口信息管理系统',
    basicLibrary: 'population',
    dataCategory: '个人信息',
    dataGrade: 'general',
    census: { storageGb: 0.3, recordCount: 418_700 },
    items: [
      ...matching(), // MATCHING: 004 §11
      personal('计划生育服务证号码', 30),
      personal('流动人员婚育证明号码', 30),
      date('领证日期'),
      code('发证机关', 100),
      division('发证机关行政区划'),
    ],
    demoStatus: 'published',
  },

  // 第六条 人力资源和社会保障部门、民政部门: the fields are two registers of 人社 — social insurance
  // (从业状况 … 登记日期) and professional titles (专业技术职务资格 … 聘任时间) — split into two entries.
  // 民政's part (最低生活保障) has its fields under 第三条; no field here is collected by 民政.
  {
    classCode: '101011',
    className: '基础信息资源/人口/社会保险',
    name: '社会保险参保信息',
    provider: '市人社局',
    providerUnit: '市社会保险中心',
    seedArticle: '第六条',
    summary:
      '参保人员的从业状况、个人参保状况、个人社保号、险种类型、参保和停保日期、工作单位及其社保号，以及登记机关、行政区划和登记日期。',
    formatCategory: 'database',
    formatType: 'oracle',
    ...personSharing(
      '市直及县（市、区）政务部门依法履职',
      '仅用于参保状态核验、社会救助和就业创业补贴审核，不得向第三方提供',
    ),
    shareModes: ['api', 'database'],
    updateCycle: 'daily',
    sourceSystem: '金保工程（社会保险信息系统）',
    basicLibrary: 'population',
    dataCategory: '个人信息',
    dataGrade: 'important',
    census: { storageGb: 12.4, recordCount: 5_816_000, sharedGb: 2.1, sharedRecords: 2_214_000 },
    items: [
      ...matching(), // MATCHING: 004 §11
      code('从业状况', 2, 'GB/T 2261.4 从业状况(个人身份)代码'),
      code('个人参保状况', 2, null, '参保缴费、暂停缴费、终止参保等'),
      personal('个人社保号', 20),
      code('险种类型', 3, null, '企业职工基本养老保险、城乡居民基本养老保险、失业保险、工伤保险等'),
      date('个人参保日期'),
      date('个人停保日期'),
      code('工作单位名称', 200),
      code('工作单位社保号', 20),
      code('登记机关', 100),
      division('登记机关行政区划'),
      date('登记日期'),
    ],
    demoStatus: 'published',
  },
  {
    classCode: '101012',
    className: '基础信息资源/人口/专业技术职务',
    name: '专业技术职务资格信息',
    provider: '市人社局',
    providerUnit: '专业技术人员管理科',
    seedArticle: '第六条',
    summary: '专业技术人员的专业技术职务资格及取得时间，聘任职务名称、聘任单位及其行政区划和聘任时间。',
    formatCategory: 'database',
    formatType: 'MySQL',
    ...personSharing(
      '市直及县（市、区）政务部门依法履职',
      '仅用于人才认定、职称核验和招聘审核，不得向第三方提供',
    ),
    shareModes: ['api'],
    updateCycle: 'monthly',
    sourceSystem: '湖北省职称评审管理服务平台',
    basicLibrary: 'population',
    dataCategory: '个人信息',
    dataGrade: 'general',
    census: { storageGb: 0.05, recordCount: 68_900 },
    items: [
      ...matching(), // MATCHING: 004 §11
      code('专业技术职务资格', 50, 'GB/T 8561 专业技术职务代码'),
      date('取得资格时间'),
      code('聘任职务名称', 50),
      code('聘任单位', 200),
      division('聘任单位行政区划'),
      date('聘任时间'),
    ],
    demoStatus: 'submitted',
  },

  // 第七条 教育行政部门: one lifecycle record from enrolment to degree. The seed lists 学生姓名 but no
  // identity document: 身份证件类型 and 身份证件号码 are added (MATCHING, 004 §11).
  {
    classCode: '101013',
    className: '基础信息资源/人口/教育',
    name: '学生学籍及学历学位信息',
    provider: '市教育局',
    providerUnit: '基础教育科（学籍管理）',
    seedArticle: '第七条',
    summary:
      '学生学籍信息（入学、在校表现、转学、休学、复学、退学、离校）及学历、学位信息，含学业考试、特长、社会实践、体质健康与预防接种、获奖和资助记录。',
    formatCategory: 'database',
    formatType: 'MySQL',
    ...personSharing(
      '市直及县（市、区）政务部门依法履职',
      '仅用于入学资格、学历学位核验和教育资助审核，不得向第三方提供；涉及未成年人的信息从严控制',
    ),
    shareModes: ['api'],
    updateCycle: 'monthly',
    sourceSystem: '全国中小学生学籍信息管理系统',
    basicLibrary: 'population',
    dataCategory: '个人信息',
    dataGrade: 'general',
    census: { storageGb: 5.2, recordCount: 1_612_000, sharedGb: 0.4, sharedRecords: 418_000 },
    items: [
      ...matching(true), // MATCHING: 004 §11 (学生姓名 is in the seed)
      personal('学籍号', 19, { description: '全国统一学籍号（G + 身份证件号码）' }),
      personName('学生姓名'),
      gender(),
      date('出生日期'),
      division('出生地'),
      personal('户籍所在地', 200),
      date('入学时间'),
      code('入读学校', 200),
      publicText('学校地址', 200),
      item('学业考试信息', 'M', null, { sensitivity: 'sensitive', masking: 'redact' }),
      item('体育运动技能与艺术特长', 'M'),
      item('参加社区服务和社会实践情况', 'M'),
      health('体质健康测试及健康体检信息', 'M', null),
      health('预防接种信息', 'M', null),
      item('在校期间的获奖信息', 'M'),
      item('享受资助信息', 'M', null, { sensitivity: 'sensitive', masking: 'redact' }),
      date('毕(肄)业时间'),
      code('毕(肄)业学校', 200),
      date('转学时间'),
      code('转出学校', 200),
      code('转入学校', 200),
      date('休学时间'),
      date('复学时间'),
      date('退学时间'),
      date('离校时间'),
      code('离校原因', 200),
      code('学历', 2, 'GB/T 4658 学历代码'),
      code('专业', 100),
      code('毕业(学历)证书号', 30),
      code('学位', 3, 'GB/T 6864 中华人民共和国学位代码'),
      date('学位授予时间'),
      code('学位授予单位', 200),
      code('学位证书号', 30),
      code('登记机关', 100),
      division('登记机关行政区划'),
      date('登记日期'),
    ],
    demoStatus: 'published',
  },

  // 第八条 残疾人联合会 (→ 市残联).
  {
    classCode: '101014',
    className: '基础信息资源/人口/残疾人',
    name: '残疾人证登记信息',
    provider: '市残联',
    providerUnit: '组织联络部（残疾人证管理）',
    seedArticle: '第八条',
    summary:
      '第二代残疾人证的证号、发证机关及行政区划、发证日期，以及注销原因、注销机关及行政区划和注销日期。',
    formatCategory: 'database',
    formatType: 'sql server',
    ...personSharing(
      '市直及县（市、区）民政、人力资源和社会保障、交通运输等部门依法履职',
      '仅用于残疾人补贴、救助和优待政策审核，不得向第三方提供',
    ),
    shareModes: ['api'],
    updateCycle: 'daily',
    sourceSystem: '全国残疾人人口基础数据库管理系统',
    basicLibrary: 'population',
    dataCategory: '个人信息',
    dataGrade: 'general',
    census: { storageGb: 0.12, recordCount: 72_600, sharedGb: 0.04, sharedRecords: 72_600 },
    items: [
      ...matching(), // MATCHING: 004 §11
      // The 20-character number is 公民身份号码 + 残疾类别 + 残疾等级: it reveals the disability.
      health('残疾人证号码', 'C', 20, {
        masking: 'hash',
        standardElement: 'GB/T 26341 残疾人残疾分类和分级',
        description: '公民身份号码 + 残疾类别 + 残疾等级',
      }),
      code('发证机关', 100),
      division('发证机关行政区划'),
      date('发证日期'),
      item('残疾人证注销原因', 'C', 100, { sensitivity: 'sensitive' }),
      code('注销机关', 100),
      division('注销机关行政区划'),
      date('注销日期'),
    ],
    demoStatus: 'published',
  },

  // 第九条 住房公积金管理中心 (→ 市公积金中心).
  {
    classCode: '101015',
    className: '基础信息资源/人口/住房公积金',
    name: '住房公积金个人账户登记信息',
    provider: '市公积金中心',
    providerUnit: '归集管理科',
    seedArticle: '第九条',
    summary: '缴存职工的个人住房公积金账户状态、工作单位名称和登记日期。',
    formatCategory: 'database',
    formatType: 'oracle',
    ...PERSON_SHARING,
    shareModes: ['api', 'database'],
    updateCycle: 'daily',
    sourceSystem: '住房公积金综合业务系统',
    basicLibrary: 'population',
    dataCategory: '个人信息',
    dataGrade: 'general',
    census: { storageGb: 0.2, recordCount: 312_400, sharedGb: 0.05, sharedRecords: 182_000 },
    items: [
      ...matching(), // MATCHING: 004 §11
      code('个人住房公积金账户状态', 2, null, '正常、封存、销户'),
      code('工作单位名称', 200),
      date('登记日期'),
    ],
    demoStatus: 'published',
  },

  // 第十条 "有权颁发职业资格证书和执业证书的政务部门和组织": several issuers; the catalog entry is kept
  // by 市人社局 (职业资格), the other issuers (卫健 执业医师/护士, 教育 教师资格 …) feeding it.
  {
    classCode: '101016',
    className: '基础信息资源/人口/职业资格',
    name: '职业资格证书和执业证书信息',
    provider: '市人社局',
    providerUnit: '职业能力建设科',
    seedArticle: '第十条',
    summary: '职业资格证书和执业证书的名称、号码、发证部门及其行政区划、发证日期和证件注销日期。',
    formatCategory: 'database',
    formatType: 'KingbaseES',
    ...personSharing(
      '市直及县（市、区）政务部门依法履职',
      '仅用于从业资格核验、人才认定和行业监管，不得向第三方提供',
    ),
    shareModes: ['api'],
    updateCycle: 'monthly',
    sourceSystem: '湖北省职业技能鉴定管理系统',
    basicLibrary: 'population',
    dataCategory: '个人信息',
    dataGrade: 'general',
    census: { storageGb: 0.3, recordCount: 261_500 },
    items: [
      ...matching(), // MATCHING: 004 §11
      code('资格证书名称', 100),
      code('资格证书号码', 50),
      code('执业证书名称', 100),
      code('执业证书号码', 50),
      code('发证部门', 100),
      division('发证部门行政区划'),
      date('发证日期'),
      date('证件注销日期'),
    ],
    demoStatus: 'published',
  },

  // 第十一条 is the matching rule applied above, not a resource.

  // ═════ 第二节 法人和其他组织基础信息 ═════
  // Names of legal representatives are matters of public record (企业信息公示); their identity numbers
  // stay sensitive and partly masked.

  // 第十二条 工商行政管理部门 (→ 市市场监管局 since the 2018 reform). "法定代表人姓名及其公民身份号码" and
  // "经营者姓名及其公民身份号码" are read as two fields each.
  {
    classCode: '102001',
    className: '基础信息资源/法人单位/企业',
    name: '企业法人登记信息',
    provider: '市市场监管局',
    providerUnit: '登记注册科',
    seedArticle: '第十二条',
    summary:
      '企业法人登记基本信息：统一社会信用代码、注册号、企业名称、法定代表人、行政区划、登记住所、企业类型、行业、成立日期和登记机关。法人基础信息库的主要来源；法定代表人公民身份号码不予开放。',
    formatCategory: 'database',
    formatType: 'oracle',
    shareType: 'unconditional',
    shareModes: ['api', 'database'],
    openType: 'general',
    updateCycle: 'daily',
    sourceSystem: '湖北省市场主体登记注册系统',
    basicLibrary: 'legal_person',
    dataCategory: '法人信息',
    dataGrade: 'general',
    census: {
      storageGb: 2.6,
      recordCount: 76_840,
      sharedGb: 1.1,
      sharedRecords: 76_840,
      openedGb: 0.3,
      openedRecords: 76_840,
    },
    items: [
      item('统一社会信用代码', 'C', 18, {
        sensitivity: 'public',
        standardElement: 'GB 32100 统一社会信用代码',
      }),
      publicText('企业注册号', 15),
      publicText('企业名称', 200),
      // "法定代表人姓名及其公民身份号码":
      publicText('法定代表人姓名', 50),
      citizenId('法定代表人公民身份号码'),
      item('行政区划代码', 'C', 6, { sensitivity: 'public', standardElement: 'GB/T 2260 行政区划代码' }),
      publicText('行政区划', 100),
      publicText('登记住所(工商)', 200),
      publicText('企业类型', 4, '市场主体类型代码'),
      item('行业', 'C', 5, { sensitivity: 'public', standardElement: 'GB/T 4754 国民经济行业分类' }),
      date('成立日期(工商)', { sensitivity: 'public' }),
      publicText('登记机关(工商)', 100),
    ],
    demoStatus: 'published',
  },
  {
    classCode: '102002',
    className: '基础信息资源/法人单位/个体工商户',
    name: '个体工商户登记信息',
    provider: '市市场监管局',
    providerUnit: '登记注册科',
    seedArticle: '第十二条',
    summary:
      '个体工商户登记信息：统一社会信用代码、注册号、业户名称、经营者、行政区划、登记经营场所、经营范围、行业、成立日期和登记机关。',
    formatCategory: 'database',
    formatType: 'oracle',
    shareType: 'unconditional',
    shareModes: ['api', 'database'],
    openType: 'authorized',
    openCondition: '经营者公民身份号码不予开放；其余登记事项经平台审核同意后开放，用于信用服务和经营主体查询',
    updateCycle: 'daily',
    sourceSystem: '湖北省市场主体登记注册系统',
    basicLibrary: 'legal_person',
    dataCategory: '法人信息',
    dataGrade: 'general',
    census: { storageGb: 4.1, recordCount: 221_300, sharedGb: 1.6, sharedRecords: 221_300 },
    items: [
      item('统一社会信用代码', 'C', 18, {
        sensitivity: 'public',
        standardElement: 'GB 32100 统一社会信用代码',
      }),
      publicText('个体工商户注册号', 15),
      publicText('业户名称', 200),
      // "经营者姓名及其公民身份号码": the operator is a natural person.
      personName('经营者姓名'),
      citizenId('经营者公民身份号码'),
      item('行政区划代码', 'C', 6, { sensitivity: 'public', standardElement: 'GB/T 2260 行政区划代码' }),
      publicText('行政区划', 100),
      publicText('登记经营场所(工商)', 200),
      item('经营范围', 'M', null, { sensitivity: 'public' }),
      item('行业', 'C', 5, { sensitivity: 'public', standardElement: 'GB/T 4754 国民经济行业分类' }),
      date('成立日期(工商)', { sensitivity: 'public' }),
      publicText('登记机关(工商)', 100),
    ],
    demoStatus: 'published',
  },

  // 第十三条 质量技术监督部门 (→ 市市场监管局, which took over the organization-code functions of 质监).
  // The seed lists neither the organization code nor the organization's name: kept as given.
  {
    classCode: '102003',
    className: '基础信息资源/法人单位/组织机构',
    name: '组织机构代码登记信息',
    provider: '市市场监管局',
    providerUnit: '标准化科（原质监组织机构代码管理）',
    seedArticle: '第十三条',
    summary:
      '原质量技术监督部门组织机构代码登记信息：批准文号、机构注册类型、注册地址、校核日期与结果、成立日期和颁证日期。统一社会信用代码制度实施后为存量历史数据，不定期校核更新。',
    formatCategory: 'database',
    formatType: 'sql server',
    shareType: 'unconditional',
    shareModes: ['api', 'database'],
    openType: 'general',
    updateCycle: 'irregular',
    sourceSystem: '全国组织机构代码管理系统',
    basicLibrary: 'legal_person',
    dataCategory: '法人信息',
    dataGrade: 'general',
    census: { storageGb: 0.8, recordCount: 36_200, sharedGb: 0.8, sharedRecords: 36_200 },
    items: [
      publicText('组织机构批准文号', 100),
      publicText('机构注册类型', 2),
      publicText('注册地址', 200),
      date('校核日期'),
      code('校核结果', 20),
      date('成立日期(质监)', { sensitivity: 'public' }),
      date('颁证日期(质监)', { sensitivity: 'public' }),
    ],
    demoStatus: 'published',
  },

  // 第十四条 税务部门 (→ 市税务局).
  {
    classCode: '102004',
    className: '基础信息资源/法人单位/税务登记',
    name: '企业税务登记信息',
    provider: '市税务局',
    providerUnit: '征收管理科',
    seedArticle: '第十四条',
    summary: '企业税务登记信息：纳税人识别号、注册地址、登记日期和登记机关。',
    formatCategory: 'database',
    formatType: 'oracle',
    shareType: 'unconditional',
    shareModes: ['api'],
    openType: 'authorized',
    openCondition: '经平台审核同意，用于纳税信用评价、普惠金融等合规场景',
    updateCycle: 'daily',
    sourceSystem: '金税工程税收征管系统',
    basicLibrary: 'legal_person',
    dataCategory: '法人信息',
    dataGrade: 'general',
    census: { storageGb: 0.9, recordCount: 92_100, sharedGb: 0.3, sharedRecords: 92_100 },
    items: [
      code('纳税人识别号', 20, null, '已赋统一社会信用代码的，为统一社会信用代码'),
      publicText('注册地址', 200),
      date('登记日期'),
      code('登记机关', 100),
    ],
    demoStatus: 'published',
  },

  // 第十五条 民政部门: 民办非企业单位, 社会团体, 社会福利机构 — three registers.
  {
    classCode: '102005',
    className: '基础信息资源/法人单位/民办非企业单位',
    name: '民办非企业单位登记信息',
    provider: '市民政局',
    providerUnit: '社会组织管理科',
    seedArticle: '第十五条',
    summary:
      '民办非企业单位（社会服务机构）登记信息：单位名称、地址、联系电话、类型、行政区划、法定代表人（责任人）、业务主管单位、业务范围、登记日期和登记机关。',
    formatCategory: 'database',
    formatType: 'KingbaseES',
    shareType: 'unconditional',
    shareModes: ['api', 'database'],
    openType: 'authorized',
    openCondition: '法定代表人（责任人）身份证件号码和联系电话不予开放；其余登记事项经审核后开放',
    updateCycle: 'daily',
    sourceSystem: '社会组织登记管理信息系统',
    basicLibrary: 'legal_person',
    dataCategory: '法人信息',
    dataGrade: 'general',
    census: { storageGb: 0.02, recordCount: 1_126, sharedGb: 0.02, sharedRecords: 1_126 },
    items: [
      publicText('单位名称', 200),
      publicText('单位地址', 200),
      personal('联系电话', 20),
      publicText('民办非企业单位类型', 2, '教育、卫生、文化、科技、体育、民政等'),
      publicText('行政区划', 100),
      publicText('法定代表人(责任人)姓名', 50),
      idNumber('法定代表人(责任人)身份证件号码'),
      publicText('业务主管单位', 200),
      item('业务范围', 'M', null, { sensitivity: 'public' }),
      date('登记日期(民政)', { sensitivity: 'public' }),
      publicText('登记机关(民政)', 100),
    ],
    demoStatus: 'published',
  },
  {
    classCode: '102006',
    className: '基础信息资源/法人单位/社会团体',
    name: '社会团体登记信息',
    provider: '市民政局',
    providerUnit: '社会组织管理科',
    seedArticle: '第十五条',
    summary:
      '社会团体登记信息：登记证号、单位名称、地址、联系电话、行政区划、法定代表人（责任人）、业务主管单位、社团类型、登记日期和登记机关。',
    formatCategory: 'database',
    formatType: 'KingbaseES',
    shareType: 'unconditional',
    shareModes: ['api', 'database'],
    openType: 'authorized',
    openCondition: '法定代表人（责任人）身份证件号码和联系电话不予开放；其余登记事项经审核后开放',
    updateCycle: 'daily',
    sourceSystem: '社会组织登记管理信息系统',
    basicLibrary: 'legal_person',
    dataCategory: '法人信息',
    dataGrade: 'general',
    census: { storageGb: 0.02, recordCount: 1_048, sharedGb: 0.02, sharedRecords: 1_048 },
    items: [
      publicText('社会团体登记证号', 30),
      publicText('单位名称', 200),
      publicText('单位地址', 200),
      personal('联系电话', 20),
      publicText('行政区划', 100),
      publicText('法定代表人(责任人)姓名', 50),
      idNumber('法定代表人(责任人)身份证件号码'),
      publicText('业务主管单位', 200),
      publicText('社团类型', 2, '学术性、行业性、专业性、联合性'),
      date('登记日期(民政)', { sensitivity: 'public' }),
      publicText('登记机关(民政)', 100),
    ],
    demoStatus: 'published',
  },
  // "(三)社会福利部门" with a 社会福利机构登记证号: the register of social-welfare institutions.
  {
    classCode: '102007',
    className: '基础信息资源/法人单位/社会福利机构',
    name: '社会福利机构登记信息',
    provider: '市民政局',
    providerUnit: '养老服务科',
    seedArticle: '第十五条',
    summary:
      '社会福利机构登记信息：登记证号、单位名称、地址、联系电话、行政区划、法定代表人（责任人）、福利部门类型、登记日期和登记机关。',
    formatCategory: 'database',
    formatType: 'MySQL',
    shareType: 'unconditional',
    shareModes: ['api', 'database'],
    openType: 'authorized',
    openCondition: '法定代表人（责任人）身份证件号码和联系电话不予开放；其余登记事项经审核后开放',
    updateCycle: 'monthly',
    sourceSystem: '民政业务综合管理信息系统（养老服务）',
    basicLibrary: 'legal_person',
    dataCategory: '法人信息',
    dataGrade: 'general',
    census: { storageGb: 0.01, recordCount: 164 },
    items: [
      publicText('社会福利机构登记证号', 30),
      publicText('单位名称', 200),
      publicText('单位地址', 200),
      personal('联系电话', 20),
      item('行政区划代码', 'C', 6, { sensitivity: 'public', standardElement: 'GB/T 2260 行政区划代码' }),
      publicText('行政区划', 100),
      publicText('法定代表人(责任人)姓名', 50),
      idNumber('法定代表人(责任人)身份证件号码'),
      publicText('福利部门类型', 2, '养老机构、儿童福利机构、残疾人福利机构等'),
      date('登记日期(民政)', { sensitivity: 'public' }),
      publicText('登记机关(民政)', 100),
    ],
    demoStatus: 'returned',
  },

  // 第十六条 机构编制管理部门 (→ 市编办, whose 事业单位登记管理局 keeps the register).
  {
    classCode: '102008',
    className: '基础信息资源/法人单位/事业单位',
    name: '事业单位法人登记信息',
    provider: '市编办',
    providerUnit: '事业单位登记管理局',
    seedArticle: '第十六条',
    summary: '事业单位法人登记信息：法人证书号、单位名称、地址、联系电话、法定代表人姓名和登记日期。',
    formatCategory: 'database',
    formatType: '达梦DM',
    shareType: 'unconditional',
    shareModes: ['api', 'database'],
    openType: 'general',
    updateCycle: 'weekly',
    sourceSystem: '事业单位登记管理网上服务系统',
    basicLibrary: 'legal_person',
    dataCategory: '法人信息',
    dataGrade: 'general',
    census: {
      storageGb: 0.03,
      recordCount: 1_912,
      sharedGb: 0.03,
      sharedRecords: 1_912,
      openedGb: 0.01,
      openedRecords: 1_912,
    },
    items: [
      publicText('事业单位法人证书号', 20),
      publicText('单位名称', 200),
      publicText('单位地址', 200),
      personal('联系电话', 20),
      publicText('法定代表人姓名', 50),
      date('登记日期(编办)', { sensitivity: 'public' }),
    ],
    demoStatus: 'published',
  },

  // ═════ 第三节 自然资源和空间地理基础信息 ═════
  // 第十七条 names the resources (土地、水、矿产、能源、森林、草地、渔业、野生动物、气候(气象)、城乡规划) and
  // their umbrella, spatial-geography base information, without fields: one entry each, as files or
  // service interfaces, with no invented items. Departments: 国土资源 and 城乡规划 are 市自然资源和规划局
  // today; 水利, 林业, 农业, 气象 have no demo organization and are mapped to 市自然资源和规划局, which
  // since the 2018 reform holds the unified survey and registration of natural resources (水资源调查和
  // 确权登记, 森林、草原、湿地资源 and 自然保护地 came over from 水利 and 林业).
  {
    classCode: '103001',
    className: '基础信息资源/自然资源和空间地理/土地',
    name: '土地资源信息',
    provider: '市自然资源和规划局',
    providerUnit: '调查监测科',
    seedArticle: '第十七条',
    summary:
      '全市土地资源基础信息：国土调查及年度变更调查成果中的土地利用现状、耕地和永久基本农田、土地权属等图层，以地图服务接口提供。',
    formatCategory: 'service',
    formatType: 'REST',
    shareType: 'unconditional',
    shareModes: ['api'],
    openType: 'authorized',
    openCondition: '经审核同意后开放土地利用现状汇总图层，不含权属明细',
    updateCycle: 'annual',
    sourceSystem: '咸宁市国土空间基础信息平台',
    basicLibrary: 'geo',
    dataCategory: '自然资源和空间地理信息',
    dataGrade: 'general',
    census: { storageGb: 185 },
    items: [],
    demoStatus: 'published',
  },
  {
    // 水利 → 市自然资源和规划局 (no 水利局 in the demo; 水资源调查和确权登记 is a natural-resources function).
    classCode: '103002',
    className: '基础信息资源/自然资源和空间地理/水',
    name: '水资源信息',
    provider: '市自然资源和规划局',
    providerUnit: '调查监测科',
    seedArticle: '第十七条',
    summary: '全市水资源调查评价和确权登记成果：河流、湖泊、水库等水体分布和水资源量，以年度成果文件提供。',
    formatCategory: 'electronic_file',
    formatType: 'pdf',
    shareType: 'unconditional',
    shareModes: ['file'],
    openType: 'general',
    updateCycle: 'annual',
    sourceSystem: '自然资源调查监测成果管理系统',
    basicLibrary: 'geo',
    dataCategory: '自然资源和空间地理信息',
    dataGrade: 'general',
    census: { storageGb: 2.4 },
    items: [],
    demoStatus: 'published',
  },
  {
    classCode: '103003',
    className: '基础信息资源/自然资源和空间地理/矿产',
    name: '矿产资源信息',
    provider: '市自然资源和规划局',
    providerUnit: '矿产资源管理科',
    seedArticle: '第十七条',
    summary: '全市矿产资源储量、矿业权（探矿权、采矿权）分布和矿山开发利用信息，以服务接口提供。',
    formatCategory: 'service',
    formatType: 'WebService',
    shareType: 'conditional',
    shareConditionScope: '市直及县（市、区）自然资源、生态环境、应急管理部门依法履职',
    shareConditionUse: '仅用于矿产资源监管、生态修复和安全生产监管，储量数据不得对外提供',
    shareModes: ['api'],
    openType: 'authorized',
    openCondition: '仅开放矿业权公示信息，储量数据不予开放',
    updateCycle: 'annual',
    sourceSystem: '矿业权统一配号和储量管理系统',
    basicLibrary: 'geo',
    dataCategory: '自然资源和空间地理信息',
    dataGrade: 'general',
    census: { storageGb: 6.5 },
    items: [],
    demoStatus: 'published',
  },
  {
    // 能源 as a natural resource (能源矿产 and 地热 reserves) rather than energy statistics (发改委).
    classCode: '103004',
    className: '基础信息资源/自然资源和空间地理/能源',
    name: '能源资源信息',
    provider: '市自然资源和规划局',
    providerUnit: '矿产资源管理科',
    seedArticle: '第十七条',
    summary: '全市能源矿产和地热资源的分布与储量调查成果，以成果文件提供。',
    formatCategory: 'electronic_file',
    formatType: 'OFD',
    shareType: 'conditional',
    shareConditionScope: '市直及县（市、区）发展改革、自然资源部门依法履职',
    shareConditionUse: '仅用于能源规划和资源管理，不得向第三方提供',
    shareModes: ['file'],
    openType: 'not_open',
    updateCycle: 'annual',
    sourceSystem: '自然资源调查监测成果管理系统',
    basicLibrary: 'geo',
    dataCategory: '自然资源和空间地理信息',
    dataGrade: 'general',
    census: { storageGb: 0.8 },
    items: [],
    demoStatus: 'published',
  },
  {
    // 林业 → 市自然资源和规划局 (no 林业局 in the demo).
    classCode: '103005',
    className: '基础信息资源/自然资源和空间地理/森林',
    name: '森林资源信息',
    provider: '市自然资源和规划局',
    providerUnit: '森林资源管理科',
    seedArticle: '第十七条',
    summary: '森林资源管理“一张图”：林地、森林面积、蓄积和公益林分布，以地图服务接口提供。',
    formatCategory: 'service',
    formatType: 'REST',
    shareType: 'unconditional',
    shareModes: ['api'],
    openType: 'authorized',
    openCondition: '经审核同意后开放森林覆盖汇总信息',
    updateCycle: 'annual',
    sourceSystem: '森林资源管理“一张图”系统',
    basicLibrary: 'geo',
    dataCategory: '自然资源和空间地理信息',
    dataGrade: 'general',
    census: { storageGb: 48 },
    items: [],
    demoStatus: 'published',
  },
  {
    // 林业（草原） → 市自然资源和规划局.
    classCode: '103006',
    className: '基础信息资源/自然资源和空间地理/草地',
    name: '草地资源信息',
    provider: '市自然资源和规划局',
    providerUnit: '森林资源管理科',
    seedArticle: '第十七条',
    summary: '全市草地资源调查成果：草地分布、面积和类型，以成果文件提供。',
    formatCategory: 'electronic_file',
    formatType: 'pdf',
    shareType: 'unconditional',
    shareModes: ['file'],
    openType: 'general',
    updateCycle: 'annual',
    sourceSystem: '自然资源调查监测成果管理系统',
    basicLibrary: 'geo',
    dataCategory: '自然资源和空间地理信息',
    dataGrade: 'general',
    census: { storageGb: 0.6 },
    items: [],
    demoStatus: 'draft',
  },
  {
    // 农业（渔业） → 市自然资源和规划局 (no 农业农村局 in the demo).
    classCode: '103007',
    className: '基础信息资源/自然资源和空间地理/渔业',
    name: '渔业资源信息',
    provider: '市自然资源和规划局',
    providerUnit: '调查监测科',
    seedArticle: '第十七条',
    summary: '全市湖泊、水库和河流的渔业资源调查及养殖水域分布成果，以成果文件提供。',
    formatCategory: 'electronic_file',
    formatType: 'pdf',
    shareType: 'unconditional',
    shareModes: ['file'],
    openType: 'authorized',
    openCondition: '经审核同意后开放养殖水域滩涂规划成果',
    updateCycle: 'irregular',
    sourceSystem: '自然资源调查监测成果管理系统',
    basicLibrary: 'geo',
    dataCategory: '自然资源和空间地理信息',
    dataGrade: 'general',
    census: { storageGb: 0.5 },
    items: [],
    demoStatus: 'published',
  },
  {
    // 林业（野生动物保护） → 市自然资源和规划局.
    classCode: '103008',
    className: '基础信息资源/自然资源和空间地理/野生动物',
    name: '野生动物资源信息',
    provider: '市自然资源和规划局',
    providerUnit: '自然保护地与野生动植物保护科',
    seedArticle: '第十七条',
    summary: '全市陆生野生动物资源调查成果及重点保护野生动物分布，以成果文件提供。',
    formatCategory: 'electronic_file',
    formatType: 'pdf',
    shareType: 'conditional',
    shareConditionScope: '市直及县（市、区）自然资源、生态环境、公安部门依法履职',
    shareConditionUse: '仅用于野生动物保护执法和生态保护规划，重点保护物种栖息地位置不得公开',
    shareModes: ['file'],
    openType: 'not_open',
    updateCycle: 'irregular',
    sourceSystem: '自然保护地和野生动植物管理系统',
    basicLibrary: 'geo',
    dataCategory: '自然资源和空间地理信息',
    dataGrade: 'general',
    census: { storageGb: 0.9 },
    items: [],
    demoStatus: 'published',
  },
  {
    // 气象 → 市自然资源和规划局 as stand-in: the demo has no 气象局 (a vertically managed body).
    classCode: '103009',
    className: '基础信息资源/自然资源和空间地理/气候',
    name: '气候(气象)信息',
    provider: '市自然资源和规划局',
    providerUnit: '信息中心',
    seedArticle: '第十七条',
    summary: '全市气象观测和气候资源信息：站点观测要素、天气预报预警和气候资源评估，以服务接口提供。',
    formatCategory: 'service',
    formatType: 'REST',
    shareType: 'unconditional',
    shareModes: ['api'],
    openType: 'general',
    updateCycle: 'realtime',
    sourceSystem: '气象数据共享服务接口',
    basicLibrary: 'geo',
    dataCategory: '自然资源和空间地理信息',
    dataGrade: 'general',
    census: { storageGb: 32 },
    items: [],
    demoStatus: 'published',
  },
  {
    classCode: '103010',
    className: '基础信息资源/自然资源和空间地理/城乡规划',
    name: '城乡规划信息',
    provider: '市自然资源和规划局',
    providerUnit: '国土空间规划科',
    seedArticle: '第十七条',
    summary: '国土空间总体规划、详细规划和“三区三线”等城乡规划成果，以地图服务接口提供。',
    formatCategory: 'service',
    formatType: 'REST',
    shareType: 'unconditional',
    shareModes: ['api'],
    openType: 'general',
    updateCycle: 'monthly',
    sourceSystem: '国土空间规划“一张图”实施监督信息系统',
    basicLibrary: 'geo',
    dataCategory: '自然资源和空间地理信息',
    dataGrade: 'general',
    census: { storageGb: 64 },
    items: [],
    demoStatus: 'published',
  },
  {
    // "空间地理基础信息" of the article's heading: the basic surveying and mapping products.
    classCode: '103011',
    className: '基础信息资源/自然资源和空间地理/基础地理',
    name: '空间地理基础信息',
    provider: '市自然资源和规划局',
    providerUnit: '测绘地理信息科',
    seedArticle: '第十七条',
    summary:
      '全市基础地理信息（电子地图、影像、地名地址、行政区划界线），以地图服务接口提供，为其他资源的空间定位底图。涉密测绘成果不入平台，仅提供公开版地图服务。',
    formatCategory: 'service',
    formatType: 'REST',
    shareType: 'conditional',
    shareConditionScope: '市直及县（市、区）政务部门依法履职',
    shareConditionUse: '仅用于政务业务地图应用，不得转供或用于其他用途',
    shareModes: ['api'],
    openType: 'authorized',
    openCondition: '经审核同意后开放公开版地图服务，不含涉密测绘成果',
    updateCycle: 'quarterly',
    sourceSystem: '天地图·咸宁',
    basicLibrary: 'geo',
    dataCategory: '自然资源和空间地理信息',
    dataGrade: 'important',
    census: { storageGb: 420 },
    items: [],
    demoStatus: 'published',
  },
];
