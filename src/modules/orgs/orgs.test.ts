import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, type Session, type TestApp, testApp } from '../../../test/helpers.js';
import { DEMO_ORGS, loadDemo } from '../../demo/index.js';
import type { FieldProblem } from '../../kernel/errors.js';
import { checkCreditCode, creditCodeCheckChar, orgCodeCheckChar } from '../../kernel/validators.js';
import { addDays } from '../../kernel/workdays.js';
import type {
  LateOfficerView,
  OfficerView,
  OrgOfficers,
  OrgSaved,
  OrgTreeNode,
  OrgView,
  PublishedOfficers,
} from './orgs.service.js';
import { OFFICER_REPORT_POLICY } from './orgs.service.js';

interface Problem {
  status: number;
  code: string;
  message: { zh: string; en: string };
  fields: FieldProblem[];
}

interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** A check-valid credit code for a city body, from an 8-character organization-code base. */
function creditCode(base: string, division = '421200'): string {
  const first17 = `11${division}${base}${orgCodeCheckChar(base)}`;
  return first17 + creditCodeCheckChar(first17);
}

const EXPECTED_DIVISIONS: Record<string, string> = {
  咸宁市政务服务和大数据管理局: '421200',
  咸宁市公安局: '421200',
  咸宁市民政局: '421200',
  咸宁市卫生健康委员会: '421200',
  咸宁市人力资源和社会保障局: '421200',
  咸宁市教育局: '421200',
  咸宁市残疾人联合会: '421200',
  咸宁市住房公积金中心: '421200',
  咸宁市市场监督管理局: '421200',
  国家税务总局咸宁市税务局: '421200',
  中共咸宁市委机构编制委员会办公室: '421200',
  咸宁市自然资源和规划局: '421200',
  咸宁市财政局: '421200',
  咸宁市审计局: '421200',
  咸宁市发展和改革委员会: '421200',
  咸安区人民政府: '421202',
  嘉鱼县人民政府: '421221',
  通城县人民政府: '421222',
  崇阳县人民政府: '421223',
  通山县人民政府: '421224',
  赤壁市人民政府: '421281',
  咸宁高新技术产业开发区管理委员会: '421200',
};

let t: TestApp;
let admin: Session;
let gaAdmin: Session;
let mzOfficer: Session;
const byName = new Map<string, OrgView>();

function orgId(name: string): string {
  const org = byName.get(name);
  if (!org) throw new Error(`no organization ${name}`);
  return org.id;
}

async function auditCount(action: string, objectId: string): Promise<number> {
  await t.services.audit.drain();
  const row = await t.services.db.kysely
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', action)
    .where('object_id', '=', objectId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The working-day limit for reporting an officer change in the active policy (004 §14: 5). */
async function reportLimit(): Promise<number> {
  const n = await t.services.policy.workingDays(OFFICER_REPORT_POLICY);
  if (n === null) throw new Error(`the active policy sets no ${OFFICER_REPORT_POLICY}`);
  return n;
}

beforeAll(async () => {
  t = await testApp();
  admin = await login(t.app, 'admin');
  gaAdmin = await login(t.app, 'ga_admin');
  mzOfficer = await login(t.app, 'mz_officer');
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/orgs?pageSize=200', headers: admin.headers });
  for (const o of json<PageOf<OrgView>>(res).items) byName.set(o.name, o);
});

afterAll(async () => {
  await t?.close();
});

describe('the demo organization tree', () => {
  it('has the 22 organizations with their division codes, under the platform office', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/orgs/tree', headers: mzOfficer.headers });
    expect(res.statusCode).toBe(200);
    const tree = json<{ roots: OrgTreeNode[]; total: number }>(res);
    expect(tree.total).toBe(22);
    expect(tree.roots).toHaveLength(1);
    const root = tree.roots[0];
    expect(root?.name).toBe('咸宁市政务服务和大数据管理局');
    expect(root?.kind).toBe('platform_office');
    expect(root?.children).toHaveLength(21);
    const flat: OrgTreeNode[] = [];
    const walk = (n: OrgTreeNode) => {
      flat.push(n);
      n.children.forEach(walk);
    };
    tree.roots.forEach(walk);
    expect(Object.fromEntries(flat.map((o) => [o.name, o.divisionCode]))).toEqual(EXPECTED_DIVISIONS);
    for (const o of flat) {
      expect(checkCreditCode(o.creditCode).ok, `${o.name} ${o.creditCode}`).toBe(true);
      expect(o.shortName).not.toBe('');
      expect(o.nameEn).toBeTruthy();
    }
    expect(new Set(flat.map((o) => o.creditCode)).size).toBe(22);
    const kinds = flat.reduce<Record<string, number>>((acc, o) => {
      acc[o.kind] = (acc[o.kind] ?? 0) + 1;
      return acc;
    }, {});
    expect(kinds).toEqual({
      platform_office: 1,
      department: 12,
      public_institution: 2,
      county_government: 6,
      park: 1,
    });
    expect(DEMO_ORGS).toHaveLength(22);
  });

  it('pages and filters the flat list', async () => {
    const get = async (qs: string) => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/v1/orgs?${qs}`,
        headers: mzOfficer.headers,
      });
      expect(res.statusCode).toBe(200);
      return json<PageOf<OrgView>>(res);
    };
    const p2 = await get('page=2&pageSize=10');
    expect(p2).toMatchObject({ total: 22, page: 2, pageSize: 10 });
    expect(p2.items).toHaveLength(10);
    const p3 = await get('page=3&pageSize=10');
    expect(p3.items).toHaveLength(2);
    expect((await get('kind=county_government')).total).toBe(6);
    expect((await get('divisionCode=421281')).items.map((o) => o.name)).toEqual(['赤壁市人民政府']);
    expect((await get(`q=${encodeURIComponent('公安')}`)).items.map((o) => o.shortName)).toEqual([
      '市公安局',
    ]);
    expect((await get('q=Audit')).items.map((o) => o.shortName)).toEqual(['市审计局']);
    expect((await get(`parentId=${orgId('咸宁市政务服务和大数据管理局')}`)).total).toBe(21);
    expect((await get('q=%25')).total).toBe(0);
  });

  it('shows one organization and answers 404 for an unknown one', async () => {
    const id = orgId('咸宁市公安局');
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/orgs/${id}`, headers: mzOfficer.headers });
    expect(res.statusCode).toBe(200);
    expect(json<OrgView>(res)).toMatchObject({ shortName: '市公安局', kind: 'department', level: 'city' });
    const missing = await t.app.inject({
      method: 'GET',
      url: '/api/v1/orgs/00000000-0000-4000-8000-000000000000',
      headers: mzOfficer.headers,
    });
    expect(missing.statusCode).toBe(404);
  });

  it('documents the endpoints in the OpenAPI output', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(json<{ paths: Record<string, unknown> }>(res).paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/orgs',
        '/api/v1/orgs/tree',
        '/api/v1/orgs/{id}',
        '/api/v1/orgs/{id}/officers',
        '/api/v1/officers',
        '/api/v1/officers/late',
      ]),
    );
  });

  it('requires a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/orgs' });
    expect(res.statusCode).toBe(401);
  });

  it('audits every row it loaded', async () => {
    await t.services.audit.drain();
    const rows = await t.services.db.kysely
      .selectFrom('audit_event')
      .select(['object_type', (eb) => eb.fn.countAll<number>().as('n')])
      .where('action', '=', 'demo.load')
      .groupBy('object_type')
      .orderBy('object_type')
      .execute();
    // 35 catalog entries; 22 organizations; 4 officers each plus 3 later changes.
    expect(rows.map((r) => [r.object_type, Number(r.n)])).toEqual([
      ['catalog_entry', 35],
      ['officer_assignment', 22 * 4 + 3],
      ['organization', 22],
    ]);
  });

  it('loads only once', async () => {
    expect(await loadDemo(t.services)).toBe(false);
    expect(await t.services.orgs.count()).toBeGreaterThanOrEqual(22);
  });
});

describe('creating and changing organizations', () => {
  const base = (over: Record<string, unknown> = {}) => ({
    name: '咸宁市统计局',
    shortName: '市统计局',
    nameEn: 'Xianning Municipal Statistics Bureau',
    kind: 'department',
    level: 'city',
    divisionCode: '421200',
    creditCode: creditCode('MB159001'),
    parentId: orgId('咸宁市政务服务和大数据管理局'),
    ...over,
  });

  it('rejects a bad credit code naming the field and the rule', async () => {
    const good = creditCode('MB159002');
    const bad = good.slice(0, 17) + (good.endsWith('0') ? '1' : '0');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: admin.headers,
      payload: base({ creditCode: bad }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = json<Problem>(res);
    expect(body.code).toBe('VALIDATION');
    expect(body.fields).toEqual([
      expect.objectContaining({ field: 'creditCode', rule: 'credit_code.checksum', zh: expect.any(String) }),
    ]);
    expect(body.fields[0]?.en).toBeTruthy();
  });

  it('reports every problem of the input at once', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: admin.headers,
      payload: base({
        name: '  ',
        creditCode: '91350100M000100Y44',
        divisionCode: '4212',
        parentId: '00000000-0000-4000-8000-000000000000',
      }),
    });
    expect(res.statusCode).toBe(400);
    const rules = json<Problem>(res).fields.map((f) => `${f.field}:${f.rule}`);
    expect(rules).toEqual(
      expect.arrayContaining([
        'name:required',
        'creditCode:credit_code.checksum',
        'divisionCode:division_code.format',
        'parentId:parent.not_found',
      ]),
    );
  });

  it('checks that kind, level and division code fit together', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: admin.headers,
      payload: base({ kind: 'county_government', level: 'city', divisionCode: '421200' }),
    });
    expect(res.statusCode).toBe(400);
    expect(json<Problem>(res).fields.map((f) => `${f.field}:${f.rule}`)).toContain('level:level.kind');
    const res2 = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: admin.headers,
      payload: base({ level: 'county' }),
    });
    expect(json<Problem>(res2).fields.map((f) => `${f.field}:${f.rule}`)).toContain(
      'divisionCode:division_code.level',
    );
  });

  it('creates an organization, audited, and refuses its credit code a second time with 409', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: admin.headers,
      payload: base(),
    });
    expect(res.statusCode).toBe(201);
    const org = json<OrgSaved>(res);
    expect(org).toMatchObject({ name: '咸宁市统计局', status: 'active', warnings: [] });
    expect(await auditCount('org.create', org.id)).toBe(1);

    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: admin.headers,
      payload: base({ name: '咸宁市统计局（重复）', shortName: '重复' }),
    });
    expect(dup.statusCode).toBe(409);
    const body = json<Problem>(dup);
    expect(body.code).toBe('CONFLICT');
    expect(body.fields).toEqual([
      expect.objectContaining({ field: 'creditCode', rule: 'credit_code.unique' }),
    ]);
  });

  it('lets a department administrator change its own organization only', async () => {
    const own = orgId('咸宁市公安局');
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/orgs/${own}`,
      headers: gaAdmin.headers,
      payload: { nameEn: 'Xianning Public Security Bureau' },
    });
    expect(res.statusCode).toBe(200);
    expect(json<OrgSaved>(res).nameEn).toBe('Xianning Public Security Bureau');
    expect(await auditCount('org.update', own)).toBe(1);

    const other = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/orgs/${orgId('咸宁市民政局')}`,
      headers: gaAdmin.headers,
      payload: { nameEn: 'Hacked' },
    });
    expect(other.statusCode).toBe(403);
    expect(json<Problem>(other).code).toBe('FORBIDDEN');
    const mz = await t.app.inject({
      method: 'GET',
      url: `/api/v1/orgs/${orgId('咸宁市民政局')}`,
      headers: gaAdmin.headers,
    });
    expect(json<OrgView>(mz).nameEn).toBe('Xianning Municipal Civil Affairs Bureau');

    const create = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: gaAdmin.headers,
      payload: base({ creditCode: creditCode('MB159003') }),
    });
    expect(create.statusCode).toBe(403);

    const structural = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/orgs/${own}`,
      headers: gaAdmin.headers,
      payload: { parentId: null },
    });
    expect(structural.statusCode).toBe(403);
    const dataOfficer = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/orgs/${orgId('咸宁市民政局')}`,
      headers: mzOfficer.headers,
      payload: { nameEn: 'x' },
    });
    expect(dataOfficer.statusCode).toBe(403);
  });

  it('refuses a parent that would make a cycle', async () => {
    const root = orgId('咸宁市政务服务和大数据管理局');
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/orgs/${root}`,
      headers: admin.headers,
      payload: { parentId: orgId('咸宁市财政局') },
    });
    expect(res.statusCode).toBe(400);
    expect(json<Problem>(res).fields).toEqual([
      expect.objectContaining({ field: 'parentId', rule: 'parent.cycle' }),
    ]);
    const self = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/orgs/${orgId('咸宁市财政局')}`,
      headers: admin.headers,
      payload: { parentId: orgId('咸宁市财政局') },
    });
    expect(json<Problem>(self).fields[0]?.rule).toBe('parent.cycle');
  });

  it('does not dissolve an organization with active children', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/orgs/${orgId('咸宁市政务服务和大数据管理局')}`,
      headers: admin.headers,
      payload: { status: 'dissolved' },
    });
    expect(res.statusCode).toBe(409);
    expect(json<Problem>(res).code).toBe('INVALID_STATE');
  });
});

describe('officers', () => {
  it('publishes four officers with contacts for every organization', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/officers', headers: mzOfficer.headers });
    expect(res.statusCode).toBe(200);
    const list = json<PublishedOfficers>(res);
    const demo = list.items.filter((i) => i.org.name in EXPECTED_DIVISIONS);
    expect(demo).toHaveLength(22);
    for (const item of demo) {
      expect(
        item.officers.map((o) => o.duty),
        item.org.name,
      ).toEqual(['principal', 'leader_in_charge', 'sharing_officer', 'technical_officer']);
      expect(item.missing).toEqual([]);
      for (const o of item.officers) {
        expect(o.name).not.toBe('');
        expect(o.title).not.toBe('');
        expect(o.phone).toMatch(/^0715-8\d{6}$/);
        expect(o.email).toMatch(/@xianning\.gov\.cn$/);
        expect(o.effectiveTo).toBeNull();
      }
    }
    const names = demo.flatMap((i) => i.officers.map((o) => o.name));
    expect(new Set(names).size).toBe(names.length);
  });

  it('records a change reported on time, closing the previous holder', async () => {
    const limit = await reportLimit();
    const id = orgId('咸宁市公安局');
    const today = t.services.orgs.today();
    const before = json<OrgOfficers>(
      await t.app.inject({ method: 'GET', url: `/api/v1/orgs/${id}/officers`, headers: gaAdmin.headers }),
    );
    const previous = before.current.find((o) => o.duty === 'sharing_officer');
    expect(previous).toBeDefined();

    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${id}/officers`,
      headers: gaAdmin.headers,
      payload: {
        duty: 'sharing_officer',
        name: '欧阳明',
        title: '科技信息化支队支队长',
        phone: '0715-8299001',
        email: 'ouyangming@xianning.gov.cn',
        effectiveFrom: today,
      },
    });
    expect(res.statusCode).toBe(201);
    const officer = json<OfficerView>(res);
    expect(officer).toMatchObject({
      duty: 'sharing_officer',
      name: '欧阳明',
      reportedOn: today,
      late: false,
    });
    expect(officer.reportDue).toBe(await t.services.calendar.addWorkdays(today, limit));
    expect(await auditCount('officer.change', officer.id)).toBe(1);

    const after = json<OrgOfficers>(
      await t.app.inject({ method: 'GET', url: `/api/v1/orgs/${id}/officers`, headers: gaAdmin.headers }),
    );
    expect(after.current.find((o) => o.duty === 'sharing_officer')?.name).toBe('欧阳明');
    const closed = after.history.find((o) => o.id === previous?.id);
    expect(closed?.effectiveTo).toBe(addDays(today, -1));
    expect(after.current).toHaveLength(4);
  });

  it('marks a change reported long after it took effect as late, due on working days', async () => {
    const limit = await reportLimit();
    const id = orgId('咸宁市财政局');
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${id}/officers`,
      headers: admin.headers,
      payload: {
        duty: 'technical_officer',
        name: '诸葛亮',
        title: '信息中心主任',
        effectiveFrom: '2026-03-02',
      },
    });
    expect(res.statusCode).toBe(201);
    const officer = json<OfficerView>(res);
    const due = await t.services.calendar.addWorkdays('2026-03-02', limit);
    expect(officer.reportDue).toBe(due);
    // Monday 2 March 2026 plus 5 working days is Monday 9 March (the weekend does not count).
    if (limit === 5) expect(due).toBe('2026-03-09');
    expect(officer.late).toBe(true);

    const late = await t.app.inject({ method: 'GET', url: '/api/v1/officers/late', headers: admin.headers });
    expect(late.statusCode).toBe(200);
    const items = json<PageOf<LateOfficerView>>(late).items;
    expect(items.find((i) => i.id === officer.id)?.org.shortName).toBe('市财政局');
    expect(items.every((i) => i.late)).toBe(true);
  });

  it("lists the demo's late report: 市民政局's sharing officer, reported 15 September for 1 September", async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/officers/late?orgId=${orgId('咸宁市民政局')}`,
      headers: mzOfficer.headers,
    });
    expect(res.statusCode).toBe(200);
    const page = json<PageOf<LateOfficerView>>(res);
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({
      duty: 'sharing_officer',
      effectiveFrom: '2026-09-01',
      reportedOn: '2026-09-15',
      reportDue: await t.services.calendar.addWorkdays('2026-09-01', await reportLimit()),
      late: true,
      effectiveTo: null,
      org: { shortName: '市民政局' },
    });
  });

  it('lets the platform office backfill a paper report date, and nobody else', async () => {
    await reportLimit();
    const id = orgId('咸宁市公安局');
    const payload = {
      duty: 'principal',
      name: '司马光',
      title: '局长',
      effectiveFrom: '2026-10-12',
      reportedOn: '2026-10-13',
    };
    const denied = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${id}/officers`,
      headers: gaAdmin.headers,
      payload,
    });
    expect(denied.statusCode).toBe(403);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${id}/officers`,
      headers: admin.headers,
      payload,
    });
    expect(res.statusCode).toBe(201);
    expect(json<OfficerView>(res)).toMatchObject({ reportedOn: '2026-10-13', late: false });
  });

  it("refuses changes to another department's officers", async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${orgId('咸宁市民政局')}/officers`,
      headers: gaAdmin.headers,
      payload: { duty: 'sharing_officer', name: '张三', effectiveFrom: '2026-11-02' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('reports every problem of an officer change at once', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${orgId('咸宁市公安局')}/officers`,
      headers: gaAdmin.headers,
      payload: {
        duty: 'technical_officer',
        name: ' ',
        phone: 'call me',
        email: 'nobody',
        effectiveFrom: '2026-02-30',
      },
    });
    expect(res.statusCode).toBe(400);
    expect(json<Problem>(res).fields.map((f) => `${f.field}:${f.rule}`)).toEqual([
      'name:required',
      'phone:phone.format',
      'email:email.format',
      'effectiveFrom:date',
    ]);
  });

  it('refuses a change that starts before the current holder took office', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${orgId('咸宁市公安局')}/officers`,
      headers: gaAdmin.headers,
      payload: { duty: 'leader_in_charge', name: '王五', effectiveFrom: '2025-12-01' },
    });
    expect(res.statusCode).toBe(400);
    expect(json<Problem>(res).fields).toEqual([
      expect.objectContaining({ field: 'effectiveFrom', rule: 'effective_from.after_current' }),
    ]);
  });
});
