import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type TestDb, tamperAuditEvent, testDb } from '../../../test/helpers.js';
import { loadConfig } from '../../config.js';
import { connect, type Db } from '../../db/index.js';
import { canonicalJson, type JsonObject } from '../../kernel/json.js';
import { runCli } from '../../main.js';
import { AuditLog, canonicalContent, toPending, verifyChain } from './audit.service.js';

const meta = { actor: { username: 'tester' }, requestId: 'r1', ip: '127.0.0.1' };

/** Tampering needs the append-only triggers out of the way, as an attacker with DBA rights would do. */
async function tamper(db: Db, seq: number): Promise<void> {
  await tamperAuditEvent(db, seq);
}

describe('canonical content of an event', () => {
  it('is exactly canonicalJson of the stored fields, for nulls, quotes, unicode and nested detail', () => {
    const details: JsonObject[] = [
      {},
      { z: 1, a: [3, { y: null, b: '引号"\\' }], m: { k: true } },
      { 公民身份号码: 'abc\u2028', n: -1.5e-7 },
    ];
    for (const [i, detail] of details.entries()) {
      const e = {
        ...toPending({
          actor: i === 0 ? {} : { userId: 'u', username: '张三"', orgId: 'o', systemId: null },
          action: 'exchange.query',
          objectType: 'catalog_entry',
          objectId: i === 1 ? null : '101001/0001',
          outcome: i === 2 ? 'denied' : 'ok',
          detail,
          requestId: i === 0 ? null : 'req-1',
          ip: '::1',
        }),
        seq: 41 + i,
      };
      const { seq, ...rest } = e;
      expect(canonicalContent(rest, seq)).toBe(canonicalJson({ seq, ...rest } as unknown as JsonObject));
    }
  });
});

describe('audit chain', () => {
  let t: TestDb;
  let audit: AuditLog;
  beforeAll(async () => {
    t = await testDb();
    audit = new AuditLog(t.db.kysely);
  });
  afterAll(async () => {
    await audit.stop();
    await t.dispose();
  });

  it('chains recorded and staged events in one verifiable sequence', async () => {
    const before = await verifyChain(t.db.kysely);
    expect(before.ok).toBe(true);
    await audit.record({ ...meta, action: 'test.record', objectType: 'thing', objectId: 'a' });
    await audit.transaction(async (tx) => {
      await audit.stage(tx, {
        ...meta,
        action: 'test.stage',
        objectType: 'thing',
        objectId: 'b',
        detail: { n: 1 },
      });
    });
    const after = await verifyChain(t.db.kysely);
    expect(after.ok).toBe(true);
    expect(after.checked).toBe(before.checked + 2);
    expect(after.pending).toBe(0);
    const last = await t.db.kysely
      .selectFrom('audit_event')
      .select(['action', 'seq', 'prev_hash', 'hash'])
      .orderBy('seq', 'desc')
      .limit(2)
      .execute();
    expect(last.map((e) => e.action)).toEqual(['test.stage', 'test.record']);
    expect(last[0]?.prev_hash).toBe(last[1]?.hash);
  });

  it('stores awkward text exactly (quotes, backslashes, braces, commas, NULL-ish words, Chinese)', async () => {
    const detail = { q: 'a"b\\c,{d}', nul: 'NULL', zh: '户籍人口基本信息', list: ['x,y', '"z"'], n: null };
    await audit.record({
      ...meta,
      actor: { username: 'o\'brien "x"' },
      action: 'test.awkward',
      objectType: 'thing',
      objectId: '{1,2}',
      detail,
    });
    const row = await t.db.kysely
      .selectFrom('audit_event')
      .select(['detail', 'actor_username', 'object_id'])
      .where('action', '=', 'test.awkward')
      .executeTakeFirstOrThrow();
    expect(row.detail).toEqual(detail);
    expect(row.actor_username).toBe('o\'brien "x"');
    expect(row.object_id).toBe('{1,2}');
    expect((await verifyChain(t.db.kysely)).ok).toBe(true);
  });

  it('a staged event is lost with its rolled-back transaction, never chained alone', async () => {
    const before = await verifyChain(t.db.kysely);
    await expect(
      audit.transaction(async (tx) => {
        await audit.stage(tx, { ...meta, action: 'test.rolledback', objectType: 'thing' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const after = await verifyChain(t.db.kysely);
    expect(after.checked).toBe(before.checked);
  });

  it('group-commits concurrent writers into fewer transactions, keeping every event', async () => {
    const before = await verifyChain(t.db.kysely);
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        audit.record({ ...meta, action: 'test.concurrent', objectType: 'thing', objectId: String(i) }),
      ),
    );
    const after = await verifyChain(t.db.kysely);
    expect(after.ok).toBe(true);
    expect(after.checked).toBe(before.checked + 200);
    const ids = await t.db.kysely
      .selectFrom('audit_event')
      .select('object_id')
      .where('action', '=', 'test.concurrent')
      .execute();
    expect(new Set(ids.map((r) => r.object_id)).size).toBe(200);
  });

  it('keeps one unbroken chain when two nodes append at once (pipelined flushes retry on a moved head)', async () => {
    const before = await verifyChain(t.db.kysely);
    const other = new AuditLog(t.db.kysely, { pipeline: 4, run: t.db.run });
    const mine = new AuditLog(t.db.kysely, { pipeline: 4, run: t.db.run });
    await Promise.all([
      ...Array.from({ length: 300 }, (_, i) =>
        mine.record({ ...meta, action: 'test.node_a', objectType: 'thing', objectId: String(i) }),
      ),
      ...Array.from({ length: 300 }, (_, i) =>
        other.record({ ...meta, action: 'test.node_b', objectType: 'thing', objectId: String(i) }),
      ),
    ]);
    const after = await verifyChain(t.db.kysely);
    expect(after.ok).toBe(true);
    expect(after.checked).toBe(before.checked + 600);
  });

  it('staged events left by a crash are chained by the next drain', async () => {
    // Simulate a node that committed its change and died before chaining: stage without draining.
    await t.db.kysely.transaction().execute(async (tx) => {
      await audit.stage(tx, { ...meta, action: 'test.orphan', objectType: 'thing' });
    });
    expect((await verifyChain(t.db.kysely)).pending).toBe(1);
    const fresh = new AuditLog(t.db.kysely);
    await fresh.drain();
    const r = await verifyChain(t.db.kysely);
    expect(r.pending).toBe(0);
    expect(r.ok).toBe(true);
  });

  it('refuses updates and deletes of history, in rows and in blocks alike', async () => {
    const k = t.db.kysely;
    // Both stores hold events by now: rows (staged events, drains) and blocks (group commits).
    const rowSeq = (await k.selectFrom('audit_event_row').select('seq').executeTakeFirstOrThrow()).seq;
    const blockSeq = (await k.selectFrom('audit_block').select('first_seq').executeTakeFirstOrThrow())
      .first_seq;
    await expect(
      sql`update audit_event_row set action = 'x' where seq = ${rowSeq}`.execute(k),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_event_row where seq = ${rowSeq}`.execute(k)).rejects.toThrow(
      /append-only/,
    );
    await expect(
      sql`update audit_block set events = '[]' where first_seq = ${blockSeq}`.execute(k),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_block where first_seq = ${blockSeq}`.execute(k)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`truncate audit_block`.execute(k)).rejects.toThrow(/append-only/);
    // The view of both is not a way around them.
    await expect(sql`delete from audit_event where seq = ${rowSeq}`.execute(k)).rejects.toThrow();
  });

  it('detects a one-byte change and names the event', async () => {
    const { checked } = await verifyChain(t.db.kysely);
    const target = Math.max(1, Math.floor(checked / 2));
    await tamper(t.db, target);
    const r = await verifyChain(t.db.kysely);
    expect(r.ok).toBe(false);
    expect(r.broken?.seq).toBe(target);
    expect(r.checked).toBe(target - 1);
  });
});

describe('govshare audit verify (CLI)', () => {
  let dir = '';
  const env = { ...process.env };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'govshare-cli-'));
  });
  afterAll(async () => {
    process.env = env;
    await rm(dir, { recursive: true, force: true });
  });

  async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      out += String(s);
      return true;
    });
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      err += String(s);
      return true;
    });
    try {
      const code = await runCli(args);
      return { code, out, err };
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
  }

  it('exits 0 on an intact chain and non-zero naming the tampered event', async () => {
    // The CLI reads DATABASE_URL like the server does: point it at a database of this test's own.
    const t = process.env.DATABASE_URL ? await testDb() : null;
    if (t?.config.databaseUrl) process.env.DATABASE_URL = t.config.databaseUrl;
    try {
      const args = ['--data-dir', dir];
      expect((await run(['migrate', ...args])).code).toBe(0);
      const config = loadConfig({ flags: { dataDir: dir } });
      const writer = await connect(config);
      const log = new AuditLog(writer.kysely);
      for (let i = 0; i < 5; i++)
        await log.record({ ...meta, action: 'cli.test', objectType: 'thing', objectId: `${i}` });
      await writer.close();
      const ok = await run(['audit', 'verify', ...args]);
      expect(ok.err).toBe('');
      expect(ok.code).toBe(0);
      expect(ok.out).toMatch(/intact: \d+ events/);
      const db = await connect(config);
      const ev = await db.kysely
        .selectFrom('audit_event')
        .select(['seq', 'id'])
        .where('seq', '=', 3)
        .executeTakeFirstOrThrow();
      await tamper(db, 3);
      await db.close();
      const bad = await run(['audit', 'verify', ...args]);
      expect(bad.code).toBe(1);
      expect(bad.err).toContain('seq 3');
      expect(bad.err).toContain(ev.id);
    } finally {
      process.env = { ...env };
      await t?.dispose();
    }
  });

  it('rejects unknown flags with exit code 2', async () => {
    const r = await run(['audit', 'verify', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('bogus');
  });
});

describe('audit blocks: group commits stored one row per flush', () => {
  let t: TestDb;
  let log: AuditLog;
  const orgs = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'];
  /** The head before this test's events (the test database starts with its own). */
  let base = 0;

  beforeAll(async () => {
    t = await testDb();
    base = (await verifyChain(t.db.kysely)).headSeq;
    log = new AuditLog(t.db.kysely, { run: t.db.run });
    // Group-committed events (blocks) around events staged in a business transaction (rows).
    const call = (i: number) =>
      log.record({
        actor: { systemId: '00000000-0000-4000-8000-0000000000f1', orgId: orgs[i % 2] },
        requestId: `call-${i}`,
        ip: '127.0.0.1',
        action: i % 5 === 0 ? 'exchange.verify' : 'exchange.query',
        objectType: 'catalog_entry',
        objectId: `entry-${i % 3}`,
        outcome: i % 7 === 0 ? 'denied' : 'ok',
        detail: { rows: i },
      });
    await Promise.all(Array.from({ length: 60 }, (_, i) => call(i)));
    await log.transaction(async (tx) => {
      await log.stageMany(
        tx,
        Array.from({ length: 5 }, (_, i) => ({
          ...meta,
          action: 'catalog.update',
          objectType: 'catalog_entry',
          objectId: `entry-${i % 3}`,
        })),
      );
    });
    await Promise.all(Array.from({ length: 40 }, (_, i) => call(60 + i)));
  });
  afterAll(async () => {
    await log.stop();
    await t.dispose();
  });

  it('stores group commits as blocks and staged events as rows, one chain across both', async () => {
    const k = t.db.kysely;
    const blocks = await k
      .selectFrom('audit_block')
      .select(['first_seq', 'last_seq', 'keys'])
      .where('first_seq', '>', base)
      .execute();
    const rows = await k.selectFrom('audit_event_row').select('seq').where('seq', '>', base).execute();
    expect(blocks.length).toBeGreaterThan(1);
    // Concurrent calls share blocks: fewer blocks than events.
    // (A log's first flush looks for staged events left by a crash, and so writes rows, as drains do.)
    const inBlocks = blocks.reduce((n, b) => n + Number(b.last_seq) - Number(b.first_seq) + 1, 0);
    expect(inBlocks + rows.length).toBe(105);
    expect(inBlocks).toBeGreaterThanOrEqual(90);
    expect(blocks.length).toBeLessThan(inBlocks);
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(blocks.some((b) => b.keys.includes(`g:${orgs[0]}`) && b.keys.includes('i:entry-1'))).toBe(true);
    const v = await verifyChain(k, 7);
    expect(v).toMatchObject({ ok: true, checked: base + 105, headSeq: base + 105 });
  });

  it('searches both stores exactly as the view of every event answers, newest first and paged', async () => {
    const { searchAudit } = await import('./audit.service.js');
    const { auditRepository } = await import('./audit.repository.js');
    const k = t.db.kysely;
    // A time that cuts through the blocks: the moment of the 50th of this test's events.
    const middle = (
      await k
        .selectFrom('audit_event')
        .select('occurred_at')
        .where('seq', '=', base + 50)
        .executeTakeFirstOrThrow()
    ).occurred_at;
    const filters = [
      { objectType: 'catalog_entry', objectId: 'entry-1' },
      { from: middle },
      { to: middle, objectId: 'entry-2' },
      { from: middle, outcome: 'denied' as const, orgId: orgs[0] },
      { action: 'exchange.' },
      { action: 'catalog.', to: middle },
      { action: 'exchange.query' },
      {},
      { objectId: 'entry-1' },
      { orgId: orgs[1] },
      { outcome: 'denied' as const },
      { action: 'exchange.v' },
      { objectType: 'catalog_entry', objectId: 'entry-2', outcome: 'ok' as const },
      { actorUsername: 'tester' },
      { from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 3_600_000), orgId: orgs[0] },
      { to: new Date('2020-01-01') },
    ];
    for (const f of filters) {
      let q = k.selectFrom('audit_event').select(['seq']);
      if ('objectId' in f && f.objectId) q = q.where('object_id', '=', f.objectId);
      if ('objectType' in f && f.objectType) q = q.where('object_type', '=', f.objectType);
      if ('orgId' in f && f.orgId) q = q.where('actor_org_id', '=', f.orgId);
      if ('outcome' in f && f.outcome) q = q.where('outcome', '=', f.outcome);
      if ('action' in f && f.action) q = q.where('action', 'like', `${f.action}%`);
      if ('actorUsername' in f && f.actorUsername) q = q.where('actor_username', '=', f.actorUsername);
      if ('from' in f && f.from) q = q.where('occurred_at', '>=', f.from);
      if ('to' in f && f.to) q = q.where('occurred_at', '<', f.to);
      const expected = (await q.orderBy('seq', 'desc').execute()).map((r) => Number(r.seq));
      const page1 = await searchAudit(k, f, { page: 1, pageSize: 7 });
      const page3 = await searchAudit(k, f, { page: 3, pageSize: 7 });
      expect(page1.total, JSON.stringify(f)).toBe(expected.length);
      expect(page1.items.map((e) => e.seq)).toEqual(expected.slice(0, 7));
      expect(page3.items.map((e) => e.seq)).toEqual(expected.slice(14, 21));
      // Read two blocks at a time, the page fills over several batches and stays the same.
      const small = await auditRepository.search(k, f, { page: 2, pageSize: 9 }, 2);
      expect(small.rows.map((e) => e.seq)).toEqual(expected.slice(9, 18));
      expect(small.total).toBe(expected.length);
    }
    // The filters found something where they should: the comparison above is not between empty lists.
    expect((await searchAudit(k, { objectId: 'entry-1' }, { page: 1, pageSize: 100 })).total).toBe(35);
    expect((await searchAudit(k, { outcome: 'denied' }, { page: 1, pageSize: 100 })).total).toBe(15);
    expect((await searchAudit(k, { to: new Date('2020-01-01') }, { page: 1, pageSize: 5 })).total).toBe(0);
    // An event read from a block is whole: its detail, actor and hashes.
    const one = await searchAudit(
      k,
      { action: 'exchange.verify', objectId: 'entry-0' },
      { page: 1, pageSize: 1 },
    );
    expect(one.items[0]).toMatchObject({ action: 'exchange.verify', actorOrgId: orgs[0], outcome: 'ok' });
    expect(one.items[0]?.detail).toEqual({ rows: 90 });
    expect(one.items[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('finds a change to an event in a block and to an event in a row, naming each', async () => {
    const k = t.db.kysely;
    const inBlock = Number(
      (
        await k
          .selectFrom('audit_block')
          .select('first_seq')
          .orderBy('first_seq', 'desc')
          .executeTakeFirstOrThrow()
      ).first_seq,
    );
    expect(await tamperAuditEvent(t.db, inBlock)).toBe('block');
    expect((await verifyChain(k, 10)).broken).toMatchObject({
      seq: inBlock,
      reason: 'content does not match its hash',
    });
    const inRow = Number(
      (await k.selectFrom('audit_event_row').select('seq').where('seq', '>', base).executeTakeFirstOrThrow())
        .seq,
    );
    expect(inRow).toBeLessThan(inBlock);
    expect(await tamperAuditEvent(t.db, inRow)).toBe('row');
    expect((await verifyChain(k, 10)).broken).toMatchObject({
      seq: inRow,
      reason: 'content does not match its hash',
    });
  });
});
