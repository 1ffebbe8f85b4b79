/**
 * The console's paged exchange reads over HTTP: sources (scoped to the own department, filtered, paged),
 * a batch job's runs after a real copy between two PostgreSQL databases, subscriptions with their
 * delivery counts and the delivery log of one subscription; and the SPA fallback leaving only
 * /exchange/v1 to the gateway.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, type Session, sourceServer, type TestApp, testApp } from '../../../test/helpers.js';
import { feedFor } from './exchange.feed.js';
import { syncServiceOf } from './exchange.sync.js';

const PG_URL = process.env.GOVSHARE_TEST_SOURCE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const tag = `${process.pid}_${Date.now() % 100_000}`;
const SRC_DB = `gs_console_src_${tag}`;
const DST_DB = `gs_console_dst_${tag}`;

interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
interface Source {
  id: string;
  orgId: string;
  name: string;
  status: string;
}
interface Grant {
  id: string;
  entryId: string;
  items: { name: string; masking: string }[];
}

let t: TestApp;
let ga: Session;
let mz: Session;
let mzAdmin: Session;
let gaOrg: string;
let grant: Grant;

async function admin(text: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

function dbUrl(db: string): string {
  const u = new URL(PG_URL);
  u.pathname = `/${db}`;
  return u.toString();
}

beforeAll(async () => {
  t = await testApp();
  ga = await login(t.app, 'ga_tech');
  mz = await login(t.app, 'mz_officer');
  mzAdmin = await login(t.app, 'mz_admin');
  gaOrg = json<{ user: { orgId: string } }>(
    await t.app.inject({ url: '/api/v1/auth/me', headers: ga.headers }),
  ).user.orgId;
  const grants = json<Page<Grant>>(
    await t.app.inject({
      url: '/api/v1/sharing/grants?role=consumer&status=active',
      headers: mzAdmin.headers,
    }),
  );
  const g = grants.items[0];
  if (!g) throw new Error('the demo has no active grant for 市民政局');
  grant = g;
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('paged sources', () => {
  it('pages the own department’s sources, filters by status and name, and audits the read', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/exchange/sources',
        headers: ga.headers,
        payload: { name: `分页测试接口${i}`, kind: 'http', config: { baseUrl: 'http://127.0.0.1:9/x' } },
      });
      expect(r.statusCode).toBe(201);
    }
    const p1 = json<Page<Source>>(
      await t.app.inject({
        url: '/api/v1/exchange/paged/sources?q=分页测试&pageSize=2&page=1',
        headers: ga.headers,
      }),
    );
    expect(p1.total).toBe(3);
    expect(p1.items.map((s) => s.name)).toEqual(['分页测试接口0', '分页测试接口1']);
    const p2 = json<Page<Source>>(
      await t.app.inject({
        url: '/api/v1/exchange/paged/sources?q=分页测试&pageSize=2&page=2',
        headers: ga.headers,
      }),
    );
    expect(p2.items.map((s) => s.name)).toEqual(['分页测试接口2']);
    expect(
      json<Page<Source>>(
        await t.app.inject({
          url: '/api/v1/exchange/paged/sources?q=分页测试&status=up',
          headers: ga.headers,
        }),
      ).total,
    ).toBe(0);
    // 市民政局 does not see 市公安局's sources.
    const other = json<Page<Source>>(
      await t.app.inject({ url: '/api/v1/exchange/paged/sources?q=分页测试', headers: mz.headers }),
    );
    expect(other.total).toBe(0);
    const events = await t.db.kysely
      .selectFrom('audit_event')
      .select(['actor_username', 'detail'])
      .where('action', '=', 'exchange.source.list')
      .execute();
    expect(events.some((e) => e.actor_username === 'ga_tech')).toBe(true);
  });

  it('refuses a user without the permission', async () => {
    const r = await t.app.inject({ url: '/api/v1/exchange/paged/sources' });
    expect(r.statusCode).toBe(401);
  });
});

describe('subscriptions and their delivery log', () => {
  it('lists a webhook subscription with its counts and the failed delivery with attempts and next retry', async () => {
    const sub = await t.app.inject({
      method: 'POST',
      url: '/api/v1/exchange/subscriptions',
      headers: mzAdmin.headers,
      payload: { grantId: grant.id, mode: 'webhook', url: 'http://127.0.0.1:9/hooks/govshare' },
    });
    expect(sub.statusCode).toBe(201);
    const subId = json<{ id: string }>(sub).id;
    const entry = json<{ items: { name: string }[] }>(
      await t.app.inject({ url: `/api/v1/catalog/entries/${grant.entryId}`, headers: ga.headers }),
    );
    const keyItem = grant.items[0]?.name ?? entry.items[0]?.name ?? '';
    const change = await t.app.inject({
      method: 'POST',
      url: '/api/v1/exchange/changes',
      headers: ga.headers,
      payload: { entryId: grant.entryId, op: 'upsert', key: { [keyItem]: '42120219800101001X' } },
    });
    expect(change.statusCode).toBe(201);
    const feed = feedFor(t.services);
    expect(await feed.fanOut()).toBeGreaterThan(0);

    const log = json<Page<{ id: number; status: string; attempts: number; subscriptionId: string }>>(
      await t.app.inject({
        url: `/api/v1/exchange/deliveries?subscriptionId=${subId}`,
        headers: mz.headers,
      }),
    );
    expect(log.total).toBe(1);
    expect(log.items[0]).toMatchObject({ status: 'pending', attempts: 0, subscriptionId: subId });

    await feed.dispatch();
    const after = json<
      Page<{ status: string; attempts: number; lastError: string | null; nextAttemptAt: string }>
    >(
      await t.app.inject({ url: `/api/v1/exchange/deliveries?subscriptionId=${subId}`, headers: mz.headers }),
    );
    expect(after.items[0]?.attempts).toBe(1);
    expect(after.items[0]?.lastError).toBeTruthy();
    expect(Date.parse(after.items[0]?.nextAttemptAt ?? '')).toBeGreaterThan(Date.now());

    const subs = json<Page<{ id: string; pending: number; entryName: string | null }>>(
      await t.app.inject({ url: '/api/v1/exchange/paged/subscriptions?mode=webhook', headers: mz.headers }),
    );
    const row = subs.items.find((s) => s.id === subId);
    expect(row).toMatchObject({ pending: 1 });
    expect(row?.entryName).toBeTruthy();
    const one = await t.app.inject({ url: `/api/v1/exchange/subscriptions/${subId}`, headers: mz.headers });
    expect(json<{ id: string; pending: number; mode: string }>(one)).toMatchObject({
      id: subId,
      pending: 1,
      mode: 'webhook',
    });
    expect(
      (await t.app.inject({ url: `/api/v1/exchange/subscriptions/${subId}`, headers: ga.headers }))
        .statusCode,
    ).toBe(403);
    // Dead letters of 市民政局: none yet.
    expect(
      json<Page<unknown>>(
        await t.app.inject({ url: '/api/v1/exchange/deliveries?status=dead', headers: mz.headers }),
      ).total,
    ).toBe(0);
    // 市公安局 may not read 市民政局's delivery log.
    const denied = await t.app.inject({
      url: `/api/v1/exchange/deliveries?subscriptionId=${subId}`,
      headers: ga.headers,
    });
    expect(denied.statusCode).toBe(403);
    // An unknown subscription is 404.
    const unknown = await t.app.inject({
      url: '/api/v1/exchange/deliveries?subscriptionId=00000000-0000-4000-8000-000000000000',
      headers: mz.headers,
    });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('a batch job’s runs', async () => {
  const hasPg = await sourceServer('postgres');

  it.skipIf(!hasPg)(
    'shows each run with the rows it copied, newest first, after real copies',
    async () => {
      await admin(`CREATE DATABASE ${SRC_DB}`);
      await admin(`CREATE DATABASE ${DST_DB}`);
      try {
        const entry = json<{ items: { name: string }[] }>(
          await t.app.inject({ url: `/api/v1/catalog/entries/${grant.entryId}`, headers: ga.headers }),
        );
        const cols = entry.items.map((_, i) => `c${i}`);
        const keyIndex = Math.max(
          0,
          entry.items.findIndex((it) =>
            grant.items.some((g) => g.name === it.name && (g.masking === 'none' || g.masking === 'hash')),
          ),
        );
        const src = new pg.Client({ connectionString: dbUrl(SRC_DB) });
        await src.connect();
        await src.query(`CREATE TABLE resident (${cols.map((c) => `${c} text`).join(', ')})`);
        await src.query(
          `INSERT INTO resident SELECT ${cols
            .map((_, i) => (i === keyIndex ? `'K' || lpad(g::text, 6, '0')` : `'v${i}-' || g`))
            .join(', ')} FROM generate_series(1, 250) g`,
        );
        await src.end();

        const source = json<Source>(
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/exchange/sources',
            headers: ga.headers,
            payload: {
              name: '公安人口库（运行记录测试）',
              kind: 'postgres',
              config: {
                host: '127.0.0.1',
                port: Number(new URL(PG_URL).port || 5432),
                database: SRC_DB,
                user: 'postgres',
              },
            },
          }),
        );
        expect(source.orgId).toBe(gaOrg);
        const mount = await t.app.inject({
          method: 'POST',
          url: '/api/v1/exchange/mounts',
          headers: ga.headers,
          payload: {
            entryId: grant.entryId,
            sourceId: source.id,
            relation: 'public.resident',
            keyColumns: [`c${keyIndex}`],
            mapping: Object.fromEntries(entry.items.map((it, i) => [it.name, `c${i}`])),
          },
        });
        expect(mount.statusCode, mount.body).toBe(201);
        const job = await t.app.inject({
          method: 'POST',
          url: '/api/v1/exchange/sync-jobs',
          headers: mzAdmin.headers,
          payload: {
            grantId: grant.id,
            targetKind: 'postgres',
            targetConfig: { host: '127.0.0.1', database: DST_DB, user: 'postgres' },
            targetTable: 'public.resident_copy',
            mode: 'full',
          },
        });
        expect(job.statusCode, job.body).toBe(201);
        const jobId = json<{ id: string }>(job).id;
        const sync = syncServiceOf(t.services);
        const first = await sync.runJob(jobId);
        expect(first.status, first.error ?? '').toBe('succeeded');
        await sync.runJob(jobId);

        const runs = json<Page<{ outcome: string; rows: number | null; at: string }>>(
          await t.app.inject({
            url: `/api/v1/exchange/sync-jobs/${jobId}/runs?pageSize=1`,
            headers: mz.headers,
          }),
        );
        expect(runs.total).toBe(2);
        expect(runs.items).toHaveLength(1);
        expect(runs.items[0]).toMatchObject({ outcome: 'ok', rows: 250 });
        const jobs = json<Page<{ id: string; status: string; rowsDone: number }>>(
          await t.app.inject({
            url: '/api/v1/exchange/paged/sync-jobs?status=succeeded',
            headers: mz.headers,
          }),
        );
        expect(jobs.items.find((j) => j.id === jobId)).toMatchObject({ status: 'succeeded', rowsDone: 250 });
        // The provider's technical officer is not a party to the consumer's job.
        const denied = await t.app.inject({
          url: `/api/v1/exchange/sync-jobs/${jobId}/runs`,
          headers: ga.headers,
        });
        expect(denied.statusCode).toBe(403);
      } finally {
        await t.services.exchange.stop();
        await admin(`DROP DATABASE IF EXISTS ${SRC_DB} WITH (FORCE)`);
        await admin(`DROP DATABASE IF EXISTS ${DST_DB} WITH (FORCE)`);
      }
    },
    120_000,
  );
});

describe('the console under /exchange', () => {
  it('leaves /exchange/v1 to the gateway (problem+json, not the console page)', async () => {
    const r = await t.app.inject({ url: '/exchange/v1/whoami' });
    expect(r.statusCode).toBe(401);
    expect(r.headers['content-type']).toContain('json');
  });
});
