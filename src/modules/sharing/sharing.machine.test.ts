/**
 * The state machine as a property: random sequences of actions by random demo users (with random,
 * more or less valid parameters), applied through SharingService.act() to a fresh application per
 * run, under a random preset and resource kind. After every step the application is where the
 * machine allows it to be, a refused step changed nothing, and every transition that happened is
 * in the application's events and in the audit chain, which still verifies.
 */
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, type Session, type TestApp, testApp } from '../../../test/helpers.js';
import type { RequestMeta } from '../../http/context.js';
import { FixedClock } from '../../kernel/clock.js';
import { DomainError } from '../../kernel/errors.js';
import { verifyChain } from '../audit/audit.service.js';
import type { UserActor } from '../auth/auth.policy.js';
import type { EntryInput, EntryView } from '../catalog/catalog.model.js';
import { NATIONAL_PRESET, SEED_PRESET } from '../policy/policy.presets.js';
import {
  APP_STATUSES,
  type AppAction,
  type AppStatus,
  allows,
  FINAL,
  type Party,
  TRANSITIONS,
} from './sharing.machine.js';
import type { ActParams, ApplicationInput } from './sharing.service.js';
import type { MissingItem, ShareApplicationRow } from './sharing.table.js';

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
const ACTIONS = Object.keys(TRANSITIONS) as AppAction[];
const STATUSES = Object.keys(APP_STATUSES) as AppStatus[];
const KINDS = ['conditional', 'unconditional', 'not_shared', 'out_of_catalog'] as const;
type Kind = (typeof KINDS)[number];

describe('the state machine as data', () => {
  it('names only known states, and nothing leaves a final state', () => {
    for (const [action, t] of Object.entries(TRANSITIONS)) {
      for (const s of [...t.from, ...t.to]) expect(STATUSES, `${action}: ${s}`).toContain(s);
      expect(t.by.length, action).toBeGreaterThan(0);
    }
    for (const s of FINAL) {
      expect(ACTIONS.filter((a) => (TRANSITIONS[a].from as readonly AppStatus[]).includes(s))).toEqual([]);
    }
  });

  it('allows() is exactly from × to of the action', () => {
    for (const a of ACTIONS) {
      const t = TRANSITIONS[a];
      for (const from of STATUSES) {
        for (const to of STATUSES) {
          expect(allows(a, from, to)).toBe(
            (t.from as readonly AppStatus[]).includes(from) && (t.to as readonly AppStatus[]).includes(to),
          );
        }
      }
    }
    expect(allows('approve', 'submitted', 'approved')).toBe(true);
    expect(allows('approve', 'refused', 'approved')).toBe(false);
    expect(allows('refuse', 'submitted', 'supplied')).toBe(false);
  });

  it('every state is reachable from a draft, and every non-final state can be left', () => {
    const reachable = new Set<AppStatus>(['draft']);
    let grew = true;
    while (grew) {
      grew = false;
      for (const a of ACTIONS) {
        const t = TRANSITIONS[a];
        if (!t.from.some((s) => reachable.has(s))) continue;
        for (const s of t.to) {
          if (!reachable.has(s)) {
            reachable.add(s);
            grew = true;
          }
        }
      }
    }
    expect([...reachable].sort()).toEqual([...STATUSES].sort());
    for (const s of STATUSES.filter((x) => !FINAL.includes(x))) {
      expect(
        ACTIONS.some((a) => (TRANSITIONS[a].from as readonly AppStatus[]).includes(s)),
        s,
      ).toBe(true);
    }
  });
});

interface Step {
  guided: boolean;
  action: AppAction;
  user: User;
  pick: number;
  params: ActParams;
}

const missingArb: fc.Arbitrary<MissingItem[]> = fc.constantFrom<MissingItem[]>(
  [],
  [{ field: 'basis', note: '须写明具体条款' }],
  [
    { field: 'scope', note: '须写明使用范围' },
    { field: 'period', note: '须写明使用期限' },
  ],
  [{ field: 'colour', note: '不是申请的字段' }],
);

const paramsArb: fc.Arbitrary<ActParams> = fc.record(
  {
    reason: fc.constantFrom('', '   ', '依据不足，需补充说明'),
    missing: missingArb,
    days: fc.integer({ min: -1, max: 12 }),
    document: fc.constantFrom('', '咸政函〔2026〕7号'),
    outcome: fc.constantFrom<'share' | 'not_share'>('share', 'not_share'),
    note: fc.constantFrom('', '备注'),
    dailyQuota: fc.integer({ min: 1, max: 5000 }),
  },
  { requiredKeys: [] },
);

const stepArb: fc.Arbitrary<Step> = fc.record({
  // Five steps in six take an action the current state has (by someone entitled to it, with
  // sensible parameters unless the random ones override them); the rest are entirely random.
  guided: fc.integer({ min: 0, max: 5 }).map((n) => n > 0),
  action: fc.constantFrom(...ACTIONS),
  user: fc.constantFrom(...USERS),
  pick: fc.nat(),
  params: paramsArb,
});

function sensible(pick: number): ActParams {
  return {
    reason: '所需信息项超出履职需要',
    missing: [{ field: 'basis', note: '须写明具体条款' }],
    days: 1 + (pick % 10),
    document: '咸政函〔2026〕7号',
    outcome: pick % 3 === 0 ? 'not_share' : 'share',
  };
}

describe('the state machine under random sequences of actions (property)', () => {
  let t: TestApp;
  const clock = new FixedClock('2026-09-29');
  const actors = {} as Record<User, UserActor>;
  const entries = {} as Record<Exclude<Kind, 'out_of_catalog'>, EntryView>;
  let admin: Session;
  let gaOrg = '';
  let systemId = '';

  const meta = (u: User): RequestMeta => ({
    actor: { userId: actors[u].userId, username: u, orgId: actors[u].orgId },
    requestId: `prop-${u}`,
    ip: '127.0.0.1',
  });

  beforeAll(async () => {
    t = await testApp({}, { clock });
    for (const u of USERS) {
      const v = await t.services.auth.findUser(u);
      if (!v) throw new Error(`no demo user ${u}`);
      actors[u] = {
        kind: 'user',
        userId: v.id,
        username: v.username,
        role: v.role,
        homeOrgId: v.orgId,
        orgId: v.orgId,
        sessionId: `prop-${u}`,
      };
    }
    gaOrg = actors.ga_admin.orgId;
    admin = await login(t.app, 'admin');
    const s: Partial<Record<User, Session>> = { admin };
    for (const u of ['ga_officer', 'ga_admin', 'mz_officer', 'mz_admin'] as const)
      s[u] = await login(t.app, u);
    const post = (u: User, url: string, payload?: object) =>
      t.app.inject({ method: 'POST', url, headers: s[u]?.headers ?? {}, ...(payload ? { payload } : {}) });

    const publish = async (over: Partial<EntryInput>): Promise<EntryView> => {
      const input: EntryInput = {
        classCode: '301001',
        className: '部门信息资源/测试/测试',
        name: '测试资源',
        providerOrgId: gaOrg,
        summary: '用于状态机测试的资源',
        formatCategory: 'database',
        formatType: 'PostgreSQL',
        shareType: 'unconditional',
        shareModes: ['api'],
        openType: 'not_open',
        updateCycle: 'daily',
        dataGrade: 'general',
        items: [
          { name: '姓名', dataType: 'C', length: 50, sensitivity: 'sensitive', masking: 'partial' },
          { name: '公民身份号码', dataType: 'C', length: 18, sensitivity: 'sensitive', masking: 'partial' },
        ],
        ...over,
      };
      const created = await post('ga_officer', '/api/v1/catalog/entries', input);
      expect(created.statusCode, created.body).toBe(201);
      const id = json<EntryView>(created).id;
      let last: LightMyRequestResponse | null = null;
      for (const [u, step, payload] of [
        ['ga_admin', 'assessments', { confidentiality: '不涉密', personalInformation: '已评估，最小必要' }],
        ['ga_admin', 'approve', undefined],
        ['ga_admin', 'submit', undefined],
        ['admin', 'publish', undefined],
      ] as const) {
        last = await post(u, `/api/v1/catalog/entries/${id}/${step}`, payload);
        expect(last.statusCode, `${step}: ${last.body}`).toBe(200);
      }
      return json<EntryView>(last as LightMyRequestResponse);
    };

    const found = json<{ items: EntryView[] }>(
      await t.app.inject({
        url: `/api/v1/catalog/entries?q=${encodeURIComponent('户籍人口基本信息')}`,
        headers: admin.headers,
      }),
    ).items.find((e) => e.name === '户籍人口基本信息');
    if (!found) throw new Error('the demo catalog lacks 户籍人口基本信息');
    entries.conditional = found;
    entries.unconditional = await publish({ name: '机动车登记摘要信息' });
    entries.not_shared = await publish({
      name: '侦查工作信息',
      shareType: 'not_shared',
      shareModes: [],
      notSharedBasisKind: 'law',
      notSharedBasis: '《中华人民共和国保守国家秘密法》第十三条',
    });
    const sys = await post('mz_admin', '/api/v1/systems', { code: 'mz-prop', name: '状态机测试系统' });
    expect(sys.statusCode, sys.body).toBe(201);
    systemId = json<{ id: string }>(sys).id;
  });
  afterAll(async () => t?.close());

  const row = async (id: string): Promise<ShareApplicationRow> =>
    t.db.kysely.selectFrom('share_application').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  const inputOf = (kind: Kind): ApplicationInput => ({
    ...(kind === 'out_of_catalog'
      ? { entryId: null, outOfCatalog: '低保家庭成员名下机动车信息', providerOrgId: gaOrg }
      : { entryId: entries[kind].id }),
    requestedItems: kind === 'out_of_catalog' ? ['车牌号码'] : ['姓名', '公民身份号码'],
    basis: '《社会救助暂行办法》第十一条',
    scenario: '最低生活保障申请审核',
    purposeCategory: 'data_verification',
    purpose: '核对申请人户籍',
    scope: '市民政局社会救助科',
    accessMode: 'api',
    periodFrom: '2026-09-29',
    periodTo: '2026-12-31',
    consumerSystemId: systemId,
    attested: true,
  });

  it('keeps every application where the machine allows, and every transition in its events and the audit chain', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(SEED_PRESET, NATIONAL_PRESET),
        fc.constantFrom(...KINDS),
        fc.array(stepArb, { minLength: 1, maxLength: 12 }),
        async (preset, kind, steps) => {
          await t.services.policy.setActive(meta('admin'), preset);
          const created = await t.services.sharing.create(
            meta('mz_officer'),
            actors.mz_officer,
            inputOf(kind),
          );
          const id = created.id;
          const done: { action: AppAction; from: AppStatus; to: AppStatus }[] = [];
          for (const step of steps) {
            const before = await row(id);
            let { action, user } = step;
            let params = step.params;
            if (step.guided) {
              // Ending the application (withdraw, close) is picked rarely, so that runs go deep.
              const open = ACTIONS.filter(
                (a) =>
                  (TRANSITIONS[a].from as readonly AppStatus[]).includes(before.status) &&
                  ((a !== 'withdraw' && a !== 'close') || step.pick % 8 === 0),
              );
              const chosen = open[step.pick % Math.max(open.length, 1)];
              if (chosen) {
                action = chosen;
                const by: readonly Party[] = TRANSITIONS[chosen].by;
                const entitled = USERS.filter((u) =>
                  by.some((b) => t.services.sharing.parties(actors[u], before).has(b)),
                );
                user = entitled[Math.floor(step.pick / 7) % Math.max(entitled.length, 1)] ?? user;
                params = { ...sensible(step.pick), ...step.params };
              }
            }
            let outcome: 'moved' | 'refused' = 'refused';
            let viewStatus: AppStatus | null = null;
            try {
              viewStatus = (await t.services.sharing.act(meta(user), actors[user], id, action, params))
                .status;
              outcome = 'moved';
            } catch (e) {
              if (!(e instanceof DomainError) || e.code === 'INTERNAL') throw e;
            }
            const after = await row(id);
            const label = `${preset} ${kind}: ${user} ${action} ${JSON.stringify(params)} from ${before.status}`;
            if (outcome === 'moved') {
              expect(allows(action, before.status, after.status), `${label} → ${after.status}`).toBe(true);
              expect(viewStatus, label).toBe(after.status);
              expect(after.version, label).toBeGreaterThan(before.version);
              done.push({ action, from: before.status, to: after.status });
              const key = `${action}:${before.status}→${after.status}`;
              seen.set(key, (seen.get(key) ?? 0) + 1);
            } else {
              expect(after, label).toEqual(before);
            }

            // The application's own history (GET …/:id events) holds exactly the transitions made.
            const res = await t.app.inject({
              url: `/api/v1/sharing/applications/${id}`,
              headers: admin.headers,
            });
            expect(res.statusCode, res.body).toBe(200);
            const events = json<{
              events: { action: string; fromStatus: string | null; toStatus: string }[];
            }>(res).events;
            expect(
              events.map((e) => [e.action, e.fromStatus, e.toStatus]),
              label,
            ).toEqual([['create', null, 'draft'], ...done.map((d) => [d.action, d.from, d.to])]);

            // …and the audit chain, in the same order.
            await t.services.audit.drain();
            const audited = await t.db.kysely
              .selectFrom('audit_event')
              .select(['action', 'detail'])
              .where('object_id', '=', id)
              .where('action', 'like', 'sharing.application.%')
              .orderBy('seq')
              .execute();
            expect(
              audited.map((e) => [e.action, e.detail.from ?? null, e.detail.to ?? null]),
              label,
            ).toEqual([
              ['sharing.application.create', null, null],
              ...done.map((d) => [`sharing.application.${d.action}`, d.from, d.to]),
            ]);
          }

          const chain = await verifyChain(t.db.kysely);
          expect(chain.broken).toBeNull();
          expect(chain.ok).toBe(true);
        },
      ),
      { numRuns: 25 },
    );
    // The runs went somewhere: more than a handful of distinct transitions were taken.
    expect(seen.size).toBeGreaterThan(8);
  });
});
