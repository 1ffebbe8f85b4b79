/**
 * npm run bench:catalog — a generated catalog of 100,000 entries (BENCH_ENTRIES to change it):
 * - import throughput: entries per second through the import's write path (validation, codes,
 *   bulk inserts with the search vectors, review log, staged and chained audit events);
 * - search latency (median and p95 over a fixed query set): the Chinese full-text search (tsvector +
 *   GIN, ranked, with the total count) against a plain ILIKE scan over the same fields, measured in
 *   the same run on the same data; and the full search API call with its eight facets.
 * On PGlite (a fresh data directory) and on PostgreSQL (DATABASE_URL, or the local server).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { connect, type Db } from '../src/db/index.js';
import { loadDemo } from '../src/demo/index.js';
import { pageRequest } from '../src/kernel/pagination.js';
import type { UserActor } from '../src/modules/auth/auth.policy.js';
import type { EntryInput } from '../src/modules/catalog/catalog.model.js';
import { bootstrap, createServices, type Services } from '../src/services.js';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 100_000);
const BATCH = 2_000;
const QUERIES = [
  '户籍',
  '婚姻登记',
  '企业',
  '社会保险',
  '不动产登记',
  '身份号码',
  '纳税',
  '学籍',
  '公积金',
  '残疾人',
  '驾驶',
  '环境监测',
];
const ROUNDS = 3;

const SUBJECTS = [
  '人口',
  '户籍',
  '婚姻',
  '出生',
  '死亡',
  '社会保险',
  '医疗保障',
  '学籍',
  '学历',
  '住房公积金',
  '不动产登记',
  '企业',
  '个体工商户',
  '纳税',
  '社会团体',
  '驾驶',
  '机动车',
  '环境监测',
  '水质',
  '气象',
  '交通',
  '低保',
  '残疾人',
  '养老',
  '就业',
  '职业资格',
  '建设工程',
  '土地',
  '林业',
  '农业补贴',
];
const KINDS = [
  '基本信息',
  '登记信息',
  '变更信息',
  '统计信息',
  '许可信息',
  '核验信息',
  '补贴发放信息',
  '监测数据',
];
const FIELDS = [
  '姓名',
  '公民身份号码',
  '性别',
  '出生日期',
  '联系电话',
  '住址',
  '统一社会信用代码',
  '单位名称',
  '登记日期',
  '登记机关',
  '行政区划代码',
  '金额',
  '状态',
  '备注',
];

/** Deterministic pseudo-random numbers, so both databases get the same catalog. */
function rng(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x7fffffff;
  };
}

function generate(providers: string[], n: number): EntryInput[] {
  const r = rng(42);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)] as T;
  return Array.from({ length: n }, (_, i) => {
    const subject = pick(SUBJECTS);
    const kind = pick(KINDS);
    const items = Array.from(new Set(Array.from({ length: 3 + Math.floor(r() * 5) }, () => pick(FIELDS))));
    return {
      classCode: `3${String(10 + (i % 80)).padStart(2, '0')}${String(1 + (i % 997)).padStart(3, '0')}`,
      className: `部门信息资源/${subject}/${kind}`,
      name: `${subject}${kind}（${i}）`,
      providerOrgId: pick(providers),
      summary: `记录${subject}相关的${kind}，供政务部门依法履职使用。`,
      formatCategory: 'database',
      formatType: 'PostgreSQL',
      shareType: 'conditional',
      shareConditionScope: '市直及县（市、区）政务部门',
      shareConditionUse: '仅用于依法履职',
      shareModes: ['api'],
      openType: 'not_open',
      updateCycle: 'daily',
      dataGrade: 'general',
      items: items.map((name) => ({ name, dataType: 'C' as const, length: 50 })),
    };
  });
}

function stats(ms: number[]): { medianMs: number; p95Ms: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return { medianMs: round(at(0.5)), p95Ms: round(at(0.95)) };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

async function time<T>(fn: () => Promise<T>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function measure(db: Db, services: Services) {
  await bootstrap(services);
  await loadDemo(services);
  const admin = await services.auth.findUser('admin');
  if (!admin) throw new Error('no admin');
  const actor: UserActor = {
    kind: 'user',
    userId: admin.id,
    username: admin.username,
    role: admin.role,
    homeOrgId: admin.orgId,
    orgId: admin.orgId,
    sessionId: '',
  };
  const orgs = await db.kysely.selectFrom('organization').select('id').execute();
  const inputs = generate(
    orgs.map((o) => o.id),
    ENTRIES,
  );
  const meta = { actor: { userId: admin.id, username: 'bench' }, requestId: 'bench', ip: '127.0.0.1' };
  const ctx = await services.catalog.validationContext();

  const started = process.hrtime.bigint();
  for (let i = 0; i < inputs.length; i += BATCH) {
    await services.catalog.createMany(
      meta,
      actor,
      inputs.slice(i, i + BATCH).map((input) => ({ input })),
      { ctx, action: 'catalog.entry.import' },
    );
  }
  const importSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  await sql`analyze`.execute(db.kysely);

  // The same question both ways: which entries mention the query in name, summary, items or provider.
  const ilike = async (q: string) => {
    const pattern = `%${q}%`;
    const where = sql`(e.name ilike ${pattern} or e.summary ilike ${pattern} or o.name ilike ${pattern}
      or exists (select 1 from catalog_item i where i.entry_id = e.id and i.name ilike ${pattern}))`;
    await Promise.all([
      sql`select e.id from catalog_entry e join organization o on o.id = e.provider_org_id where ${where} order by e.name limit 20`.execute(
        db.kysely,
      ),
      sql`select count(*) from catalog_entry e join organization o on o.id = e.provider_org_id where ${where}`.execute(
        db.kysely,
      ),
    ]);
  };
  const fullText = async (q: string) => {
    const { toTsQuery } = await import('../src/kernel/segmenter.js');
    const tsq = toTsQuery(q);
    await Promise.all([
      sql`select e.id from catalog_entry e where e.search @@ to_tsquery('simple', ${tsq})
          order by ts_rank(e.search, to_tsquery('simple', ${tsq})) desc, e.name limit 20`.execute(db.kysely),
      sql`select count(*) from catalog_entry e where e.search @@ to_tsquery('simple', ${tsq})`.execute(
        db.kysely,
      ),
    ]);
  };
  const api = (q: string) => services.catalog.search(actor, { q, page: pageRequest(1, 20) });

  const runs = { fullText: [] as number[], ilike: [] as number[], api: [] as number[] };
  for (const q of QUERIES) {
    await fullText(q);
    await ilike(q);
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const q of QUERIES) {
      runs.fullText.push(await time(() => fullText(q)));
      runs.ilike.push(await time(() => ilike(q)));
      runs.api.push(await time(() => api(q)));
    }
  }
  const ft = stats(runs.fullText);
  const il = stats(runs.ilike);
  return {
    entries: ENTRIES,
    import: { seconds: round(importSeconds), entriesPerSecond: Math.round(ENTRIES / importSeconds) },
    search: {
      queries: QUERIES.length * ROUNDS,
      fullTextIndex: ft,
      ilikeScan: il,
      speedupMedian: round(il.medianMs / ft.medianMs),
      speedupP95: round(il.p95Ms / ft.p95Ms),
      apiWithFacets: stats(runs.api),
    },
  };
}

async function pglite() {
  const dir = await mkdtemp(join(tmpdir(), 'govshare-bench-catalog-'));
  const config = loadConfig({ env: { GOVSHARE_DATA_DIR: dir, LOG_LEVEL: 'silent' } });
  const db = await connect(config);
  const services = createServices(config, db);
  try {
    return await measure(db, services);
  } finally {
    await services.audit.stop();
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function postgres() {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const admin = new pg.Client({ connectionString: base });
  try {
    await admin.connect();
  } catch (e) {
    return { skipped: `PostgreSQL not reachable at ${base}: ${(e as Error).message}` };
  }
  const name = `govshare_bench_catalog_${process.pid}`;
  await admin.query(`create database "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const config = loadConfig({ env: { DATABASE_URL: url.toString(), LOG_LEVEL: 'silent' } });
  const db = await connect(config, { poolSize: 8 });
  const services = createServices(config, db);
  try {
    return await measure(db, services);
  } finally {
    await services.audit.stop();
    await db.close();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

const which = process.env.BENCH_DB ?? 'both';
const result = {
  benchmark: 'catalog',
  node: process.version,
  ...(which !== 'postgres' ? { pglite: await pglite() } : {}),
  ...(which !== 'pglite' ? { postgres: await postgres() } : {}),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
