/** Test fixtures: a fresh database per test file (copied from the run's template), the app over it. */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { build } from '../src/app.js';
import { type Config, loadConfig } from '../src/config.js';
import { connect, type Db } from '../src/db/index.js';
import { DEMO_PASSWORD } from '../src/demo/index.js';
import { randomSecret } from '../src/kernel/ids.js';
import { feedFor } from '../src/modules/exchange/exchange.feed.js';
import { syncServiceOf } from '../src/modules/exchange/exchange.sync.js';
import { createServices, type ServiceOptions, type Services } from '../src/services.js';

export interface TestDb {
  db: Db;
  config: Config;
  dispose(): Promise<void>;
}

/** A fresh copy of the migrated, bootstrapped demo database. */
/** The secret-at-rest key of every test node (a fixed test value, never used outside tests). */
export const TEST_SECRET_KEY = '0123456789abcdef0123456789abcdef';

export async function testDb(envIn: NodeJS.ProcessEnv = {}): Promise<TestDb> {
  const env = { GOVSHARE_SECRET_KEY: TEST_SECRET_KEY, ...envIn };
  const databaseUrl = inject('databaseUrl');
  if (databaseUrl) {
    const name = `govshare_t_${process.pid}_${randomSecret(6)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, 'x')}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`create database "${name}" template "${inject('pgTemplate')}"`);
    await admin.end();
    const url = new URL(databaseUrl);
    url.pathname = `/${name}`;
    const config = loadConfig({ env: { ...env, DATABASE_URL: url.toString() } });
    const db = await connect(config, { poolSize: 5 });
    return {
      db,
      config,
      dispose: async () => {
        await db.close();
        const a = new pg.Client({ connectionString: databaseUrl });
        await a.connect();
        await a.query(`drop database if exists "${name}" with (force)`);
        await a.end();
      },
    };
  }
  const dump = await readFile(inject('pgliteDump'));
  const config = loadConfig({ env: { ...env, GOVSHARE_DATA_DIR: '/nonexistent-test-dir' } });
  const db = await connect(config, { memory: true, loadDataDir: new Blob([dump]) });
  return { db, config, dispose: () => db.close() };
}

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  db: Db;
  close(): Promise<void>;
}

export async function testApp(env: NodeJS.ProcessEnv = {}, options: ServiceOptions = {}): Promise<TestApp> {
  const t = await testDb({ LOG_LEVEL: 'silent', ...env });
  const services = createServices(t.config, t.db, options);
  const app = await build(services, { logger: false });
  return {
    app,
    services,
    db: t.db,
    close: async () => {
      await app.close();
      await feedFor(services).stop();
      await syncServiceOf(services).stop();
      await services.exchange.stop();
      await services.audit.stop();
      await t.dispose();
    },
  };
}

export interface Session {
  cookie: string;
  csrf: string;
  /** Headers for a request made with this session. */
  headers: Record<string, string>;
}

export async function login(
  app: FastifyInstance,
  username: string,
  password = DEMO_PASSWORD,
): Promise<Session> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
  });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const set = res.headers['set-cookie'];
  const raw = Array.isArray(set) ? set.join('; ') : String(set);
  const m = /gs_session=([^;]+)/.exec(raw);
  if (!m) throw new Error('no session cookie');
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  const cookie = `gs_session=${m[1]}`;
  return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
}

export function json<T>(res: LightMyRequestResponse): T {
  return res.json() as T;
}

/**
 * Whether a real department source server is reachable for the exchange tests: PostgreSQL at
 * GOVSHARE_TEST_SOURCE_URL (default the local server) or MySQL/MariaDB on 127.0.0.1:3306. A newcomer's
 * machine with only Node and npm skips those tests (and says so); CI, which runs both servers, fails
 * instead of skipping.
 */
export async function sourceServer(kind: 'postgres' | 'mysql'): Promise<boolean> {
  try {
    if (kind === 'postgres') {
      const c = new pg.Client({
        connectionString:
          process.env.GOVSHARE_TEST_SOURCE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
        connectionTimeoutMillis: 2_000,
      });
      await c.connect();
      await c.end();
    } else {
      const mysql = await import('mysql2/promise');
      const c = await mysql.createConnection({
        host: '127.0.0.1',
        port: 3306,
        user: 'root',
        connectTimeout: 2_000,
      });
      await c.end();
    }
    return true;
  } catch (e) {
    if (process.env.CI === 'true')
      throw new Error(`CI needs a ${kind} server for the exchange tests: ${(e as Error).message}`);
    process.stderr.write(
      `\n[skipped] no ${kind} server reachable: the exchange tests against a real ${kind} source are skipped.\n`,
    );
    return false;
  }
}

/**
 * Catalogues and publishes an entry through the API the way a department does it: its head creates it,
 * records the pre-issue assessments, approves and submits; the platform office publishes.
 */
export async function publishEntry(
  app: FastifyInstance,
  head: Session,
  office: Session,
  input: Record<string, unknown>,
): Promise<{ id: string; code: string }> {
  const post = async (s: Session, url: string, payload?: object) => {
    const r = await app.inject({ method: 'POST', url, headers: s.headers, ...(payload ? { payload } : {}) });
    if (r.statusCode >= 400) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
    return r;
  };
  const entry = json<{ id: string; code: string }>(await post(head, '/api/v1/catalog/entries', input));
  await post(head, `/api/v1/catalog/entries/${entry.id}/assessments`, {
    confidentiality: '不涉密',
    personalInformation: '最小必要',
  });
  await post(head, `/api/v1/catalog/entries/${entry.id}/approve`);
  await post(head, `/api/v1/catalog/entries/${entry.id}/submit`);
  await post(office, `/api/v1/catalog/entries/${entry.id}/publish`);
  return entry;
}

/**
 * Appends an 'x' to the action of audit event `seq`, wherever it is stored (its own row, or inside the
 * block of its group commit), with the append-only triggers out of the way — as an attacker with DBA
 * rights would do. Returns which store held it.
 */
export async function tamperAuditEvent(db: Db, seq: number): Promise<'row' | 'block'> {
  const k = db.kysely;
  const row = await k.selectFrom('audit_event_row').select('seq').where('seq', '=', seq).executeTakeFirst();
  if (row) {
    await sql`alter table audit_event_row disable trigger audit_event_no_update`.execute(k);
    await sql`update audit_event_row set action = action || 'x' where seq = ${seq}`.execute(k);
    await sql`alter table audit_event_row enable trigger audit_event_no_update`.execute(k);
    return 'row';
  }
  const block = await k
    .selectFrom('audit_block')
    .select(['first_seq', 'events'])
    .where('first_seq', '<=', seq)
    .where('last_seq', '>=', seq)
    .executeTakeFirstOrThrow();
  const events = JSON.parse(block.events) as { seq: number; action: string }[];
  const e = events.find((x) => x.seq === seq);
  if (!e) throw new Error(`event ${seq} is not in its block`);
  e.action += 'x';
  await sql`alter table audit_block disable trigger audit_block_no_update`.execute(k);
  await sql`update audit_block set events = ${JSON.stringify(events)} where first_seq = ${block.first_seq}`.execute(
    k,
  );
  await sql`alter table audit_block enable trigger audit_block_no_update`.execute(k);
  return 'block';
}
