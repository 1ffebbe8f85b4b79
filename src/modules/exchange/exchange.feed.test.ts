/**
 * The change feed and subscriptions against a real PostgreSQL source and a real local HTTP receiver:
 * watermark polling, webhook delivery with backoff and signatures, dead letters, pull by cursor,
 * provider pushes, concurrent dispatchers and a revoked grant.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  json,
  login,
  publishEntry,
  type Session,
  sourceServer,
  type TestApp,
  testApp,
} from '../../../test/helpers.js';
import { installProblemHandler } from '../../http/problem.js';
import type { Services } from '../../services.js';
import { installAuthentication } from '../auth/auth.routes.js';
import { FeedService, feedDepsOf, feedFor, signPayload } from './exchange.feed.js';
import { feedConsoleRoutes, feedGateRoutes } from './exchange.feed.routes.js';

const SOURCE_URL = process.env.GOVSHARE_TEST_SOURCE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const OPTIONS = { jitter: false, backoffBaseMs: 2_000, maxAttempts: 6, timeoutMs: 3_000 };

/** The app as app.ts builds it, with the feed routes registered (until app.ts wires them). */
async function feedApp(services: Services): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  installProblemHandler(app, services.audit);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 't', version: '0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  installAuthentication(app, services);
  await app.register(feedConsoleRoutes, { prefix: '/api/v1', services });
  await app.register(feedGateRoutes, { prefix: '/exchange/v1', services });
  await app.ready();
  return app;
}

interface Received {
  path: string;
  delivery: string;
  timestamp: string;
  signature: string;
  body: string;
  status: number;
}

const people = ['421202198001011113', '42120219800202112X', '421202198003031134', '421202198004041145'].map(
  (id, i) => ({ id, name: `测试${'甲乙丙丁'[i]}`, phone: `1380000100${i}` }),
);

const available = await sourceServer('postgres');

describe.runIf(available)('change feed, subscriptions and deliveries', () => {
  let t: TestApp;
  let app: FastifyInstance;
  let feed: FeedService;
  let src: pg.Client;
  let srcDb = '';
  let receiver: Server;
  let base = '';
  const received: Received[] = [];
  let flakyCalls = 0;
  let downHealed = false;
  let gaTech: Session;
  let gaAdmin: Session;
  let mz: Session;
  let mzAdmin: Session;
  let admin: Session;
  let token = '';
  let otherToken = '';
  let grantId = '';
  let entryId = '';
  let code = '';
  let flakySub = { id: '', secret: '' };
  let downSub = { id: '', secret: '' };

  const post = (s: Session, url: string, payload?: object) =>
    app.inject({ method: 'POST', url, headers: s.headers, ...(payload ? { payload } : {}) });
  const mainPost = (s: Session, url: string, payload?: object) =>
    t.app.inject({ method: 'POST', url, headers: s.headers, ...(payload ? { payload } : {}) });
  const bearer = (tok: string, purpose = 'data_verification') => ({
    authorization: `Bearer ${tok}`,
    'x-purpose': purpose,
  });
  const pull = (after: number, headers: Record<string, string>) =>
    app.inject({
      url: `/exchange/v1/resources/${code.replace('/', '-')}/changes?after=${after}&limit=100`,
      headers,
    });
  const touch = (id: string) =>
    src.query(
      `update resident set phone = phone || '9', updated_at = clock_timestamp() where id_number = $1`,
      [id],
    );
  const at = (base: Date, ms: number) => new Date(base.getTime() + ms);
  const byPath = (p: string) => received.filter((r) => r.path === p);
  const deliveryRow = (id: number) =>
    t.db.kysely.selectFrom('exchange_delivery').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '';
        let status = 200;
        if (path === '/flaky') status = ++flakyCalls <= 2 ? 500 : 200;
        if (path === '/down') status = downHealed ? 204 : 500;
        received.push({
          path,
          delivery: String(req.headers['x-govshare-delivery']),
          timestamp: String(req.headers['x-govshare-timestamp']),
          signature: String(req.headers['x-govshare-signature']),
          body: Buffer.concat(chunks).toString('utf8'),
          status,
        });
        res.statusCode = status;
        res.end(status === 500 ? 'boom' : '');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

    // The provider's own database.
    srcDb = `govshare_feed_${process.pid}_${Date.now() % 100000}`;
    const adminPg = new pg.Client({ connectionString: SOURCE_URL });
    await adminPg.connect();
    await adminPg.query(`create database "${srcDb}"`);
    await adminPg.end();
    const url = new URL(SOURCE_URL);
    url.pathname = `/${srcDb}`;
    src = new pg.Client({ connectionString: url.toString() });
    await src.connect();
    await src.query(
      'create table resident (id_number text primary key, full_name text not null, phone text, updated_at timestamptz not null default clock_timestamp())',
    );
    for (const p of people)
      await src.query('insert into resident (id_number, full_name, phone) values ($1, $2, $3)', [
        p.id,
        p.name,
        p.phone,
      ]);

    t = await testApp();
    // The test's own dispatcher (deterministic backoff); the routes use the node's instance.
    feed = new FeedService(feedDepsOf(t.services), OPTIONS);
    app = await feedApp(t.services);
    gaTech = await login(t.app, 'ga_tech');
    gaAdmin = await login(t.app, 'ga_admin');
    mz = await login(t.app, 'mz_officer');
    mzAdmin = await login(t.app, 'mz_admin');
    admin = await login(t.app, 'admin');
    const gaOrg = json<{ activeOrgId: string }>(
      await t.app.inject({ url: '/api/v1/auth/me', headers: gaAdmin.headers }),
    ).activeOrgId;

    const entry = await publishEntry(t.app, gaAdmin, admin, {
      classCode: '301900',
      className: '部门信息资源/公安/交换测试',
      name: '常住人口变更订阅测试资源',
      providerOrgId: gaOrg,
      summary: '变更订阅集成测试',
      formatCategory: 'database',
      formatType: 'PostgreSQL',
      shareType: 'conditional',
      shareConditionScope: '政务部门',
      shareConditionUse: '身份核验',
      shareModes: ['api'],
      openType: 'not_open',
      updateCycle: 'realtime',
      dataGrade: 'important',
      items: [
        {
          name: '公民身份号码',
          dataType: 'C',
          length: 18,
          sensitivity: 'sensitive',
          masking: 'partial',
          standardElement: 'GB 11643',
        },
        { name: '姓名', dataType: 'C', length: 50, sensitivity: 'sensitive', masking: 'partial' },
        { name: '联系电话', dataType: 'C', length: 20, sensitivity: 'sensitive', masking: 'redact' },
      ],
    });
    entryId = entry.id;
    code = entry.code;

    const source = await mainPost(gaTech, '/api/v1/exchange/sources', {
      name: '公安人口库（变更测试）',
      kind: 'postgres',
      config: {
        host: url.hostname,
        port: Number(url.port || 5432),
        database: srcDb,
        user: url.username || 'postgres',
      },
      secret: 'not-needed-with-trust-auth',
    });
    expect(source.statusCode, source.body).toBe(201);
    const mounted = await mainPost(gaTech, '/api/v1/exchange/mounts', {
      entryId,
      sourceId: json<{ id: string }>(source).id,
      relation: 'public.resident',
      keyColumns: ['id_number'],
      mapping: { 公民身份号码: 'id_number', 姓名: 'full_name', 联系电话: 'phone' },
      watermarkColumn: 'updated_at',
    });
    expect(mounted.statusCode, mounted.body).toBe(201);

    const sys = json<{ id: string }>(
      await mainPost(mzAdmin, '/api/v1/systems', { code: 'mz-feed', name: '救助变更接收系统' }),
    );
    token = json<{ token: string }>(
      await mainPost(mzAdmin, `/api/v1/systems/${sys.id}/tokens`, { name: 't', expiresInDays: 30 }),
    ).token;
    const other = json<{ id: string }>(
      await mainPost(mzAdmin, '/api/v1/systems', { code: 'mz-feed-other', name: '无授权系统' }),
    );
    otherToken = json<{ token: string }>(
      await mainPost(mzAdmin, `/api/v1/systems/${other.id}/tokens`, { name: 't', expiresInDays: 30 }),
    ).token;
    const application = json<{ id: string }>(
      await mainPost(mz, '/api/v1/sharing/applications', {
        entryId,
        requestedItems: ['公民身份号码', '姓名'],
        basis: '《社会救助暂行办法》第十一条',
        scenario: '低保对象户籍变动提醒',
        purposeCategory: 'data_verification',
        purpose: '及时获知救助对象户籍变动',
        scope: '社会救助科',
        accessMode: 'api',
        periodFrom: '2026-01-01',
        periodTo: '2027-12-31',
        consumerSystemId: sys.id,
        attested: true,
      }),
    );
    const act = (s: Session, a: string, payload: object = {}) =>
      mainPost(s, `/api/v1/sharing/applications/${application.id}/actions/${a}`, payload);
    await act(mz, 'submit');
    await act(mzAdmin, 'internal_approve');
    expect((await act(gaAdmin, 'approve', { dailyQuota: 1000 })).statusCode).toBe(200);
    grantId = json<{ grantId: string }>(await act(gaAdmin, 'supply', { dailyQuota: 1000 })).grantId;
    expect(grantId).toBeTruthy();
  });

  afterAll(async () => {
    await app?.close();
    await feed?.stop();
    if (t) await feedFor(t.services).stop();
    await t?.close();
    await src?.end();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
    const a = new pg.Client({ connectionString: SOURCE_URL });
    await a.connect();
    await a.query(`drop database if exists "${srcDb}" with (force)`);
    await a.end();
  });

  it('lets only the consumer’s head or technical officer subscribe, and shows the secret once', async () => {
    expect(
      (await post(mz, '/api/v1/exchange/subscriptions', { grantId, mode: 'webhook', url: `${base}/x` }))
        .statusCode,
    ).toBe(403);
    expect(
      (await post(gaAdmin, '/api/v1/exchange/subscriptions', { grantId, mode: 'webhook', url: `${base}/x` }))
        .statusCode,
    ).toBe(403);
    const noUrl = await post(mzAdmin, '/api/v1/exchange/subscriptions', { grantId, mode: 'webhook' });
    expect(noUrl.statusCode).toBe(400);
    expect(json<{ fields: { field: string }[] }>(noUrl).fields[0]?.field).toBe('url');
    const bad = await post(mzAdmin, '/api/v1/exchange/subscriptions', {
      grantId,
      mode: 'webhook',
      url: 'ftp://x',
    });
    expect(bad.statusCode).toBe(400);

    const res = await post(mzAdmin, '/api/v1/exchange/subscriptions', {
      grantId,
      mode: 'webhook',
      url: `${base}/flaky`,
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = json<{ id: string; secret: string; status: string; resource: string }>(res);
    expect(created.secret).toMatch(/^whsec_/);
    expect(created).toMatchObject({ status: 'active', resource: code });
    flakySub = { id: created.id, secret: created.secret };
    const dup = await post(mzAdmin, '/api/v1/exchange/subscriptions', {
      grantId,
      mode: 'webhook',
      url: `${base}/flaky`,
    });
    expect(dup.statusCode).toBe(409);
    const pullSub = await post(mzAdmin, '/api/v1/exchange/subscriptions', { grantId, mode: 'pull' });
    expect(pullSub.statusCode, pullSub.body).toBe(201);
    expect(json<{ secret: string | null }>(pullSub).secret).toBeNull();

    const listed = await app.inject({ url: '/api/v1/exchange/subscriptions', headers: mzAdmin.headers });
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(created.secret);
    expect(
      json<{ id: string; hasSecret: boolean }[]>(listed).find((s) => s.id === created.id)?.hasSecret,
    ).toBe(true);
    const stored = await t.db.kysely
      .selectFrom('exchange_subscription')
      .select('secret')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(stored.secret).toMatch(/^sm4ctr-hsm3\$/);
    expect(stored.secret).not.toContain(created.secret);
    expect(t.services.secrets().open(stored.secret ?? '')).toBe(created.secret);
    // The provider's officers do not see the consumer's subscriptions.
    const theirs = json<{ id: string }[]>(
      await app.inject({ url: '/api/v1/exchange/subscriptions', headers: gaAdmin.headers }),
    );
    expect(theirs.some((s) => s.id === created.id)).toBe(false);
  });

  it('takes a baseline on the first poll, then records each changed row once', async () => {
    const first = await feed.detectChanges(entryId);
    expect(first).toMatchObject({ appended: 0, more: false });
    expect(first.watermark).toBeTruthy();
    expect((await feed.detectChanges(entryId)).appended).toBe(0);
    await touch(people[1]?.id ?? '');
    const second = await feed.detectChanges(entryId);
    expect(second.appended).toBe(1);
    expect((await feed.detectChanges(entryId)).appended).toBe(0);
    const changes = await t.db.kysely
      .selectFrom('exchange_change')
      .selectAll()
      .where('entry_id', '=', entryId)
      .execute();
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ op: 'upsert', record_key: { 公民身份号码: people[1]?.id } });
  });

  it('delivers with exponential backoff: two failures, then exactly one success with a valid signature', async () => {
    const t0 = new Date();
    const r1 = await feed.dispatch(t0);
    expect(r1).toMatchObject({ fannedOut: 1, claimed: 1, retrying: 1, delivered: 0 });
    // Not due before the 2 s backoff, due after it; then 4 s.
    expect((await feed.dispatch(at(t0, 1_000))).claimed).toBe(0);
    expect(await feed.dispatch(at(t0, 2_100))).toMatchObject({ claimed: 1, retrying: 1 });
    expect((await feed.dispatch(at(t0, 5_000))).claimed).toBe(0);
    expect(await feed.dispatch(at(t0, 6_200))).toMatchObject({ claimed: 1, delivered: 1 });
    expect((await feed.dispatch(at(t0, 3_600_000))).claimed).toBe(0);

    const calls = byPath('/flaky');
    expect(calls).toHaveLength(3);
    const ids = new Set(calls.map((c) => c.delivery));
    expect(ids.size).toBe(1);
    expect(calls.filter((c) => c.status >= 200 && c.status < 300)).toHaveLength(1);
    const ok = calls[2] as Received;
    const expected = `sm3=${createHmac('sm3', flakySub.secret).update(`${ok.timestamp}.${ok.body}`).digest('hex')}`;
    expect(ok.signature).toBe(expected);
    expect(signPayload(flakySub.secret, ok.timestamp, ok.body)).toBe(expected);
    expect(Math.abs(Number(ok.timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const body = JSON.parse(ok.body) as {
      subscriptionId: string;
      deliveryId: number;
      change: { seq: number; resource: string; op: string; key: Record<string, string>; changedAt: string };
    };
    expect(body.subscriptionId).toBe(flakySub.id);
    expect(String(body.deliveryId)).toBe(ok.delivery);
    expect(body.change).toMatchObject({ resource: code, op: 'upsert' });
    const id = people[1]?.id ?? '';
    expect(body.change.key.公民身份号码).toBe(`${id.slice(0, 6)}********${id.slice(14)}`);
    expect(ok.body).not.toContain(id);
    const row = await deliveryRow(body.deliveryId);
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, last_error: null });
  });

  it('dead-letters a receiver that always fails after the maximum attempts; redeliver retries it', async () => {
    expect((await post(mzAdmin, `/api/v1/exchange/subscriptions/${flakySub.id}/pause`)).statusCode).toBe(200);
    const res = await post(mzAdmin, '/api/v1/exchange/subscriptions', {
      grantId,
      mode: 'webhook',
      url: `${base}/down`,
    });
    expect(res.statusCode, res.body).toBe(201);
    downSub = json<{ id: string; secret: string }>(res);
    await touch(people[2]?.id ?? '');
    expect((await feed.pollAll()).appended).toBe(1);

    let now = new Date();
    for (let i = 0; i < 10; i++) {
      await feed.dispatch(now);
      now = at(now, 2 * 3_600_000);
    }
    const down = byPath('/down');
    expect(down).toHaveLength(6);
    expect(new Set(down.map((d) => d.delivery)).size).toBe(1);
    const deliveryId = Number(down[0]?.delivery);
    const dead = json<
      { id: number; attempts: number; status: string; lastError: string; subscriptionId: string }[]
    >(await app.inject({ url: '/api/v1/exchange/dead-letters', headers: mzAdmin.headers }));
    expect(dead.find((d) => d.id === deliveryId)).toMatchObject({
      attempts: 6,
      status: 'dead',
      subscriptionId: downSub.id,
      lastError: 'HTTP 500 after 6 attempts',
    });
    const providerView = json<{ id: number }[]>(
      await app.inject({ url: '/api/v1/exchange/dead-letters', headers: gaAdmin.headers }),
    );
    expect(providerView.some((d) => d.id === deliveryId)).toBe(false);
    // The paused subscription was held: nothing reached it.
    expect(byPath('/flaky')).toHaveLength(3);

    expect((await post(gaAdmin, `/api/v1/exchange/deliveries/${deliveryId}/redeliver`)).statusCode).toBe(403);
    downHealed = true;
    const again = await post(mzAdmin, `/api/v1/exchange/deliveries/${deliveryId}/redeliver`);
    expect(again.statusCode, again.body).toBe(200);
    expect(json<{ status: string; attempts: number }>(again)).toMatchObject({
      status: 'pending',
      attempts: 0,
    });
    expect((await post(mzAdmin, `/api/v1/exchange/deliveries/${deliveryId}/redeliver`)).statusCode).toBe(409);
    await feed.dispatch(new Date());
    expect(byPath('/down').filter((d) => d.status === 204 && Number(d.delivery) === deliveryId)).toHaveLength(
      1,
    );
    expect((await deliveryRow(deliveryId)).status).toBe('delivered');

    // Resuming delivers what was held.
    expect((await post(mzAdmin, `/api/v1/exchange/subscriptions/${flakySub.id}/resume`)).statusCode).toBe(
      200,
    );
    await feed.dispatch(new Date());
    const flaky = byPath('/flaky');
    expect(flaky).toHaveLength(4);
    const held = JSON.parse(flaky[3]?.body ?? '{}') as { change: { key: Record<string, string> } };
    expect(held.change.key.公民身份号码).toMatch(/^421202\*{8}/);
    expect(flaky[3]?.status).toBe(200);
  });

  it('never delivers twice when two dispatchers run at once (SKIP LOCKED)', async () => {
    const before = received.length;
    await touch(people[3]?.id ?? '');
    expect((await feed.detectChanges(entryId)).appended).toBe(1);
    const other = new FeedService(feedDepsOf(t.services), OPTIONS);
    const now = new Date();
    await Promise.all([feed.dispatch(now), other.dispatch(now), feed.dispatch(now)]);
    const fresh = received.slice(before);
    expect(fresh).toHaveLength(2); // one per webhook subscription
    expect(new Set(fresh.map((r) => r.delivery)).size).toBe(2);
    expect(new Set(fresh.map((r) => r.path))).toEqual(new Set(['/flaky', '/down']));
    await other.stop();
  });

  it('lets a claimed delivery of a lost worker become due again when its lease runs out', async () => {
    await touch(people[0]?.id ?? '');
    await feed.detectChanges(entryId);
    const now = new Date();
    await feed.fanOut(now);
    // A worker claimed these and died: attempts counted, next_attempt_at pushed a lease ahead.
    const lost = await t.db.kysely
      .updateTable('exchange_delivery')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: at(now, 60_000) }))
      .where('status', '=', 'pending')
      .returning('id')
      .execute();
    expect(lost).toHaveLength(2);
    expect((await feed.dispatch(at(now, 30_000))).claimed).toBe(0);
    const later = await feed.dispatch(at(now, 61_000));
    expect(later).toMatchObject({ claimed: 2, delivered: 2 });
    for (const l of lost) expect(await deliveryRow(l.id)).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('serves changes by cursor, masked, once; and refuses a system without a grant (audited)', async () => {
    const all = await pull(0, bearer(token));
    expect(all.statusCode, all.body).toBe(200);
    const page = json<{
      resource: string;
      changes: { seq: number; op: string; key: Record<string, string> }[];
      next: number;
    }>(all);
    expect(page.resource).toBe(code);
    expect(page.changes).toHaveLength(4);
    for (const c of page.changes) {
      expect(Object.keys(c.key)).toEqual(['公民身份号码']);
      expect(c.key.公民身份号码).toMatch(/^421202\*{8}\d{3}[\dX]$/);
    }
    expect(all.body).not.toContain(people[1]?.id ?? 'x');
    const last = page.changes[3]?.seq ?? 0;
    expect(page.next).toBe(last);
    const secondLast = page.changes[2]?.seq ?? 0;
    const once = json<{ changes: { seq: number }[]; next: number }>(await pull(secondLast, bearer(token)));
    expect(once.changes.map((c) => c.seq)).toEqual([last]);
    const none = json<{ changes: unknown[]; next: number }>(await pull(last, bearer(token)));
    expect(none).toEqual({ resource: code, changes: [], next: last });
    // The pull subscription records the acknowledged position.
    const subs = json<{ mode: string; cursor: number }[]>(
      await app.inject({ url: '/api/v1/exchange/subscriptions', headers: mzAdmin.headers }),
    );
    expect(subs.find((s) => s.mode === 'pull')?.cursor).toBe(last);

    expect((await pull(0, bearer(otherToken))).statusCode).toBe(403);
    expect((await pull(0, bearer(token, 'work_reference'))).statusCode).toBe(403);
    expect((await pull(0, { authorization: `Bearer ${token}` })).statusCode).toBe(400);
    expect((await pull(0, { 'x-purpose': 'data_verification' })).statusCode).toBe(401);
    expect((await pull(0, bearer(token, '数据校核'))).statusCode).toBe(200);
    await t.services.audit.drain();
    const events = await t.db.kysely
      .selectFrom('audit_event')
      .select(['outcome', 'actor_system_id', 'detail'])
      .where('action', '=', 'exchange.changes')
      .where('object_id', '=', entryId)
      .execute();
    expect(events.filter((e) => e.outcome === 'ok')).toHaveLength(4);
    expect(events.filter((e) => e.outcome === 'denied').length).toBeGreaterThanOrEqual(3);
  });

  it('takes changes pushed by the provider (deletes), refusing others and unknown items', async () => {
    const id = people[0]?.id ?? '';
    expect(
      (await post(mzAdmin, '/api/v1/exchange/changes', { entryId, op: 'delete', key: { 公民身份号码: id } }))
        .statusCode,
    ).toBe(403);
    const unknown = await post(gaTech, '/api/v1/exchange/changes', {
      entryId,
      op: 'delete',
      key: { id_number: id },
    });
    expect(unknown.statusCode).toBe(400);
    expect(json<{ fields: { field: string }[] }>(unknown).fields[0]?.field).toBe('key.id_number');
    const res = await post(gaTech, '/api/v1/exchange/changes', {
      entryId,
      op: 'delete',
      key: { 公民身份号码: id },
    });
    expect(res.statusCode, res.body).toBe(201);
    const seq = json<{ seq: number }>(res).seq;
    const got = json<{ changes: { seq: number; op: string; key: Record<string, string> }[] }>(
      await pull(seq - 1, bearer(token)),
    );
    expect(got.changes).toEqual([
      expect.objectContaining({
        seq,
        op: 'delete',
        key: { 公民身份号码: `${id.slice(0, 6)}********${id.slice(14)}` },
      }),
    ]);
    await feed.dispatch(new Date());
  });

  it('stops deliveries of a revoked grant, with the reason in the dead-letter list', async () => {
    const before = received.length;
    await touch(people[2]?.id ?? '');
    await feed.detectChanges(entryId);
    expect(await feed.fanOut(new Date())).toBe(2);
    const revoke = await mainPost(admin, `/api/v1/sharing/grants/${grantId}/revoke`, { reason: '停止使用' });
    expect(revoke.statusCode, revoke.body).toBe(200);
    const r = await feed.dispatch(new Date());
    expect(r).toMatchObject({ claimed: 2, dead: 2, delivered: 0 });
    expect(received.length).toBe(before);
    const dead = json<{ id: number; lastError: string }[]>(
      await app.inject({ url: '/api/v1/exchange/dead-letters', headers: mzAdmin.headers }),
    );
    const stopped = dead.filter((d) => /grant not active \(revoked\)/.test(d.lastError));
    expect(stopped).toHaveLength(2);
    expect((await post(mzAdmin, `/api/v1/exchange/deliveries/${stopped[0]?.id}/redeliver`)).statusCode).toBe(
      409,
    );
    // No more fan-out, and the gate refuses the pull.
    await touch(people[3]?.id ?? '');
    await feed.detectChanges(entryId);
    expect(await feed.fanOut(new Date())).toBe(0);
    expect((await pull(0, bearer(token))).statusCode).toBe(403);
  });

  it('polls in bounded batches without skipping or repeating rows that share a watermark', async () => {
    await feed.detectChanges(entryId);
    const small = new FeedService(feedDepsOf(t.services), { ...OPTIONS, batchSize: 2 });
    const newest = await t.db.kysely
      .selectFrom('exchange_change')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirstOrThrow();
    await src.query(
      `insert into resident (id_number, full_name, updated_at)
       select 'B' || g, '批量' || g, timestamptz '2099-01-01 00:00:00+00' + case when g <= 5 then interval '0' else interval '1 second' end
       from generate_series(1, 7) g`,
    );
    const rounds: number[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await small.detectChanges(entryId);
      rounds.push(r.appended);
      if (!r.more) break;
    }
    expect(rounds).toEqual([5, 2, 0]);
    const fresh = await t.db.kysely
      .selectFrom('exchange_change')
      .select('record_key')
      .where('entry_id', '=', entryId)
      .where('seq', '>', Number(newest.seq ?? 0))
      .orderBy('seq')
      .execute();
    expect(fresh.map((c) => c.record_key.公民身份号码)).toEqual(['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7']);
    await small.stop();
  });

  it('runs the feed job on demand for the platform office only, and documents every route', async () => {
    expect((await post(mzAdmin, '/api/v1/exchange/feed/poll')).statusCode).toBe(403);
    const res = await post(admin, '/api/v1/exchange/feed/poll');
    expect(res.statusCode, res.body).toBe(200);
    expect(json<{ poll: { mounts: number; failed: unknown[] } }>(res).poll.failed).toEqual([]);
    const doc = app.swagger() as { paths: Record<string, unknown> };
    for (const p of [
      '/api/v1/exchange/subscriptions',
      '/api/v1/exchange/subscriptions/{id}/pause',
      '/api/v1/exchange/subscriptions/{id}/resume',
      '/api/v1/exchange/dead-letters',
      '/api/v1/exchange/deliveries/{id}/redeliver',
      '/api/v1/exchange/feed/poll',
      '/api/v1/exchange/files',
      '/exchange/v1/resources/{resource}/changes',
      '/exchange/v1/resources/{resource}/files/{fileId}',
    ])
      expect(doc.paths[p], p).toBeDefined();
  });
});
