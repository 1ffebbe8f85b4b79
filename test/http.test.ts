import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/app.js';
import { createServices, type Services } from '../src/services.js';
import { json, login, type TestDb, testDb } from './helpers.js';

describe('HTTP surface', () => {
  let t: TestDb;
  let services: Services;
  let logs = '';
  let app: Awaited<ReturnType<typeof build>>;

  beforeAll(async () => {
    t = await testDb({ LOG_LEVEL: 'trace' });
    services = createServices(t.config, t.db);
    const stream = new PassThrough();
    stream.on('data', (d) => {
      logs += String(d);
    });
    app = await build(services, { logStream: stream });
  });
  afterAll(async () => {
    await app.close();
    await services.audit.stop();
    await t.dispose();
  });

  it('answers health and readiness', async () => {
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(json<{ database: string }>(ready).database).toBe(t.db.kind);
  });

  it('echoes a request id on every answer, and carries it into the audit event', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'x-request-id': 'req-test-12345' },
      payload: { username: 'ga_officer', password: 'Demo@2026' },
    });
    expect(res.headers['x-request-id']).toBe('req-test-12345');
    await services.audit.drain();
    const ev = await t.db.kysely
      .selectFrom('audit_event')
      .select(['action', 'outcome'])
      .where('request_id', '=', 'req-test-12345')
      .executeTakeFirstOrThrow();
    expect(ev).toEqual({ action: 'auth.login', outcome: 'ok' });
  });

  it('sends the request id and the security headers with answers and errors alike', async () => {
    const answers = [
      await app.inject({ url: '/healthz' }),
      await app.inject({ url: '/api/nowhere' }),
      await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: '{"username":',
        headers: { 'content-type': 'application/json' },
      }),
      await app.inject({ method: 'POST', url: '/exchange/v1/resources/x-1/query', payload: { filters: {} } }),
    ];
    expect(answers.map((r) => r.statusCode)).toEqual([200, 404, 400, 401]);
    for (const r of answers) {
      expect(r.headers['x-request-id']).toMatch(/^[\w.-]{8,64}$/);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('describes the API as OpenAPI 3 with the console and exchange paths', async () => {
    const spec = json<{ openapi: string; paths: Record<string, unknown> }>(
      await app.inject({ url: '/openapi.json' }),
    );
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/login', '/api/v1/audit/events', '/exchange/v1/whoami']),
    );
    expect((await app.inject({ url: '/docs' })).statusCode).toBeLessThan(400);
  });

  it('answers unknown routes and malformed bodies with problem+json naming the field', async () => {
    const nf = await app.inject({ url: '/api/nowhere' });
    expect(nf.statusCode).toBe(404);
    expect(nf.headers['content-type']).toContain('application/problem+json');
    const bad = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'x' } });
    expect(bad.statusCode).toBe(400);
    const body = json<{ code: string; fields: { field: string; rule: string; zh: string; en: string }[] }>(
      bad,
    );
    expect(body.code).toBe('VALIDATION');
    expect(body.fields[0]).toMatchObject({ field: 'password', rule: 'required' });
    expect(body.fields[0]?.zh).toContain('必填');
  });

  it('never writes a password, a session or a token to the log', async () => {
    const s = await login(app, 'ga_admin');
    const sys = await app.inject({
      method: 'POST',
      url: '/api/v1/systems',
      headers: s.headers,
      payload: { code: 'log-test', name: '日志测试' },
    });
    const issued = await app.inject({
      method: 'POST',
      url: `/api/v1/systems/${json<{ id: string }>(sys).id}/tokens`,
      headers: s.headers,
      payload: { name: 't', expiresInDays: 1 },
    });
    const token = json<{ token: string }>(issued).token;
    await app.inject({ url: '/exchange/v1/whoami', headers: { authorization: `Bearer ${token}` } });
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain('Demo@2026');
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(s.cookie.split('=')[1]);
    expect(logs).not.toContain(s.csrf);
  });
});
