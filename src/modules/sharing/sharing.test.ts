/**
 * The sharing workflow end to end through the HTTP API, under both policy presets: every path of the
 * state machine, who may take which step, two answers racing, deadlines on the working-day calendar,
 * the policy table changing new deadlines, the deadline job and the finance list, the lists, demands
 * turned into applications, and grants.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, type Session, type TestApp, testApp } from '../../../test/helpers.js';
import { FixedClock } from '../../kernel/clock.js';
import { chinaToday } from '../../kernel/workdays.js';
import type { EntryInput, EntryView } from '../catalog/catalog.model.js';
import { NATIONAL_PRESET, SEED_PRESET } from '../policy/policy.presets.js';
import type { AppAction } from './sharing.machine.js';
import type { ApplicationView, GrantView } from './sharing.service.js';

const USERS = [
  'admin',
  'auditor',
  'ga_admin',
  'ga_officer',
  'ga_tech',
  'mz_officer',
  'mz_admin',
  'rs_officer',
] as const;
type User = (typeof USERS)[number];

interface Problem {
  code: string;
  fields: { field: string; rule: string }[];
}
interface Detail {
  application: ApplicationView;
  events: { action: string; fromStatus: string | null; toStatus: string; note: string; detail: unknown }[];
  messages: { authorOrgId: string; stage: string; body: string }[];
}
interface Violation {
  applicationId: string;
  orgId: string;
  orgName: string;
  kind: string;
  dueOn: string;
  detectedOn: string;
  resolvedOn: string | null;
}
interface Reminder {
  orgId: string;
  kind: string;
  objectId: string;
  dueOn: string | null;
}
interface Page<T> {
  items: T[];
  total: number;
}

/** One app over a fresh copy of the demo database, with the parties signed in and the resources to ask for. */
interface World {
  t: TestApp;
  clock: FixedClock;
  s: Record<User, Session>;
  gaOrg: string;
  mzOrg: string;
  /** 户籍人口基本信息 (市公安局, conditional, from the demo catalog). */
  conditional: EntryView;
  /** An unconditional resource of 市公安局, published in the test (the demo has none of 公安). */
  unconditional: EntryView;
  /** A not-shared resource of 市公安局 citing a law. */
  notShared: EntryView;
  /** A system of 市民政局 that uses the data. */
  systemId: string;
}

function entryInput(providerOrgId: string, over: Partial<EntryInput>): EntryInput {
  return {
    classCode: '301001',
    className: '部门信息资源/测试/测试',
    name: '测试资源',
    providerOrgId,
    summary: '用于共享流程测试的资源',
    formatCategory: 'database',
    formatType: 'PostgreSQL',
    shareType: 'conditional',
    shareModes: ['api'],
    openType: 'not_open',
    updateCycle: 'daily',
    dataGrade: 'general',
    items: [
      { name: '姓名', dataType: 'C', length: 50, sensitivity: 'sensitive', masking: 'partial' },
      { name: '公民身份号码', dataType: 'C', length: 18, sensitivity: 'sensitive', masking: 'partial' },
      { name: '户籍地址', dataType: 'C', length: 200, sensitivity: 'sensitive', masking: 'partial' },
    ],
    ...over,
  };
}

async function world(preset: string, day = '2026-09-29'): Promise<World> {
  const clock = new FixedClock(day);
  const t = await testApp({}, { clock });
  const s = {} as Record<User, Session>;
  for (const u of USERS) s[u] = await login(t.app, u);
  const orgOf = async (u: User) =>
    json<{ activeOrgId: string }>(await t.app.inject({ url: '/api/v1/auth/me', headers: s[u].headers }))
      .activeOrgId;
  const gaOrg = await orgOf('ga_admin');
  const mzOrg = await orgOf('mz_officer');

  const post = (u: User, url: string, payload?: object) =>
    t.app.inject({ method: 'POST', url, headers: s[u].headers, ...(payload ? { payload } : {}) });
  const publish = async (input: EntryInput): Promise<EntryView> => {
    const created = await post('ga_officer', '/api/v1/catalog/entries', input);
    expect(created.statusCode, created.body).toBe(201);
    const id = json<EntryView>(created).id;
    const steps: [User, string, object?][] = [
      ['ga_admin', 'assessments', { confidentiality: '不涉密', personalInformation: '已评估，最小必要' }],
      ['ga_admin', 'approve'],
      ['ga_admin', 'submit'],
      ['admin', 'publish'],
    ];
    let last: LightMyRequestResponse | null = null;
    for (const [u, step, payload] of steps) {
      last = await post(u, `/api/v1/catalog/entries/${id}/${step}`, payload);
      expect(last.statusCode, `${step}: ${last.body}`).toBe(200);
    }
    return json<EntryView>(last as LightMyRequestResponse);
  };

  const found = json<{ items: EntryView[] }>(
    await t.app.inject({
      url: `/api/v1/catalog/entries?q=${encodeURIComponent('户籍人口基本信息')}`,
      headers: s.mz_officer.headers,
    }),
  ).items.find((e) => e.name === '户籍人口基本信息');
  if (!found) throw new Error('the demo catalog lacks 户籍人口基本信息');
  expect(found.shareType).toBe('conditional');
  expect(found.providerOrgId).toBe(gaOrg);
  const unconditional = await publish(
    entryInput(gaOrg, { name: '机动车登记摘要信息', shareType: 'unconditional' }),
  );
  expect(unconditional.shareType).toBe('unconditional');
  const notShared = await publish(
    entryInput(gaOrg, {
      name: '侦查工作信息',
      shareType: 'not_shared',
      shareModes: [],
      notSharedBasisKind: 'law',
      notSharedBasis: '《中华人民共和国保守国家秘密法》第十三条',
    }),
  );
  expect(notShared.shareType).toBe('not_shared');
  const sys = await post('mz_admin', '/api/v1/systems', { code: 'mz-dibao', name: '低保审批系统' });
  expect(sys.statusCode, sys.body).toBe(201);

  const active = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/policy/active',
    headers: s.admin.headers,
    payload: { preset },
  });
  expect(active.statusCode, active.body).toBe(200);
  return {
    t,
    clock,
    s,
    gaOrg,
    mzOrg,
    conditional: found,
    unconditional,
    notShared,
    systemId: json<{ id: string }>(sys).id,
  };
}

// ── steps ─────────────────────────────────────────────────────────────────────────────────

function act(w: World, u: User, id: string, action: AppAction, payload: object = {}) {
  return w.t.app.inject({
    method: 'POST',
    url: `/api/v1/sharing/applications/${id}/actions/${action}`,
    headers: w.s[u].headers,
    payload,
  });
}

function ok(res: LightMyRequestResponse): ApplicationView {
  expect(res.statusCode, res.body).toBe(200);
  return json<ApplicationView>(res);
}

function problem(res: LightMyRequestResponse, status: number): Problem {
  expect(res.statusCode, res.body).toBe(status);
  return json<Problem>(res);
}

function fieldsOf(res: LightMyRequestResponse): string[] {
  return problem(res, 400).fields.map((f) => f.field);
}

function today(w: World): string {
  return chinaToday(w.clock.now());
}

function applicationInput(w: World, entry: EntryView, over: object = {}) {
  return {
    entryId: entry.id,
    requestedItems: entry.items.slice(0, 2).map((i) => i.name),
    basis: '《社会救助暂行办法》第十一条',
    scenario: '最低生活保障申请审核',
    purposeCategory: 'data_verification',
    purpose: '核对申请人户籍',
    scope: '市民政局社会救助科',
    accessMode: 'api',
    periodFrom: today(w),
    periodTo: '2026-12-31',
    consumerSystemId: w.systemId,
    attested: true,
    ...over,
  };
}

/** A draft application of 市民政局 for a resource of 市公安局. */
async function draft(w: World, entry: EntryView, over: object = {}): Promise<ApplicationView> {
  const res = await w.t.app.inject({
    method: 'POST',
    url: '/api/v1/sharing/applications',
    headers: w.s.mz_officer.headers,
    payload: applicationInput(w, entry, over),
  });
  expect(res.statusCode, res.body).toBe(201);
  const a = json<ApplicationView>(res);
  expect(a.status).toBe('draft');
  return a;
}

/** Submits (and, where the policy asks for it, approves internally): the application leaves the applicant. */
async function send(w: World, id: string): Promise<ApplicationView> {
  const a = ok(await act(w, 'mz_officer', id, 'submit'));
  if (a.status !== 'awaiting_internal') return a;
  expect(a.nextActions).toEqual(['withdraw']);
  return ok(await act(w, 'mz_admin', id, 'internal_approve'));
}

async function submitted(w: World, entry: EntryView, over: object = {}): Promise<ApplicationView> {
  const a = await send(w, (await draft(w, entry, over)).id);
  expect(a.status).toBe('submitted');
  return a;
}

async function detail(w: World, id: string, u: User = 'admin'): Promise<Detail> {
  const res = await w.t.app.inject({ url: `/api/v1/sharing/applications/${id}`, headers: w.s[u].headers });
  expect(res.statusCode, res.body).toBe(200);
  return json<Detail>(res);
}

async function actions(w: World, id: string): Promise<string[]> {
  return (await detail(w, id)).events.map((e) => e.action);
}

async function grant(w: World, id: string, u: User = 'mz_officer'): Promise<GrantView> {
  const res = await w.t.app.inject({ url: `/api/v1/sharing/grants/${id}`, headers: w.s[u].headers });
  expect(res.statusCode, res.body).toBe(200);
  return json<GrantView>(res);
}

async function sweep(w: World) {
  const res = await w.t.app.inject({
    method: 'POST',
    url: '/api/v1/sharing/sweep',
    headers: w.s.admin.headers,
  });
  expect(res.statusCode, res.body).toBe(200);
  return json<{ overdue: number; violations: number; reminders: number; expired: number }>(res);
}

async function violations(w: World, u: User = 'admin'): Promise<Violation[]> {
  const res = await w.t.app.inject({ url: '/api/v1/sharing/violations', headers: w.s[u].headers });
  expect(res.statusCode, res.body).toBe(200);
  return json<Violation[]>(res);
}

async function reminders(w: World, u: User): Promise<Reminder[]> {
  const res = await w.t.app.inject({ url: '/api/v1/sharing/reminders', headers: w.s[u].headers });
  expect(res.statusCode, res.body).toBe(200);
  return json<Reminder[]>(res);
}

async function post(w: World, u: User, url: string, payload: object = {}) {
  return w.t.app.inject({ method: 'POST', url, headers: w.s[u].headers, payload });
}

/** Refused, negotiated, coordinated and decided by the government (document number, outcome share). */
async function decided(w: World, national: boolean): Promise<ApplicationView> {
  const a = await submitted(w, w.conditional);
  ok(await act(w, 'ga_admin', a.id, 'refuse', { reason: '申请用途与共享条件不符' }));
  ok(await act(w, 'mz_officer', a.id, 'dispute'));
  ok(await act(w, 'mz_officer', a.id, 'escalate'));
  if (national) ok(await act(w, 'admin', a.id, 'escalate_upper'));
  ok(await act(w, 'admin', a.id, 'refer_to_government'));
  const d = ok(await act(w, 'admin', a.id, 'decide', { document: '咸政函〔2026〕88号', outcome: 'share' }));
  expect(d.status).toBe('decided');
  return d;
}

// ── every path, under each preset ─────────────────────────────────────────────────────────

describe.each([
  { preset: SEED_PRESET, national: false },
  { preset: NATIONAL_PRESET, national: true },
])('sharing paths under $preset', ({ preset, national }) => {
  let w: World;
  beforeAll(async () => {
    w = await world(preset);
  });
  afterAll(async () => w.t.close());

  it('unconditional: seed grants it at once; national answers within 1 working day, then approve and supply', async () => {
    w.clock.set('2026-09-29');
    const a = await draft(w, w.unconditional);
    expect(a.policyPreset).toBe(preset);
    const first = ok(await act(w, 'mz_officer', a.id, 'submit'));
    if (!national) {
      expect(first.status).toBe('supplied');
      expect(first.grantId).not.toBeNull();
      expect(first.suppliedLate).toBe(false);
      const g = await grant(w, first.grantId as string);
      expect(g.status).toBe('active');
      expect(g.items.map((i) => i.name)).toEqual(a.requestedItems);
      expect(await actions(w, a.id)).toEqual(['create', 'submit']);
      return;
    }
    // 条例 Art. 20: the head of the applicant's sharing office approves first; an officer may not.
    expect(first.status).toBe('awaiting_internal');
    problem(await act(w, 'mz_officer', a.id, 'internal_approve'), 403);
    const sent = ok(await act(w, 'mz_admin', a.id, 'internal_approve'));
    expect(sent.status).toBe('submitted');
    expect(sent.dueKind).toBe('answer');
    expect(sent.dueOn).toBe('2026-09-30'); // 1 working day (Art. 21)
    expect(sent.workdaysLeft).toBe(1);
    const approved = ok(await act(w, 'ga_admin', a.id, 'approve'));
    expect(approved.status).toBe('approved');
    // 20 working days (Art. 22) over National Day (Oct 1–7 off, Sat Oct 10 worked).
    expect(approved.supplyDue).toBe('2026-11-02');
    expect(approved.grantId).toBeNull();
    const supplied = ok(await act(w, 'ga_officer', a.id, 'supply'));
    expect(supplied.status).toBe('supplied');
    expect(supplied.suppliedLate).toBe(false);
    expect((await grant(w, supplied.grantId as string)).status).toBe('active');
    expect(await actions(w, a.id)).toEqual(['create', 'submit', 'internal_approve', 'approve', 'supply']);
  });

  it('conditional: answered within 10 working days over National Day, approved', async () => {
    w.clock.set('2026-09-29');
    const a = await submitted(w, w.conditional);
    expect(a.dueOn).toBe('2026-10-19');
    expect(a.workdaysLeft).toBe(10);
    const approved = ok(await act(w, 'ga_admin', a.id, 'approve', { dailyQuota: 500 }));
    if (national) {
      expect(approved.status).toBe('approved');
      expect(approved.supplyDue).toBe('2026-11-02');
      expect(approved.workdaysLeft).toBe(20);
      const supplied = ok(await act(w, 'ga_admin', a.id, 'supply', { dailyQuota: 500 }));
      expect(supplied.status).toBe('supplied');
      expect((await grant(w, supplied.grantId as string)).dailyQuota).toBe(500);
    } else {
      // The seed sets no limit after approval: the grant is made with the approval.
      expect(approved.status).toBe('supplied');
      expect((await grant(w, approved.grantId as string)).dailyQuota).toBe(500);
    }
  });

  it('conditional: the answer period extended with the platform office’s consent (national) or not at all (seed)', async () => {
    w.clock.set('2026-09-29');
    const a = await submitted(w, w.conditional);
    expect(a.dueOn).toBe('2026-10-19');
    if (!national) {
      problem(await act(w, 'ga_admin', a.id, 'request_extension', { days: 5, reason: '数据量大' }), 409);
      problem(await act(w, 'admin', a.id, 'consent_extension'), 409);
      expect((await detail(w, a.id)).application.dueOn).toBe('2026-10-19');
      expect(ok(await act(w, 'ga_admin', a.id, 'approve')).status).toBe('supplied');
      return;
    }
    expect(
      fieldsOf(await act(w, 'ga_officer', a.id, 'request_extension', { days: 11, reason: '数据量大' })),
    ).toEqual(['days']);
    expect(fieldsOf(await act(w, 'ga_officer', a.id, 'request_extension', { days: 5 }))).toEqual(['reason']);
    problem(await act(w, 'mz_officer', a.id, 'request_extension', { days: 5, reason: '数据量大' }), 403);
    const requested = ok(
      await act(w, 'ga_officer', a.id, 'request_extension', { days: 5, reason: '需跨部门核实数据来源' }),
    );
    expect(requested.status).toBe('submitted');
    expect(requested.extensionRequestedDays).toBe(5);
    expect(requested.dueOn).toBe('2026-10-19'); // not moved before the platform office consents
    for (const u of ['ga_admin', 'mz_admin'] as const)
      problem(await act(w, u, a.id, 'consent_extension'), 403);
    const consented = ok(await act(w, 'admin', a.id, 'consent_extension'));
    expect(consented.status).toBe('submitted');
    expect(consented.extendedDays).toBe(5);
    expect(consented.extensionRequestedDays).toBeNull();
    expect(consented.dueOn).toBe('2026-10-26'); // 5 working days after Oct 19
    // The applicant is told.
    expect(await reminders(w, 'mz_officer')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'consent_extension',
          objectId: a.id,
          dueOn: '2026-10-26',
          orgId: w.mzOrg,
        }),
      ]),
    );
    problem(await act(w, 'ga_admin', a.id, 'request_extension', { days: 2, reason: '再次延期' }), 409);
    expect(ok(await act(w, 'ga_admin', a.id, 'approve')).status).toBe('approved');
    expect(await actions(w, a.id)).toEqual([
      'create',
      'submit',
      'internal_approve',
      'request_extension',
      'consent_extension',
      'approve',
    ]);
  });

  it('incomplete: returned with every missing item at once, edited and resubmitted; national refuses a second return', async () => {
    w.clock.set('2026-09-29');
    const a = await submitted(w, w.conditional);
    expect(fieldsOf(await act(w, 'ga_officer', a.id, 'return_incomplete', { missing: [] }))).toEqual([
      'missing',
    ]);
    expect(
      fieldsOf(
        await act(w, 'ga_officer', a.id, 'return_incomplete', { missing: [{ field: 'colour', note: '?' }] }),
      ),
    ).toEqual(['missing[0].field']);
    const missing = [
      { field: 'basis', note: '须写明法定职权依据的具体条款' },
      { field: 'scope', note: '须写明使用范围到科室' },
      { field: 'attachment', note: '须附本单位共享工作机构负责人审核意见' },
    ];
    problem(await act(w, 'mz_officer', a.id, 'return_incomplete', { missing }), 403);
    const returned = ok(await act(w, 'ga_officer', a.id, 'return_incomplete', { missing }));
    expect(returned.status).toBe('returned');
    expect(returned.missingItems).toEqual(missing);
    expect(returned.dueOn).toBeNull();
    const seen = await detail(w, a.id, 'mz_officer');
    expect(seen.application.missingItems).toEqual(missing);
    expect(seen.application.nextActions).toEqual(expect.arrayContaining(['submit', 'withdraw']));
    expect(seen.events.at(-1)).toMatchObject({
      action: 'return_incomplete',
      fromStatus: 'submitted',
      toStatus: 'returned',
      detail: { missing },
    });

    // The applicant completes the application and sends it again.
    const edited = await w.t.app.inject({
      method: 'PUT',
      url: `/api/v1/sharing/applications/${a.id}`,
      headers: w.s.mz_officer.headers,
      payload: applicationInput(w, w.conditional, {
        basis: '《社会救助暂行办法》第十一条第一款',
        scope: '市民政局社会救助科（低保审核岗）',
      }),
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(json<ApplicationView>(edited).basis).toBe('《社会救助暂行办法》第十一条第一款');
    w.clock.set('2026-09-30');
    const again = await send(w, a.id);
    expect(again.status).toBe('submitted');
    expect(again.missingItems).toEqual([]);
    expect(again.dueOn).toBe('2026-10-20'); // a fresh 10 working days from the resubmission

    const second = await act(w, 'ga_admin', a.id, 'return_incomplete', {
      missing: [{ field: 'purpose', note: '用途说明不清' }],
    });
    if (national) {
      problem(second, 409); // 条例 Art. 21: every missing item at once
      expect((await detail(w, a.id)).application.status).toBe('submitted');
    } else {
      expect(ok(second).status).toBe('returned');
    }
  });

  it('refused: only with a reason, in writing', async () => {
    w.clock.set('2026-09-29');
    const a = await submitted(w, w.conditional);
    expect(fieldsOf(await act(w, 'ga_admin', a.id, 'refuse', {}))).toEqual(['reason']);
    expect(fieldsOf(await act(w, 'ga_admin', a.id, 'refuse', { reason: '   ' }))).toEqual(['reason']);
    expect((await detail(w, a.id)).application.status).toBe('submitted');
    const refused = ok(await act(w, 'ga_admin', a.id, 'refuse', { reason: '所需信息项超出履职需要' }));
    expect(refused.status).toBe('refused');
    expect(refused.refusalReason).toBe('所需信息项超出履职需要');
    expect(refused.dueOn).toBeNull();
    const seen = await detail(w, a.id, 'mz_officer');
    expect(seen.application.nextActions).toEqual(expect.arrayContaining(['dispute', 'close', 'withdraw']));
    expect(seen.events.at(-1)).toMatchObject({ action: 'refuse', note: '所需信息项超出履职需要' });
    expect(ok(await act(w, 'mz_officer', a.id, 'close')).status).toBe('closed');
  });

  it('refused → negotiation → platform coordination → (upper office) → government decision → supply', async () => {
    w.clock.set('2026-09-29');
    const a = await submitted(w, w.conditional);
    ok(await act(w, 'ga_admin', a.id, 'refuse', { reason: '申请用途与共享条件不符' }));
    problem(await act(w, 'ga_admin', a.id, 'dispute'), 403);
    expect(ok(await act(w, 'mz_officer', a.id, 'dispute')).status).toBe('negotiating');
    for (const [u, body] of [
      ['mz_officer', '低保审核须核对户籍，依据见《社会救助暂行办法》第十一条'],
      ['ga_admin', '可提供姓名、公民身份号码，但需限定在低保审核岗使用'],
    ] as const) {
      const res = await post(w, u, `/api/v1/sharing/applications/${a.id}/messages`, { body });
      expect(res.statusCode, res.body).toBe(204);
    }
    const thread = (await detail(w, a.id, 'ga_admin')).messages;
    expect(thread.map((m) => [m.authorOrgId, m.stage])).toEqual([
      [w.mzOrg, 'negotiating'],
      [w.gaOrg, 'negotiating'],
    ]);
    problem(await act(w, 'rs_officer', a.id, 'escalate'), 404);
    expect(ok(await act(w, 'ga_admin', a.id, 'escalate')).status).toBe('coordinating');

    for (const u of ['ga_admin', 'mz_admin'] as const) {
      problem(await act(w, u, a.id, 'escalate_upper'), 403);
      problem(await act(w, u, a.id, 'refer_to_government'), 403);
    }
    if (national) {
      expect(ok(await act(w, 'admin', a.id, 'escalate_upper')).status).toBe('upper_coordinating');
    } else {
      problem(await act(w, 'admin', a.id, 'escalate_upper'), 409); // the seed path has no upper office
    }
    expect(ok(await act(w, 'admin', a.id, 'refer_to_government')).status).toBe('awaiting_decision');
    problem(
      await act(w, 'ga_admin', a.id, 'decide', { document: '咸政函〔2026〕1号', outcome: 'share' }),
      403,
    );
    expect(fieldsOf(await act(w, 'admin', a.id, 'decide', { outcome: 'share' }))).toEqual(['document']);
    const dec = ok(
      await act(w, 'admin', a.id, 'decide', { document: '咸政函〔2026〕12号', outcome: 'share' }),
    );
    expect(dec.status).toBe('decided');
    expect(dec.decisionDocument).toBe('咸政函〔2026〕12号');
    // Seed §15: supply within 5 working days of the decision; the national regulation sets no limit.
    expect(dec.supplyDue).toBe(national ? null : '2026-10-12');
    problem(await act(w, 'mz_officer', a.id, 'supply'), 403);
    w.clock.set('2026-10-09');
    const supplied = ok(await act(w, 'ga_officer', a.id, 'supply'));
    expect(supplied.status).toBe('supplied');
    expect(supplied.suppliedLate).toBe(false);
    expect((await grant(w, supplied.grantId as string)).status).toBe('active');
    expect(await actions(w, a.id)).toEqual([
      'create',
      'submit',
      ...(national ? ['internal_approve'] : []),
      'refuse',
      'dispute',
      'escalate',
      ...(national ? ['escalate_upper'] : []),
      'refer_to_government',
      'decide',
      'supply',
    ]);
  });

  it('a government decision not to share closes the application', async () => {
    w.clock.set('2026-09-29');
    const a = await submitted(w, w.conditional);
    ok(await act(w, 'ga_admin', a.id, 'refuse', { reason: '涉及个人隐私' }));
    ok(await act(w, 'mz_officer', a.id, 'dispute'));
    ok(await act(w, 'admin', a.id, 'escalate'));
    ok(await act(w, 'admin', a.id, 'refer_to_government'));
    const closed = ok(
      await act(w, 'admin', a.id, 'decide', { document: '咸政函〔2026〕13号', outcome: 'not_share' }),
    );
    expect(closed.status).toBe('closed');
    expect(closed.grantId).toBeNull();
  });

  it('not shared resources go to negotiation; agreement leads to supply', async () => {
    w.clock.set('2026-09-29');
    const a = await send(w, (await draft(w, w.notShared)).id);
    expect(a.status).toBe('negotiating');
    expect(a.dueKind).toBe('negotiation');
    const agreed = ok(await act(w, 'ga_admin', a.id, 'agree'));
    expect(agreed.status).toBe(national ? 'approved' : 'supplied');
  });

  it('supplied late: the deadline job puts the provider on the finance list as supply_late', async () => {
    w.clock.set('2026-11-02');
    // National: 20 working days after the approval; seed: 5 working days after the government's decision.
    const a = national
      ? ok(await act(w, 'ga_admin', (await submitted(w, w.conditional)).id, 'approve'))
      : await decided(w, false);
    const due = national ? '2026-11-30' : '2026-11-09';
    expect(a.supplyDue).toBe(due);
    w.clock.set(national ? '2026-12-01' : '2026-11-10');
    problem(await post(w, 'ga_admin', '/api/v1/sharing/sweep'), 403);
    const r = await sweep(w);
    expect(r.violations).toBeGreaterThanOrEqual(1);
    expect((await detail(w, a.id)).application.workdaysLeft).toBe(-1);
    for (const u of ['admin', 'auditor'] as const) {
      expect((await violations(w, u)).filter((v) => v.applicationId === a.id)).toEqual([
        expect.objectContaining({
          kind: 'supply_late',
          orgId: w.gaOrg,
          orgName: '咸宁市公安局',
          dueOn: due,
          detectedOn: today(w),
          resolvedOn: null,
        }),
      ]);
    }
    for (const u of ['ga_admin', 'mz_officer', 'ga_officer'] as const) {
      const res = await w.t.app.inject({ url: '/api/v1/sharing/violations', headers: w.s[u].headers });
      expect(res.statusCode).toBe(403);
    }
    expect(await reminders(w, 'ga_admin')).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'supply_overdue', objectId: a.id })]),
    );
    // Idempotent: a second run adds nothing.
    await sweep(w);
    expect((await violations(w)).filter((v) => v.applicationId === a.id)).toHaveLength(1);
    const supplied = ok(await act(w, 'ga_admin', a.id, 'supply'));
    expect(supplied.suppliedLate).toBe(true);
    expect((await violations(w)).filter((v) => v.applicationId === a.id)).toEqual([
      expect.objectContaining({ kind: 'supply_late', resolvedOn: today(w) }),
    ]);
  });

  it('an answer not given in time: answer_late on the finance list', async () => {
    w.clock.set('2026-11-02');
    const a = await submitted(w, w.conditional);
    expect(a.dueOn).toBe('2026-11-16');
    w.clock.set('2026-11-16');
    await sweep(w);
    expect((await violations(w)).filter((v) => v.applicationId === a.id)).toEqual([]);
    w.clock.set('2026-11-17');
    await sweep(w);
    expect((await violations(w, 'auditor')).filter((v) => v.applicationId === a.id)).toEqual([
      expect.objectContaining({ kind: 'answer_late', orgId: w.gaOrg, dueOn: '2026-11-16', resolvedOn: null }),
    ]);
    const overdue = json<Page<ApplicationView>>(
      await w.t.app.inject({
        url: '/api/v1/sharing/applications?box=overdue',
        headers: w.s.ga_admin.headers,
      }),
    );
    expect(overdue.items.find((x) => x.id === a.id)?.workdaysLeft).toBe(-1);
    ok(await act(w, 'ga_admin', a.id, 'approve'));
    expect((await violations(w)).filter((v) => v.applicationId === a.id)).toEqual([
      expect.objectContaining({ kind: 'answer_late', resolvedOn: '2026-11-17' }),
    ]);
  });

  it("only the provider's sharing office head approves or refuses", async () => {
    w.clock.set('2026-09-29');
    const a = await submitted(w, w.conditional);
    for (const action of ['approve', 'refuse'] as const) {
      const payload = { reason: '测试' };
      for (const u of ['ga_officer', 'ga_tech', 'mz_officer', 'mz_admin', 'admin', 'auditor'] as const) {
        problem(await act(w, u, a.id, action, payload), 403);
      }
      problem(await act(w, 'rs_officer', a.id, action, payload), 404);
    }
    const d = await detail(w, a.id);
    expect(d.application.status).toBe('submitted');
    expect(d.events.map((e) => e.action)).not.toContain('approve');
    expect(ok(await act(w, 'ga_admin', a.id, 'approve')).status).toBe(national ? 'approved' : 'supplied');
  });
});

// ── across the paths (national preset, the default) ─────────────────────────────────────────

describe('sharing: races, deadlines, policy changes, lists, demands and grants', () => {
  let w: World;
  beforeAll(async () => {
    w = await world(NATIONAL_PRESET);
  });
  afterAll(async () => w.t.close());

  it('two concurrent answers leave exactly one outcome and one event', async () => {
    w.clock.set('2026-09-29');
    const pairs: [AppAction, AppAction][] = [
      ['approve', 'refuse'],
      ['refuse', 'approve'],
      ['approve', 'approve'],
      ['refuse', 'refuse'],
    ];
    for (const pair of pairs) {
      const a = await submitted(w, w.conditional);
      const results = await Promise.all(
        pair.map((action) =>
          act(w, 'ga_admin', a.id, action, action === 'refuse' ? { reason: '并发测试' } : {}),
        ),
      );
      const codes = results.map((r) => r.statusCode).sort();
      expect(codes, results.map((r) => r.body).join('\n')).toEqual([200, 409]);
      // The loser either lost the optimistic lock (CONFLICT: both read the application before either
      // wrote, as on PostgreSQL) or found it already answered (INVALID_STATE).
      const loser = results.find((r) => r.statusCode === 409) as LightMyRequestResponse;
      expect(['CONFLICT', 'INVALID_STATE']).toContain(json<Problem>(loser).code);
      const winner = pair[results.findIndex((r) => r.statusCode === 200)] as AppAction;
      const d = await detail(w, a.id);
      expect(d.application.status).toBe(winner === 'approve' ? 'approved' : 'refused');
      expect(d.events.filter((e) => e.action === 'approve' || e.action === 'refuse')).toEqual([
        expect.objectContaining({ action: winner, fromStatus: 'submitted' }),
      ]);
      await w.t.services.audit.drain();
      const audited = await w.t.db.kysely
        .selectFrom('audit_event')
        .select('action')
        .where('object_id', '=', a.id)
        .where('action', 'in', ['sharing.application.approve', 'sharing.application.refuse'])
        .execute();
      expect(audited.map((x) => x.action)).toEqual([`sharing.application.${winner}`]);
    }
  });

  it('due dates follow the calendar over public holidays and adjusted working weekends', async () => {
    const cases: [string, EntryView, string, number][] = [
      // Thu before the Spring Festival: Fri 13, Sat 14 (worked), Feb 15–23 off, 24–27, Sat 28 (worked), Mar 2–4.
      ['2026-02-12', w.conditional, '2026-03-04', 10],
      // Fri: Sat 19 is a weekend, Sun 20 is worked.
      ['2026-09-18', w.unconditional, '2026-09-20', 1],
      // Thu before Mid-Autumn (Fri 25) and a weekend.
      ['2026-09-24', w.unconditional, '2026-09-28', 1],
      // Wed before National Day: Oct 1–7 off.
      ['2026-09-30', w.unconditional, '2026-10-08', 1],
      ['2026-09-30', w.conditional, '2026-10-20', 10],
    ];
    for (const [day, entry, due, days] of cases) {
      w.clock.set(day);
      const a = await submitted(w, entry, { periodFrom: day });
      expect(a.dueOn, `${day} ${entry.shareType}`).toBe(due);
      expect(a.workdaysLeft).toBe(days);
      expect(await w.t.services.calendar.addWorkdays(day, days)).toBe(due);
    }
    w.clock.set('2026-10-08');
    const back = await submitted(w, w.conditional);
    expect(back.dueOn).toBe('2026-10-21'); // Sat Oct 10 is a working day
  });

  it('changing a limit in the policy table changes new due dates only', async () => {
    w.clock.set('2026-09-29');
    const before = await submitted(w, w.conditional);
    expect(before.dueOn).toBe('2026-10-19');
    const rule = (u: User, value: number | null, reason: string) =>
      w.t.app.inject({
        method: 'PUT',
        url: '/api/v1/policy/rules/application.conditional.answer_days',
        headers: w.s[u].headers,
        payload: { value, reason },
      });
    expect((await rule('ga_admin', 5, '试行缩短答复时限')).statusCode).toBe(403);
    const set = await rule('admin', 5, '市政务办通知：有条件共享申请答复时限试行缩短为5个工作日');
    expect(set.statusCode, set.body).toBe(200);
    try {
      const after = await submitted(w, w.conditional);
      expect(after.dueOn).toBe('2026-10-12'); // 30, Oct 8, 9, 10 (Sat, worked), 12
      expect((await detail(w, before.id)).application.dueOn).toBe('2026-10-19');
      const unconditional = await submitted(w, w.unconditional);
      expect(unconditional.dueOn).toBe('2026-09-30');
    } finally {
      const cleared = await w.t.app.inject({
        method: 'DELETE',
        url: '/api/v1/policy/rules/application.conditional.answer_days/override',
        headers: w.s.admin.headers,
      });
      expect(cleared.statusCode, cleared.body).toBe(200);
    }
    expect((await submitted(w, w.conditional)).dueOn).toBe('2026-10-19');
  });

  it('an unconditional answer (1 working day) cannot be extended: the extension is for conditional data', async () => {
    w.clock.set('2026-09-29');
    const a = await submitted(w, w.unconditional);
    problem(await act(w, 'ga_admin', a.id, 'request_extension', { days: 5, reason: '数据量大' }), 409);
    expect((await detail(w, a.id)).application).toMatchObject({
      dueOn: '2026-09-30',
      extensionRequestedDays: null,
    });
  });

  it('inbox, outbox and the next actions of each side', async () => {
    w.clock.set('2026-09-29');
    const a = await submitted(w, w.conditional);
    const list = async (u: User, box: string) => {
      const res = await w.t.app.inject({
        url: `/api/v1/sharing/applications?box=${box}&pageSize=200`,
        headers: w.s[u].headers,
      });
      expect(res.statusCode, res.body).toBe(200);
      return json<Page<ApplicationView>>(res).items;
    };
    const inbox = (await list('ga_admin', 'inbox')).find((x) => x.id === a.id);
    expect(inbox).toMatchObject({ status: 'submitted', dueOn: '2026-10-19', workdaysLeft: 10 });
    expect(inbox?.nextActions).toEqual(
      expect.arrayContaining(['approve', 'refuse', 'return_incomplete', 'request_extension']),
    );
    w.clock.set('2026-10-09');
    expect((await list('ga_admin', 'inbox')).find((x) => x.id === a.id)?.workdaysLeft).toBe(7);
    const outbox = (await list('mz_officer', 'outbox')).find((x) => x.id === a.id);
    expect(outbox).toMatchObject({ status: 'submitted', providerOrgId: w.gaOrg, applicantOrgId: w.mzOrg });
    expect(outbox?.nextActions).toEqual(['withdraw']);
    expect((await list('ga_admin', 'outbox')).some((x) => x.id === a.id)).toBe(false);
    expect((await list('mz_officer', 'inbox')).some((x) => x.id === a.id)).toBe(false);
    expect((await list('rs_officer', 'all')).some((x) => x.id === a.id)).toBe(false);
    const rs = await w.t.app.inject({
      url: `/api/v1/sharing/applications/${a.id}`,
      headers: w.s.rs_officer.headers,
    });
    expect(rs.statusCode).toBe(404);
    const officer = (await detail(w, a.id, 'ga_officer')).application.nextActions;
    expect(officer).toEqual(expect.arrayContaining(['return_incomplete', 'request_extension']));
    expect(officer).not.toContain('approve');
    expect(officer).not.toContain('refuse');
    expect((await detail(w, a.id, 'auditor')).application.nextActions).toEqual([]);
    expect((await detail(w, a.id, 'admin')).application.nextActions).not.toContain('approve');
    expect(ok(await act(w, 'mz_officer', a.id, 'withdraw', { reason: '需求已变更' })).status).toBe(
      'withdrawn',
    );
  });

  it('a demand becomes a draft application with its basis and purpose', async () => {
    w.clock.set('2026-09-29');
    const demand = await post(w, 'mz_officer', '/api/v1/catalog/demands', {
      title: '困难群众家庭成员车辆信息',
      description: '低保家庭经济状况核对需核查名下机动车',
      wantedItems: ['车牌号码', '车辆类型'],
      providerOrgId: w.gaOrg,
      basis: '《社会救助暂行办法》第十一条',
      purpose: '最低生活保障家庭经济状况核对',
    });
    expect(demand.statusCode, demand.body).toBe(201);
    const demandId = json<{ id: string }>(demand).id;
    problem(await post(w, 'ga_admin', `/api/v1/sharing/applications/from-demand/${demandId}`), 403);
    const res = await post(w, 'mz_officer', `/api/v1/sharing/applications/from-demand/${demandId}`);
    expect(res.statusCode, res.body).toBe(201);
    const a = json<ApplicationView>(res);
    expect(a).toMatchObject({
      status: 'draft',
      demandId,
      basis: '《社会救助暂行办法》第十一条',
      purpose: '最低生活保障家庭经济状况核对',
      scenario: '低保家庭经济状况核对需核查名下机动车',
      requestedItems: ['车牌号码', '车辆类型'],
      providerOrgId: w.gaOrg,
      entryId: null,
    });
    expect(a.outOfCatalog).toContain('困难群众家庭成员车辆信息');
    // Data outside the catalog goes to negotiation once complete.
    const submitNow = await act(w, 'mz_officer', a.id, 'submit');
    expect(fieldsOf(submitNow)).toEqual(expect.arrayContaining(['scope', 'attested']));
    const edited = await w.t.app.inject({
      method: 'PUT',
      url: `/api/v1/sharing/applications/${a.id}`,
      headers: w.s.mz_officer.headers,
      payload: {
        entryId: null,
        outOfCatalog: a.outOfCatalog,
        providerOrgId: w.gaOrg,
        requestedItems: a.requestedItems,
        basis: a.basis,
        scenario: a.scenario,
        purposeCategory: 'data_verification',
        purpose: a.purpose,
        scope: '市民政局社会救助科',
        accessMode: 'file',
        periodFrom: '2026-10-01',
        periodTo: '2026-12-31',
        attested: true,
      },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    const sent = await send(w, a.id);
    expect(sent.status).toBe('negotiating');
  });

  it('grants: renew, suspend (takes effect at once), revoke needs the consultation, expiry by the deadline job', async () => {
    w.clock.set('2026-09-29');
    const a = await submitted(w, w.conditional, { periodTo: '2026-11-30' });
    ok(await act(w, 'ga_admin', a.id, 'approve'));
    const supplied = ok(await act(w, 'ga_officer', a.id, 'supply'));
    const gid = supplied.grantId as string;
    const grants = w.t.services.grants;
    expect((await grants.activeFor(w.systemId, w.conditional.id))?.id).toBe(gid);
    const g0 = await grant(w, gid);
    expect(g0).toMatchObject({ validFrom: '2026-09-29', validTo: '2026-11-30', status: 'active' });
    expect(g0.items.map((i) => i.name)).toEqual(a.requestedItems);

    const step = (u: User, path: string, payload: object) =>
      post(w, u, `/api/v1/sharing/grants/${gid}/${path}`, payload);
    expect(fieldsOf(await step('ga_admin', 'renew', { validTo: '2026-11-01', reason: '续期' }))).toEqual([
      'validTo',
    ]);
    const renewed = await step('ga_admin', 'renew', { validTo: '2026-12-15', reason: '业务持续' });
    expect(renewed.statusCode, renewed.body).toBe(200);
    expect(json<GrantView>(renewed).validTo).toBe('2026-12-15');

    problem(await step('mz_admin', 'suspend', { reason: '越权使用' }), 403);
    const suspended = await step('admin', 'suspend', { reason: '发现超范围使用' });
    expect(suspended.statusCode, suspended.body).toBe(200);
    expect(json<GrantView>(suspended).status).toBe('suspended');
    expect(await grants.activeFor(w.systemId, w.conditional.id)).toBeNull();
    const resumed = await step('admin', 'resume', { reason: '已整改' });
    expect(resumed.statusCode, resumed.body).toBe(200);
    expect((await grants.activeFor(w.systemId, w.conditional.id))?.id).toBe(gid);

    expect(fieldsOf(await step('ga_admin', 'revoke', { reason: '系统停用' }))).toEqual(['consultation']);
    expect((await grant(w, gid)).status).toBe('active');

    w.clock.set('2026-12-16');
    const r = await sweep(w);
    expect(r.expired).toBeGreaterThanOrEqual(1);
    expect((await grant(w, gid)).status).toBe('expired');
    expect(await grants.activeFor(w.systemId, w.conditional.id)).toBeNull();
    const back = await step('ga_admin', 'renew', { validTo: '2026-12-31', reason: '延续使用' });
    expect(back.statusCode, back.body).toBe(200);
    expect(json<GrantView>(back).status).toBe('active');
    const revoked = await step('ga_admin', 'revoke', {
      reason: '系统停用',
      consultation: '2026-12-16 与市民政局电话协商一致，已报市政务办备案',
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(json<GrantView>(revoked)).toMatchObject({
      status: 'revoked',
      consultation: expect.stringContaining('协商一致'),
    });
    expect(await grants.activeFor(w.systemId, w.conditional.id)).toBeNull();
  });
});
