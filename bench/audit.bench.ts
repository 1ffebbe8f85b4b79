/**
 * npm run bench:audit — audit appends per second under 64 concurrent writers with group commit,
 * against one transaction per event measured in the same run; and chain verification speed.
 * On PGlite (a fresh data directory) and on PostgreSQL (DATABASE_URL, or the local server).
 * Prints one JSON document.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { connect, type Db, migrateToLatest } from '../src/db/index.js';
import { AuditLog, verifyChain } from '../src/modules/audit/audit.service.js';

const WRITERS = 64;
const PER_WRITER = Number(process.env.BENCH_PER_WRITER ?? 100);

interface Figures {
  writers: number;
  events: number;
  groupCommit: { seconds: number; eventsPerSecond: number };
  /** Group commit as the node runs it: each flush one prepared statement (Db.run). */
  groupCommitOneStatement: { seconds: number; eventsPerSecond: number };
  transactionPerEvent: { seconds: number; eventsPerSecond: number };
  speedup: number;
  speedupOneStatement: number;
  verify: { events: number; seconds: number; eventsPerSecond: number; ok: boolean };
}

async function run(
  db: Db,
  groupCommit: boolean,
  oneStatement = false,
): Promise<{ seconds: number; eventsPerSecond: number }> {
  const log = new AuditLog(db.kysely, { groupCommit, ...(oneStatement ? { run: db.run } : {}) });
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; i < PER_WRITER; i++) {
        await log.record({
          actor: { username: `writer${w}`, orgId: null },
          action: 'bench.append',
          objectType: 'bench',
          objectId: `${w}-${i}`,
          detail: { writer: w, i, purpose: '数据校核' },
          requestId: `${w}-${i}`,
          ip: '127.0.0.1',
        });
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await log.stop();
  return { seconds: round(seconds), eventsPerSecond: Math.round((WRITERS * PER_WRITER) / seconds) };
}

async function measure(db: Db): Promise<Figures> {
  await migrateToLatest(db.kysely);
  // Warm up connections and JIT on a few events.
  await run(db, true);
  const perEvent = await run(db, false);
  const group = await run(db, true);
  const oneStatement = await run(db, true, true);
  const start = process.hrtime.bigint();
  const v = await verifyChain(db.kysely);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return {
    writers: WRITERS,
    events: WRITERS * PER_WRITER,
    groupCommit: group,
    groupCommitOneStatement: oneStatement,
    transactionPerEvent: perEvent,
    speedup: round(group.eventsPerSecond / perEvent.eventsPerSecond),
    speedupOneStatement: round(oneStatement.eventsPerSecond / perEvent.eventsPerSecond),
    verify: {
      events: v.checked,
      seconds: round(seconds),
      eventsPerSecond: Math.round(v.checked / seconds),
      ok: v.ok,
    },
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

async function pglite(): Promise<Figures> {
  const dir = await mkdtemp(join(tmpdir(), 'govshare-bench-'));
  const db = await connect({ databaseUrl: null, dataDir: dir });
  try {
    return await measure(db);
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function postgres(): Promise<Figures | { skipped: string }> {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const admin = new pg.Client({ connectionString: base });
  try {
    await admin.connect();
  } catch (e) {
    return { skipped: `PostgreSQL not reachable at ${base}: ${(e as Error).message}` };
  }
  const name = `govshare_bench_${process.pid}`;
  await admin.query(`create database "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = await connect({ databaseUrl: url.toString(), dataDir: '' }, { poolSize: 16 });
  try {
    return await measure(db);
  } finally {
    await db.close();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

const result = {
  benchmark: 'audit',
  node: process.version,
  pglite: await pglite(),
  postgres: await postgres(),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
