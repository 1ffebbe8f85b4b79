import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, type Session, type TestApp, testApp } from '../../../test/helpers.js';
import { DEMO_CAMPAIGN_ID } from '../../demo/selfcheck-demo.js';
import { FixedClock } from '../../kernel/clock.js';
import { demoSystemId } from './inventory.demo.js';
import type { SystemView } from './inventory.model.js';
import type { RegisterView } from './inventory.service.js';
import { canSubmit, capacityOf, reportStatusOf } from './selfcheck.model.js';
import type { CampaignDetail, CampaignView, ReportDetail } from './selfcheck.service.js';

interface Problem {
  code: string;
  fields: { field: string; rule: string }[];
}

describe('the self-check state machine (pure)', () => {
  it('derives the report status from its items and allows submission only when it should', () => {
    expect(reportStatusOf(['pending', 'verified'])).toBe('submitted');
    expect(reportStatusOf(['verified', 'returned'])).toBe('returned');
    expect(reportStatusOf(['verified', 'verified'])).toBe('verified');
    expect(reportStatusOf([])).toBe('submitted');
    expect(canSubmit('open', 'pending')).toBe(true);
    expect(canSubmit('open', 'returned')).toBe(true);
    expect(canSubmit('open', 'submitted')).toBe(false);
    expect(canSubmit('open', 'verified')).toBe(false);
    expect(canSubmit('closed', 'pending')).toBe(false);
    expect(capacityOf('platform_admin', 'x', null)).toBe('platform');
    expect(capacityOf('auditor', 'x', null)).toBe('audit');
    expect(capacityOf('dept_admin', 'fin', 'fin')).toBe('finance');
    expect(capacityOf('dept_admin', 'other', 'fin')).toBeNull();
    expect(capacityOf('dept_admin', 'fin', null)).toBeNull();
    expect(capacityOf('data_officer', 'fin', 'fin')).toBeNull();
  });
});

describe('the self-check campaign (R2.2) over HTTP', () => {
  let t: TestApp;
  const clock = new FixedClock('2026-09-28');
  let admin: Session;
  let auditor: Session;
  let gaAdmin: Session;
  let mzAdmin: Session;
  let mzOfficer: Session;
  let czjAdmin: Session;
  let gaOrg = '';
  let mzOrg = '';
  let czjOrg = '';
  let campaign: CampaignView;

  const req = (s: Session, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: s.headers, ...(payload ? { payload } : {}) });
  const orgOf = async (s: Session) =>
    json<{ activeOrgId: string }>(await req(s, 'GET', '/api/v1/auth/me')).activeOrgId;
  const base = () => `/api/v1/inventory/campaigns/${campaign.id}`;

  beforeAll(async () => {
    t = await testApp({}, { clock });
    admin = await login(t.app, 'admin');
    auditor = await login(t.app, 'auditor');
    gaAdmin = await login(t.app, 'ga_admin');
    mzAdmin = await login(t.app, 'mz_admin');
    mzOfficer = await login(t.app, 'mz_officer');
    czjAdmin = await login(t.app, 'czj_admin');
    gaOrg = await orgOf(gaAdmin);
    mzOrg = await orgOf(mzAdmin);
    czjOrg = await orgOf(czjAdmin);
  });
  afterAll(async () => t.close());

  it('ships the demo campaign: one report sent back, late departments listed', async () => {
    const d = json<CampaignDetail>(
      await req(admin, 'GET', `/api/v1/inventory/campaigns/${DEMO_CAMPAIGN_ID}`),
    );
    expect(d.status).toBe('open');
    const mz = d.reportList.find((r) => r.orgId === mzOrg);
    expect(mz?.status).toBe('returned');
    expect(mz?.itemsReturned).toBe(1);
    expect(d.reportList.find((r) => r.orgId === gaOrg)?.status).not.toBe('pending');
    expect(d.reportList.filter((r) => r.status !== 'pending').length).toBeGreaterThanOrEqual(3);
    expect(d.late.length).toBeGreaterThan(0);
    expect(d.late.map((r) => r.orgId)).not.toContain(mzOrg);
  });

  it('lets only the platform office open a campaign, with a deadline as a date or working days', async () => {
    const body = { title: '测试自查', workingDays: 5, financeOrgId: czjOrg };
    expect((await req(gaAdmin, 'POST', '/api/v1/inventory/campaigns', body)).statusCode).toBe(403);
    const both = await req(admin, 'POST', '/api/v1/inventory/campaigns', { ...body, deadline: '2026-12-31' });
    expect(both.statusCode).toBe(400);
    expect(json<Problem>(both).fields.map((f) => f.field)).toContain('deadline');
    const past = await req(admin, 'POST', '/api/v1/inventory/campaigns', {
      title: '测试',
      deadline: '2026-09-01',
    });
    expect(json<Problem>(past).fields).toEqual([
      expect.objectContaining({ field: 'deadline', rule: 'future' }),
    ]);
    const res = await req(admin, 'POST', '/api/v1/inventory/campaigns', body);
    expect(res.statusCode, res.body).toBe(201);
    campaign = json<CampaignView>(res);
    // 5 working days from Monday 2026-09-28 skip the National Day holiday (10-01 … 10-07): 10-09, not 10-05.
    expect(campaign.deadline).toBe(await t.services.calendar.addWorkdays('2026-09-28', 5));
    expect(campaign.deadline > '2026-10-07').toBe(true);
    expect(campaign).toMatchObject({
      openedOn: '2026-09-28',
      workingDays: 5,
      financeOrgName: '咸宁市财政局',
    });
    const dated = await req(admin, 'POST', '/api/v1/inventory/campaigns', {
      title: '按日期截止',
      deadline: '2026-10-30',
    });
    expect(json<CampaignView>(dated).deadline).toBe('2026-10-30');
    const list = json<{ items: CampaignView[]; total: number }>(
      await req(mzOfficer, 'GET', '/api/v1/inventory/campaigns?pageSize=1'),
    );
    expect(list.items).toHaveLength(1);
    expect(list.total).toBeGreaterThanOrEqual(3);
  });

  it('shows a department only its own report; verifiers see every department', async () => {
    const own = json<CampaignDetail>(await req(mzOfficer, 'GET', base()));
    expect(own.reportList.map((r) => r.orgId)).toEqual([mzOrg]);
    const all = json<CampaignDetail>(await req(admin, 'GET', base()));
    expect(all.reportList.length).toBeGreaterThan(15);
    expect(all.reportList.every((r) => r.status === 'pending')).toBe(true);
    expect(all.late).toEqual([]);
    const fin = json<CampaignDetail>(await req(czjAdmin, 'GET', base()));
    expect(fin.reportList.length).toBe(all.reportList.length);
    expect(fin.myCapacity).toBe('finance');
    expect((await req(mzOfficer, 'GET', `${base()}/reports/${gaOrg}`)).statusCode).toBe(403);
    expect((await req(gaAdmin, 'GET', `${base()}/reports/${mzOrg}`)).statusCode).toBe(403);
  });

  it('walks submit → verify → send back → correct → resubmit → verified', async () => {
    // Nothing to verify before the department submits.
    expect((await req(admin, 'POST', `${base()}/reports/${mzOrg}/verify`)).statusCode).toBe(409);
    // Only the department's own head submits.
    const stmt = { statement: '本局政务信息系统已逐一自查登记。' };
    expect((await req(mzOfficer, 'POST', `${base()}/reports/${mzOrg}/submit`, stmt)).statusCode).toBe(403);
    expect((await req(gaAdmin, 'POST', `${base()}/reports/${mzOrg}/submit`, stmt)).statusCode).toBe(403);
    const blank = await req(mzAdmin, 'POST', `${base()}/reports/${mzOrg}/submit`, { statement: '  ' });
    expect(json<Problem>(blank).fields.map((f) => f.field)).toEqual(['statement']);
    const sub = await req(mzAdmin, 'POST', `${base()}/reports/${mzOrg}/submit`, stmt);
    expect(sub.statusCode, sub.body).toBe(200);
    let r = json<ReportDetail>(sub);
    const mzSystems = json<SystemView[]>(
      await req(mzAdmin, 'GET', `/api/v1/inventory/systems?orgId=${mzOrg}`),
    );
    expect(r).toMatchObject({ status: 'submitted', round: 1, late: false, items: mzSystems.length });
    expect(r.counts.systems).toBe(mzSystems.length);
    expect(r.counts.notConnected).toBe(mzSystems.filter((s) => s.mustConnect && !s.connected).length);
    expect((await req(mzAdmin, 'POST', `${base()}/reports/${mzOrg}/submit`, stmt)).statusCode).toBe(409);

    const [first, second] = r.itemList;
    if (!first || !second) throw new Error('the report has fewer than two items');
    const item = (id: string) => `${base()}/reports/${mzOrg}/items/${id}`;
    // Another department's head is no verifier; the finance bureau's head is.
    expect((await req(gaAdmin, 'POST', `${item(first.id)}/verify`)).statusCode).toBe(403);
    r = json<ReportDetail>(await req(czjAdmin, 'POST', `${item(first.id)}/verify`));
    expect(r.itemList.find((i) => i.id === first.id)).toMatchObject({
      status: 'verified',
      checks: [expect.objectContaining({ capacity: 'finance', outcome: 'verified', username: 'czj_admin' })],
    });
    expect((await req(czjAdmin, 'POST', `${item(first.id)}/verify`)).statusCode).toBe(409);
    expect(json<ReportDetail>(await req(czjAdmin, 'GET', `${base()}/reports/${mzOrg}`)).id).toBe(r.id);

    // Audit sends the second back; a reason is required.
    const noReason = await req(auditor, 'POST', `${item(second.id)}/return`, { reason: ' ' });
    expect(json<Problem>(noReason).fields.map((f) => f.field)).toEqual(['reason']);
    r = json<ReportDetail>(
      await req(auditor, 'POST', `${item(second.id)}/return`, { reason: '运维费用与合同不符' }),
    );
    expect(r.status).toBe('returned');
    expect(r.itemList.find((i) => i.id === second.id)).toMatchObject({
      status: 'returned',
      returnReason: '运维费用与合同不符',
    });
    expect((await req(admin, 'POST', `${item(second.id)}/verify`)).statusCode).toBe(409);

    // The department corrects the system and resubmits: the returned item is checked again, the verified
    // and unchanged one stays verified.
    const sys = mzSystems.find((s) => s.id === second.systemId);
    if (!sys) throw new Error('no system');
    const {
      id: _i,
      orgName: _o,
      disposition: _d,
      dispositionTargetOn: _t,
      dispositionNote: _n,
      ...rest
    } = sys;
    const { assetWriteOffNote: _a, createdAt: _c, updatedAt: _u, ...input } = rest;
    const put = await req(mzAdmin, 'PUT', `/api/v1/inventory/systems/${sys.id}`, {
      ...input,
      omCostWan: input.omCostWan + 1,
    });
    expect(put.statusCode, put.body).toBe(200);
    r = json<ReportDetail>(await req(mzAdmin, 'POST', `${base()}/reports/${mzOrg}/submit`, stmt));
    expect(r).toMatchObject({ status: 'submitted', round: 2 });
    expect(r.itemList.find((i) => i.id === second.id)).toMatchObject({
      status: 'pending',
      returnReason: null,
    });
    expect(r.itemList.find((i) => i.id === first.id)?.status).toBe('verified');

    r = json<ReportDetail>(await req(admin, 'POST', `${base()}/reports/${mzOrg}/verify`));
    expect(r.status).toBe('verified');
    expect(r.itemList.every((i) => i.status === 'verified')).toBe(true);
    expect((await req(mzAdmin, 'POST', `${base()}/reports/${mzOrg}/submit`, stmt)).statusCode).toBe(409);
    // Audit adds its own check to the verified report; then nothing is left for audit.
    const audited = json<ReportDetail>(await req(auditor, 'POST', `${base()}/reports/${mzOrg}/verify`));
    expect(audited.status).toBe('verified');
    expect(audited.itemList.every((i) => i.checks.some((k) => k.capacity === 'audit'))).toBe(true);
    expect((await req(auditor, 'POST', `${base()}/reports/${mzOrg}/verify`)).statusCode).toBe(409);

    const events = await t.db.kysely
      .selectFrom('audit_event')
      .select('action')
      .where('object_id', '=', r.id)
      .execute();
    const actions = events.map((e) => e.action);
    for (const a of [
      'inventory.selfcheck.submit',
      'inventory.selfcheck.verify',
      'inventory.selfcheck.return',
      'inventory.selfcheck.resubmit',
      'inventory.selfcheck.read',
    ])
      expect(actions).toContain(a);
  });

  it('lists departments past the deadline, and a first submission after it stays late', async () => {
    clock.set('2026-10-12');
    const d = json<CampaignDetail>(await req(admin, 'GET', base()));
    const late = d.late.map((r) => r.orgId);
    expect(late).toContain(gaOrg);
    expect(late).not.toContain(mzOrg);
    const sub = await req(gaAdmin, 'POST', `${base()}/reports/${gaOrg}/submit`, { statement: '逾期提交' });
    expect(json<ReportDetail>(sub)).toMatchObject({ status: 'submitted', late: true });
    clock.set('2026-09-28');
  });

  it('closes a campaign: no more submissions; a campaign without a finance bureau has no finance verifier', async () => {
    expect((await req(gaAdmin, 'POST', `${base()}/close`)).statusCode).toBe(403);
    const closed = await req(admin, 'POST', `${base()}/close`);
    expect(json<CampaignView>(closed).status).toBe('closed');
    expect((await req(admin, 'POST', `${base()}/close`)).statusCode).toBe(409);
    const rs = json<CampaignDetail>(await req(admin, 'GET', base())).reportList.find(
      (r) => r.status === 'pending',
    );
    if (!rs) throw new Error('no pending report');
    const czjSubmit = await req(czjAdmin, 'POST', `${base()}/reports/${czjOrg}/submit`, {
      statement: '结束后',
    });
    expect(czjSubmit.statusCode).toBe(409);
    const noFinance = json<CampaignView>(
      await req(admin, 'POST', '/api/v1/inventory/campaigns', { title: '无财政核查', workingDays: 3 }),
    );
    expect(noFinance.financeOrgId).toBeNull();
    await req(czjAdmin, 'POST', `/api/v1/inventory/campaigns/${noFinance.id}/reports/${czjOrg}/submit`, {
      statement: '已自查',
    });
    const v = await req(
      czjAdmin,
      'POST',
      `/api/v1/inventory/campaigns/${noFinance.id}/reports/${czjOrg}/verify`,
    );
    expect(v.statusCode).toBe(403);
  });
});

describe('the register: pages, filters, delete', () => {
  let t: TestApp;
  let admin: Session;
  let gaAdmin: Session;
  beforeAll(async () => {
    t = await testApp();
    admin = await login(t.app, 'admin');
    gaAdmin = await login(t.app, 'ga_admin');
  });
  afterAll(async () => t.close());

  type Page = { items: RegisterView[]; total: number };
  const get = async (s: Session, q: string) =>
    json<Page>(await t.app.inject({ url: `/api/v1/inventory/register?${q}`, headers: s.headers }));

  it('pages on the server and filters by flag, status, disposition and department', async () => {
    const all = await get(admin, 'pageSize=10');
    expect(all.items).toHaveLength(10);
    expect(all.total).toBeGreaterThanOrEqual(50);
    const p2 = await get(admin, 'pageSize=10&page=2');
    expect(p2.items.map((s) => s.id)).not.toContain(all.items[0]?.id);
    const zombies = await get(admin, 'flag=zombie&pageSize=200');
    expect(zombies.total).toBeGreaterThan(0);
    expect(zombies.items.every((s) => s.flagKinds.includes('zombie'))).toBe(true);
    expect(zombies.items.map((s) => s.id)).toContain(demoSystemId('GA-06'));
    const notConnected = await get(admin, 'status=not_connected&pageSize=200');
    expect(notConnected.items.every((s) => s.mustConnect && !s.connected)).toBe(true);
    const none = await get(admin, 'disposition=none&pageSize=200');
    expect(none.items.every((s) => s.disposition === null)).toBe(true);
    const own = await get(gaAdmin, 'pageSize=200');
    expect(new Set(own.items.map((s) => s.orgName))).toEqual(new Set(['咸宁市公安局']));
    const named = await get(admin, `q=${encodeURIComponent('出入境')}`);
    expect(named.items.map((s) => s.name).every((n) => n.includes('出入境'))).toBe(true);
  });

  it('deletes a system with its flags, and refuses while another is recorded as replaced by it', async () => {
    const del = (s: Session, code: string) =>
      t.app.inject({
        method: 'DELETE',
        url: `/api/v1/inventory/systems/${demoSystemId(code)}`,
        headers: s.headers,
      });
    expect((await del(gaAdmin, 'MZ-01')).statusCode).toBe(403);
    expect((await del(admin, 'RS-02')).statusCode).toBe(409);
    const res = await del(gaAdmin, 'GA-06');
    expect(res.statusCode, res.body).toBe(204);
    const flags = await t.db.kysely
      .selectFrom('inventory_flag')
      .select('id')
      .where('system_id', '=', demoSystemId('GA-06'))
      .execute();
    expect(flags).toEqual([]);
    expect((await del(gaAdmin, 'GA-06')).statusCode).toBe(404);
  });
});
