import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  json,
  login,
  type Session,
  type TestApp,
  type TestDb,
  testApp,
  testDb,
} from '../../../test/helpers.js';
import type { RequestMeta } from '../../http/context.js';
import { DomainError } from '../../kernel/errors.js';
import { createServices, type Services } from '../../services.js';
import { NATIONAL_PRESET, PRESETS, type RuleValue, SEED_PRESET } from './policy.presets.js';
import { valueProblem } from './policy.service.js';

const meta: RequestMeta = { actor: { userId: null, username: 'test' }, requestId: 't', ip: '127.0.0.1' };

/** The rules the platform needs, as [seed value, national value] (STANDARDS.md, the two-rule-set table). */
const EXPECTED: Record<string, [RuleValue, RuleValue]> = {
  'application.unconditional.mode': ['direct', 'answer'],
  'application.unconditional.answer_days': [null, 1],
  'application.conditional.answer_days': [10, 10],
  'application.conditional.extension_max_days': [0, 10],
  'application.extension_requires_platform_consent': [false, true],
  'application.incomplete.notify_all_at_once': [false, true],
  'application.internal_approval_required': [false, true],
  'supply.after_approval_days': [null, 20],
  'supply.after_decision_days': [5, null],
  'objection.check_days': [5, null],
  'objection.correct_days': [5, null],
  'objection.resolve_days': [null, 10],
  'catalog.update_after_change_days': [15, 10],
  'catalog.update_extension_days': [0, 5],
  'catalog.review_days': [null, 2],
  'catalog.not_shared.accepted_basis_kinds': [
    ['law', 'administrative_regulation', 'local_regulation', 'rule', 'central_policy'],
    ['law', 'administrative_regulation', 'state_council_decision'],
  ],
  'catalog.pre_issue_assessments_required': [false, true],
  'officer.change_report_days': [5, 5],
  'usage_records.retention_years': [null, 3],
  'dispute.path': [
    ['negotiation', 'platform_office', 'government'],
    ['negotiation', 'platform_office', 'upper_platform_office', 'government'],
  ],
  'project.joint_review_days': [20, 20],
  'project.tech_review_days': [10, 10],
  'project.contract_notice_days': [2, 2],
  'project.supervision_threshold_yuan': [500000, 500000],
  'project.trial_months': [3, 3],
  'project.budget_deviation_max': [0.1, 0.1],
};

async function failure(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('shipped presets', () => {
  it('hold every needed rule in both presets, with the values of the standards table', () => {
    for (const [code, which] of [
      [SEED_PRESET, 0],
      [NATIONAL_PRESET, 1],
    ] as const) {
      const preset = PRESETS.find((p) => p.code === code);
      expect(preset).toBeDefined();
      const values = Object.fromEntries((preset?.rules ?? []).map((r) => [r.key, r.value]));
      for (const [key, pair] of Object.entries(EXPECTED))
        expect([code, key, values[key]]).toEqual([code, key, pair[which]]);
    }
  });

  it('give every rule a legal source, both descriptions and a value that fits its unit', () => {
    for (const preset of PRESETS) {
      expect(new Set(preset.rules.map((r) => r.key)).size).toBe(preset.rules.length);
      for (const r of preset.rules) {
        expect(r.legalSource).toMatch(/第.+条/);
        expect(r.descriptionZh).not.toBe('');
        expect(r.descriptionEn).not.toBe('');
        expect(valueProblem(r.key, r.unit, r.value)).toBeNull();
      }
    }
    const national = PRESETS.find((p) => p.code === NATIONAL_PRESET);
    const officer = national?.rules.find((r) => r.key === 'officer.change_report_days');
    expect(officer?.legalSource).toContain('咸宁'); // the local rule still applies, with its local source
    expect(national?.rules.find((r) => r.key === 'catalog.review_days')?.legalSource).toContain('第十七条');
  });
});

describe('PolicyService', () => {
  let t: TestDb;
  let s: Services;
  const KEY = 'catalog.update_after_change_days';

  async function events(action: string) {
    await s.audit.drain();
    return t.db.kysely
      .selectFrom('audit_event')
      .select(['action', 'object_id', 'detail', 'request_id'])
      .where('action', '=', action)
      .orderBy('seq')
      .execute();
  }

  beforeAll(async () => {
    t = await testDb();
    s = createServices(t.config, t.db);
  });
  afterAll(async () => {
    await s.audit.stop();
    await t.dispose();
  });

  it('makes the national preset the default after bootstrap', async () => {
    const view = await s.policy.view();
    expect(view.activePreset.code).toBe(NATIONAL_PRESET);
    expect(view.rules.map((r) => r.key).sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(await s.policy.workingDays(KEY)).toBe(10);
    expect(await s.policy.workingDays('supply.after_decision_days')).toBeNull();
    expect(await s.policy.list('dispute.path')).toEqual(EXPECTED['dispute.path']?.[1]);
    expect(await s.policy.flag('application.internal_approval_required')).toBe(true);
    expect(await s.policy.mode('application.unconditional.mode')).toBe('answer');
    expect(await s.policy.quantity('project.budget_deviation_max')).toBe(0.1);
    expect(await s.policy.get('usage_records.retention_years')).toBe(3);
    expect((await events('policy.presets.install')).length).toBe(1);
  });

  it('refuses to read an unknown key or a key in another unit, naming the key', async () => {
    const unknown = await failure(s.policy.get('no.such.rule'));
    expect(unknown.code).toBe('INTERNAL');
    expect(unknown.en).toContain('no.such.rule');
    const wrongUnit = await failure(s.policy.workingDays('dispute.path'));
    expect(wrongUnit.code).toBe('INTERNAL');
    expect(wrongUnit.en).toContain('dispute.path');
  });

  it('switching to the seed preset changes the catalog update limit from 10 to 15, audited', async () => {
    await s.policy.setActive(meta, SEED_PRESET);
    expect(await s.policy.workingDays(KEY)).toBe(15);
    expect(await s.policy.mode('application.unconditional.mode')).toBe('direct');
    const [ev] = await events('policy.preset.activate');
    expect(ev).toMatchObject({
      object_id: SEED_PRESET,
      request_id: 't',
      detail: { from: NATIONAL_PRESET, to: SEED_PRESET },
    });
    await s.policy.setActive(meta, NATIONAL_PRESET);
    expect(await s.policy.workingDays(KEY)).toBe(10);
    const bad = await failure(s.policy.setActive(meta, 'nope'));
    expect(bad.fields.map((f) => f.field)).toEqual(['preset']);
  });

  it('an override wins over every preset and is reported with its reason', async () => {
    const rule = await s.policy.setOverride(meta, KEY, 7, '市政务办从严要求');
    expect(rule).toMatchObject({
      value: 7,
      presetValue: 10,
      override: { value: 7, reason: '市政务办从严要求' },
    });
    expect(await s.policy.workingDays(KEY)).toBe(7);
    await s.policy.setActive(meta, SEED_PRESET);
    expect(await s.policy.workingDays(KEY)).toBe(7);
    const view = await s.policy.view();
    expect(view.rules.find((r) => r.key === KEY)).toMatchObject({ value: 7, presetValue: 15 });

    // Reinstalling the presets never touches an override.
    await s.policy.installPresets();
    expect(await s.policy.workingDays(KEY)).toBe(7);
    expect((await events('policy.presets.install')).length).toBe(1);

    const [ev] = await events('policy.override.set');
    expect(ev).toMatchObject({
      object_id: KEY,
      detail: { value: 7, reason: '市政务办从严要求', before: null },
    });

    const cleared = await s.policy.clearOverride(meta, KEY);
    expect(cleared).toMatchObject({ value: 15, override: null });
    expect(await s.policy.workingDays(KEY)).toBe(15);
    expect((await events('policy.override.clear')).length).toBe(1);
    expect((await failure(s.policy.clearOverride(meta, KEY))).code).toBe('NOT_FOUND');
    await s.policy.setActive(meta, NATIONAL_PRESET);
  });

  it('an override to null removes the limit', async () => {
    await s.policy.setOverride(meta, 'supply.after_approval_days', null, '测试：暂不设时限');
    expect(await s.policy.workingDays('supply.after_approval_days')).toBeNull();
    await s.policy.clearOverride(meta, 'supply.after_approval_days');
    expect(await s.policy.workingDays('supply.after_approval_days')).toBe(20);
  });

  it('refuses a value that does not fit the unit, naming the field', async () => {
    const cases: [string, unknown][] = [
      [KEY, 3.5],
      [KEY, '10'],
      [KEY, 400],
      [KEY, -1],
      ['application.internal_approval_required', 'yes'],
      ['application.internal_approval_required', null],
      ['project.budget_deviation_max', 1.5],
      ['dispute.path', 'negotiation'],
      ['dispute.path', ['negotiation', 'court']],
      ['dispute.path', ['negotiation', 'negotiation']],
      ['application.unconditional.mode', 'maybe'],
      ['usage_records.retention_years', 2.5],
    ];
    for (const [key, value] of cases) {
      const e = await failure(s.policy.setOverride(meta, key, value, 'test'));
      expect([key, value, e.code, e.fields.map((f) => f.field)]).toEqual([
        key,
        value,
        'VALIDATION',
        ['value'],
      ]);
      expect(e.fields[0]?.en).toContain(key);
    }
    const noReason = await failure(s.policy.setOverride(meta, KEY, 5, '  '));
    expect(noReason.fields.map((f) => f.field)).toEqual(['reason']);
    expect((await failure(s.policy.setOverride(meta, 'no.such.rule', 5, 'x'))).code).toBe('NOT_FOUND');
    expect(await events('policy.override.set')).toHaveLength(2);
    expect(await s.policy.workingDays(KEY)).toBe(10);
  });
});

describe('policy API', () => {
  let t: TestApp;
  let admin: Session;
  let officer: Session;

  beforeAll(async () => {
    t = await testApp();
    admin = await login(t.app, 'admin');
    officer = await login(t.app, 'ga_officer');
  });
  afterAll(async () => {
    await t.close();
  });

  interface RuleJson {
    key: string;
    value: RuleValue;
    presetValue: RuleValue;
    unit: string;
    legalSource: string;
    override: { value: RuleValue; reason: string; by: string | null; at: string } | null;
  }

  it('shows the active preset and every effective rule to any signed-in user', async () => {
    const res = await t.app.inject({ url: '/api/v1/policy', headers: officer.headers });
    expect(res.statusCode).toBe(200);
    const body = json<{ activePreset: { code: string }; rules: RuleJson[] }>(res);
    expect(body.activePreset.code).toBe(NATIONAL_PRESET);
    expect(body.rules).toHaveLength(Object.keys(EXPECTED).length);
    expect(body.rules.find((r) => r.key === 'supply.after_decision_days')).toMatchObject({
      value: null,
      unit: 'working_days',
    });
    expect(body.rules.find((r) => r.key === 'application.incomplete.notify_all_at_once')).toMatchObject({
      value: true,
    });
    expect(body.rules.find((r) => r.key === 'dispute.path')?.value).toEqual(EXPECTED['dispute.path']?.[1]);
    expect(body.rules.find((r) => r.key === 'catalog.update_after_change_days')).toMatchObject({
      value: 10,
      legalSource: expect.stringContaining('第十七条'),
      override: null,
    });

    const presets = await t.app.inject({ url: '/api/v1/policy/presets', headers: officer.headers });
    const items = json<{ items: { code: string; active: boolean; rules: unknown[] }[] }>(presets).items;
    expect(items.map((p) => [p.code, p.active, p.rules.length]).sort()).toEqual(
      [
        [NATIONAL_PRESET, true, Object.keys(EXPECTED).length],
        [SEED_PRESET, false, Object.keys(EXPECTED).length],
      ].sort(),
    );
    expect((await t.app.inject({ url: '/api/v1/policy' })).statusCode).toBe(401);
  });

  it('lets only the platform office change the policy; every change audited', async () => {
    const denied = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/policy/active',
      headers: officer.headers,
      payload: { preset: SEED_PRESET },
    });
    expect(denied.statusCode).toBe(403);

    const switched = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/policy/active',
      headers: admin.headers,
      payload: { preset: SEED_PRESET },
    });
    expect(switched.statusCode).toBe(200);
    const view = json<{ activePreset: { code: string }; rules: RuleJson[] }>(switched);
    expect(view.activePreset.code).toBe(SEED_PRESET);
    expect(view.rules.find((r) => r.key === 'catalog.update_after_change_days')?.value).toBe(15);
    expect(await t.services.policy.workingDays('catalog.update_after_change_days')).toBe(15);

    const over = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/policy/rules/catalog.pre_issue_assessments_required',
      headers: admin.headers,
      payload: { value: true, reason: '本市提前执行条例第十三条' },
    });
    expect(over.statusCode).toBe(200);
    expect(json<RuleJson>(over)).toMatchObject({
      value: true,
      presetValue: false,
      override: { value: true, reason: '本市提前执行条例第十三条' },
    });
    expect(json<RuleJson>(over).override?.by).toEqual(expect.any(String));

    const off = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/policy/rules/officer.change_report_days',
      headers: admin.headers,
      payload: { value: 0, reason: '测试：当日报告' },
    });
    expect(json<RuleJson>(off)).toMatchObject({ value: 0, presetValue: 5 });

    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/policy/rules/officer.change_report_days',
      headers: admin.headers,
      payload: { value: 'five', reason: 'x' },
    });
    expect(bad.statusCode).toBe(400);
    expect(json<{ code: string; fields: { field: string; rule: string }[] }>(bad)).toMatchObject({
      code: 'VALIDATION',
      fields: [{ field: 'value', rule: 'working_days' }],
    });
    const noReason = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/policy/rules/officer.change_report_days',
      headers: admin.headers,
      payload: { value: 3 },
    });
    expect(noReason.statusCode).toBe(400);
    const unknown = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/policy/rules/no.such.rule',
      headers: admin.headers,
      payload: { value: 3, reason: 'x' },
    });
    expect(unknown.statusCode).toBe(404);

    const removed = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/policy/rules/officer.change_report_days/override',
      headers: admin.headers,
    });
    expect(removed.statusCode).toBe(200);
    expect(json<RuleJson>(removed)).toMatchObject({ value: 5, override: null });
    const again = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/policy/rules/officer.change_report_days/override',
      headers: admin.headers,
    });
    expect(again.statusCode).toBe(404);

    await t.services.audit.drain();
    const events = await t.db.kysely
      .selectFrom('audit_event')
      .select(['action', 'object_id', 'actor_username'])
      .where('action', 'like', 'policy.%')
      .where('actor_username', '=', 'admin')
      .orderBy('seq')
      .execute();
    expect(events).toEqual([
      { action: 'policy.preset.activate', object_id: SEED_PRESET, actor_username: 'admin' },
      {
        action: 'policy.override.set',
        object_id: 'catalog.pre_issue_assessments_required',
        actor_username: 'admin',
      },
      { action: 'policy.override.set', object_id: 'officer.change_report_days', actor_username: 'admin' },
      { action: 'policy.override.clear', object_id: 'officer.change_report_days', actor_username: 'admin' },
    ]);
  });
});
