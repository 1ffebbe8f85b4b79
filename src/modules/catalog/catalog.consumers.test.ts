/** Who uses a resource (its grants) and the platform office's review queue, over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, type Session, type TestApp, testApp } from '../../../test/helpers.js';
import type { EntryView } from './catalog.model.js';

interface ConsumerPage {
  items: {
    grantId: string;
    consumerOrgId: string;
    consumerOrgName: string;
    consumerSystemName: string | null;
    items: { name: string; masking: string }[];
    validFrom: string;
    validTo: string;
    status: string;
  }[];
  total: number;
  page: number;
  pageSize: number;
}

interface Queue {
  items: { entry: EntryView; workdaysLeft: number | null }[];
  total: number;
}

describe('catalog: consumers and review queue', () => {
  let t: TestApp;
  let admin: Session;
  let gaOfficer: Session;
  let gaTech: Session;
  let mzOfficer: Session;
  let huji: EntryView;

  const get = (s: Session, url: string) => t.app.inject({ url, headers: s.headers });

  beforeAll(async () => {
    t = await testApp();
    admin = await login(t.app, 'admin');
    gaOfficer = await login(t.app, 'ga_officer');
    gaTech = await login(t.app, 'ga_tech');
    mzOfficer = await login(t.app, 'mz_officer');
    const found = json<{ items: EntryView[] }>(
      await get(
        gaOfficer,
        `/api/v1/catalog/entries?q=${encodeURIComponent('户籍人口基本信息')}&publishedOnly=true`,
      ),
    );
    const e = found.items.find((x) => x.name === '户籍人口基本信息');
    if (!e) throw new Error('demo entry 户籍人口基本信息 missing');
    huji = e;
  });
  afterAll(async () => t.close());

  it('shows the provider who uses its resource: the demo grant of 市民政局, with system and items', async () => {
    const res = await get(gaOfficer, `/api/v1/catalog/entries/${huji.id}/consumers`);
    expect(res.statusCode, res.body).toBe(200);
    const page = json<ConsumerPage>(res);
    expect(page.total).toBeGreaterThanOrEqual(1);
    const mz = page.items.find((c) => c.consumerOrgName.includes('民政'));
    expect(mz).toBeDefined();
    expect(mz?.consumerSystemName).toBe('市民政局业务审批系统');
    expect(mz?.items.length).toBe(3);
    expect(mz?.status).toBe('active');
    expect(mz && mz.validFrom <= mz.validTo).toBe(true);
    // The technical officer of the provider and the platform office see the same list.
    const tech = json<ConsumerPage>(await get(gaTech, `/api/v1/catalog/entries/${huji.id}/consumers`));
    expect(tech.total).toBe(page.total);
    const office = await get(admin, `/api/v1/catalog/entries/${huji.id}/consumers?page=1&pageSize=1`);
    expect(office.statusCode).toBe(200);
    expect(json<ConsumerPage>(office).items).toHaveLength(1);
    expect(json<ConsumerPage>(office).total).toBe(page.total);
  });

  it('refuses another department, even the consumer itself, and audits the reading', async () => {
    const res = await get(mzOfficer, `/api/v1/catalog/entries/${huji.id}/consumers`);
    expect(res.statusCode).toBe(403);
    await t.services.audit.drain();
    const events = await t.db.kysely
      .selectFrom('audit_event')
      .select(['action', 'object_id', 'outcome'])
      .where('action', '=', 'catalog.consumers.read')
      .where('object_id', '=', huji.id)
      .execute();
    expect(events.length).toBeGreaterThanOrEqual(3);
  });

  it('lists an entry with no grants as empty', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/catalog/entries',
      headers: gaOfficer.headers,
      payload: {
        classCode: '301001',
        className: '部门信息资源/测试/测试',
        name: '无人使用的资源',
        providerOrgId: huji.providerOrgId,
        summary: '没有授权',
        formatCategory: 'electronic_file',
        formatType: 'pdf',
        shareType: 'unconditional',
        shareModes: ['file'],
        openType: 'not_open',
        updateCycle: 'annual',
        dataGrade: 'general',
        items: [],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const page = json<ConsumerPage>(
      await get(gaOfficer, `/api/v1/catalog/entries/${json<EntryView>(created).id}/consumers`),
    );
    expect(page).toMatchObject({ items: [], total: 0, page: 1 });
  });

  it('gives the platform office its review queue with working days left, earliest limit first', async () => {
    const post = (s: Session, url: string, payload: object = {}) =>
      t.app.inject({ method: 'POST', url, headers: s.headers, payload });
    const created = await post(gaOfficer, '/api/v1/catalog/entries', {
      classCode: '301001',
      className: '部门信息资源/测试/测试',
      name: '待审核的测试资源',
      providerOrgId: huji.providerOrgId,
      summary: '提交审核',
      formatCategory: 'electronic_file',
      formatType: 'pdf',
      shareType: 'unconditional',
      shareModes: ['file'],
      openType: 'not_open',
      updateCycle: 'annual',
      dataGrade: 'general',
      items: [],
    });
    const id = json<EntryView>(created).id;
    expect(
      (
        await post(gaOfficer, `/api/v1/catalog/entries/${id}/assessments`, {
          confidentiality: '不涉密',
          personalInformation: '不含个人信息',
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await post(await login(t.app, 'ga_admin'), `/api/v1/catalog/entries/${id}/approve`)).statusCode,
    ).toBe(200);
    expect((await post(gaOfficer, `/api/v1/catalog/entries/${id}/submit`)).statusCode).toBe(200);
    const res = await get(admin, '/api/v1/catalog/reviews?page=1&pageSize=50');
    expect(res.statusCode, res.body).toBe(200);
    const q = json<Queue>(res);
    expect(q.items.every((i) => i.entry.status === 'submitted')).toBe(true);
    const dues = q.items.map((i) => i.entry.reviewDue ?? '9999');
    expect([...dues].sort()).toEqual(dues);
    const mine = q.items.find((i) => i.entry.id === id);
    expect(mine?.entry.reviewDue).toBeTruthy();
    expect(mine?.workdaysLeft).toBeGreaterThan(0);
    for (const i of q.items) {
      if (i.entry.reviewDue) expect(typeof i.workdaysLeft).toBe('number');
    }
    expect((await get(gaOfficer, '/api/v1/catalog/reviews')).statusCode).toBe(403);
  });
});

describe('catalog: export of a search and the import template', () => {
  let t: TestApp;
  let gaOfficer: Session;

  beforeAll(async () => {
    t = await testApp();
    gaOfficer = await login(t.app, 'ga_officer');
  });
  afterAll(async () => t.close());

  async function sheetRows(body: Buffer): Promise<string[]> {
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    const names: string[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) names.push(row.values.toString());
    });
    return names;
  }

  it('exports exactly what the search finds', async () => {
    const q = encodeURIComponent('户籍');
    const search = json<{ total: number; items: EntryView[] }>(
      await t.app.inject({
        url: `/api/v1/catalog/entries?q=${q}&publishedOnly=true&pageSize=200`,
        headers: gaOfficer.headers,
      }),
    );
    expect(search.total).toBeGreaterThan(0);
    const res = await t.app.inject({
      url: `/api/v1/catalog/export.xlsx?q=${q}&publishedOnly=true`,
      headers: gaOfficer.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const rows = await sheetRows(res.rawPayload);
    expect(rows).toHaveLength(search.total);
    for (const e of search.items) expect(rows.some((r) => r.includes(e.code))).toBe(true);
    const all = await sheetRows(
      (await t.app.inject({ url: '/api/v1/catalog/export.xlsx', headers: gaOfficer.headers })).rawPayload,
    );
    expect(all.length).toBeGreaterThan(rows.length);
  });

  it('gives the empty template (headers, guide, pick-lists) to those who compile the catalog only', async () => {
    const res = await t.app.inject({
      url: '/api/v1/catalog/import/template.xlsx',
      headers: gaOfficer.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('catalog-template.xlsx');
    expect(await sheetRows(res.rawPayload)).toEqual([]);
    const auditor = await login(t.app, 'auditor');
    expect(
      (await t.app.inject({ url: '/api/v1/catalog/import/template.xlsx', headers: auditor.headers }))
        .statusCode,
    ).toBe(403);
  });
});
