/**
 * E-government projects over real HTTP against PGlite: the whole lifecycle, the >10 % budget rule, the
 * catalog gates, deadlines on the working-day calendar across the National Day holiday, the expert
 * panel's avoidance, the poor-evaluation flag, and who may do what.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, type Session, type TestApp, testApp } from '../../../test/helpers.js';
import { FixedClock } from '../../kernel/clock.js';
import { sm3Hex } from '../../kernel/sm3.js';
import type { ProjectView } from './projects.service.js';

const clock = new FixedClock('2026-09-25');
let t: TestApp;
let admin: Session;
let ga: Session;
let gaHead: Session;
let mz: Session;
let gaData: Session;
let gaOrg = '';
let outsiders: string[] = [];
let insider = '';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

async function call(s: Session, method: Method, url: string, payload?: object) {
  return t.app.inject({ method, url: `/api/v1${url}`, headers: s.headers, ...(payload ? { payload } : {}) });
}

async function ok<T = ProjectView>(s: Session, method: Method, url: string, payload?: object): Promise<T> {
  const res = await call(s, method, url, payload);
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return json<T>(res);
}

function project(name: string, budget: number) {
  return {
    orgId: gaOrg,
    name,
    kind: 'new',
    summary: '测试项目',
    needsBudgetYuan: budget,
    omCostYuan: 50_000,
    fundingChannel: '市级财政预算',
    dataResources: '测试数据',
    systemIds: [],
    protectionLevel: 2,
    protectionFilingNo: '42120013012-99001',
    classifiedFilingNo: null,
  };
}

const doc = (kind: string, text = kind) => ({
  name: `${kind}.pdf`,
  kind,
  contentBase64: Buffer.from(text).toString('base64'),
});

async function docs(id: string, ...kinds: string[]) {
  for (const k of kinds) await ok(ga, 'POST', `/projects/${id}/documents`, doc(k));
}

async function draftEntry(name: string): Promise<string> {
  return (
    await ok<{ id: string }>(gaData, 'POST', '/catalog/entries', {
      classCode: '309001',
      className: '部门信息资源/项目/测试',
      name,
      providerOrgId: gaOrg,
      summary: '项目预编目录测试资源',
      formatCategory: 'database',
      formatType: 'PostgreSQL',
      shareType: 'unconditional',
      shareModes: ['api'],
      openType: 'not_open',
      updateCycle: 'daily',
      dataGrade: 'general',
      items: [{ name: '统一社会信用代码', dataType: 'C', length: 18 }],
    })
  ).id;
}

async function publish(entryId: string) {
  await ok(admin, 'POST', `/catalog/entries/${entryId}/assessments`, {
    confidentiality: '不涉密',
    personalInformation: '无个人信息',
  });
  await ok(gaHead, 'POST', `/catalog/entries/${entryId}/approve`);
  await ok(admin, 'POST', `/catalog/entries/${entryId}/submit`);
  await ok(admin, 'POST', `/catalog/entries/${entryId}/publish`);
}

beforeAll(async () => {
  t = await testApp({}, { clock });
  admin = await login(t.app, 'admin');
  ga = await login(t.app, 'ga_tech');
  gaHead = await login(t.app, 'ga_admin');
  mz = await login(t.app, 'mz_admin');
  gaData = await login(t.app, 'ga_officer');
  gaOrg = json<{ activeOrgId: string }>(await call(ga, 'GET', '/auth/me')).activeOrgId;
  const pool = await ok<{ items: { id: string; orgId: string | null }[] }>(
    admin,
    'GET',
    '/projects/experts?pageSize=50',
  );
  outsiders = pool.items.filter((e) => e.orgId !== gaOrg).map((e) => e.id);
  insider = (
    await ok<{ id: string }>(admin, 'POST', '/projects/experts', {
      name: '赵测试',
      field: 'software',
      title: '工程师',
      orgName: '咸宁市公安局',
      orgId: gaOrg,
    })
  ).id;
});

afterAll(async () => {
  await t?.close();
});

describe('the project lifecycle', () => {
  it('walks from the needs proposal to the performance evaluation', async () => {
    clock.set('2026-09-25');
    let p = await ok(ga, 'POST', '/projects', project('测试全生命周期项目', 1_000_000));
    const id = p.id;
    expect(p.stage).toBe('needs');

    // No needs proposal filed yet: the step names the missing document.
    const early = await call(ga, 'POST', `/projects/${id}/steps`, { action: 'submit_needs' });
    expect(early.statusCode).toBe(400);
    expect(early.json().fields[0]).toMatchObject({ field: 'documents', rule: 'required_documents' });

    p = await ok(ga, 'POST', `/projects/${id}/documents`, doc('needs_proposal', '需求方案正文'));
    expect(p.documents[0]?.sm3).toBe(sm3Hex(Buffer.from('需求方案正文')));

    // The joint meeting has 20 working days: across the National Day holiday, as the calendar counts.
    p = await ok(ga, 'POST', `/projects/${id}/steps`, { action: 'submit_needs' });
    expect(p.stage).toBe('joint_review');
    const due = await t.services.calendar.addWorkdays('2026-09-25', 20);
    expect(p.stageDueOn).toBe(due);
    expect(due > '2026-10-23').toBe(true); // 20 weekdays would end 2026-10-23; the holiday pushes it on

    // No pre-compiled catalog: the review cannot pass.
    const gate = await call(admin, 'POST', `/projects/${id}/decisions`, {
      action: 'pass',
      expertIds: outsiders.slice(0, 3),
    });
    expect(gate.statusCode).toBe(409);
    expect(gate.json().message.zh).toContain('预编信息资源目录');

    const entry = await draftEntry('测试项目预编目录');
    p = await ok(ga, 'POST', `/projects/${id}/catalog-links`, { entryId: entry });
    expect(p.catalog).toMatchObject({ reviewGate: true, acceptanceGate: false });

    // The panel: at least three experts, none from the building department.
    const small = await call(admin, 'POST', `/projects/${id}/decisions`, {
      action: 'pass',
      expertIds: outsiders.slice(0, 2),
    });
    expect(small.json().fields[0]).toMatchObject({ field: 'expertIds', rule: 'panel_size' });
    const own = await call(admin, 'POST', `/projects/${id}/decisions`, {
      action: 'pass',
      expertIds: [insider, ...outsiders.slice(0, 2)],
    });
    expect(own.json().fields[0]).toMatchObject({ field: 'expertIds', rule: 'avoidance' });
    p = await ok(admin, 'POST', `/projects/${id}/decisions`, {
      action: 'pass',
      expertIds: outsiders.slice(0, 3),
    });
    expect(p.stage).toBe('tech_plan');
    expect(p.approvedBudgetYuan).toBe(1_000_000);
    expect(p.steps.at(-1)?.experts.map((e) => e.id)).toEqual(outsiders.slice(0, 3));

    // A technical plan within 10 %: technical review, 10 working days.
    clock.set('2026-09-28');
    await docs(id, 'tech_plan');
    p = await ok(ga, 'POST', `/projects/${id}/steps`, { action: 'submit_tech_plan', budgetYuan: 1_080_000 });
    expect(p.stage).toBe('tech_review');
    expect(p.stageDueOn).toBe(await t.services.calendar.addWorkdays('2026-09-28', 10));
    p = await ok(admin, 'POST', `/projects/${id}/decisions`, {
      action: 'pass',
      expertIds: outsiders.slice(0, 3),
    });
    expect(p.stage).toBe('agreement');

    await docs(id, 'sharing_agreement');
    p = await ok(ga, 'POST', `/projects/${id}/steps`, { action: 'sign_agreement', signedOn: '2026-09-28' });
    expect(p.stage).toBe('annual_plan');
    const noYear = await call(admin, 'POST', `/projects/${id}/decisions`, { action: 'pass' });
    expect(noYear.json().fields[0].field).toBe('planYear');
    p = await ok(admin, 'POST', `/projects/${id}/decisions`, { action: 'pass', planYear: 2026 });
    expect(p.stage).toBe('procurement');

    await docs(id, 'procurement');
    p = await ok(ga, 'POST', `/projects/${id}/steps`, { action: 'complete_procurement', note: '公开招标' });
    expect(p.stage).toBe('contract');

    // The contract notice is due 2 working days after signing; the budget above 500,000 needs supervision.
    await docs(id, 'contract', 'contract_notice');
    p = await ok(ga, 'POST', `/projects/${id}/steps`, {
      action: 'file_contract',
      signedOn: '2026-09-28',
      noticePublishedOn: '2026-09-28',
      counterparty: '湖北楚天云有限公司',
      amountYuan: 990_000,
    });
    expect(p.stage).toBe('supervision');
    expect(p.noticeDueOn).toBe(await t.services.calendar.addWorkdays('2026-09-28', 2));
    expect(p.steps.at(-1)?.details).toMatchObject({ noticeLate: false, supervisionRequired: true });

    await docs(id, 'supervision_report', 'test_report');
    p = await ok(ga, 'POST', `/projects/${id}/steps`, {
      action: 'complete_supervision',
      counterparty: '咸宁市工程咨询有限公司',
    });
    expect(p.stage).toBe('trial');
    expect(p.trialEndsOn).toBe('2026-12-28');

    // Acceptance only after the three-month trial.
    await docs(id, 'trial_report');
    const soon = await call(ga, 'POST', `/projects/${id}/steps`, { action: 'apply_acceptance' });
    expect(soon.statusCode).toBe(409);
    clock.set('2026-12-28');
    await docs(id, 'trial_report');
    p = await ok(ga, 'POST', `/projects/${id}/steps`, { action: 'apply_acceptance' });
    expect(p.stage).toBe('acceptance');

    // Acceptance refused while the project's catalog is unpublished.
    const unpublished = await call(admin, 'POST', `/projects/${id}/decisions`, {
      action: 'pass',
      expertIds: outsiders.slice(0, 3),
    });
    expect(unpublished.statusCode).toBe(409);
    expect(unpublished.json().message.zh).toContain('尚未全部发布');
    await publish(entry);
    p = await ok(admin, 'POST', `/projects/${id}/decisions`, {
      action: 'pass',
      expertIds: outsiders.slice(0, 3),
    });
    expect(p.stage).toBe('audit');
    expect(p.acceptedOn).toBe('2026-12-28');
    // What acceptance checked no longer changes.
    expect((await call(ga, 'DELETE', `/projects/${id}/catalog-links/${entry}`)).statusCode).toBe(409);

    // The audit is the next year's.
    const sameYear = await call(admin, 'POST', `/projects/${id}/decisions`, {
      action: 'pass',
      note: '审计合规',
    });
    expect(sameYear.statusCode).toBe(409);
    clock.set('2027-03-15');
    p = await ok(admin, 'POST', `/projects/${id}/decisions`, { action: 'pass', note: '审计合规' });
    expect(p.stage).toBe('om_filing');

    await docs(id, 'om_report');
    p = await ok(ga, 'POST', `/projects/${id}/steps`, {
      action: 'file_om',
      counterparty: '湖北楚天云有限公司',
      amountYuan: 60_000,
      note: '运行平稳',
    });
    expect(p.stage).toBe('evaluation');
    expect(p.omCostYuan).toBe(60_000);

    p = await ok(admin, 'POST', `/projects/${id}/decisions`, {
      action: 'evaluate',
      score: 52,
      note: '使用频度低',
    });
    expect(p.stage).toBe('completed');
    expect(p.evaluationGrade).toBe('poor');
    expect(p.stages.map((s) => s.stage)).toEqual([
      'needs',
      'joint_review',
      'tech_plan',
      'tech_review',
      'agreement',
      'annual_plan',
      'procurement',
      'contract',
      'supervision',
      'trial',
      'acceptance',
      'audit',
      'om_filing',
      'evaluation',
      'completed',
    ]);

    // Every step is in the audit trail.
    const events = await t.db.kysely
      .selectFrom('audit_event')
      .select('action')
      .where('object_id', '=', id)
      .execute();
    const actions = new Set(events.map((e) => e.action));
    for (const a of [
      'project.create',
      'project.submit_needs',
      'project.pass',
      'project.file_contract',
      'project.evaluate',
    ])
      expect(actions).toContain(a);

    // The poor evaluation flags the department's next application: its pass needs a reason.
    const next = await ok(ga, 'POST', '/projects', project('测试次年项目', 300_000));
    expect(next.caution).toBe(true);
    expect(next.cautionProject?.id).toBe(id);
    await docs(next.id, 'needs_proposal');
    await ok(ga, 'POST', `/projects/${next.id}/steps`, { action: 'submit_needs' });
    await ok(ga, 'POST', `/projects/${next.id}/catalog-links`, {
      entryId: await draftEntry('测试次年项目目录'),
    });
    const noReason = await call(admin, 'POST', `/projects/${next.id}/decisions`, {
      action: 'pass',
      expertIds: outsiders.slice(0, 3),
    });
    expect(noReason.json().fields[0]).toMatchObject({ field: 'reason', rule: 'caution' });
    const passed = await ok(admin, 'POST', `/projects/${next.id}/decisions`, {
      action: 'pass',
      expertIds: outsiders.slice(0, 3),
      reason: '已完成整改，同意',
    });
    expect(passed.stage).toBe('tech_plan');
    // The small project (300,000 ≤ 500,000) will skip supervision: the view says so.
    expect(passed.supervisionRequired).toBe(false);
  });

  it('sends a technical plan off by more than 10 % back to the needs stage', async () => {
    clock.set('2026-11-02');
    const p = await ok(ga, 'POST', '/projects', project('测试预算调整项目', 800_000));
    await docs(p.id, 'needs_proposal');
    await ok(ga, 'POST', `/projects/${p.id}/steps`, { action: 'submit_needs' });
    await ok(ga, 'POST', `/projects/${p.id}/catalog-links`, {
      entryId: await draftEntry('测试预算项目目录'),
    });
    await ok(admin, 'POST', `/projects/${p.id}/decisions`, {
      action: 'pass',
      expertIds: outsiders.slice(0, 3),
      reason: '已整改（本单位上一项目绩效不合格）',
    });
    await docs(p.id, 'tech_plan');
    const back = await ok(ga, 'POST', `/projects/${p.id}/steps`, {
      action: 'submit_tech_plan',
      budgetYuan: 881_000,
    });
    expect(back.stage).toBe('needs');
    expect(back.steps.at(-1)).toMatchObject({ outcome: 'returned_by_rule', toStage: 'needs' });
    expect(back.steps.at(-1)?.reason).toContain('第十一条');
    // Back at needs, the needs budget may change; a resubmission needs a fresh proposal.
    const filing = { ...project('测试预算调整项目', 880_000) } as Record<string, unknown>;
    delete filing.orgId;
    const edited = await ok(ga, 'PUT', `/projects/${p.id}/filing`, filing);
    expect(edited.needsBudgetYuan).toBe(880_000);
    const stale = await call(ga, 'POST', `/projects/${p.id}/steps`, { action: 'submit_needs' });
    expect(stale.statusCode).toBe(400);
    // Exactly 10 % stays in the technical review.
    await docs(p.id, 'needs_proposal');
    await ok(ga, 'POST', `/projects/${p.id}/steps`, { action: 'submit_needs' });
    await ok(admin, 'POST', `/projects/${p.id}/decisions`, {
      action: 'pass',
      expertIds: outsiders.slice(0, 3),
      reason: '已整改（本单位上一项目绩效不合格）',
    });
    await docs(p.id, 'tech_plan');
    const within = await ok(ga, 'POST', `/projects/${p.id}/steps`, {
      action: 'submit_tech_plan',
      budgetYuan: 968_000,
    });
    expect(within.stage).toBe('tech_review');
  });

  it('returns with a reason to the stage before', async () => {
    clock.set('2026-11-02');
    const p = await ok(ga, 'POST', '/projects', project('测试退回项目', 200_000));
    await docs(p.id, 'needs_proposal');
    await ok(ga, 'POST', `/projects/${p.id}/steps`, { action: 'submit_needs' });
    const bare = await call(admin, 'POST', `/projects/${p.id}/decisions`, {
      action: 'return',
      expertIds: outsiders.slice(0, 3),
    });
    expect(bare.json().fields[0]).toMatchObject({ field: 'reason' });
    const back = await ok(admin, 'POST', `/projects/${p.id}/decisions`, {
      action: 'return',
      expertIds: outsiders.slice(0, 3),
      reason: '建设目标不清晰',
    });
    expect(back.stage).toBe('needs');
    expect(back.stages.at(-2)).toMatchObject({ stage: 'joint_review', outcome: 'returned' });
    // Not an action of this stage.
    const wrong = await call(ga, 'POST', `/projects/${p.id}/steps`, { action: 'file_om' });
    expect(wrong.statusCode).toBe(409);
  });
});

describe('who may do what', () => {
  it('keeps a department to its own projects and the decisions with the platform office', async () => {
    const p = await ok(ga, 'POST', '/projects', project('测试权限项目', 100_000));
    expect((await call(mz, 'GET', `/projects/${p.id}`)).statusCode).toBe(403);
    expect((await call(mz, 'POST', `/projects/${p.id}/documents`, doc('needs_proposal'))).statusCode).toBe(
      403,
    );
    expect((await call(mz, 'POST', '/projects', project('越权', 1))).statusCode).toBe(403);
    expect((await call(gaHead, 'POST', `/projects/${p.id}/decisions`, { action: 'pass' })).statusCode).toBe(
      403,
    );
    const mine = await ok<{ items: { orgId: string }[]; total: number }>(mz, 'GET', '/projects?pageSize=200');
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.items.every((i) => i.orgId !== gaOrg)).toBe(true);
    const all = await ok<{ items: { orgId: string }[]; total: number }>(admin, 'GET', '/projects?pageSize=2');
    expect(all.items).toHaveLength(2);
    expect(all.total).toBeGreaterThan(mine.total);
    // Another department's catalog entry cannot be linked.
    const mzEntry = await t.db.kysely
      .selectFrom('catalog_entry')
      .select('id')
      .where('name', '=', '婚姻登记信息')
      .executeTakeFirstOrThrow();
    const foreign = await call(ga, 'POST', `/projects/${p.id}/catalog-links`, { entryId: mzEntry.id });
    expect(foreign.json().fields[0]).toMatchObject({ field: 'entryId', rule: 'own_entry' });
  });

  it('loads the demo projects at their stages', async () => {
    const page = await ok<{ items: { name: string; stage: string; caution: boolean }[] }>(
      admin,
      'GET',
      '/projects?pageSize=200&q=咸宁',
    );
    const byName = new Map(page.items.map((i) => [i.name, i]));
    expect(byName.get('咸宁市全民健康信息平台（二期）建设项目')?.stage).toBe('completed');
    expect(byName.get('咸宁市“互联网+可信身份认证”服务平台建设项目')?.stage).toBe('trial');
    expect(byName.get('咸宁市不动产登记“一网通办”系统建设项目')).toMatchObject({
      stage: 'joint_review',
      caution: true,
    });
    const stage = await ok<{ items: { stage: string }[] }>(
      admin,
      'GET',
      '/projects?stage=tech_review&stage=joint_review',
    );
    expect(stage.items.every((i) => ['tech_review', 'joint_review'].includes(i.stage))).toBe(true);
  });
});
