import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDb, testDb } from '../../../test/helpers.js';
import type { RequestMeta } from '../../http/context.js';
import { DomainError } from '../../kernel/errors.js';
import { createServices, type Services } from '../../services.js';
import type { UserActor } from '../auth/auth.policy.js';
import { catalogRepository } from './catalog.repository.js';
import {
  CatalogSpreadsheet,
  ENTRY_HEADERS,
  ENTRY_SHEET,
  GUIDE_SHEET,
  type ImportProblem,
  ITEM_HEADERS,
  ITEM_SHEET,
  MAX_FILE_BYTES,
} from './catalog.spreadsheet.js';

type Cell = string | number;
type Row = Record<string, Cell>;

function letter(n: number): string {
  let s = '';
  let x = n;
  while (x > 0) {
    s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
    x = Math.floor((x - 1) / 26);
  }
  return s;
}

/** A workbook with the two data sheets, the columns in the order given. */
async function workbook(
  entryHeaders: readonly string[],
  entries: Row[],
  itemHeaders: readonly string[],
  items: Row[],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const put = (name: string, headers: readonly string[], rows: Row[]) => {
    const ws = wb.addWorksheet(name);
    ws.addRow([...headers]);
    for (const r of rows) ws.addRow(headers.map((h) => r[h] ?? null));
  };
  put(ENTRY_SHEET, entryHeaders, entries);
  put(ITEM_SHEET, itemHeaders, items);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

interface SheetData {
  headers: string[];
  rows: Record<string, string>[];
}

async function readBook(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(new Uint8Array(buf).buffer);
  return wb;
}

function sheetData(wb: ExcelJS.Workbook, name: string): SheetData {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  const headers: string[] = [];
  ws.getRow(1).eachCell((c, col) => {
    headers[col - 1] = String(c.value);
  });
  const rows: Record<string, string>[] = [];
  ws.eachRow((row, r) => {
    if (r === 1) return;
    const rec: Record<string, string> = {};
    headers.forEach((h, i) => {
      const v = row.getCell(i + 1).value;
      rec[h] = v === null || v === undefined ? '' : String(v);
    });
    rows.push(rec);
  });
  return { headers, rows };
}

async function expectValidation(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    const err = e as DomainError;
    expect(err.code).toBe('VALIDATION');
    return err;
  }
  throw new Error('expected a VALIDATION error');
}

async function actorOf(s: Services, username: string): Promise<UserActor> {
  const u = await s.db.kysely
    .selectFrom('app_user')
    .select(['id', 'org_id', 'role'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return {
    kind: 'user',
    userId: u.id,
    username,
    role: u.role,
    homeOrgId: u.org_id,
    orgId: u.org_id,
    sessionId: 'test-session',
  };
}

function metaOf(a: UserActor): RequestMeta {
  return {
    actor: { userId: a.userId, username: a.username, orgId: a.orgId },
    requestId: 'test',
    ip: '127.0.0.1',
  };
}

async function org(s: Services, shortName: string) {
  return s.db.kysely
    .selectFrom('organization')
    .select(['id', 'name', 'short_name', 'credit_code'])
    .where('short_name', '=', shortName)
    .executeTakeFirstOrThrow();
}

describe('catalog spreadsheet', () => {
  let t: TestDb;
  let s: Services;
  let sheet: CatalogSpreadsheet;
  let admin: UserActor;
  let gaOfficer: UserActor;
  let mzOfficer: UserActor;
  let ga: { id: string; name: string; short_name: string; credit_code: string };
  let mz: { id: string; name: string; short_name: string; credit_code: string };

  const count = async () => (await catalogRepository.entryIds(s.db.kysely, {})).length;

  /** A valid conditional database entry of the 公安局 with three items. */
  function entryRow(prefix: string, i: number, over: Row = {}): Row {
    return {
      分类码: '301001',
      信息资源分类: '部门信息资源/公安/治安管理',
      信息资源名称: `${prefix}资源${String(i).padStart(2, '0')}`,
      信息资源提供方: ga.name,
      提供方代码: ga.credit_code,
      提供方内部部门: '治安支队',
      信息资源摘要: `${prefix}第 ${i} 个测试资源的摘要`,
      信息资源格式分类: '数据库',
      信息资源格式类型: 'PostgreSQL',
      共享类型: '有条件共享',
      '共享条件（范围）': '市直政务部门',
      '共享条件（用途）': '行政审批核验',
      共享方式: '接口',
      开放类型: '不予开放',
      更新周期: '每日',
      数据分类: '公共管理数据',
      数据分级: '一般数据',
      '存储量(GB)': 1.5,
      结构化记录数: 1000 + i,
      ...over,
    };
  }

  function itemRowsOf(entryName: string, over: Row = {}): Row[] {
    return [
      {
        信息资源名称: entryName,
        信息项序号: 1,
        信息项名称: '公民身份号码',
        数据类型: 'C 字符型',
        数据长度: 18,
        敏感级别: '敏感',
        脱敏规则: '部分遮盖',
        ...over,
      },
      { 信息资源名称: entryName, 信息项序号: 2, 信息项名称: '姓名', 数据类型: 'C 字符型', 数据长度: 50 },
      { 信息资源名称: entryName, 信息项序号: 3, 信息项名称: '登记日期', 数据类型: 'D 日期型' },
    ];
  }

  beforeAll(async () => {
    t = await testDb();
    s = createServices(t.config, t.db);
    sheet = new CatalogSpreadsheet(s.catalog);
    admin = await actorOf(s, 'admin');
    gaOfficer = await actorOf(s, 'ga_officer');
    mzOfficer = await actorOf(s, 'mz_officer');
    ga = await org(s, '市公安局');
    mz = await org(s, '市民政局');
  });

  afterAll(async () => {
    await s.audit.stop();
    await t.dispose();
  });

  it('imports 30 entries all-or-nothing: one bad cell refuses the file and names the cell', async () => {
    // Columns reordered and an extra column the import ignores.
    const entryHeaders = [...ENTRY_HEADERS].reverse();
    entryHeaders.splice(5, 0, '备注');
    const itemHeaders = [...ITEM_HEADERS, '备注'];
    const entries = Array.from({ length: 30 }, (_, i) => entryRow('批量', i + 1, { 备注: '随便写' }));
    const items = entries.flatMap((e) => itemRowsOf(String(e.信息资源名称)));
    // One bad cell in the middle: conditional sharing without its scope (entry 15 = sheet row 16).
    const bad = entries.map((e, i) => (i === 14 ? { ...e, '共享条件（范围）': '' } : e));

    const before = await count();
    const err = await expectValidation(
      sheet.importWorkbook(
        metaOf(gaOfficer),
        gaOfficer,
        await workbook(entryHeaders, bad, itemHeaders, items),
      ),
    );
    const col = letter(entryHeaders.indexOf('共享条件（范围）') + 1);
    expect(err.fields).toEqual([
      {
        field: `信息资源!${col}16`,
        rule: 'share.condition_required',
        zh: '第16行“共享条件（范围）”：有条件共享须写明共享条件（范围）',
        en: 'row 16, 共享条件（范围）: Conditional sharing needs its condition: the scope',
      },
    ]);
    expect(await count()).toBe(before);

    // A bad item cell instead: an unknown data type (the 14th entry's second item = sheet row 41).
    const badItems = items.map((it, i) => (i === 40 ? { ...it, 数据类型: 'Q' } : it));
    const err2 = await expectValidation(
      sheet.importWorkbook(
        metaOf(gaOfficer),
        gaOfficer,
        await workbook(entryHeaders, entries, itemHeaders, badItems),
      ),
    );
    expect(err2.fields).toHaveLength(1);
    expect(err2.fields[0]).toMatchObject({
      field: `信息项!${letter(itemHeaders.indexOf('数据类型') + 1)}42`,
      rule: 'import.value_unknown',
    });
    expect(err2.fields[0]?.zh).toMatch(/^第42行“数据类型”：“Q”不是可选的数据类型/);
    expect(err2.fields[0]?.en).toMatch(/^row 42, 数据类型: "Q" is not a data type/);
    expect(await count()).toBe(before);

    // Corrected, the same file imports completely.
    const ok = await sheet.importWorkbook(
      metaOf(gaOfficer),
      gaOfficer,
      await workbook(entryHeaders, entries, itemHeaders, items),
    );
    expect(ok.created).toBe(30);
    expect(ok.entries.map((e) => e.name)).toEqual(entries.map((e) => e.信息资源名称));
    expect(await count()).toBe(before + 30);
    const [first] = await s.catalog.views(s.db.kysely, [ok.entries[0]?.id ?? '']);
    expect(first).toMatchObject({
      status: 'draft',
      providerOrgId: ga.id,
      shareType: 'conditional',
      shareModes: ['api'],
      census: { storageGb: 1.5, recordCount: 1001 },
    });
    expect(first?.items.map((i) => [i.name, i.dataType, i.length, i.sensitivity, i.masking])).toEqual([
      ['公民身份号码', 'C', 18, 'sensitive', 'partial'],
      ['姓名', 'C', 50, 'internal', 'none'],
      ['登记日期', 'D', null, 'internal', 'none'],
    ]);
  });

  it('checkWorkbook reports every problem, row by row, and writes nothing', async () => {
    // Entries 2 and 9 share a name; as files (pdf) they need no items.
    const asFile: Row = { 信息资源格式分类: '电子文件', 信息资源格式类型: 'pdf', 共享方式: '文件' };
    const entries = Array.from({ length: 10 }, (_, i) =>
      entryRow('检查', i + 1, i === 1 || i === 8 ? asFile : {}),
    );
    const e2 = entries[1] as Row;
    e2.共享类型 = '随便共享';
    (entries[4] as Row)['存储量(GB)'] = '很多';
    (entries[8] as Row).信息资源名称 = e2.信息资源名称 as string; // a duplicate name, no codes
    (entries[9] as Row).提供方代码 = '91350100M000100Y43'; // a valid code of no organization here
    const items = [
      ...[0, 2, 3, 4, 5, 6, 7, 9].flatMap((i) =>
        itemRowsOf(String((entries[i] as Row).信息资源名称), i === 2 ? { 数据类型: 'Q' } : {}),
      ),
      { 资源代码: '399999/0001', 信息项名称: '无主信息项', 数据类型: 'C', 数据长度: 10 },
    ];
    const before = await count();
    const problems = await sheet.checkWorkbook(
      admin,
      await workbook(ENTRY_HEADERS, entries, ITEM_HEADERS, items),
    );
    const at = (p: ImportProblem) => `${p.sheet}!${p.column}${p.row}:${p.rule}`;
    const col = (h: string) => letter(ENTRY_HEADERS.indexOf(h) + 1);
    const icol = (h: string) => letter(ITEM_HEADERS.indexOf(h) + 1);
    expect(problems.map(at)).toEqual([
      `信息资源!${col('共享类型')}3:import.value_unknown`,
      `信息资源!${col('存储量(GB)')}6:import.number_format`,
      `信息资源!${col('信息资源名称')}10:import.name_duplicate`,
      `信息资源!${col('提供方代码')}11:import.provider_unknown`,
      `信息项!${icol('数据类型')}5:import.value_unknown`,
      `信息项!${icol('资源代码')}26:import.item_orphan`,
    ]);
    expect(problems[0]).toMatchObject({ sheet: '信息资源', row: 3, field: '共享类型' });
    expect(problems[0]?.zh).toContain('“随便共享”不是可选值');
    expect(problems[2]?.zh).toContain('在第3行已出现');
    expect(await count()).toBe(before);
  });

  it('exports the template layout with labels, dropdowns and the guide, and only what the actor may see', async () => {
    const entries = [
      entryRow('导出', 1, { 信息资源提供方: mz.name, 提供方代码: mz.credit_code, 信息资源格式类型: 'MySQL' }),
      entryRow('导出', 2, { 信息资源提供方: mz.name, 提供方代码: mz.credit_code, 共享方式: '库表、接口' }),
    ];
    const items = entries.flatMap((e) => itemRowsOf(String(e.信息资源名称)));
    const res = await sheet.importWorkbook(
      metaOf(mzOfficer),
      mzOfficer,
      await workbook(ENTRY_HEADERS, entries, ITEM_HEADERS, items),
    );
    const codes = res.entries.map((e) => e.code);

    const wb = await readBook(await sheet.exportWorkbook(mzOfficer, { providerOrgId: mz.id }));
    expect(wb.worksheets.map((w) => w.name)).toEqual([ENTRY_SHEET, ITEM_SHEET, GUIDE_SHEET]);
    const ents = sheetData(wb, ENTRY_SHEET);
    expect(ents.headers).toEqual([...ENTRY_HEADERS]);
    expect(sheetData(wb, ITEM_SHEET).headers).toEqual([...ITEM_HEADERS]);
    const row = ents.rows.find((r) => r.资源代码 === codes[1]);
    expect(row).toMatchObject({
      信息资源提供方: mz.name,
      提供方代码: mz.credit_code,
      信息资源格式分类: '数据库',
      共享类型: '有条件共享',
      共享方式: '库表、接口',
      开放类型: '不予开放',
      更新周期: '每日',
      数据分级: '一般数据',
      状态: '草稿',
    });
    const its = sheetData(wb, ITEM_SHEET).rows.filter((r) => r.资源代码 === codes[1]);
    expect(its.map((r) => [r.信息项序号, r.信息项名称, r.数据类型, r.敏感级别, r.脱敏规则])).toEqual([
      ['1', '公民身份号码', 'C 字符型', '敏感', '部分遮盖'],
      ['2', '姓名', 'C 字符型', '内部', '不脱敏'],
      ['3', '登记日期', 'D 日期型', '内部', '不脱敏'],
    ]);

    const ws = wb.getWorksheet(ENTRY_SHEET);
    expect(ws?.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws?.getColumn(4).width).toBeGreaterThan(20);
    const validations = (
      ws as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } }
    ).dataValidations.model;
    const shareTypeCell = `${letter(ENTRY_HEADERS.indexOf('共享类型') + 1)}2`;
    expect(validations[shareTypeCell]).toMatchObject({ type: 'list' });
    expect(String(validations[shareTypeCell]?.formulae[0])).toContain(GUIDE_SHEET);
    const guide = wb.getWorksheet(GUIDE_SHEET);
    const guideText: string[] = [];
    guide?.eachRow((r) => {
      r.eachCell((c) => {
        guideText.push(String(c.value));
      });
    });
    expect(guideText).toEqual(
      expect.arrayContaining(['共享条件（范围）', '有条件共享', '数据类型', 'C 字符型']),
    );

    // Drafts stay with their department and the platform office.
    const codesIn = async (a: UserActor) =>
      sheetData(await readBook(await sheet.exportWorkbook(a, {})), ENTRY_SHEET).rows.map((r) => r.资源代码);
    expect(await codesIn(mzOfficer)).toEqual(expect.arrayContaining(codes));
    expect(await codesIn(admin)).toEqual(expect.arrayContaining(codes));
    const gaSees = await codesIn(gaOfficer);
    for (const c of codes) expect(gaSees).not.toContain(c);
    const published = sheetData(
      await readBook(await sheet.exportWorkbook(mzOfficer, { statuses: ['published'] })),
      ENTRY_SHEET,
    ).rows.map((r) => r.资源代码);
    for (const c of codes) expect(published).not.toContain(c);
  });

  it('accepts label, letter, credit-code and short-name variants', async () => {
    const name = (i: number) => `变体资源${i}`;
    // Provider by credit code only (no provider-name column); values by identifier or label.
    const headersA = ENTRY_HEADERS.filter((h) => h !== '信息资源提供方');
    const entriesA = [
      entryRow('', 0, {
        信息资源名称: name(1),
        共享类型: 'unconditional',
        '共享条件（范围）': '',
        '共享条件（用途）': '',
        共享方式: '库表;接口',
        信息资源格式类型: 'postgresql',
      }),
    ];
    const itemsA: Row[] = [
      { 信息资源名称: name(1), 信息项名称: '甲', 数据类型: 'C', 数据长度: 10, 责任采集部门: '市民政局' },
      { 信息资源名称: name(1), 信息项名称: '乙', 数据类型: '数值型', 数据长度: 8, 责任采集部门: mz.name },
      {
        信息资源名称: name(1),
        信息项名称: '丙',
        数据类型: 'N 数值型',
        数据长度: 8,
        责任采集部门: mz.credit_code,
      },
      { 信息资源名称: name(1), 信息项名称: '丁', 数据类型: '日期型(D)' },
      { 信息资源名称: name(1), 信息项名称: '戊', 数据类型: 'i', 敏感级别: 'public', 脱敏规则: '哈希' },
    ];
    // Provider by short name only (no credit-code column), and by full name.
    const headersB = ENTRY_HEADERS.filter((h) => h !== '提供方代码');
    const entriesB = [
      entryRow('', 0, { 信息资源名称: name(2), 信息资源提供方: '市公安局' }),
      entryRow('', 0, { 信息资源名称: name(3), 信息资源提供方: ga.name }),
    ];
    const itemsB = [...itemRowsOf(name(2)), ...itemRowsOf(name(3))];
    const a = await sheet.importWorkbook(
      metaOf(gaOfficer),
      gaOfficer,
      await workbook(headersA, entriesA, ITEM_HEADERS, itemsA),
    );
    const b = await sheet.importWorkbook(
      metaOf(gaOfficer),
      gaOfficer,
      await workbook(headersB, entriesB, ITEM_HEADERS, itemsB),
    );
    const [va] = await s.catalog.views(
      s.db.kysely,
      a.entries.map((e) => e.id),
    );
    expect(va).toMatchObject({
      providerOrgId: ga.id,
      shareType: 'unconditional',
      shareModes: ['database', 'api'],
      formatType: 'PostgreSQL',
    });
    expect(va?.items.map((i) => [i.name, i.dataType, i.collectingOrgId, i.sensitivity, i.masking])).toEqual([
      ['甲', 'C', mz.id, 'internal', 'none'],
      ['乙', 'N', mz.id, 'internal', 'none'],
      ['丙', 'N', mz.id, 'internal', 'none'],
      ['丁', 'D', ga.id, 'internal', 'none'],
      ['戊', 'I', ga.id, 'public', 'hash'],
    ]);
    const vb = await s.catalog.views(
      s.db.kysely,
      b.entries.map((e) => e.id),
    );
    expect(vb.map((v) => [v.name, v.providerOrgId, v.items.length])).toEqual([
      [name(2), ga.id, 3],
      [name(3), ga.id, 3],
    ]);
  });

  it("refuses a department officer's import of another department's entries", async () => {
    const entries = [
      entryRow('越权', 1),
      entryRow('越权', 2, { 信息资源提供方: mz.name, 提供方代码: mz.credit_code }),
      entryRow('越权', 3),
    ];
    const items = entries.flatMap((e) => itemRowsOf(String(e.信息资源名称)));
    const before = await count();
    const err = await expectValidation(
      sheet.importWorkbook(
        metaOf(gaOfficer),
        gaOfficer,
        await workbook(ENTRY_HEADERS, entries, ITEM_HEADERS, items),
      ),
    );
    expect(err.fields).toEqual([
      expect.objectContaining({
        field: `信息资源!${letter(ENTRY_HEADERS.indexOf('提供方代码') + 1)}3`,
        rule: 'import.provider_not_own',
      }),
    ]);
    expect(err.fields[0]?.zh).toContain('只能导入本单位（咸宁市公安局）的目录');
    expect(await count()).toBe(before);
    // The platform office may import it.
    const ok = await sheet.importWorkbook(
      metaOf(admin),
      admin,
      await workbook(ENTRY_HEADERS, entries, ITEM_HEADERS, items),
    );
    expect(ok.created).toBe(3);
  });

  it('refuses what is not an xlsx, and files that are too large', async () => {
    const notXlsx = [
      Buffer.from('资源代码,信息资源名称\n301001/0001,户籍\n'),
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('not really a zip archive')]),
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), // a legacy .xls
    ];
    for (const file of notXlsx) {
      const err = await expectValidation(sheet.importWorkbook(metaOf(admin), admin, file));
      expect(err.fields).toEqual([expect.objectContaining({ field: 'file', rule: 'file.format' })]);
      const err2 = await expectValidation(sheet.checkWorkbook(admin, file));
      expect(err2.fields[0]?.rule).toBe('file.format');
    }
    const big = await expectValidation(sheet.checkWorkbook(admin, Buffer.alloc(MAX_FILE_BYTES + 1)));
    expect(big.fields).toEqual([expect.objectContaining({ field: 'file', rule: 'file.too_large' })]);
  });

  it('reports missing columns and sheets before reading any row', async () => {
    const headers = ENTRY_HEADERS.filter((h) => h !== '共享类型');
    const problems = await sheet.checkWorkbook(
      admin,
      await workbook(headers, [entryRow('缺列', 1)], ITEM_HEADERS, []),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        sheet: '信息资源',
        row: 1,
        field: '共享类型',
        rule: 'import.column_missing',
      }),
    ]);
    const other = new ExcelJS.Workbook();
    other.addWorksheet('Sheet1').addRow(['姓名', '电话']);
    const noSheet = await sheet.checkWorkbook(admin, Buffer.from(await other.xlsx.writeBuffer()));
    expect(noSheet).toEqual([expect.objectContaining({ sheet: '信息资源', rule: 'import.sheet_missing' })]);
  });

  it('export then import into a fresh database reproduces the catalog, codes included', async () => {
    // A varied catalog in this database.
    const entries: Row[] = [
      entryRow('往返', 1, {
        分类码: '101001',
        信息资源分类: '基础信息资源/人口/户籍',
        所属基础库: '人口',
        共享类型: '无条件共享',
        '共享条件（范围）': '',
        '共享条件（用途）': '',
        共享方式: '库表、接口',
        开放类型: '有条件开放',
        开放条件: '经授权的科研机构',
        更新周期: '实时',
        '已共享数据量(GB)': 0.25,
        已共享记录数: 300,
        '已开放数据量(GB)': 0,
        已开放记录数: 0,
        来源信息系统: '人口管理系统',
        数据分级: '重要数据',
      }),
      entryRow('往返', 2, {
        共享类型: '不予共享',
        '共享条件（范围）': '',
        '共享条件（用途）': '',
        不予共享依据类别: '法律',
        不予共享依据: '《中华人民共和国国家安全法》第X条',
        共享方式: '',
        '存储量(GB)': '',
        结构化记录数: '',
      }),
      entryRow('往返', 3, {
        信息资源提供方: mz.name,
        提供方代码: mz.credit_code,
        提供方内部部门: '',
        信息资源格式分类: '电子文件',
        信息资源格式类型: 'pdf',
        共享方式: '文件',
        更新周期: '每年',
        数据分类: '',
      }),
      entryRow('往返', 4, {
        信息资源提供方: mz.name,
        提供方代码: mz.credit_code,
        更新周期: '每季度',
        关联资源代码: '301001/0001、101001/0001',
      }),
    ];
    const items: Row[] = [
      ...itemRowsOf('往返资源01', { 描述: '18 位公民身份号码', 标准数据元: 'GB 11643 公民身份号码' }),
      ...itemRowsOf('往返资源02'),
      ...itemRowsOf('往返资源04', { 责任采集部门: '市公安局', 敏感级别: '高度敏感', 脱敏规则: '完全屏蔽' }),
    ];
    const first = await sheet.importWorkbook(
      metaOf(admin),
      admin,
      await workbook(ENTRY_HEADERS, entries, ITEM_HEADERS, items),
    );
    const mine = new Set(first.entries.map((e) => e.code));
    expect(mine.size).toBe(4);
    const exported = await readBook(await sheet.exportWorkbook(admin, {}));

    // Keep only this test's rows (the database also holds other tests' and perhaps the demo's
    // entries): blank the others' cells — the import skips empty rows.
    for (const name of [ENTRY_SHEET, ITEM_SHEET]) {
      const ws = exported.getWorksheet(name);
      if (!ws) throw new Error(name);
      ws.eachRow((row, r) => {
        if (r === 1 || mine.has(String(row.getCell(1).value))) return;
        row.eachCell((cell) => {
          cell.value = null;
        });
      });
    }
    const file = Buffer.from(await exported.xlsx.writeBuffer());
    const rowsOf = async (buf: Buffer) => {
      const wb = await readBook(buf);
      const pick = (d: SheetData) => d.rows.filter((r) => mine.has(r.资源代码 ?? ''));
      return { entries: pick(sheetData(wb, ENTRY_SHEET)), items: pick(sheetData(wb, ITEM_SHEET)) };
    };
    const source = await rowsOf(file);
    expect(source.entries).toHaveLength(4);
    expect(source.items).toHaveLength(9);

    const t2 = await testDb();
    const s2 = createServices(t2.config, t2.db);
    try {
      const admin2 = await actorOf(s2, 'admin');
      const sheet2 = new CatalogSpreadsheet(s2.catalog);
      const res = await sheet2.importWorkbook(metaOf(admin2), admin2, file);
      expect(res.created).toBe(4);
      expect(new Set(res.entries.map((e) => e.code))).toEqual(mine);
      const copy = await rowsOf(await sheet2.exportWorkbook(admin2, {}));
      const withoutStatus = (rows: Record<string, string>[]) =>
        rows
          .map(({ 状态: _status, ...rest }) => rest)
          .sort((x, y) => (x.资源代码 ?? '').localeCompare(y.资源代码 ?? ''));
      expect(withoutStatus(copy.entries)).toEqual(withoutStatus(source.entries));
      expect(copy.items).toEqual(source.items);
      // Spot-check that the cells carry labels and the census survived.
      const basic = source.entries.find((r) => r.信息资源名称 === '往返资源01');
      expect(basic).toMatchObject({
        所属基础库: '人口',
        开放类型: '有条件开放',
        开放条件: '经授权的科研机构',
        '已共享数据量(GB)': '0.25',
        已开放记录数: '0',
        数据分级: '重要数据',
      });
      const notShared = source.entries.find((r) => r.信息资源名称 === '往返资源02');
      expect(notShared).toMatchObject({
        共享类型: '不予共享',
        不予共享依据类别: '法律',
        共享方式: '',
        '存储量(GB)': '',
      });
    } finally {
      await s2.audit.stop();
      await t2.dispose();
    }
  });
});
