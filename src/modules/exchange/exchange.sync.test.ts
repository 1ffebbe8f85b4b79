/**
 * Batch exchange (库表交换) against real databases: a 200,000-row PostgreSQL source of its own, target
 * databases of their own (PostgreSQL, and MariaDB/MySQL when one answers), and the worker as a real
 * child process that is SIGKILLed mid-run and restarted.
 *
 * The worker processes need a platform database a second process can open: PostgreSQL. When the suite
 * runs on PostgreSQL that is the file's own test database; when it runs on PGlite, the in-process tests
 * run on the PGlite platform as usual and the worker tests get a platform database of their own on the
 * local PostgreSQL (created, migrated, bootstrapped and demo-loaded here), since a PGlite data directory
 * cannot be opened by two processes. The worker is compiled once (tsc, ~5 s) into a private directory
 * under dist/ and run with plain node.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, type Session, sourceServer, TEST_SECRET_KEY, testApp } from '../../../test/helpers.js';
import { build } from '../../app.js';
import { loadConfig } from '../../config.js';
import { connect } from '../../db/index.js';
import { loadDemo } from '../../demo/index.js';
import { installProblemHandler } from '../../http/problem.js';
import { partialMask } from '../../kernel/masking.js';
import { SecretBox } from '../../kernel/secrets.js';
import { sm3Hex } from '../../kernel/sm3.js';
import { bootstrap, createServices, type Services } from '../../services.js';
import { installAuthentication } from '../auth/auth.routes.js';
import {
  JobLeasedError,
  type SyncJobView,
  syncServiceOf,
  type TransferJob,
  transfer,
} from './exchange.sync.js';
import { syncRoutes } from './exchange.sync.routes.js';

const PG_URL = process.env.GOVSHARE_TEST_SOURCE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MYSQL = { host: '127.0.0.1', port: 3306, user: 'root' };
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BUILD = join(ROOT, 'dist', `.sync-test-${process.pid}`);
const WORKER = join(BUILD, 'src', 'sync-worker.js');
const ROWS = 200_000;
const tag = `${process.pid}_${Date.now() % 100_000}`;

function urlOf(db: string): string {
  const u = new URL(PG_URL);
  u.pathname = `/${db}`;
  return u.toString();
}

async function adminQuery(text: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

async function client(db: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: urlOf(db) });
  await c.connect();
  return c;
}

/** A platform: the app, its services, the sync routes on an app of their own (the lead registers them). */
interface Platform {
  services: Services;
  app: FastifyInstance;
  routes: FastifyInstance;
  databaseUrl: string | null;
  close(): Promise<void>;
}

async function routesApp(services: Services): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  installProblemHandler(app, services.audit);
  await app.register(cookie);
  installAuthentication(app, services);
  await app.register(syncRoutes, { prefix: '/api/v1', services });
  await app.ready();
  return app;
}

async function suitePlatform(): Promise<Platform> {
  const t = await testApp();
  const routes = await routesApp(t.services);
  return {
    services: t.services,
    app: t.app,
    routes,
    databaseUrl: t.services.config.databaseUrl,
    close: async () => {
      await syncServiceOf(t.services).stop();
      await routes.close();
      await t.close();
    },
  };
}

/** A PostgreSQL platform of this file's own (for the worker processes when the suite runs on PGlite). */
async function pgPlatform(): Promise<Platform> {
  const name = `govshare_syncp_${tag}`;
  await adminQuery(`create database "${name}"`);
  const config = loadConfig({
    env: {
      DATABASE_URL: urlOf(name),
      GOVSHARE_SECRET_KEY: TEST_SECRET_KEY,
      GOVSHARE_DEMO: 'true',
      LOG_LEVEL: 'silent',
    },
  });
  const db = await connect(config, { poolSize: 5 });
  const services = createServices(config, db);
  await bootstrap(services);
  await loadDemo(services);
  const app = await build(services, { logger: false });
  const routes = await routesApp(services);
  return {
    services,
    app,
    routes,
    databaseUrl: config.databaseUrl,
    close: async () => {
      await syncServiceOf(services).stop();
      await routes.close();
      await app.close();
      await services.exchange.stop();
      await services.audit.stop();
      await db.close();
      await adminQuery(`drop database if exists "${name}" with (force)`);
    },
  };
}

const ITEMS = [
  { name: '编号', column: 'id', dataType: 'I', masking: 'none' },
  { name: '公民身份号码', column: 'id_number', dataType: 'C', length: 18, masking: 'partial' },
  { name: '姓名', column: 'full_name', dataType: 'C', length: 50, masking: 'hash' },
  { name: '联系电话', column: 'phone', dataType: 'C', length: 20, masking: 'redact' },
  { name: '积分', column: 'score', dataType: 'N', length: 12, masking: 'none' },
  { name: '出生日期', column: 'born', dataType: 'D', masking: 'none' },
  { name: '备注', column: 'note', dataType: 'C', length: 200, masking: 'none' },
] as const;

interface Provisioned {
  grantId: string;
  mzAdmin: Session;
  mzOfficer: Session;
  gaAdmin: Session;
  rsOfficer: Session;
  auditor: Session;
  admin: Session;
}

/** The provider publishes and mounts the resource; the consumer (民政局) gets a grant for a database copy. */
async function provision(p: Platform, srcDb: string): Promise<Provisioned> {
  const s = async (u: string) => login(p.app, u);
  const [gaAdmin, gaTech, mz, mzAdmin, admin, rsOfficer, auditor] = await Promise.all(
    ['ga_admin', 'ga_tech', 'mz_officer', 'mz_admin', 'admin', 'rs_officer', 'auditor'].map(s),
  );
  const post = async (who: Session | undefined, url: string, payload?: object) => {
    const r = await p.app.inject({
      method: 'POST',
      url,
      headers: who?.headers ?? {},
      ...(payload ? { payload } : {}),
    });
    if (r.statusCode >= 300) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
    return r;
  };
  const gaOrg = json<{ activeOrgId: string }>(
    await p.app.inject({ url: '/api/v1/auth/me', headers: gaAdmin?.headers ?? {} }),
  ).activeOrgId;
  const entry = json<{ id: string }>(
    await post(gaAdmin, '/api/v1/catalog/entries', {
      classCode: '301900',
      className: '部门信息资源/公安/库表交换测试',
      name: '人口库表交换测试资源',
      providerOrgId: gaOrg,
      summary: '库表交换集成测试',
      formatCategory: 'database',
      formatType: 'PostgreSQL',
      shareType: 'conditional',
      shareConditionScope: '政务部门',
      shareConditionUse: '业务协同',
      shareModes: ['database', 'api'],
      openType: 'not_open',
      updateCycle: 'daily',
      dataGrade: 'important',
      items: ITEMS.map((i) => ({
        name: i.name,
        dataType: i.dataType,
        ...('length' in i ? { length: i.length } : {}),
        sensitivity: i.masking === 'none' ? 'internal' : 'sensitive',
        masking: i.masking,
      })),
    }),
  );
  await post(gaAdmin, `/api/v1/catalog/entries/${entry.id}/assessments`, {
    confidentiality: '不涉密',
    personalInformation: '最小必要',
  });
  await post(gaAdmin, `/api/v1/catalog/entries/${entry.id}/approve`);
  await post(gaAdmin, `/api/v1/catalog/entries/${entry.id}/submit`);
  await post(admin, `/api/v1/catalog/entries/${entry.id}/publish`);
  const src = new URL(urlOf(srcDb));
  const source = json<{ id: string }>(
    await post(gaTech, '/api/v1/exchange/sources', {
      name: '公安人口库（库表交换测试）',
      kind: 'postgres',
      config: { host: src.hostname, port: Number(src.port || 5432), database: srcDb, user: src.username },
      secret: 'source-pass-not-needed',
    }),
  );
  await post(gaTech, '/api/v1/exchange/mounts', {
    entryId: entry.id,
    sourceId: source.id,
    relation: 'public.resident',
    keyColumns: ['id'],
    mapping: Object.fromEntries(ITEMS.map((i) => [i.name, i.column])),
    watermarkColumn: 'updated_at',
  });
  const sys = json<{ id: string }>(
    await post(mzAdmin, '/api/v1/systems', { code: `mz-sync-${tag}`, name: '救助库' }),
  );
  const app = json<{ id: string }>(
    await post(mz, '/api/v1/sharing/applications', {
      entryId: entry.id,
      requestedItems: ITEMS.map((i) => i.name),
      basis: '《社会救助暂行办法》第十一条',
      scenario: '低保对象信息比对',
      purposeCategory: 'business_collaboration',
      purpose: '低保审核比对',
      scope: '社会救助科',
      accessMode: 'database',
      periodFrom: '2026-01-01',
      periodTo: '2027-12-31',
      consumerSystemId: sys.id,
      attested: true,
    }),
  );
  const act = (who: Session | undefined, a: string, payload: object = {}) =>
    post(who, `/api/v1/sharing/applications/${app.id}/actions/${a}`, payload);
  await act(mz, 'submit');
  await act(mzAdmin, 'internal_approve');
  await act(gaAdmin, 'approve', { dailyQuota: 100 });
  const grantId = json<{ grantId: string }>(await act(gaAdmin, 'supply', { dailyQuota: 100 })).grantId;
  const need = (x: Session | undefined) => {
    if (!x) throw new Error('login failed');
    return x;
  };
  return {
    grantId,
    mzAdmin: need(mzAdmin),
    mzOfficer: need(mz),
    gaAdmin: need(gaAdmin),
    rsOfficer: need(rsOfficer),
    auditor: need(auditor),
    admin: need(admin),
  };
}

type Row = (string | null)[];

/** What the consumer must hold for a source row: granted items only, masked as granted. */
function expected(src: Row, grantId: string): Row {
  const [id, idNumber, name, , score, born, note] = src;
  return [
    id ?? null,
    idNumber ? `${idNumber.slice(0, 6)}********${idNumber.slice(14)}` : null,
    name ? createHmac('sm3', grantId).update(name).digest('hex') : null,
    null,
    score ?? null,
    born ?? null,
    note ?? null,
  ];
}

const SOURCE_SELECT =
  'select r.id::text, id_number, full_name, phone, score::text, born::text, note from resident r where r.id > $1 order by r.id limit $2';

/** Compares the whole target with the masked source, by id, in chunks; returns the rows compared. */
async function compareAll(
  src: pg.Client,
  target: (afterId: string, limit: number) => Promise<Row[]>,
  grantId: string,
): Promise<number> {
  let after = '0';
  let compared = 0;
  const mismatches: string[] = [];
  for (;;) {
    const s = (await src.query<Row>({ text: SOURCE_SELECT, values: [after, 20_000], rowMode: 'array' })).rows;
    const t = await target(after, 20_000);
    for (let i = 0; i < Math.max(s.length, t.length); i++) {
      const want = s[i] ? expected(s[i] as Row, grantId) : null;
      const got = t[i] ?? null;
      if (JSON.stringify(want) !== JSON.stringify(got) && mismatches.length < 5)
        mismatches.push(`want ${JSON.stringify(want)} got ${JSON.stringify(got)}`);
    }
    compared += t.length;
    expect(mismatches).toEqual([]);
    expect(t.length).toBe(s.length);
    if (s.length < 20_000) break;
    after = (s[s.length - 1] as Row)[0] as string;
  }
  return compared;
}

const pgTarget =
  (c: pg.Client, table: string) =>
  async (after: string, limit: number): Promise<Row[]> =>
    (
      await c.query<Row>({
        text: `select t.id::text, id_number, full_name, phone, score::text, born::text, note from ${table} t where t.id > $1 order by t.id limit $2`,
        values: [after, limit],
        rowMode: 'array',
      })
    ).rows;

async function state(c: pg.Client, jobId: string) {
  const r = await c.query<{ rows: string; pass: number; complete: boolean }>(
    'select "rows", pass, complete from govshare_sync_state where job_id = $1',
    [jobId],
  );
  const s = r.rows[0];
  return s ? { rows: Number(s.rows), pass: s.pass, complete: s.complete } : null;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function startWorker(platformUrl: string, args: string[]): { child: ChildProcess; exit: Promise<Exit> } {
  const child = spawn(process.execPath, [WORKER, ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: platformUrl,
      GOVSHARE_SECRET_KEY: TEST_SECRET_KEY,
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exit = new Promise<Exit>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, exit: exit.then((e) => ({ ...e, stdout, stderr })) };
}

function buildWorker(): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      join(ROOT, 'node_modules', '.bin', 'tsc'),
      ['-p', 'tsconfig.build.json', '--outDir', BUILD],
      { cwd: ROOT },
      (e, stdout, stderr) => {
        // Other files' type errors do not stop the emit; the worker's JavaScript is what counts.
        if (existsSync(WORKER)) resolve();
        else reject(new Error(`tsc did not emit the worker: ${e?.message ?? ''} ${stdout} ${stderr}`));
      },
    );
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const available = await sourceServer('postgres');

describe.runIf(available)('batch exchange (库表交换) between real databases', () => {
  const srcDb = `govshare_syncsrc_${tag}`;
  const tgtDb = `govshare_synctgt_${tag}`;
  const myDb = `govshare_sync_${tag}`;
  let built: Promise<void>;
  let suite: Platform;
  let workers: Platform;
  let own: Provisioned;
  let wp: Provisioned;
  let src: pg.Client;
  let tgt: pg.Client;
  let my: mysql.Connection | null = null;
  let fullJob: SyncJobView;
  const timings: Record<string, number> = {};

  const target = (over: object = {}) => ({
    targetKind: 'postgres',
    targetConfig: {
      host: new URL(PG_URL).hostname,
      port: Number(new URL(PG_URL).port || 5432),
      database: tgtDb,
      user: 'postgres',
    },
    mode: 'full',
    ...over,
  });

  beforeAll(async () => {
    built = buildWorker();
    built.catch(() => undefined);
    let t0 = Date.now();
    await adminQuery(`create database "${srcDb}"`);
    await adminQuery(`create database "${tgtDb}"`);
    src = await client(srcDb);
    await src.query(`create table resident (
        id bigint primary key, id_number text not null, full_name text not null, phone text,
        score numeric(12,2), born date, note text, updated_at timestamptz not null)`);
    // Watermarks repeat (777 rows share one), so chunk boundaries fall inside runs of equal watermarks.
    await src.query(`insert into resident
        select i, '420102' || lpad(i::text, 11, '0') || (i % 10)::text, '测试' || i, '138' || lpad(i::text, 8, '0'),
               (i % 100000) / 100.0, date '1950-01-01' + (i % 20000),
               case when i % 7 = 0 then null
                    when i % 1000 = 1 then E'tab\\there\\nline \\\\ back "q" ''s'
                    else '备注' || i end,
               timestamptz '2026-01-01 00:00:00+08' + (i / 777) * interval '1 second'
          from generate_series(1, ${ROWS}) i`);
    await src.query('create index on resident (updated_at, id)');
    tgt = await client(tgtDb);
    timings.sourceSeconds = (Date.now() - t0) / 1000;
    t0 = Date.now();
    suite = await suitePlatform();
    own = await provision(suite, srcDb);
    if (suite.databaseUrl) {
      workers = suite;
      wp = own;
    } else {
      workers = await pgPlatform();
      wp = await provision(workers, srcDb);
    }
    timings.platformsSeconds = (Date.now() - t0) / 1000;
    try {
      my = await mysql.createConnection({ ...MYSQL, charset: 'utf8mb4' });
      await my.query(`create database \`${myDb}\` character set utf8mb4`);
    } catch {
      my = null;
    }
  }, 300_000);

  afterAll(async () => {
    process.stdout.write(`exchange.sync timings: ${JSON.stringify(timings)}\n`);
    if (workers && workers !== suite) await workers.close();
    await suite?.close();
    await src?.end();
    await tgt?.end();
    if (my) {
      await my.query(`drop database if exists \`${myDb}\``).catch(() => undefined);
      await my.end();
    }
    await adminQuery(`drop database if exists "${srcDb}" with (force)`);
    await adminQuery(`drop database if exists "${tgtDb}" with (force)`);
    rmSync(BUILD, { recursive: true, force: true });
  }, 120_000);

  it('lets only the consumer set up a job, validates it, and never shows the password', async () => {
    const post = (who: Session, payload: object) =>
      suite.routes.inject({
        method: 'POST',
        url: '/api/v1/exchange/sync-jobs',
        headers: who.headers,
        payload,
      });
    const input = {
      grantId: own.grantId,
      ...target({ targetTable: 'public.resident_copy', targetSecret: 'target-pass-never-shown' }),
    };
    // A data officer may not write exchange settings; the provider is not the consumer.
    expect((await post(own.mzOfficer, input)).statusCode).toBe(403);
    expect((await post(own.gaAdmin, input)).statusCode).toBe(403);
    const bad = await post(own.mzAdmin, { ...input, targetTable: 'resident; drop table x' });
    expect(bad.statusCode).toBe(400);
    expect(json<{ fields: { field: string }[] }>(bad).fields.map((f) => f.field)).toContain('targetTable');
    const created = await post(own.mzAdmin, input);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.body).not.toContain('target-pass-never-shown');
    fullJob = json<SyncJobView>(created);
    expect(fullJob).toMatchObject({ status: 'idle', hasTargetSecret: true, mode: 'full', rowsDone: 0 });

    const list = async (who: Session) =>
      json<SyncJobView[]>(
        await suite.routes.inject({ url: '/api/v1/exchange/sync-jobs', headers: who.headers }),
      ).map((j) => j.id);
    expect(await list(own.mzAdmin)).toContain(fullJob.id);
    expect(await list(own.auditor)).toContain(fullJob.id);
    expect(await list(own.gaAdmin)).not.toContain(fullJob.id);
    const other = await suite.routes.inject({
      url: `/api/v1/exchange/sync-jobs/${fullJob.id}`,
      headers: own.rsOfficer.headers,
    });
    expect(other.statusCode).toBe(403);
    await suite.services.audit.drain();
    const ev = await suite.services.db.kysely
      .selectFrom('audit_event')
      .select(['detail'])
      .where('action', '=', 'exchange.sync.create')
      .where('object_id', '=', fullJob.id)
      .execute();
    expect(ev).toHaveLength(1);
    expect(JSON.stringify(ev[0]?.detail)).not.toContain('target-pass-never-shown');
  });

  it('copies the granted items, masked as granted, into a table it creates (in process)', async () => {
    const t0 = Date.now();
    const run = await suite.routes.inject({
      method: 'POST',
      url: `/api/v1/exchange/sync-jobs/${fullJob.id}/run`,
      headers: own.mzAdmin.headers,
    });
    expect(run.statusCode, run.body).toBe(202);
    await syncServiceOf(suite.services).idle();
    timings.fullInProcessSeconds = (Date.now() - t0) / 1000;
    const view = json<SyncJobView>(
      await suite.routes.inject({
        url: `/api/v1/exchange/sync-jobs/${fullJob.id}`,
        headers: own.mzAdmin.headers,
      }),
    );
    expect(view, view.lastError ?? '').toMatchObject({
      status: 'succeeded',
      rowsDone: ROWS,
      rowsTotal: ROWS,
    });
    const cols = await tgt.query<{ name: string; note: string | null }>(
      `select attname as name, col_description(attrelid, attnum) as note from pg_attribute
        where attrelid = 'public.resident_copy'::regclass and attnum > 0 and not attisdropped order by attnum`,
    );
    expect(cols.rows.map((c) => c.name)).toEqual(ITEMS.map((i) => i.column));
    expect(cols.rows[1]?.note).toBe('公民身份号码 (partial)');
    const pk = await tgt.query<{ def: string }>(
      "select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = 'public.resident_copy'::regclass and contype = 'p'",
    );
    expect(pk.rows[0]?.def).toBe('PRIMARY KEY (id)');
    expect(await compareAll(src, pgTarget(tgt, 'public.resident_copy'), own.grantId)).toBe(ROWS);
    expect(await state(tgt, fullJob.id)).toEqual({ rows: ROWS, pass: 1, complete: true });
  }, 180_000);

  it('lets one worker hold a job at a time; a full run copies everything again without duplicates', async () => {
    const sync = syncServiceOf(suite.services);
    const [a, b] = await Promise.allSettled([
      sync.runJob(fullJob.id, 'worker-a', { chunkRows: 20_000 }),
      sync.runJob(fullJob.id, 'worker-b', { chunkRows: 20_000 }),
    ]);
    const results = [a, b];
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(JobLeasedError);
    expect((won[0] as PromiseFulfilledResult<{ rowsThisRun: number }>).value.rowsThisRun).toBe(ROWS);
    expect(await state(tgt, fullJob.id)).toEqual({ rows: ROWS, pass: 2, complete: true });
    const n = await tgt.query<{ n: string }>('select count(*) as n from public.resident_copy');
    expect(Number(n.rows[0]?.n)).toBe(ROWS);
  }, 180_000);

  it('copies into MySQL with batched upserts and the same control row', async (ctx) => {
    if (!my) ctx.skip();
    const conn = my as mysql.Connection;
    const sync = syncServiceOf(suite.services);
    const me = await suite.app.inject({ url: '/api/v1/auth/me', headers: own.mzAdmin.headers });
    const mzOrg = json<{ activeOrgId: string }>(me).activeOrgId;
    const created = await suite.routes.inject({
      method: 'POST',
      url: '/api/v1/exchange/sync-jobs',
      headers: own.mzAdmin.headers,
      payload: {
        grantId: own.grantId,
        targetKind: 'mysql',
        targetConfig: { host: MYSQL.host, port: MYSQL.port, database: myDb, user: MYSQL.user },
        targetTable: 'resident_copy',
        mode: 'incremental',
        scheduleMinutes: 60,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const job = json<SyncJobView>(created);
    expect(job.consumerOrgId).toBe(mzOrg);
    const t0 = Date.now();
    const r = await sync.runJob(job.id);
    timings.mysqlSeconds = (Date.now() - t0) / 1000;
    expect(r, r.error ?? '').toMatchObject({ status: 'succeeded', rowsThisRun: ROWS });
    const fromMysql = async (after: string, limit: number): Promise<Row[]> => {
      const [rows] = await conn.query(
        {
          sql: `select cast(id as char), id_number, full_name, phone, cast(score as char), cast(born as char), note
                  from \`${myDb}\`.resident_copy t where t.id > ? order by t.id limit ?`,
          rowsAsArray: true,
        },
        [after, limit],
      );
      return (rows as unknown[][]).map((row) => row.map((v) => (v === null ? null : String(v))));
    };
    expect(await compareAll(src, fromMysql, own.grantId)).toBe(ROWS);
    const [st] = await conn.query(
      `select \`rows\`, pass, complete from \`${myDb}\`.govshare_sync_state where job_id = ?`,
      [job.id],
    );
    expect((st as { rows: number; pass: number; complete: number }[])[0]).toMatchObject({
      pass: 1,
      complete: 1,
    });
    expect(Number((st as { rows: number }[])[0]?.rows)).toBe(ROWS);
    const view = await sync.get(job.id);
    expect(view.nextRunAt).not.toBeNull();
  }, 180_000);

  it('transfer() from a MySQL source, with a hashed key: interrupted, it resumes from the sealed position', async (ctx) => {
    if (!my) ctx.skip();
    const conn = my as mysql.Connection;
    await conn.query(`create table \`${myDb}\`.people (
        code varchar(20) primary key, name varchar(50) not null, amount decimal(10,2), flag tinyint(1),
        seen datetime(6), doc json, raw varbinary(16), changed datetime(6) not null)`);
    await conn.query(`insert into \`${myDb}\`.people
        select concat('C', lpad(n, 8, '0')), concat('欧阳', n), n / 4, n % 2, '2026-03-04 05:06:07.000008',
               json_object('n', n, 's', 'x\\ty'), unhex(lpad(hex(n), 8, '0')),
               timestamp '2026-01-01 00:00:00' + interval (n div 333) second
          from (select a.i * 100 + b.i as n
                  from (with recursive s(i) as (select 0 union all select i + 1 from s where i < 99) select i from s) a
                  cross join (with recursive s(i) as (select 0 union all select i + 1 from s where i < 99) select i from s) b) q`);
    const grantId = '6f1d8c1e-2b7a-4c55-9a57-3d2a1b0c9e88';
    const job: TransferJob = {
      jobId: `script-${tag}`,
      grantId,
      mode: 'incremental',
      source: {
        kind: 'mysql',
        config: { host: MYSQL.host, port: MYSQL.port, database: myDb, user: MYSQL.user },
        password: null,
        relation: 'people',
        keyColumns: ['code'],
        watermarkColumn: 'changed',
      },
      target: {
        kind: 'postgres',
        config: {
          host: new URL(PG_URL).hostname,
          port: Number(new URL(PG_URL).port || 5432),
          database: tgtDb,
          user: 'postgres',
        },
        password: null,
        table: 'people_copy',
      },
      items: [
        { item: '代码', column: 'code', masking: 'hash' },
        { item: '姓名', column: 'name', masking: 'partial' },
        { item: '金额', column: 'amount', masking: 'none' },
        { item: '标志', column: 'flag', masking: 'none' },
        { item: '时间', column: 'seen', masking: 'none' },
        { item: '文档', column: 'doc', masking: 'none' },
        { item: '原始', column: 'raw', masking: 'none' },
      ],
      box: new SecretBox(TEST_SECRET_KEY),
    };
    const stop = new AbortController();
    let chunks = 0;
    await expect(
      transfer(job, {
        chunkRows: 1000,
        signal: stop.signal,
        onProgress: async () => {
          if (++chunks === 4) stop.abort();
        },
      }),
    ).rejects.toThrow();
    const mid = await tgt.query<{ n: string; r: string; k: string }>(
      `select (select count(*) from people_copy) as n, s."rows" as r, s."key" as k
         from govshare_sync_state s where job_id = $1`,
      [job.jobId],
    );
    expect(Number(mid.rows[0]?.n)).toBe(3000);
    expect(Number(mid.rows[0]?.r)).toBe(3000);
    // The raw key never reaches the consumer: the position of a hashed key is sealed with the node's key.
    expect(mid.rows[0]?.k).toMatch(/^sm4ctr-hsm3\$/);
    const done = await transfer(job, { chunkRows: 1000 });
    expect(done).toMatchObject({ resumed: true, rowsThisRun: 7000, rowsDone: 10_000, complete: true });
    const [rows] = await conn.query(
      `select code, name, amount, flag, cast(seen as char) as seen, doc, hex(raw) as raw from \`${myDb}\`.people`,
    );
    const want = new Map(
      (
        rows as {
          code: string;
          name: string;
          amount: string;
          flag: number;
          seen: string;
          doc: object;
          raw: string;
        }[]
      ).map((r) => [
        createHmac('sm3', grantId).update(r.code).digest('hex'),
        [
          partialMask(r.name),
          r.amount,
          String(r.flag),
          r.seen,
          typeof r.doc === 'string' ? (JSON.parse(r.doc) as object) : r.doc,
          r.raw.toLowerCase(),
        ],
      ]),
    );
    const got = await tgt.query<{
      code: string;
      name: string;
      amount: string;
      flag: string;
      seen: string;
      doc: string;
      raw: string;
    }>(
      `select code, name, amount::text, flag::text, to_char(seen, 'YYYY-MM-DD HH24:MI:SS.US') as seen, doc::text,
              encode(raw, 'hex') as raw from people_copy`,
    );
    expect(got.rows).toHaveLength(10_000);
    let bad = 0;
    for (const r of got.rows) {
      const w = want.get(r.code);
      const g = [r.name, r.amount, r.flag, r.seen, JSON.parse(r.doc) as object, r.raw];
      if (JSON.stringify(w) !== JSON.stringify(g) && bad++ < 3) expect(g).toEqual(w);
    }
    expect(bad).toBe(0);
  }, 120_000);

  it('transfer() into an empty table COPYs straight into it, resumes, and upserts a chunk that conflicts', async () => {
    // Keys with a quote, a backslash, a tab, a newline and a CJK character (the position goes into the
    // COPY query as literals); values with escapes, NULLs and CJK text (masked on the way).
    const n = 1000;
    const keys = Array.from({ length: n }, (_, i) => `${String(i + 1).padStart(4, '0')}'q\\ \t键\n`);
    const values = Array.from({ length: n }, (_, i) =>
      i % 10 === 0
        ? null
        : i % 10 === 1
          ? `back\\slash\ttab\nline\r${i}`
          : i % 10 === 2
            ? `张三丰${i}`
            : `value-${i}`,
    );
    await src.query('create table odd (k text primary key, v text, n integer, wm timestamptz not null)');
    await src.query(
      'insert into odd select * from unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[])',
      [
        keys,
        values,
        keys.map((_, i) => i),
        keys.map((_, i) => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString()),
      ],
    );
    const endpoint = (database: string) => ({
      kind: 'postgres' as const,
      config: {
        host: new URL(PG_URL).hostname,
        port: Number(new URL(PG_URL).port || 5432),
        database,
        user: 'postgres',
      },
      password: null,
    });
    const job = (table: string, mode: 'full' | 'incremental'): TransferJob => ({
      jobId: `odd-${table}-${tag}`,
      grantId: own.grantId,
      mode,
      source: { ...endpoint(srcDb), relation: 'odd', keyColumns: ['k'], watermarkColumn: 'wm' },
      target: { ...endpoint(tgtDb), table },
      items: [
        { item: '键', column: 'k', masking: 'none' },
        { item: '值', column: 'v', masking: 'partial' },
        { item: '数', column: 'n', masking: 'none' },
      ],
    });
    const compare = async (table: string) => {
      const want = new Map<string, unknown[]>();
      for (const r of (await src.query<{ k: string; v: string | null; n: number }>('select k, v, n from odd'))
        .rows)
        want.set(r.k, [r.v === null ? null : partialMask(r.v), r.n]);
      const got = (
        await tgt.query<{ k: string; v: string | null; n: number }>(`select k, v, n from ${table}`)
      ).rows;
      expect(got).toHaveLength(want.size);
      const bad = got.filter((r) => JSON.stringify(want.get(r.k)) !== JSON.stringify([r.v, r.n]));
      expect(bad.slice(0, 3)).toEqual([]);
    };
    const control = async (jobId: string) =>
      (
        await tgt.query<{ rows: string; fresh: boolean; complete: boolean; pass: number }>(
          'select "rows", fresh, complete, pass from govshare_sync_state where job_id = $1',
          [jobId],
        )
      ).rows[0];

    // A full first pass, stopped after three chunks (a crash between chunks), then resumed.
    const full = job('odd_copy', 'full');
    const stop = new AbortController();
    let calls = 0;
    await expect(
      transfer(full, {
        chunkRows: 100,
        signal: stop.signal,
        onProgress: async () => {
          if (++calls === 4) stop.abort();
        },
      }),
    ).rejects.toThrow();
    const mid = await tgt.query<{ n: string }>('select count(*) as n from odd_copy');
    expect(Number(mid.rows[0]?.n)).toBe(300);
    expect(await control(full.jobId)).toMatchObject({ rows: '300', fresh: true, complete: false });
    const resumed = await transfer(full, { chunkRows: 100 });
    expect(resumed).toMatchObject({ resumed: true, rowsThisRun: 700, rowsDone: n, complete: true });
    expect(await control(full.jobId)).toMatchObject({ rows: String(n), fresh: true, complete: true });
    await compare('odd_copy');
    // The next pass finds the table full: upserts, nothing duplicated.
    const again = await transfer(full, { chunkRows: 100 });
    expect(again).toMatchObject({ resumed: false, rowsThisRun: n, pass: 2 });
    expect(await control(full.jobId)).toMatchObject({ rows: String(n), fresh: false, pass: 2 });
    await compare('odd_copy');

    // An incremental first pass during which a copied row changes: it comes again at the end of the
    // order, its chunk's COPY meets its key, and that chunk (and the rest of the pass) is upserted.
    const inc = job('odd_inc', 'incremental');
    calls = 0;
    const done = await transfer(inc, {
      chunkRows: 100,
      onProgress: async () => {
        if (++calls === 3)
          await src.query(
            `update odd set v = 'changed-' || n, wm = (select max(wm) from odd) + interval '1 hour' where n = 5`,
          );
      },
    });
    expect(done).toMatchObject({ rowsThisRun: n + 1, complete: true });
    expect(await control(inc.jobId)).toMatchObject({ fresh: false, complete: true });
    await compare('odd_inc');
    const changed = await tgt.query<{ v: string }>('select v from odd_inc where n = 5');
    expect(changed.rows[0]?.v).toBe(partialMask('changed-5'));

    // The fence: a control row moved by someone else stops the worker before its next chunk lands.
    const fenced = job('odd_fenced', 'full');
    calls = 0;
    await expect(
      transfer(fenced, {
        chunkRows: 100,
        onProgress: async () => {
          if (++calls === 2)
            await tgt.query('update govshare_sync_state set seq = seq + 1 where job_id = $1', [fenced.jobId]);
        },
      }),
    ).rejects.toThrow(/moved under this worker/);
    const kept = await tgt.query<{ n: string }>('select count(*) as n from odd_fenced');
    expect(Number(kept.rows[0]?.n)).toBe(100);
    expect(await control(fenced.jobId)).toMatchObject({ rows: '100', complete: false });
  }, 120_000);

  describe('the worker process', () => {
    let incJob: SyncJobView;

    const create = async (payload: object): Promise<SyncJobView> => {
      const r = await workers.routes.inject({
        method: 'POST',
        url: '/api/v1/exchange/sync-jobs',
        headers: wp.mzAdmin.headers,
        payload: { grantId: wp.grantId, ...payload },
      });
      if (r.statusCode !== 201) throw new Error(r.body);
      return json<SyncJobView>(r);
    };

    it('resumes after SIGKILL from the last committed chunk: nothing lost, nothing duplicated', async () => {
      await built;
      const url = workers.databaseUrl as string;
      incJob = await create(target({ targetTable: 'public.resident_inc', mode: 'incremental' }));
      const args = [incJob.id, '--chunk-rows', '4000', '--lease-seconds', '3'];
      const t0 = Date.now();
      const first = startWorker(url, args);
      // Wait until some chunks, not all, are on the target; then kill the worker without warning.
      let seen = null as Awaited<ReturnType<typeof state>>;
      for (let i = 0; i < 2000; i++) {
        seen = await state(tgt, incJob.id).catch(() => null);
        if (seen && seen.rows >= 12_000) break;
        await sleep(20);
      }
      first.child.kill('SIGKILL');
      const killed = await first.exit;
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      // A COMMIT already on the wire may still land: let the server settle the dead session first.
      await sleep(300);
      // Data and position committed together: whatever the moment of the kill, they agree.
      const at = await tgt.query<{ n: string; r: string }>(
        `select (select count(*) from public.resident_inc) as n,
                (select "rows" from govshare_sync_state where job_id = $1) as r`,
        [incJob.id],
      );
      const n = Number(at.rows[0]?.n);
      expect(n).toBe(Number(at.rows[0]?.r));
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThan(ROWS);
      timings.killedAtRows = n;
      // The first pass into the new table COPYs straight into it (no upserts): the kill hit that path.
      const fresh = await tgt.query<{ fresh: boolean }>(
        'select fresh from govshare_sync_state where job_id = $1',
        [incJob.id],
      );
      expect(fresh.rows[0]?.fresh).toBe(true);
      const interrupted = syncServiceOf(workers.services);
      // The dead worker's lease lapses; a new worker waits for that, then resumes.
      const second = startWorker(url, [...args, '--wait', '30']);
      const done = await second.exit;
      timings.killAndResumeSeconds = (Date.now() - t0) / 1000;
      expect(done.code, done.stderr).toBe(0);
      expect(done.stdout).toContain('(resumed)');
      expect(done.stdout).toContain(`${ROWS - n} rows this run`);
      expect(await state(tgt, incJob.id)).toEqual({ rows: ROWS, pass: 1, complete: true });
      expect(await compareAll(src, pgTarget(tgt, 'public.resident_inc'), wp.grantId)).toBe(ROWS);
      const view = await interrupted.get(incJob.id);
      expect(view).toMatchObject({ status: 'succeeded', rowsDone: ROWS, leaseOwner: null });
      expect(view.lastWatermark).toMatch(/^2025-12-31 16:0\d:\d\d\+00$/);
    }, 240_000);

    it('an incremental run copies only the rows changed or added since', async () => {
      const url = workers.databaseUrl as string;
      // 500 changed rows and 300 new ones, with microsecond watermarks after every existing one.
      await src.query(`update resident set full_name = full_name || '改', phone = null,
          updated_at = (select max(updated_at) from resident) + interval '1 hour' + id * interval '1 microsecond'
        where id % 400 = 1`);
      await src.query(`insert into resident
          select i, '420102' || lpad(i::text, 11, '0') || (i % 10)::text, '新增' || i, null, 1.5, date '2000-02-29', null,
                 (select max(updated_at) from resident) + interval '1 hour' + i * interval '1 microsecond'
            from generate_series(${ROWS + 1}, ${ROWS + 300}) i`);
      const t0 = Date.now();
      const run = await startWorker(url, [incJob.id, '--chunk-rows', '128']).exit;
      timings.incrementalSeconds = (Date.now() - t0) / 1000;
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('800 rows this run');
      expect(await state(tgt, incJob.id)).toEqual({ rows: 800, pass: 2, complete: true });
      expect(await compareAll(src, pgTarget(tgt, 'public.resident_inc'), wp.grantId)).toBe(ROWS + 300);
      // Nothing new: the next run copies nothing.
      const again = await startWorker(url, [incJob.id]).exit;
      expect(again.stdout).toContain('0 rows this run');
    }, 120_000);

    it('two workers started at once on one job: one runs it, the other exits saying it is leased', async () => {
      const url = workers.databaseUrl as string;
      const job = await create(target({ targetTable: 'public.resident_twice' }));
      const t0 = Date.now();
      const [a, b] = await Promise.all([
        startWorker(url, [job.id, '--chunk-rows', '5000']).exit,
        startWorker(url, [job.id, '--chunk-rows', '5000']).exit,
      ]);
      timings.fullWorkerSeconds = (Date.now() - t0) / 1000;
      const codes = [a.code, b.code].sort();
      expect(codes, `${a.stderr}\n${b.stderr}`).toEqual([0, 3]);
      const loser = a.code === 3 ? a : b;
      expect(loser.stderr).toMatch(/leased by/);
      const n = await tgt.query<{ n: string }>('select count(*) as n from public.resident_twice');
      expect(Number(n.rows[0]?.n)).toBe(ROWS + 300);
      expect(await state(tgt, job.id)).toEqual({ rows: ROWS + 300, pass: 1, complete: true });
    }, 180_000);

    it('a file target killed mid-run shows no part; the resumed run publishes every row exactly once', async () => {
      const url = workers.databaseUrl as string;
      const job = await create({ targetKind: 'file', targetTable: 'resident_csv', mode: 'incremental' });
      const platform = new pg.Client({ connectionString: url });
      await platform.connect();
      try {
        const fileState = async () => {
          const r = await platform.query<{ rows: string; pass: number; complete: boolean }>(
            'select "rows", pass, complete from exchange_sync_file_state where job_id = $1',
            [job.id],
          );
          const x = r.rows[0];
          return x ? { rows: Number(x.rows), pass: x.pass, complete: x.complete } : null;
        };
        const visibleParts = async () =>
          (
            await platform.query<{ n: string }>(
              'select count(*) as n from exchange_sync_file_part where job_id = $1',
              [job.id],
            )
          ).rows[0]?.n;
        const args = [job.id, '--chunk-rows', '4000', '--lease-seconds', '3'];
        const first = startWorker(url, args);
        let seen: Awaited<ReturnType<typeof fileState>> = null;
        for (let i = 0; i < 2000; i++) {
          seen = await fileState().catch(() => null);
          if (seen && seen.rows >= 12_000) break;
          await sleep(20);
        }
        first.child.kill('SIGKILL');
        const killed = await first.exit;
        expect(killed.signal, killed.stderr).toBe('SIGKILL');
        await sleep(300);
        // Chunks and position committed together; nothing published yet.
        const at = await platform.query<{ staged: string; pos: string }>(
          `select (select coalesce(sum("rows"), 0) from exchange_sync_file_chunk where job_id = $1) as staged,
                  (select "rows" from exchange_sync_file_state where job_id = $1) as pos`,
          [job.id],
        );
        const staged = Number(at.rows[0]?.staged);
        expect(staged).toBe(Number(at.rows[0]?.pos));
        expect(staged).toBeGreaterThan(0);
        expect(staged).toBeLessThan(ROWS + 300);
        expect(Number(await visibleParts())).toBe(0);
        const second = startWorker(url, [...args, '--wait', '30']);
        const done = await second.exit;
        expect(done.code, done.stderr).toBe(0);
        expect(done.stdout).toContain('(resumed)');
        expect(done.stdout).toContain(`${ROWS + 300 - staged} rows this run`);
        expect(await fileState()).toEqual({ rows: ROWS + 300, pass: 1, complete: true });
        // One part, whole: every row once, the digest of its bytes recorded.
        const part = await platform.query<{ rows: number; sm3: string; data: Buffer }>(
          'select "rows", sm3, data from exchange_sync_file_part where job_id = $1',
          [job.id],
        );
        expect(part.rows).toHaveLength(1);
        const p0 = part.rows[0] as { rows: number; sm3: string; data: Buffer };
        expect(p0.rows).toBe(ROWS + 300);
        expect(sm3Hex(p0.data)).toBe(p0.sm3);
        const lines = p0.data
          .toString('utf8')
          .split('\r\n')
          .filter((l) => l !== '');
        expect(lines[0]).toBe(ITEMS.map((i) => i.name).join(','));
        const ids = lines.slice(1).map((l) => Number(l.split(',')[0]));
        expect(ids).toHaveLength(ROWS + 300);
        expect(new Set(ids).size).toBe(ROWS + 300);
        expect(ids.reduce((m, x) => Math.min(m, x), Number.POSITIVE_INFINITY)).toBe(1);
        expect(ids.reduce((m, x) => Math.max(m, x), 0)).toBe(ROWS + 300);
        const left = await platform.query('select 1 from exchange_sync_file_chunk where job_id = $1', [
          job.id,
        ]);
        expect(left.rows).toHaveLength(0);
      } finally {
        await platform.end();
      }
    }, 240_000);
  });

  it('stops a job whose grant is no longer active, failed, saying so', async () => {
    const revoke = await suite.app.inject({
      method: 'POST',
      url: `/api/v1/sharing/grants/${own.grantId}/revoke`,
      headers: own.admin.headers,
      payload: { reason: '测试撤销' },
    });
    expect(revoke.statusCode, revoke.body).toBe(200);
    const sync = syncServiceOf(suite.services);
    const r = await sync.runJob(fullJob.id);
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/grant is no longer active \(revoked\)/);
    const view = await sync.get(fullJob.id);
    expect(view).toMatchObject({ status: 'failed', nextRunAt: null });
    expect(view.lastError).toMatch(/共享授权已不再有效/);
    // And no new job on it.
    const created = await suite.routes.inject({
      method: 'POST',
      url: '/api/v1/exchange/sync-jobs',
      headers: own.mzAdmin.headers,
      payload: { grantId: own.grantId, ...target({ targetTable: 'public.resident_never' }) },
    });
    expect(created.statusCode).toBe(409);
  });
});
