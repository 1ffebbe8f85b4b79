/**
 * npm run bench:exchange — the exchange gate under load, on PostgreSQL and on PGlite as the platform
 * database, beside two bare baselines measured in the same run on the same source table:
 *   (a) a minimal Fastify route doing the same indexed SELECT, no platform, no audit;
 *   (b) the same plus one audit INSERT per request.
 * The gate does a granted single-record query with masking, quota and a group-committed audit event.
 * 50 concurrent connections (autocannon in this process; every server in a process of its own). The
 * gateway on PostgreSQL and both baselines run in BENCH_ROUNDS rounds (3), interleaved with the order
 * rotating, and each figure is the median over the rounds: a drift in the speed of a shared machine then
 * weighs on all three alike (the rounds' throughputs are printed too).
 * Beside each load, the CPU spent per request by the server, the database and the load generator
 * (from /proc), which says where the time goes when the machine is saturated.
 * Then batch sync: rows per second beside a raw COPY-to-COPY baseline (see exchange.sync, when present).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import autocannon from 'autocannon';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { loadConfig } from '../src/config.js';
import { connect } from '../src/db/index.js';
import { loadDemo } from '../src/demo/index.js';
import { transfer } from '../src/modules/exchange/exchange.sync.js';
import { bootstrap, createServices } from '../src/services.js';

const BASE = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const SECRET = '0123456789abcdef0123456789abcdef';

function dbUrl(name: string): string {
  const u = new URL(BASE);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: BASE });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const personNo = (i: number) => `P${String(i).padStart(9, '0')}`;

async function makeSource(name: string): Promise<void> {
  await admin((c) => c.query(`create database "${name}"`));
  const c = new pg.Client({ connectionString: dbUrl(name) });
  await c.connect();
  await c.query(
    `create table person (person_no text primary key, full_name text not null, phone text, updated_at timestamptz not null default now())`,
  );
  await c.query(
    `insert into person (person_no, full_name, phone)
     select 'P' || lpad(g::text, 9, '0'), '测试' || g, '138' || lpad((g % 100000000)::text, 8, '0') from generate_series(1, $1) g`,
    [ROWS],
  );
  await c.query(
    'create table bench_audit (id bigserial primary key, at timestamptz not null, what text not null)',
  );
  await c.query('analyze person');
  await c.end();
}

/**
 * The Node.js flags every server of the benchmark runs with, the baselines as well: those the platform
 * runs with in production (`npm start`). A young generation twice Node's default lets the gateway's
 * short-lived objects (a request, its audit event, its answer) die in fewer scavenges.
 */
const NODE_FLAGS = ['--max-semi-space-size=32'];

function startServer(args: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const prof = process.env.BENCH_PROFILE
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
      : [];
    const child = spawn(
      process.execPath,
      [...prof, ...NODE_FLAGS, 'dist/bench/exchange-server.js', ...args],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout?.on('data', (d) => {
      out += String(d);
      if (out.includes('READY')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  child.removeAllListeners('exit');
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}

interface Load {
  requestsPerSecond: number;
  /** CPU per request, µs: the server process, the database server's processes, this load generator. */
  cpuMicrosPerRequest?: { server: number; database: number; loadGenerator: number };
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

/** CPU seconds (user + system) of one process, from /proc (Linux); 0 elsewhere. */
async function cpuOf(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds of every PostgreSQL server process on this machine, those that have ended included: the
 * postmaster's children's time (cutime + cstime) holds the backends it has reaped, so the sum does not
 * drop when a pool closes idle connections between rounds.
 */
async function postgresCpu(): Promise<number> {
  let total = 0;
  for (const d of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(d)) continue;
    const comm = await readFile(`/proc/${d}/comm`, 'utf8').catch(() => '');
    if (comm.trim() !== 'postgres') continue;
    const stat = await readFile(`/proc/${d}/stat`, 'utf8').catch(() => '');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, and (for the postmaster: reaped backends) cutime, cstime.
    total += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100 || 0;
  }
  return total;
}

const cpuNow = async (serverPid: number) => ({
  server: await cpuOf(serverPid),
  db: await postgresCpu(),
  self: await cpuOf(process.pid),
});

async function load(
  url: string,
  headers: Record<string, string>,
  body: (i: number) => string,
  serverPid?: number,
  duration = SECONDS,
): Promise<Load> {
  const before = serverPid ? await cpuNow(serverPid) : null;
  let i = 0;
  const r = await autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration,
    headers: { 'content-type': 'application/json', ...headers },
    requests: [{ setupRequest: (req) => ({ ...req, body: body(i++) }) }],
  });
  const after = serverPid ? await cpuNow(serverPid) : null;
  const us = (sec: number) => Math.round((sec * 1e6) / Math.max(1, r.requests.total));
  return {
    ...(before && after
      ? {
          cpuMicrosPerRequest: {
            server: us(after.server - before.server),
            database: us(after.db - before.db),
            loadGenerator: us(after.self - before.self),
          },
        }
      : {}),
    requestsPerSecond: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

const pick = (i: number) => personNo(1 + ((i * 7919) % ROWS));

/** Sets up a platform (provider entry, source, mount, grant, token) and returns how to start it. */
async function platform(kind: 'pglite' | 'postgres', sourceDb: string) {
  const dir = kind === 'pglite' ? await mkdtemp(join(tmpdir(), 'govshare-bench-exchange-')) : '';
  const platformDb = `govshare_bench_platform_${process.pid}`;
  if (kind === 'postgres') await admin((c) => c.query(`create database "${platformDb}"`));
  const env: Record<string, string> = {
    GOVSHARE_SECRET_KEY: SECRET,
    GOVSHARE_GRANT_RATE: '1000000',
    ...(process.env.GOVSHARE_AUDIT_PIPELINE
      ? { GOVSHARE_AUDIT_PIPELINE: process.env.GOVSHARE_AUDIT_PIPELINE }
      : {}),
    ...(kind === 'pglite' ? { GOVSHARE_DATA_DIR: dir } : { DATABASE_URL: dbUrl(platformDb) }),
  };
  const config = loadConfig({ env: { ...env, LOG_LEVEL: 'silent' } });
  const db = await connect(config);
  const s = createServices(config, db);
  await bootstrap(s);
  await loadDemo(s);
  const user = async (name: string) => {
    const u = await s.auth.findUser(name);
    if (!u) throw new Error(name);
    return {
      kind: 'user' as const,
      userId: u.id,
      username: u.username,
      role: u.role,
      homeOrgId: u.orgId,
      orgId: u.orgId,
      sessionId: '',
    };
  };
  const meta = { actor: { username: 'bench' }, requestId: 'bench', ip: '127.0.0.1' };
  const ga = await user('ga_admin');
  const mz = await user('mz_admin');
  const adminUser = await user('admin');
  const entry = await s.catalog.create(meta, ga, {
    classCode: '301990',
    className: '部门信息资源/公安/压测',
    name: '人员基本信息（压测）',
    providerOrgId: ga.orgId,
    summary: '交换网关压测资源',
    formatCategory: 'database',
    formatType: 'PostgreSQL',
    shareType: 'conditional',
    shareConditionScope: '政务部门',
    shareConditionUse: '核验',
    shareModes: ['api'],
    openType: 'not_open',
    updateCycle: 'realtime',
    dataGrade: 'general',
    items: [
      { name: '人员编号', dataType: 'C', length: 10 },
      { name: '姓名', dataType: 'C', length: 50, masking: 'partial', sensitivity: 'sensitive' },
      { name: '联系电话', dataType: 'C', length: 20, masking: 'partial', sensitivity: 'sensitive' },
    ],
  });
  await s.catalog.recordAssessments(meta, ga, entry.id, {
    confidentiality: '不涉密',
    personalInformation: '最小必要',
  });
  await s.catalog.approve(meta, ga, entry.id);
  await s.catalog.submit(meta, ga, entry.id);
  await s.catalog.publish(meta, adminUser, entry.id);
  const src = new URL(dbUrl(sourceDb));
  const source = await s.exchange.createSource(meta, {
    orgId: ga.orgId,
    name: '压测数据源',
    kind: 'postgres',
    config: {
      host: src.hostname,
      port: Number(src.port || 5432),
      database: sourceDb,
      user: src.username || 'postgres',
    },
  });
  await s.exchange.mount(meta, ga, {
    entryId: entry.id,
    sourceId: source.id,
    relation: 'public.person',
    keyColumns: ['person_no'],
    mapping: { 人员编号: 'person_no', 姓名: 'full_name', 联系电话: 'phone' },
  });
  const sys = await s.auth.createSystem(meta, { orgId: mz.orgId, code: 'bench', name: '压测系统' });
  const { token } = await s.auth.issueToken(meta, mz, sys.id, { name: 'bench', expiresInDays: 1 });
  const app = await s.sharing.create(meta, mz, {
    entryId: entry.id,
    requestedItems: ['人员编号', '姓名', '联系电话'],
    basis: '压测',
    scenario: '压测',
    purposeCategory: 'data_verification',
    purpose: '压测',
    scope: '压测',
    accessMode: 'api',
    periodFrom: '2026-01-01',
    periodTo: '2027-12-31',
    consumerSystemId: sys.id,
    attested: true,
  });
  await s.sharing.act(meta, mz, app.id, 'submit');
  await s.sharing.act(meta, mz, app.id, 'internal_approve');
  const approved = await s.sharing.act(meta, ga, app.id, 'approve', { dailyQuota: 100_000_000 });
  if (approved.status !== 'supplied')
    await s.sharing.act(meta, ga, app.id, 'supply', { dailyQuota: 100_000_000 });
  await s.exchange.stop();
  await s.audit.stop();
  await db.close();
  return {
    env,
    code: entry.code.replace('/', '-'),
    token,
    cleanup: async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
      if (kind === 'postgres')
        await admin((c) => c.query(`drop database if exists "${platformDb}" with (force)`));
    },
  };
}

/** A server under load: how to call it, and how to stop it. */
interface Target {
  url: string;
  headers: Record<string, string>;
  body: (i: number) => string;
  pid: number | undefined;
  stop: () => Promise<void>;
}

async function gatewayTarget(kind: 'pglite' | 'postgres', sourceDb: string, port: number): Promise<Target> {
  const p = await platform(kind, sourceDb);
  const server = await startServer(['gateway', JSON.stringify(p.env), String(port)]);
  return {
    url: `http://127.0.0.1:${port}/exchange/v1/resources/${encodeURIComponent(p.code)}/query`,
    headers: { authorization: `Bearer ${p.token}`, 'x-purpose': 'data_verification' },
    body: (i) => JSON.stringify({ filters: { 人员编号: pick(i) } }),
    pid: server.pid,
    stop: async () => {
      await stop(server);
      await p.cleanup();
    },
  };
}

async function baselineTarget(mode: 'bare' | 'bare-audit', sourceDb: string, port: number): Promise<Target> {
  const server = await startServer([mode, dbUrl(sourceDb), String(port)]);
  return {
    url: `http://127.0.0.1:${port}/q`,
    headers: {},
    body: (i) => JSON.stringify({ id: pick(i) }),
    pid: server.pid,
    stop: () => stop(server),
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : Math.round(((s[m - 1] as number) + (s[m] as number)) / 2);
};

/** Each figure the median over the rounds; the rounds' throughputs beside it. */
function medianLoad(runs: Load[]): Load & { roundsRequestsPerSecond: number[] } {
  const cpu = runs.flatMap((r) => (r.cpuMicrosPerRequest ? [r.cpuMicrosPerRequest] : []));
  return {
    requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
    ...(cpu.length
      ? {
          cpuMicrosPerRequest: {
            server: median(cpu.map((c) => c.server)),
            database: median(cpu.map((c) => c.database)),
            loadGenerator: median(cpu.map((c) => c.loadGenerator)),
          },
        }
      : {}),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    roundsRequestsPerSecond: runs.map((r) => r.requestsPerSecond),
  };
}

/**
 * Loads the targets in rounds, each round every target in turn (the order rotating from round to
 * round), so that a drift in the machine's speed — a shared virtual machine has them — weighs on all of
 * them alike rather than on whichever ran last. Each target is warmed up first (JIT, pools, caches).
 */
async function interleaved(targets: Target[], rounds: number): Promise<ReturnType<typeof medianLoad>[]> {
  for (const t of targets) await load(t.url, t.headers, t.body, undefined, Math.min(SECONDS, 5));
  const runs: Load[][] = targets.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < targets.length; k++) {
      const i = (k + r) % targets.length;
      const t = targets[i] as Target;
      runs[i]?.push(await load(t.url, t.headers, t.body, t.pid));
    }
  }
  return runs.map(medianLoad);
}

/**
 * Batch sync of the whole source table beside a raw COPY-to-COPY of the same columns, in rounds (the order
 * alternating; each round into fresh tables), each figure the median over the rounds.
 */
async function syncRun(sourceDb: string, rounds: number) {
  const targetDb = `govshare_bench_target_${process.pid}`;
  await admin((c) => c.query(`create database "${targetDb}"`));
  const u = new URL(BASE);
  const endpoint = (database: string) => ({
    kind: 'postgres' as const,
    config: { host: u.hostname, port: Number(u.port || 5432), database, user: u.username || 'postgres' },
    password: u.password || null,
  });
  const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
  const rawCopy = async (round: number): Promise<number> => {
    const src = new pg.Client({ connectionString: dbUrl(sourceDb) });
    const dst = new pg.Client({ connectionString: dbUrl(targetDb) });
    await src.connect();
    await dst.connect();
    try {
      await dst.query(
        `create table person_raw_${round} (person_no text primary key, full_name text, phone text)`,
      );
      const t0 = process.hrtime.bigint();
      await pipeline(
        src.query(copyTo('copy (select person_no, full_name, phone from person) to stdout')),
        dst.query(copyFrom(`copy person_raw_${round} from stdin`)),
      );
      return Math.round(ROWS / seconds(t0));
    } finally {
      await src.end();
      await dst.end();
    }
  };
  const sync = async (round: number): Promise<{ rowsPerSecond: number; rows: number }> => {
    const t0 = process.hrtime.bigint();
    const r = await transfer(
      {
        jobId: `00000000-0000-4000-8000-${String(round).padStart(12, '0')}`,
        grantId: 'bench',
        mode: 'full',
        source: {
          ...endpoint(sourceDb),
          relation: 'public.person',
          keyColumns: ['person_no'],
          watermarkColumn: null,
        },
        target: { ...endpoint(targetDb), table: `public.person_sync_${round}` },
        items: [
          { item: '人员编号', column: 'person_no', masking: 'none' },
          { item: '姓名', column: 'full_name', masking: 'partial' },
          { item: '联系电话', column: 'phone', masking: 'partial' },
        ],
      },
      { chunkRows: 20_000 },
    );
    return { rowsPerSecond: Math.round(r.rowsDone / seconds(t0)), rows: r.rowsDone };
  };
  try {
    const raws: number[] = [];
    const syncs: number[] = [];
    let rows = 0;
    for (let round = 1; round <= rounds; round++) {
      if (round % 2) raws.push(await rawCopy(round));
      const s = await sync(round);
      syncs.push(s.rowsPerSecond);
      rows = s.rows;
      if (!(round % 2)) raws.push(await rawCopy(round));
    }
    const raw = median(raws);
    const synced = median(syncs);
    return {
      rows,
      rawCopyRowsPerSecond: raw,
      syncRowsPerSecond: synced,
      ratio: Math.round((synced / raw) * 100) / 100,
      roundsRawCopyRowsPerSecond: raws,
      roundsSyncRowsPerSecond: syncs,
    };
  } finally {
    await admin((c) => c.query(`drop database if exists "${targetDb}" with (force)`));
  }
}

const sourceDb = `govshare_bench_source_${process.pid}`;
try {
  await makeSource(sourceDb);
  const only = process.env.BENCH_ONLY ?? '';
  // A part left out (BENCH_ONLY, BENCH_SKIP_*) prints null, never a made-up figure.
  const runs = (part: string) => !only || only === part;
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const started: Target[] = [];
  let a: Load | null = null;
  let b: Load | null = null;
  let gwPg: Load | null = null;
  let gwLite: Load | null = null;
  try {
    // The gateway on PostgreSQL and both baselines run interleaved (see interleaved()).
    const names: ('a' | 'b' | 'gw')[] = [];
    if (runs('bare')) {
      started.push(
        await baselineTarget('bare', sourceDb, 18081),
        await baselineTarget('bare-audit', sourceDb, 18082),
      );
      names.push('a', 'b');
    }
    if (runs('postgres')) {
      started.push(await gatewayTarget('postgres', sourceDb, 18083));
      names.push('gw');
    }
    const figures = await interleaved(started, rounds);
    for (const [i, n] of names.entries()) {
      if (n === 'a') a = figures[i] ?? null;
      if (n === 'b') b = figures[i] ?? null;
      if (n === 'gw') gwPg = figures[i] ?? null;
    }
  } finally {
    for (const t of started) await t.stop();
  }
  if (runs('pglite') && !process.env.BENCH_SKIP_PGLITE) {
    const lite = await gatewayTarget('pglite', sourceDb, 18084);
    try {
      gwLite = (await interleaved([lite], 1))[0] ?? null;
    } finally {
      await lite.stop();
    }
  }
  const sync = runs('sync') && !process.env.BENCH_SKIP_SYNC ? await syncRun(sourceDb, rounds) : null;
  const ratio = (x: number, y: number | undefined) => (y ? Math.round((x / y) * 100) / 100 : null);
  const ratios = (g: Load | null) =>
    g && {
      ...g,
      ofBareThroughput: ratio(g.requestsPerSecond, a?.requestsPerSecond),
      ofAuditInsertThroughput: ratio(g.requestsPerSecond, b?.requestsPerSecond),
      p99OverBareP99: ratio(g.p99Ms, a ? Math.max(1, a.p99Ms) : undefined),
    };
  const result = {
    benchmark: 'exchange',
    node: process.version,
    rows: ROWS,
    connections: CONNECTIONS,
    secondsPerRun: SECONDS,
    rounds,
    baselines: { bareSelect: a, selectPlusAuditInsert: b },
    gateway: {
      postgres: gwPg && {
        ...ratios(gwPg),
        targets: { ofBareThroughput: 0.7, ofAuditInsertThroughput: 1.5, p99OverBareP99: 2 },
      },
      pglite: ratios(gwLite),
    },
    batchSync: sync ? { ...sync, target: { ratio: 0.6 } } : null,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await admin((c) => c.query(`drop database if exists "${sourceDb}" with (force)`));
}
