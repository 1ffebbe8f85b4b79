import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, type Session, type TestApp, testApp } from '../../../test/helpers.js';

interface Problem {
  code: string;
  message: { zh: string; en: string };
  fields: { field: string; rule: string }[];
}

describe('identity and access', () => {
  let t: TestApp;
  let admin: Session;
  let gaAdmin: Session;
  let gaOrgId = '';
  let mzOrgId = '';

  beforeAll(async () => {
    t = await testApp({ GOVSHARE_LOGIN_MAX_FAILURES: '3' });
    admin = await login(t.app, 'admin');
    gaAdmin = await login(t.app, 'ga_admin');
    const me = json<{ activeOrgId: string }>(
      await t.app.inject({ url: '/api/v1/auth/me', headers: gaAdmin.headers }),
    );
    gaOrgId = me.activeOrgId;
    const mz = json<{ activeOrgId: string }>(
      await t.app.inject({ url: '/api/v1/auth/me', headers: (await login(t.app, 'mz_officer')).headers }),
    );
    mzOrgId = mz.activeOrgId;
  });
  afterAll(async () => t.close());

  it('signs in with an HttpOnly, SameSite=Strict cookie and never returns the password hash', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'ga_officer', password: 'Demo@2026' },
    });
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(res.body).not.toMatch(/scrypt|password_hash|passwordHash/);
    const body = json<{ user: { role: string }; permissions: string[] }>(res);
    expect(body.user.role).toBe('data_officer');
    expect(body.permissions).toContain('orgs.read');
    expect(body.permissions).not.toContain('audit.read');
  });

  it('answers a wrong password with 401 and locks the account after repeated failures', async () => {
    const bad = {
      method: 'POST' as const,
      url: '/api/v1/auth/login',
      payload: { username: 'rs_officer', password: 'nope-Nope1' },
    };
    for (let i = 0; i < 3; i++) expect((await t.app.inject(bad)).statusCode).toBe(401);
    const locked = await t.app.inject({ ...bad, payload: { username: 'rs_officer', password: 'Demo@2026' } });
    expect(locked.statusCode).toBe(423);
    expect(json<Problem>(locked).code).toBe('ACCOUNT_LOCKED');
    // An administrator unlocks it.
    const users = json<{ items: { id: string; username: string }[] }>(
      await t.app.inject({ url: '/api/v1/users?pageSize=200', headers: admin.headers }),
    );
    const rs = users.items.find((u) => u.username === 'rs_officer');
    expect(rs).toBeDefined();
    const unlock = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${rs?.id}`,
      headers: admin.headers,
      payload: { unlock: true },
    });
    expect(unlock.statusCode).toBe(200);
    expect(
      (await t.app.inject({ ...bad, payload: { username: 'rs_officer', password: 'Demo@2026' } })).statusCode,
    ).toBe(200);
    const events = await t.db.kysely
      .selectFrom('audit_event')
      .select(['action', 'outcome'])
      .where('actor_username', '=', 'rs_officer')
      .execute();
    expect(events.filter((e) => e.outcome === 'denied').length).toBeGreaterThanOrEqual(4);
    expect(events.some((e) => e.action === 'auth.lockout')).toBe(true);
  });

  it('gives an unknown user the same answer as a wrong password', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'nobody', password: 'Whatever1!' },
    });
    expect(res.statusCode).toBe(401);
    expect(json<Problem>(res).message.en).toBe('Wrong username or password');
  });

  it('refuses a change without the CSRF header, and without a session', async () => {
    const payload = { orgId: gaOrgId, code: 'csrf-test', name: 'CSRF 测试系统' };
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/systems',
      headers: { cookie: gaAdmin.cookie },
      payload,
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(json<Problem>(noCsrf).code).toBe('CSRF');
    const anon = await t.app.inject({ method: 'POST', url: '/api/v1/systems', payload });
    expect(anon.statusCode).toBe(401);
  });

  it('issues a bearer token once, stores only its hash, and revokes it at once', async () => {
    const sys = await t.app.inject({
      method: 'POST',
      url: '/api/v1/systems',
      headers: gaAdmin.headers,
      payload: { code: 'ga-huji', name: '户籍管理系统' },
    });
    expect(sys.statusCode).toBe(201);
    const systemId = json<{ id: string; orgId: string }>(sys).id;
    expect(json<{ orgId: string }>(sys).orgId).toBe(gaOrgId);
    const issued = await t.app.inject({
      method: 'POST',
      url: `/api/v1/systems/${systemId}/tokens`,
      headers: gaAdmin.headers,
      payload: { name: '生产', expiresInDays: 30 },
    });
    expect(issued.statusCode).toBe(201);
    const { token, tokenInfo } = json<{ token: string; tokenInfo: { id: string; prefix: string } }>(issued);
    expect(token).toMatch(/^gst_/);
    expect(token.startsWith(tokenInfo.prefix)).toBe(true);
    const stored = await t.db.kysely
      .selectFrom('api_token')
      .selectAll()
      .where('id', '=', tokenInfo.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(token);
    const listed = await t.app.inject({
      url: `/api/v1/systems/${systemId}/tokens`,
      headers: gaAdmin.headers,
    });
    expect(listed.body).not.toContain(token);

    const who = await t.app.inject({
      url: '/exchange/v1/whoami',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(who.statusCode).toBe(200);
    expect(json<{ systemId: string; orgId: string }>(who)).toMatchObject({ systemId, orgId: gaOrgId });

    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${tokenInfo.id}`,
      headers: gaAdmin.headers,
    });
    expect(revoke.statusCode).toBe(200);
    const after = await t.app.inject({
      url: '/exchange/v1/whoami',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(after.statusCode).toBe(401);
    const wrong = await t.app.inject({
      url: '/exchange/v1/whoami',
      headers: { authorization: 'Bearer gst_forged' },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it("keeps department A away from department B's users and systems", async () => {
    const user = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: gaAdmin.headers,
      payload: {
        orgId: mzOrgId,
        username: 'intruder',
        displayName: '越权',
        role: 'data_officer',
        password: 'Strong#Pass1',
      },
    });
    expect(user.statusCode).toBe(403);
    const sys = await t.app.inject({
      method: 'POST',
      url: '/api/v1/systems',
      headers: gaAdmin.headers,
      payload: { orgId: mzOrgId, code: 'x-sys', name: '越权系统' },
    });
    expect(sys.statusCode).toBe(403);
    const list = json<{ items: { orgId: string }[] }>(
      await t.app.inject({ url: '/api/v1/users?pageSize=200', headers: gaAdmin.headers }),
    );
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((u) => u.orgId === gaOrgId)).toBe(true);
  });

  it('lets a department admin create officers but not platform roles; weak passwords are refused naming the rule', async () => {
    const platformRole = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: gaAdmin.headers,
      payload: {
        orgId: gaOrgId,
        username: 'ga_aud',
        displayName: '审计',
        role: 'auditor',
        password: 'Strong#Pass1',
      },
    });
    expect(platformRole.statusCode).toBe(400);
    expect(json<Problem>(platformRole).fields.map((f) => f.rule)).toContain('role.not_grantable');
    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: gaAdmin.headers,
      payload: {
        orgId: gaOrgId,
        username: 'ga_new',
        displayName: '新人',
        role: 'data_officer',
        password: 'short',
      },
    });
    expect(weak.statusCode).toBe(400);
    const rules = json<Problem>(weak).fields.map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['password.length', 'password.complexity']));
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: gaAdmin.headers,
      payload: {
        orgId: gaOrgId,
        username: 'ga_new',
        displayName: '新人',
        role: 'data_officer',
        password: 'Strong#Pass1',
      },
    });
    expect(ok.statusCode).toBe(201);
    await login(t.app, 'ga_new', 'Strong#Pass1');
  });

  it('signs out and the session stops working', async () => {
    const s = await login(t.app, 'mz_admin');
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: s.headers })).statusCode,
    ).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: s.headers })).statusCode).toBe(401);
  });

  it('rate-limits logins per address', async () => {
    const limited = await testApp({ GOVSHARE_LOGIN_RATE_LIMIT: '2' });
    try {
      const req = {
        method: 'POST' as const,
        url: '/api/v1/auth/login',
        payload: { username: 'x', password: 'y' },
      };
      await limited.app.inject(req);
      await limited.app.inject(req);
      const third = await limited.app.inject(req);
      expect(third.statusCode).toBe(429);
      expect(json<Problem>(third).code).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });
});
