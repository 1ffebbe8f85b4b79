import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, type Session, type TestApp, testApp } from '../../../test/helpers.js';
import { demoSystemId } from './inventory.demo.js';
import { flagId, type SystemView } from './inventory.model.js';
import type { FlagView } from './inventory.service.js';

interface Problem {
  code: string;
  fields: { field: string; rule: string }[];
}

describe('information-system inventory (R2)', () => {
  let t: TestApp;
  let admin: Session;
  let gaAdmin: Session;
  let gaOfficer: Session;
  let mzOfficer: Session;
  let auditor: Session;
  let gaOrg = '';

  const req = (s: Session | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject({ method, url, ...(s ? { headers: s.headers } : {}), ...(payload ? { payload } : {}) });

  function body(orgId: string, over: Record<string, unknown> = {}) {
    return {
      orgId,
      internalUnit: null,
      name: '公安测试系统',
      functionDescription: '用于测试的警用装备出入库登记与维修保养计划',
      scopeOfUse: '全市公安机关',
      frequencyOfUse: '每日',
      approvingDepartment: '咸宁市发展和改革委员会',
      approvalDate: '2021-03-01',
      fundingSource: '市级财政预算',
      network: 'private',
      builder: '某信息技术有限公司',
      investmentWan: 80,
      omCostWan: 9.5,
      fundingChannel: '部门预算',
      dataResources: '警用装备台账',
      catalogEntryIds: [],
      protectionLevel: 2,
      protectionFilingNo: '42120013999-01',
      classified: false,
      classifiedFilingNo: null,
      deployment: 'gov_cloud',
      monthlyActiveUsers: 60,
      monthlyTransactions: 900,
      lastMaintenanceOn: '2026-10-01',
      utilizationPct: 35,
      businessLink: true,
      replacedById: null,
      mustConnect: true,
      connected: true,
      ...over,
    };
  }

  beforeAll(async () => {
    t = await testApp();
    admin = await login(t.app, 'admin');
    gaAdmin = await login(t.app, 'ga_admin');
    gaOfficer = await login(t.app, 'ga_officer');
    mzOfficer = await login(t.app, 'mz_officer');
    auditor = await login(t.app, 'auditor');
    gaOrg = json<{ activeOrgId: string }>(await req(gaAdmin, 'GET', '/api/v1/auth/me')).activeOrgId;
  });
  afterAll(async () => t.close());

  it('ships the demo inventory with its flags persisted and explained', async () => {
    const all = json<SystemView[]>(await req(admin, 'GET', '/api/v1/inventory/systems'));
    expect(all.length).toBeGreaterThanOrEqual(50);
    expect(new Set(all.map((s) => s.orgId)).size).toBeGreaterThanOrEqual(15);
    const flags = json<FlagView[]>(await req(admin, 'GET', '/api/v1/inventory/flags?kind=shadow'));
    const pairs = flags.map((f) => [f.systemName, f.otherSystemName].sort().join(' + ')).sort();
    expect(pairs).toEqual(
      [
        ['企业登记注册系统', '高新区企业注册登记服务系统'],
        ['咸安区低保信息管理系统', '最低生活保障信息系统'],
        ['出生医学证明管理系统', '出生医学证明签发系统'],
        ['社会保险参保登记系统', '社保费征缴登记系统'],
      ]
        .map((p) => p.sort().join(' + '))
        .sort(),
    );
    const dibao = flags.find((f) => f.systemName.includes('低保') || f.otherSystemName?.includes('低保'));
    expect(dibao?.explanation.zh).toMatch(/功能描述相似度 \d+%（阈值 45%），共同词：.*最低/);
    expect(dibao?.score).toBeGreaterThan(0.45);
    const healthy = json<FlagView[]>(
      await req(admin, 'GET', `/api/v1/inventory/flags?systemId=${demoSystemId('GA-01')}`),
    );
    expect(healthy).toEqual([]);
    const zombie = json<FlagView[]>(
      await req(admin, 'GET', `/api/v1/inventory/flags?systemId=${demoSystemId('GA-06')}`),
    );
    expect(zombie.map((f) => f.rule).sort()).toEqual([
      'zombie.detached',
      'zombie.idle',
      'zombie.low_use',
      'zombie.unmaintained',
    ]);
  });

  it('registers a system with every R2.1 field and detects flags at once', async () => {
    const res = await req(gaAdmin, 'POST', '/api/v1/inventory/systems', body(gaOrg, { businessLink: false }));
    expect(res.statusCode, res.body).toBe(201);
    const s = json<SystemView>(res);
    expect(s).toMatchObject({
      network: 'private',
      omCostWan: 9.5,
      approvalDate: '2021-03-01',
      disposition: null,
    });
    const flags = json<FlagView[]>(await req(gaAdmin, 'GET', `/api/v1/inventory/flags?systemId=${s.id}`));
    expect(flags.map((f) => f.rule)).toEqual(['zombie.detached']);
    // Fixing the fact removes the open flag.
    const put = await req(
      gaAdmin,
      'PUT',
      `/api/v1/inventory/systems/${s.id}`,
      body(gaOrg, { businessLink: true }),
    );
    expect(put.statusCode, put.body).toBe(200);
    expect(json<FlagView[]>(await req(gaAdmin, 'GET', `/api/v1/inventory/flags?systemId=${s.id}`))).toEqual(
      [],
    );
  });

  it('checks the rules: classified needs a filing number, level 2+ its filing, no self-replacement', async () => {
    const res = await req(
      gaAdmin,
      'POST',
      '/api/v1/inventory/systems',
      body(gaOrg, { classified: true, protectionFilingNo: null }),
    );
    expect(res.statusCode).toBe(400);
    expect(
      json<Problem>(res)
        .fields.map((f) => f.field)
        .sort(),
    ).toEqual(['classifiedFilingNo', 'protectionFilingNo']);
    const bad = await req(gaAdmin, 'POST', '/api/v1/inventory/systems', body(gaOrg, { network: '卫星网' }));
    expect(bad.statusCode).toBe(400);
  });

  it('keeps departments apart: ga cannot see or edit mz systems; auditors read only', async () => {
    const mzId = demoSystemId('MZ-01');
    const mz = json<SystemView>(await req(admin, 'GET', `/api/v1/inventory/systems/${mzId}`));
    expect((await req(gaAdmin, 'GET', `/api/v1/inventory/systems/${mzId}`)).statusCode).toBe(403);
    expect(
      (await req(gaAdmin, 'PUT', `/api/v1/inventory/systems/${mzId}`, body(mz.orgId, { name: '越权' })))
        .statusCode,
    ).toBe(403);
    expect((await req(gaAdmin, 'POST', '/api/v1/inventory/systems', body(mz.orgId))).statusCode).toBe(403);
    expect(
      (
        await req(gaAdmin, 'PUT', `/api/v1/inventory/systems/${mzId}/disposition`, {
          kind: 'integrate',
          targetOn: '2027-06-30',
          note: '越权',
        })
      ).statusCode,
    ).toBe(403);
    const own = json<SystemView[]>(await req(gaOfficer, 'GET', '/api/v1/inventory/systems'));
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((s) => s.orgId === gaOrg)).toBe(true);
    expect((await req(gaOfficer, 'GET', `/api/v1/inventory/systems?orgId=${mz.orgId}`)).statusCode).toBe(403);
    expect(json<SystemView>(await req(admin, 'GET', `/api/v1/inventory/systems/${mzId}`)).name).toBe(
      '婚姻登记信息系统',
    );
    expect((await req(auditor, 'GET', `/api/v1/inventory/systems/${mzId}`)).statusCode).toBe(200);
    expect((await req(auditor, 'POST', '/api/v1/inventory/systems', body(gaOrg))).statusCode).toBe(403);
    expect((await req(null, 'GET', '/api/v1/inventory/systems')).statusCode).toBe(401);
  });

  it('confirms and dismisses flags with a reason, audited; the resolution survives re-detection', async () => {
    const detached = flagId('zombie.detached', [demoSystemId('GA-06')]);
    expect(
      (await req(gaOfficer, 'POST', `/api/v1/inventory/flags/${detached}/confirm`, { reason: ' ' }))
        .statusCode,
    ).toBe(400);
    expect(
      (await req(mzOfficer, 'POST', `/api/v1/inventory/flags/${detached}/confirm`, { reason: '越权' }))
        .statusCode,
    ).toBe(403);
    const ok = await req(gaOfficer, 'POST', `/api/v1/inventory/flags/${detached}/confirm`, {
      reason: '省厅视频会议已全面替代，终端已停用',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json<FlagView>(ok)).toMatchObject({
      status: 'confirmed',
      resolutionReason: '省厅视频会议已全面替代，终端已停用',
    });
    expect(
      (await req(gaOfficer, 'POST', `/api/v1/inventory/flags/${detached}/dismiss`, { reason: '再次处理' }))
        .statusCode,
    ).toBe(409);

    // A cross-department shadow: either side may resolve it.
    const shadow = flagId('shadow.function', [demoSystemId('MZ-02'), demoSystemId('XA-01')]);
    const dismissed = await req(mzOfficer, 'POST', `/api/v1/inventory/flags/${shadow}/dismiss`, {
      reason: '咸安区系统为市级系统的区级部署，已列入整合计划',
    });
    expect(dismissed.statusCode, dismissed.body).toBe(200);
    expect(json<FlagView>(dismissed).status).toBe('dismissed');

    const events = await t.db.kysely
      .selectFrom('audit_event')
      .select(['action', 'object_id', 'actor_username', 'detail'])
      .where('action', 'in', ['inventory.flag.confirm', 'inventory.flag.dismiss'])
      .orderBy('seq')
      .execute();
    expect(events.map((e) => [e.action, e.object_id, e.actor_username])).toEqual([
      ['inventory.flag.confirm', detached, 'ga_officer'],
      ['inventory.flag.dismiss', shadow, 'mz_officer'],
    ]);
    expect(events[0]?.detail).toMatchObject({ reason: '省厅视频会议已全面替代，终端已停用' });

    // Re-detection (any change) finds the flags again and keeps their resolution.
    const ga06 = json<SystemView>(
      await req(admin, 'GET', `/api/v1/inventory/systems/${demoSystemId('GA-06')}`),
    );
    const {
      id: _id,
      orgName: _o,
      disposition: _d,
      dispositionTargetOn: _t,
      dispositionNote: _n,
      assetWriteOffNote: _a,
      createdAt: _c,
      updatedAt: _u,
      ...input
    } = ga06;
    expect(
      (await req(gaAdmin, 'PUT', `/api/v1/inventory/systems/${ga06.id}`, { ...input, omCostWan: 0 }))
        .statusCode,
    ).toBe(200);
    const after = json<FlagView[]>(await req(admin, 'GET', `/api/v1/inventory/flags?status=confirmed`));
    expect(after.map((f) => f.id)).toContain(detached);
  });

  it('records dispositions with target dates; retiring needs the asset write-off note', async () => {
    const id = demoSystemId('GA-06');
    const missing = await req(gaAdmin, 'PUT', `/api/v1/inventory/systems/${id}/disposition`, {
      kind: 'retire',
      targetOn: '2026-12-31',
      note: '停止运行并下线',
    });
    expect(missing.statusCode).toBe(400);
    expect(json<Problem>(missing).fields.map((f) => f.field)).toEqual(['assetWriteOffNote']);
    const ok = await req(gaAdmin, 'PUT', `/api/v1/inventory/systems/${id}/disposition`, {
      kind: 'retire',
      targetOn: '2026-12-31',
      note: '停止运行并下线',
      assetWriteOffNote: '终端设备 12 台报市财政局核销',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json<SystemView>(ok)).toMatchObject({
      disposition: 'retire',
      dispositionTargetOn: '2026-12-31',
      assetWriteOffNote: '终端设备 12 台报市财政局核销',
    });
    expect(
      (
        await req(gaOfficer, 'PUT', `/api/v1/inventory/systems/${id}/disposition`, {
          kind: 'connect',
          targetOn: '2027-01-31',
          note: '接入',
        })
      ).statusCode,
    ).toBe(403);
  });

  it('lists for finance the systems that must connect and have not (R2.6)', async () => {
    const list = json<SystemView[]>(await req(admin, 'GET', '/api/v1/inventory/funding-list'));
    expect(list.map((s) => s.name).sort()).toEqual(
      ['咸安区低保信息管理系统', '殡葬服务管理系统', '残疾人两项补贴发放系统'].sort(),
    );
    expect((await req(auditor, 'GET', '/api/v1/inventory/funding-list')).statusCode).toBe(200);
    expect((await req(gaAdmin, 'GET', '/api/v1/inventory/funding-list')).statusCode).toBe(403);
  });
});
