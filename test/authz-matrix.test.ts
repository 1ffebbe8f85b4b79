/**
 * The authorization matrix: every console endpoint, tried with every role and with no session.
 * A role the permission table allows gets past authorization; every other role gets 403; no session
 * gets 401. Then department A (市公安局) tries to change department B's (市民政局) things: 403 each time.
 * A new endpoint that is not in the table below fails the completeness test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCreditCode } from '../src/demo/index.js';
import { type Action, PERMISSIONS } from '../src/modules/auth/auth.policy.js';
import { ROLES, type Role } from '../src/modules/auth/auth.table.js';
import { json, login, type Session, type TestApp, testApp } from './helpers.js';

const ROLE_USERS: Record<Role, string> = {
  platform_admin: 'admin',
  auditor: 'auditor',
  dept_admin: 'ga_admin',
  data_officer: 'ga_officer',
  tech_officer: 'ga_tech',
};

interface Ctx {
  gaOrg: string;
  mzOrg: string;
  gaSystem: string;
  mzSystem: string;
  gaToken: string;
  mzToken: string;
  gaUser: string;
  mzUser: string;
  n: number;
  day: number;
}

function dayAfter(start: string, days: number): string {
  return new Date(Date.parse(`${start}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

interface Req {
  url: string;
  payload?: Record<string, unknown>;
}

interface Case {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As the OpenAPI document names it. */
  path: string;
  /** The permission checked; 'self' = any signed-in user. */
  action: Action | 'self';
  req: (c: Ctx) => Req;
  /** The same request aimed at department B's things, for actions scoped to one's own organization. */
  other?: (c: Ctx) => Req;
  /** Needs a session of its own (it ends or changes the session). */
  freshSession?: boolean;
}

const CASES: Case[] = [
  { method: 'GET', path: '/api/v1/auth/me', action: 'self', req: () => ({ url: '/api/v1/auth/me' }) },
  {
    method: 'POST',
    path: '/api/v1/auth/logout',
    action: 'self',
    freshSession: true,
    req: () => ({ url: '/api/v1/auth/logout' }),
  },
  {
    method: 'POST',
    path: '/api/v1/auth/switch-org',
    action: 'session.switch_org',
    freshSession: true,
    req: (c) => ({ url: '/api/v1/auth/switch-org', payload: { orgId: c.gaOrg } }),
  },
  // users
  {
    method: 'GET',
    path: '/api/v1/users',
    action: 'users.read',
    req: (c) => ({ url: `/api/v1/users?orgId=${c.gaOrg}` }),
    other: (c) => ({ url: `/api/v1/users?orgId=${c.mzOrg}` }),
  },
  {
    method: 'POST',
    path: '/api/v1/users',
    action: 'users.write',
    req: (c) => ({
      url: '/api/v1/users',
      payload: {
        orgId: c.gaOrg,
        username: `m_user${c.n++}`,
        displayName: '矩阵',
        role: 'data_officer',
        password: 'Matrix#2026',
      },
    }),
    other: (c) => ({
      url: '/api/v1/users',
      payload: {
        orgId: c.mzOrg,
        username: `m_user${c.n++}`,
        displayName: '矩阵',
        role: 'data_officer',
        password: 'Matrix#2026',
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/users/{id}',
    action: 'users.read',
    req: (c) => ({ url: `/api/v1/users/${c.gaUser}` }),
    other: (c) => ({ url: `/api/v1/users/${c.mzUser}` }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/users/{id}',
    action: 'users.write',
    req: (c) => ({ url: `/api/v1/users/${c.gaUser}`, payload: { displayName: '矩阵目标' } }),
    other: (c) => ({ url: `/api/v1/users/${c.mzUser}`, payload: { displayName: '越权' } }),
  },
  {
    method: 'PUT',
    path: '/api/v1/users/{id}/password',
    action: 'users.write',
    req: (c) => ({ url: `/api/v1/users/${c.gaUser}/password`, payload: { password: 'Matrix#2027' } }),
    other: (c) => ({ url: `/api/v1/users/${c.mzUser}/password`, payload: { password: 'Matrix#2027' } }),
  },
  // consuming systems and tokens
  {
    method: 'GET',
    path: '/api/v1/systems',
    action: 'systems.read',
    req: (c) => ({ url: `/api/v1/systems?orgId=${c.gaOrg}` }),
    other: (c) => ({ url: `/api/v1/systems?orgId=${c.mzOrg}` }),
  },
  {
    method: 'POST',
    path: '/api/v1/systems',
    action: 'systems.write',
    req: (c) => ({
      url: '/api/v1/systems',
      payload: { orgId: c.gaOrg, code: `m-sys-${c.n++}`, name: '矩阵系统' },
    }),
    other: (c) => ({
      url: '/api/v1/systems',
      payload: { orgId: c.mzOrg, code: `m-sys-${c.n++}`, name: '越权系统' },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/systems/{id}',
    action: 'systems.read',
    req: (c) => ({ url: `/api/v1/systems/${c.gaSystem}` }),
    other: (c) => ({ url: `/api/v1/systems/${c.mzSystem}` }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/systems/{id}',
    action: 'systems.write',
    req: (c) => ({ url: `/api/v1/systems/${c.gaSystem}`, payload: { description: '矩阵测试' } }),
    other: (c) => ({ url: `/api/v1/systems/${c.mzSystem}`, payload: { status: 'retired' } }),
  },
  {
    method: 'GET',
    path: '/api/v1/systems/{id}/tokens',
    action: 'systems.read',
    req: (c) => ({ url: `/api/v1/systems/${c.gaSystem}/tokens` }),
    other: (c) => ({ url: `/api/v1/systems/${c.mzSystem}/tokens` }),
  },
  {
    method: 'POST',
    path: '/api/v1/systems/{id}/tokens',
    action: 'tokens.write',
    req: (c) => ({ url: `/api/v1/systems/${c.gaSystem}/tokens`, payload: { name: 'm', expiresInDays: 1 } }),
    other: (c) => ({ url: `/api/v1/systems/${c.mzSystem}/tokens`, payload: { name: 'm', expiresInDays: 1 } }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/tokens/{id}',
    action: 'tokens.write',
    req: (c) => ({ url: `/api/v1/tokens/${c.gaToken}` }),
    other: (c) => ({ url: `/api/v1/tokens/${c.mzToken}` }),
  },
  // organizations and officers
  { method: 'GET', path: '/api/v1/orgs', action: 'orgs.read', req: () => ({ url: '/api/v1/orgs' }) },
  {
    method: 'GET',
    path: '/api/v1/orgs/tree',
    action: 'orgs.read',
    req: () => ({ url: '/api/v1/orgs/tree' }),
  },
  {
    method: 'GET',
    path: '/api/v1/orgs/{id}',
    action: 'orgs.read',
    req: (c) => ({ url: `/api/v1/orgs/${c.mzOrg}` }),
  },
  {
    method: 'POST',
    path: '/api/v1/orgs',
    action: 'orgs.create',
    req: (c) => {
      const base = `MB19${String(c.n++).padStart(4, '0')}`;
      return {
        url: '/api/v1/orgs',
        payload: {
          name: `咸宁市矩阵测试局${c.n}`,
          shortName: `矩阵${c.n}`,
          kind: 'department',
          level: 'city',
          divisionCode: '421200',
          creditCode: demoCreditCode({ authority: '11', divisionCode: '421200', orgCodeBase: base }),
          parentId: null,
        },
      };
    },
  },
  {
    method: 'PATCH',
    path: '/api/v1/orgs/{id}',
    action: 'orgs.update',
    req: (c) => ({ url: `/api/v1/orgs/${c.gaOrg}`, payload: { nameEn: 'Xianning Public Security Bureau' } }),
    other: (c) => ({ url: `/api/v1/orgs/${c.mzOrg}`, payload: { nameEn: 'hijacked' } }),
  },
  {
    method: 'GET',
    path: '/api/v1/orgs/{id}/officers',
    action: 'officers.read',
    req: (c) => ({ url: `/api/v1/orgs/${c.mzOrg}/officers` }),
  },
  {
    method: 'POST',
    path: '/api/v1/orgs/{id}/officers',
    action: 'officers.write',
    req: (c) => ({
      url: `/api/v1/orgs/${c.gaOrg}/officers`,
      // Each accepted change must start after the previous one.
      payload: {
        duty: 'technical_officer',
        name: '矩阵',
        effectiveFrom: dayAfter('2026-10-01', c.day++),
      },
    }),
    other: (c) => ({
      url: `/api/v1/orgs/${c.mzOrg}/officers`,
      payload: { duty: 'technical_officer', name: '越权', effectiveFrom: '2026-11-20' },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/officers',
    action: 'officers.read',
    req: () => ({ url: '/api/v1/officers' }),
  },
  {
    method: 'GET',
    path: '/api/v1/officers/late',
    action: 'officers.read',
    req: () => ({ url: '/api/v1/officers/late' }),
  },
  // calendar
  {
    method: 'GET',
    path: '/api/v1/calendar',
    action: 'calendar.read',
    req: () => ({ url: '/api/v1/calendar?from=2026-10-01&to=2026-10-31' }),
  },
  {
    method: 'GET',
    path: '/api/v1/calendar/years',
    action: 'calendar.read',
    req: () => ({ url: '/api/v1/calendar/years' }),
  },
  {
    method: 'GET',
    path: '/api/v1/calendar/add-workdays',
    action: 'calendar.read',
    req: () => ({ url: '/api/v1/calendar/add-workdays?from=2026-09-30&days=5' }),
  },
  {
    method: 'GET',
    path: '/api/v1/calendar/workdays-between',
    action: 'calendar.read',
    req: () => ({ url: '/api/v1/calendar/workdays-between?from=2026-09-30&to=2026-10-13' }),
  },
  {
    method: 'PUT',
    path: '/api/v1/calendar/days/{day}',
    action: 'calendar.write',
    req: () => ({ url: '/api/v1/calendar/days/2026-12-31', payload: { isWorkday: true, note: '矩阵测试' } }),
  },
  {
    method: 'PUT',
    path: '/api/v1/calendar/years/{year}',
    action: 'calendar.write',
    req: () => ({
      url: '/api/v1/calendar/years/2027',
      payload: {
        document: '矩阵测试（非官方）',
        holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-01' }],
        workdays: [],
      },
    }),
  },
  // policy
  { method: 'GET', path: '/api/v1/policy', action: 'policy.read', req: () => ({ url: '/api/v1/policy' }) },
  {
    method: 'GET',
    path: '/api/v1/policy/presets',
    action: 'policy.read',
    req: () => ({ url: '/api/v1/policy/presets' }),
  },
  {
    method: 'PUT',
    path: '/api/v1/policy/active',
    action: 'policy.write',
    req: () => ({ url: '/api/v1/policy/active', payload: { preset: 'national_2025' } }),
  },
  {
    method: 'PUT',
    path: '/api/v1/policy/rules/{key}',
    action: 'policy.write',
    req: () => ({
      url: '/api/v1/policy/rules/catalog.review_days',
      payload: { value: 2, reason: '矩阵测试' },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/policy/rules/{key}/override',
    action: 'policy.write',
    req: () => ({ url: '/api/v1/policy/rules/catalog.review_days/override' }),
  },
  // audit
  {
    method: 'GET',
    path: '/api/v1/audit/events',
    action: 'audit.read',
    req: () => ({ url: '/api/v1/audit/events' }),
  },
  {
    method: 'GET',
    path: '/api/v1/audit/verify',
    action: 'audit.read',
    req: () => ({ url: '/api/v1/audit/verify' }),
  },
];

/** Public or bearer-only: not console endpoints for a session. */
const NOT_IN_MATRIX = new Set(['POST /api/v1/auth/login', 'GET /exchange/v1/whoami']);

function allowed(action: Action | 'self', role: Role): boolean {
  if (action === 'self') return true;
  return (PERMISSIONS[action] as Partial<Record<Role, string>>)[role] !== undefined;
}

describe('authorization matrix', () => {
  let t: TestApp;
  const sessions = {} as Record<Role, Session>;
  const ctx: Ctx = {
    gaOrg: '',
    mzOrg: '',
    gaSystem: '',
    mzSystem: '',
    gaToken: '',
    mzToken: '',
    gaUser: '',
    mzUser: '',
    n: 0,
    day: 0,
  };

  beforeAll(async () => {
    t = await testApp();
    for (const role of ROLES) sessions[role] = await login(t.app, ROLE_USERS[role]);
    const me = async (s: Session) =>
      json<{ activeOrgId: string }>(await t.app.inject({ url: '/api/v1/auth/me', headers: s.headers }))
        .activeOrgId;
    ctx.gaOrg = await me(sessions.dept_admin);
    const mzAdmin = await login(t.app, 'mz_admin');
    ctx.mzOrg = await me(mzAdmin);
    const admin = sessions.platform_admin;
    const mk = async (orgId: string, code: string) => {
      const sys = json<{ id: string }>(
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/systems',
          headers: admin.headers,
          payload: { orgId, code, name: code },
        }),
      );
      const tok = json<{ tokenInfo: { id: string } }>(
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/systems/${sys.id}/tokens`,
          headers: admin.headers,
          payload: { name: 'matrix', expiresInDays: 5 },
        }),
      );
      return [sys.id, tok.tokenInfo.id] as const;
    };
    [ctx.gaSystem, ctx.gaToken] = await mk(ctx.gaOrg, 'matrix-ga');
    [ctx.mzSystem, ctx.mzToken] = await mk(ctx.mzOrg, 'matrix-mz');
    const user = async (orgId: string, username: string) =>
      json<{ id: string }>(
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/users',
          headers: admin.headers,
          payload: { orgId, username, displayName: username, role: 'data_officer', password: 'Matrix#2026' },
        }),
      ).id;
    ctx.gaUser = await user(ctx.gaOrg, 'matrix_ga');
    ctx.mzUser = await user(ctx.mzOrg, 'matrix_mz');
  });
  afterAll(async () => t.close());

  it('covers every console endpoint the API documents', async () => {
    const spec = json<{ paths: Record<string, Record<string, unknown>> }>(
      await t.app.inject({ url: '/openapi.json' }),
    );
    const documented = Object.entries(spec.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    const covered = new Set(CASES.map((c) => `${c.method} ${c.path}`));
    const missing = documented.filter((d) => !covered.has(d) && !NOT_IN_MATRIX.has(d));
    expect(missing).toEqual([]);
    const stale = [...covered].filter((c) => !documented.includes(c));
    expect(stale).toEqual([]);
  });

  for (const c of CASES) {
    describe(`${c.method} ${c.path}`, () => {
      it('answers 401 without a session', async () => {
        const r = c.req(ctx);
        const res = await t.app.inject({
          method: c.method,
          url: r.url,
          ...(r.payload ? { payload: r.payload } : {}),
        });
        expect(res.statusCode).toBe(401);
      });
      for (const role of ROLES) {
        const may = allowed(c.action, role);
        it(`${may ? 'lets' : 'refuses'} ${role}`, async () => {
          const s = c.freshSession ? await login(t.app, ROLE_USERS[role]) : sessions[role];
          const r = c.req(ctx);
          const res = await t.app.inject({
            method: c.method,
            url: r.url,
            headers: s.headers,
            ...(r.payload ? { payload: r.payload } : {}),
          });
          if (may) {
            expect(res.statusCode, res.body).toBeLessThan(400);
          } else {
            expect(res.statusCode, res.body).toBe(403);
          }
        });
      }
      if (c.other) {
        const other = c.other;
        it("refuses department A acting on department B's things", async () => {
          for (const role of ['dept_admin', 'data_officer', 'tech_officer'] as const) {
            const r = other(ctx);
            const res = await t.app.inject({
              method: c.method,
              url: r.url,
              headers: sessions[role].headers,
              ...(r.payload ? { payload: r.payload } : {}),
            });
            expect(res.statusCode, `${role}: ${res.body}`).toBe(403);
          }
        });
      }
    });
  }

  it('leaves department B untouched and every refusal in the audit trail', async () => {
    const mz = await t.db.kysely
      .selectFrom('organization')
      .select('name_en')
      .where('id', '=', ctx.mzOrg)
      .executeTakeFirstOrThrow();
    expect(mz.name_en).not.toBe('hijacked');
    const sys = await t.db.kysely
      .selectFrom('consumer_system')
      .select('status')
      .where('id', '=', ctx.mzSystem)
      .executeTakeFirstOrThrow();
    expect(sys.status).toBe('active');
    const tok = await t.db.kysely
      .selectFrom('api_token')
      .select('revoked_at')
      .where('id', '=', ctx.mzToken)
      .executeTakeFirstOrThrow();
    expect(tok.revoked_at).toBeNull();
    const denied = await t.db.kysely
      .selectFrom('audit_event')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'access.denied')
      .executeTakeFirstOrThrow();
    expect(Number(denied.n)).toBeGreaterThan(50);
  });

  it('keeps the exchange API for bearer tokens only', async () => {
    expect((await t.app.inject({ url: '/exchange/v1/whoami' })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ url: '/exchange/v1/whoami', headers: sessions.platform_admin.headers }))
        .statusCode,
    ).toBe(401);
  });
});
