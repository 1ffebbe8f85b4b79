/**
 * File sources over real HTTP on the platform's own database (PGlite or PostgreSQL): CSV and XLSX
 * uploads loaded into srcdata tables, a bad file refused cell by cell with nothing loaded, a re-upload
 * swapped in whole, the guards, and the loaded table mounted and queried through the gate with masking.
 */
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, publishEntry, type Session, type TestApp, testApp } from '../../../test/helpers.js';
import { sm3Hex } from '../../kernel/sm3.js';
import { idNumberCheckChar } from '../../kernel/validators.js';
import { checkZip, fileSourceRelation, fileSourcesFor, sanitizeColumnName } from './exchange.filesource.js';

function idNumber(i: number): string {
  const first17 = `42120219${String(70 + (i % 30))}0${1 + (i % 9)}1${i % 10}${String(100 + i).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

interface Problem {
  code: string;
  message: { zh: string; en: string };
  fields: { field: string; rule: string; zh: string; en: string }[];
}

interface Loaded {
  sourceId: string;
  version: number;
  relation: string;
  rows: number;
  sm3: string;
  format: string;
  columns: { name: string; header: string; type: string }[];
}

const people = Array.from({ length: 12 }, (_, i) => ({
  id: idNumber(i),
  name: `参保${'甲乙丙丁戊己庚辛壬癸子丑'[i]}${i}`,
  born: `19${70 + i}-0${1 + (i % 9)}-1${i % 10}`,
  pay: `${300 + i}.50`,
  count: String(i + 1),
}));

function csvOf(rows: string[][]): Buffer {
  const q = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return Buffer.from(`${rows.map((r) => r.map(q).join(',')).join('\r\n')}\r\n`, 'utf8');
}

const HEADER = ['公民身份号码', '姓名', '出生日期', '月缴费额（元）', '缴费月数'];
const goodCsv = csvOf([HEADER, ...people.map((p) => [p.id, p.name, p.born, p.pay, p.count])]);

describe('file sources (uploaded CSV / XLSX)', () => {
  let t: TestApp;
  let tech: Session;
  let gaAdmin: Session;
  let mz: Session;
  let mzAdmin: Session;
  let admin: Session;
  let gaOrg = '';
  let sourceId = '';

  const post = (s: Session, url: string, payload?: object) =>
    t.app.inject({ method: 'POST', url, headers: s.headers, ...(payload ? { payload } : {}) });
  const upload = (s: Session, id: string, name: string, body: Buffer, extra: Record<string, string> = {}) =>
    t.app.inject({
      method: 'PUT',
      url: `/api/v1/exchange/sources/${id}/file`,
      headers: {
        ...s.headers,
        'content-type': name.endsWith('.xlsx')
          ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
          : 'text/csv',
        'x-file-name': encodeURIComponent(name),
        ...extra,
      },
      payload: body,
    });
  const tableRows = async (id: string) => {
    const [schema, table] = fileSourceRelation(id).split('.');
    const r = await t.db.kysely
      .withSchema(schema as string)
      .selectFrom(table as never)
      .selectAll()
      .execute();
    return r as Record<string, unknown>[];
  };

  beforeAll(async () => {
    t = await testApp();
    tech = await login(t.app, 'ga_tech');
    gaAdmin = await login(t.app, 'ga_admin');
    mz = await login(t.app, 'mz_officer');
    mzAdmin = await login(t.app, 'mz_admin');
    admin = await login(t.app, 'admin');
    gaOrg = json<{ activeOrgId: string }>(
      await t.app.inject({ url: '/api/v1/auth/me', headers: tech.headers }),
    ).activeOrgId;
    const res = await post(tech, '/api/v1/exchange/sources', {
      name: '参保人员名单（上传文件）',
      kind: 'file',
      config: { columns: [{ name: '出生日期', type: 'date' }] },
    });
    expect(res.statusCode, res.body).toBe(201);
    sourceId = json<{ id: string }>(res).id;
  });

  afterAll(async () => {
    await t?.close();
  });

  it("holds the demo's file source: 市人社局's CSV export, loaded and mounted on 社会保险参保信息", async () => {
    const rs = await login(t.app, 'rs_officer');
    const sources = json<{ id: string; name: string; kind: string; status: string }[]>(
      await t.app.inject({ url: '/api/v1/exchange/sources', headers: rs.headers }),
    );
    const demo = sources.find((x) => x.kind === 'file');
    expect(demo).toMatchObject({ name: '社会保险参保登记（金保工程月度导出）', status: 'up' });
    const loaded = json<Loaded>(
      await t.app.inject({ url: `/api/v1/exchange/sources/${demo?.id}/file`, headers: rs.headers }),
    );
    expect(loaded).toMatchObject({ rows: 30, format: 'csv', version: 1 });
    expect(loaded.columns.find((c) => c.name === '个人参保日期')?.type).toBe('date');
    expect(loaded.columns.find((c) => c.name === '身份证件号码')?.type).toBe('text');
    const mounts = json<{ entryName: string; relation: string }[]>(
      await t.app.inject({ url: '/api/v1/exchange/mounts', headers: rs.headers }),
    );
    expect(mounts.find((m) => m.entryName === '社会保险参保信息')?.relation).toBe(loaded.relation);
  });

  it('sanitises column names into unique plain identifiers', () => {
    const used = new Set<string>();
    expect(sanitizeColumnName(' Phone No. ', 0, used)).toBe('phone_no');
    expect(sanitizeColumnName('Phone-No', 1, used)).toBe('phone_no_2');
    expect(sanitizeColumnName('1st', 2, used)).toBe('c_1st');
    expect(sanitizeColumnName('xmin', 3, used)).toBe('xmin_');
    expect(sanitizeColumnName('"; drop table x; --', 4, used)).toBe('drop_table_x');
    expect(sanitizeColumnName('', 5, used)).toBe('col_6');
    expect(sanitizeColumnName('月缴费额（元）', 6, used)).toBe('月缴费额_元');
    expect(Buffer.byteLength(sanitizeColumnName('很'.repeat(40), 7, used))).toBeLessThanOrEqual(55);
  });

  it('loads a CSV into its own table with declared and inferred types, audited', async () => {
    const res = await upload(tech, sourceId, '参保人员.csv', goodCsv, { 'x-content-sm3': sm3Hex(goodCsv) });
    expect(res.statusCode, res.body).toBe(200);
    const l = json<Loaded>(res);
    expect(l).toMatchObject({ version: 1, rows: 12, format: 'csv', sm3: sm3Hex(goodCsv) });
    expect(l.relation).toBe(fileSourceRelation(sourceId));
    expect(l.relation.startsWith('srcdata.')).toBe(true);
    expect(l.columns).toEqual([
      { name: '公民身份号码', header: '公民身份号码', type: 'text' },
      { name: '姓名', header: '姓名', type: 'text' },
      { name: '出生日期', header: '出生日期', type: 'date' },
      { name: '月缴费额_元', header: '月缴费额（元）', type: 'numeric' },
      { name: '缴费月数', header: '缴费月数', type: 'integer' },
    ]);
    const rows = await tableRows(sourceId);
    expect(rows).toHaveLength(12);
    const first = rows.find((r) => r.公民身份号码 === people[0]?.id);
    expect(first).toMatchObject({ 姓名: people[0]?.name, 出生日期: people[0]?.born, 缴费月数: 1 });
    const again = json<Loaded>(
      await t.app.inject({ url: `/api/v1/exchange/sources/${sourceId}/file`, headers: tech.headers }),
    );
    expect(again.version).toBe(1);
    const ev = await t.db.kysely
      .selectFrom('audit_event')
      .select(['outcome', 'detail'])
      .where('action', '=', 'exchange.source.load')
      .where('object_id', '=', sourceId)
      .execute();
    expect(ev.map((e) => e.outcome)).toContain('ok');
  });

  it('refuses a file with bad rows cell by cell and loads nothing of it', async () => {
    const bad = csvOf([
      HEADER,
      [idNumber(50), '新人甲', '1980-02-30', '100.00', '3'],
      [idNumber(51), '新人乙', '1981-01-01', '100.00'],
      [idNumber(52), '新人丙', '1982-01-01', '100.00', '4'],
    ]);
    const res = await upload(tech, sourceId, '参保人员.csv', bad);
    expect(res.statusCode, res.body).toBe(400);
    const p = json<Problem>(res);
    expect(p.message.en).toContain('nothing was loaded');
    expect(p.fields).toEqual([
      expect.objectContaining({ field: 'csv!C2', rule: 'type.date' }),
      expect.objectContaining({ field: 'csv!E3', rule: 'row.width' }),
    ]);
    expect(p.fields[0]?.zh).toContain('出生日期');
    // The first upload is still what the source holds: no row of the bad file, not even the good one.
    const rows = await tableRows(sourceId);
    expect(rows).toHaveLength(12);
    expect(rows.some((r) => r.姓名 === '新人丙')).toBe(false);
    const ev = await t.db.kysely
      .selectFrom('audit_event')
      .select('outcome')
      .where('action', '=', 'exchange.source.load')
      .where('object_id', '=', sourceId)
      .where('outcome', '=', 'denied')
      .execute();
    expect(ev.length).toBeGreaterThan(0);
  });

  it('replaces the content with an XLSX upload, in one swap', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('参保人员');
    ws.addRow(HEADER);
    for (const p of people.slice(0, 8)) {
      ws.addRow([p.id, p.name, new Date(`${p.born}T00:00:00Z`), Number(p.pay), Number(p.count) * 2]);
    }
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await upload(tech, sourceId, '参保人员（更新）.xlsx', buf);
    expect(res.statusCode, res.body).toBe(200);
    const l = json<Loaded>(res);
    expect(l).toMatchObject({ version: 2, rows: 8, format: 'xlsx', relation: fileSourceRelation(sourceId) });
    const rows = await tableRows(sourceId);
    expect(rows).toHaveLength(8);
    expect(rows.find((r) => r.公民身份号码 === people[2]?.id)).toMatchObject({
      出生日期: people[2]?.born,
      缴费月数: 6,
    });
    // No leftover version tables.
    const tables = await t.db.kysely
      .selectFrom('information_schema.tables' as never)
      .select('table_name' as never)
      .where('table_schema' as never, '=', 'srcdata' as never)
      .execute();
    expect(
      (tables as { table_name: string }[]).filter((x) => x.table_name.includes(sourceId.slice(0, 8))),
    ).toHaveLength(1);
  });

  it('guards: size, zip bombs, file type, the digest, other departments, concurrent loads', async () => {
    // A zip bomb: a small archive whose one entry inflates past the limit.
    const big = deflateRawSync(Buffer.alloc(110 * 1024 * 1024, 0x41));
    const name = Buffer.from('xl/worksheets/sheet1.xml');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(big.length, 18);
    local.writeUInt32LE(1000, 22); // lies about its size
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(big.length, 20);
    central.writeUInt32LE(1000, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(0, 42);
    const cdOffset = local.length + name.length + big.length;
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(1, 8);
    eocd.writeUInt16LE(1, 10);
    eocd.writeUInt32LE(central.length + name.length, 12);
    eocd.writeUInt32LE(cdOffset, 16);
    const bomb = Buffer.concat([local, name, big, central, name, eocd]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const b = await upload(tech, sourceId, 'bomb.xlsx', bomb);
    expect(b.statusCode, b.body).toBe(400);
    expect(json<Problem>(b).fields[0]?.rule).toBe('xlsx.uncompressed_size');
    // The guard measures what real workbooks inflate to.
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('s').addRow(['a']);
    const small = Buffer.from(await wb.xlsx.writeBuffer());
    expect(() => checkZip(small)).not.toThrow();
    expect(() => checkZip(small, 1000)).toThrow(
      expect.objectContaining({ fields: [expect.objectContaining({ rule: 'xlsx.uncompressed_size' })] }),
    );

    const tooBig = await upload(tech, sourceId, 'big.csv', Buffer.alloc(21 * 1024 * 1024, 0x61));
    expect([400, 413]).toContain(tooBig.statusCode);
    const xls = await upload(tech, sourceId, 'old.xls', Buffer.from('not really'));
    expect(json<Problem>(xls).fields[0]).toMatchObject({ field: 'x-file-name', rule: 'file.format' });
    const wrongSm3 = await upload(tech, sourceId, 'a.csv', goodCsv, { 'x-content-sm3': '0'.repeat(64) });
    expect(json<Problem>(wrongSm3).fields[0]).toMatchObject({ field: 'x-content-sm3', rule: 'sm3.mismatch' });
    // 市民政局 may not load into 市公安局's source.
    const other = await upload(mzAdmin, sourceId, 'a.csv', goodCsv);
    expect(other.statusCode).toBe(403);
    // A database source takes no file.
    const pgSource = json<{ id: string }>(
      await post(tech, '/api/v1/exchange/sources', {
        name: '某库',
        kind: 'postgres',
        config: { host: '127.0.0.1', database: 'x', user: 'x' },
      }),
    );
    expect((await upload(tech, pgSource.id, 'a.csv', goodCsv)).statusCode).toBe(409);
    // Two loads of one source at once: one loads, the other is told to come back.
    const filler = Array.from({ length: 20_000 }, (_, i) => [
      `F${String(i).padStart(17, '0')}`,
      `填充${i}`,
      '1990-01-01',
      '1.00',
      '1',
    ]);
    const large = csvOf([HEADER, ...people.map((p) => [p.id, p.name, p.born, p.pay, p.count]), ...filler]);
    // (Straight to the service: on PGlite the second request's session lookup would wait for the first's
    // transaction anyway; on PostgreSQL both requests run at once and meet the same guard.)
    const me = json<{ id: string; activeOrgId: string }>(
      await t.app.inject({ url: '/api/v1/auth/me', headers: tech.headers }),
    );
    const actor = {
      kind: 'user' as const,
      userId: me.id,
      username: 'ga_tech',
      role: 'tech_officer' as const,
      homeOrgId: me.activeOrgId,
      orgId: me.activeOrgId,
      sessionId: 'test',
    };
    const meta = { actor: { username: 'ga_tech', orgId: me.activeOrgId }, requestId: 'r', ip: '' };
    const svc = fileSourcesFor(t.services);
    const input = (name: string) => ({ name, contentType: 'text/csv', sm3: undefined, data: large });
    const outcomes = await Promise.allSettled([
      svc.upload(meta, actor, sourceId, input('a.csv')),
      svc.upload(meta, actor, sourceId, input('b.csv')),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ code: 'CONFLICT' });
    const won = outcomes.find((o) => o.status === 'fulfilled') as PromiseFulfilledResult<Loaded>;
    expect(won.value.version).toBe(3);
    expect(await tableRows(sourceId)).toHaveLength(20_012);
  });

  it('is mounted on its own table only, and queried through the gate with masking', async () => {
    const file = json<Loaded>(
      await t.app.inject({ url: `/api/v1/exchange/sources/${sourceId}/file`, headers: tech.headers }),
    );
    const relations = json<string[]>(
      await t.app.inject({ url: `/api/v1/exchange/sources/${sourceId}/relations`, headers: tech.headers }),
    );
    expect(relations).toEqual([file.relation]);
    const entry = await publishEntry(t.app, gaAdmin, admin, {
      classCode: '301900',
      className: '部门信息资源/公安/文件源测试',
      name: '参保人员名单（文件源测试）',
      providerOrgId: gaOrg,
      summary: '文件型数据源挂接测试',
      formatCategory: 'database',
      formatType: 'PostgreSQL',
      shareType: 'conditional',
      shareConditionScope: '政务部门',
      shareConditionUse: '身份核验',
      shareModes: ['api'],
      openType: 'not_open',
      updateCycle: 'monthly',
      dataGrade: 'important',
      items: [
        { name: '公民身份号码', dataType: 'C', length: 18, sensitivity: 'sensitive', masking: 'partial' },
        { name: '姓名', dataType: 'C', length: 50, sensitivity: 'sensitive', masking: 'partial' },
        { name: '缴费月数', dataType: 'I', length: null },
      ],
    });
    const mapping = { 公民身份号码: '公民身份号码', 姓名: '姓名', 缴费月数: '缴费月数' };
    // A platform table is not the file source's to mount.
    const sneaky = await post(tech, '/api/v1/exchange/mounts', {
      entryId: entry.id,
      sourceId,
      relation: 'public.app_user',
      keyColumns: ['username'],
      mapping: { 公民身份号码: 'username', 姓名: 'password_hash', 缴费月数: 'id' },
    });
    expect(sneaky.statusCode).toBe(400);
    expect(json<Problem>(sneaky).fields[0]?.rule).toBe('relation.exists');
    const mounted = await post(tech, '/api/v1/exchange/mounts', {
      entryId: entry.id,
      sourceId,
      relation: file.relation,
      keyColumns: ['公民身份号码'],
      mapping,
    });
    expect(mounted.statusCode, mounted.body).toBe(201);

    const sys = json<{ id: string }>(
      await post(mzAdmin, '/api/v1/systems', { code: 'mz-file', name: '参保核验' }),
    );
    const token = json<{ token: string }>(
      await post(mzAdmin, `/api/v1/systems/${sys.id}/tokens`, { name: 't', expiresInDays: 30 }),
    ).token;
    const app = json<{ id: string }>(
      await post(mz, '/api/v1/sharing/applications', {
        entryId: entry.id,
        requestedItems: ['公民身份号码', '姓名', '缴费月数'],
        basis: '《社会救助暂行办法》第十一条',
        scenario: '低保审核参保核查',
        purposeCategory: 'data_verification',
        purpose: '核查申请人参保情况',
        scope: '社会救助科',
        accessMode: 'api',
        periodFrom: '2026-01-01',
        periodTo: '2027-12-31',
        consumerSystemId: sys.id,
        attested: true,
      }),
    );
    const act = (s: Session, a: string, payload: object = {}) =>
      post(s, `/api/v1/sharing/applications/${app.id}/actions/${a}`, payload);
    await act(mz, 'submit');
    await act(mzAdmin, 'internal_approve');
    expect((await act(gaAdmin, 'approve', { dailyQuota: 100 })).statusCode).toBe(200);
    expect((await act(gaAdmin, 'supply', { dailyQuota: 100 })).statusCode).toBe(200);

    const p = people[4] as (typeof people)[number];
    const res = await t.app.inject({
      method: 'POST',
      url: `/exchange/v1/resources/${entry.code.replace('/', '-')}/query`,
      headers: { authorization: `Bearer ${token}`, 'x-purpose': 'data_verification' },
      payload: { filters: { 公民身份号码: p.id } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = json<{ records: Record<string, unknown>[] }>(res);
    expect(body.records).toHaveLength(1);
    const r = body.records[0] as Record<string, unknown>;
    expect(r.公民身份号码).toBe(`${p.id.slice(0, 6)}********${p.id.slice(14)}`);
    expect(r.姓名).toMatch(/^参\*+/);
    expect(Number(r.缴费月数)).toBe(5);
    expect(res.body).not.toContain(p.name);
  });
});
