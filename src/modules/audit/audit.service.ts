/**
 * The audit chain (R8.1). Every event is chained: hash = SM3(prev_hash ‖ canonical content).
 *
 * Two ways in:
 * - `record(event)`: for events without a business transaction (logins, reads, exchange calls).
 *   Queued in memory and written by group commit: whatever arrives while a flush runs is chained
 *   and committed together by the next one. The promise resolves once the event is durable.
 * - `stage(tx, event)`: inside a business transaction. The event lands in audit_outbox and is
 *   durable exactly when the change is; `transaction(fn)` commits and then chains it before the
 *   caller answers. Staged events a crash left behind are chained at the next start.
 */
import type { Kysely } from 'kysely';
import type { Database, Executor, StatementRunner } from '../../db/index.js';
import { DomainError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { canonicalJson, type Json, type JsonObject } from '../../kernel/json.js';
import type { Page, PageRequest } from '../../kernel/pagination.js';
import { sm3Hex } from '../../kernel/sm3.js';
import {
  type AuditFilter,
  arrayLiteral,
  type ChainedEvent,
  auditRepository as repo,
  searchKeys,
} from './audit.repository.js';
import type { AuditOutcome } from './audit.table.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditActor {
  userId?: string | null;
  username?: string | null;
  orgId?: string | null;
  systemId?: string | null;
}

export interface AuditInput {
  actor: AuditActor;
  action: string;
  objectType: string;
  objectId?: string | null;
  outcome?: AuditOutcome;
  detail?: JsonObject;
  requestId?: string | null;
  ip?: string | null;
}

/** An event before it is chained: everything but seq and the hashes. */
interface PendingEvent {
  id: string;
  occurred_at: string;
  actor_user_id: string | null;
  actor_username: string | null;
  actor_org_id: string | null;
  actor_system_id: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  outcome: AuditOutcome;
  detail: JsonObject;
  request_id: string | null;
  ip: string | null;
}

export interface AuditLogOptions {
  /** false: one transaction per event (the baseline the benchmark compares against). */
  groupCommit?: boolean;
  /** Most events chained in one flush. */
  maxBatch?: number;
  /** How often staged events left by other nodes or crashes are swept, ms; 0 disables the timer. */
  sweepMs?: number;
  /** Flush transactions in flight at once (pipelined group commit); 1 = one after the other. */
  pipeline?: number;
  /**
   * Runs a flush as one prepared statement (Db.run) instead of a four-statement transaction through
   * the query builder; what the exchange hot path uses.
   */
  run?: StatementRunner;
}

class StaleHead extends Error {}

const PIPELINE_MIN_BATCH = 32;

/**
 * Chains events after a head: seq and prev_hash/hash for each, and the new head. Each event leaves as the
 * row the database inserts, in JSON: its canonical content (the very text that was hashed, whose keys are
 * the column names) with the two hashes appended — so an event is serialized once, not twice. This runs
 * once per exchange call.
 */
function chainFrom(base: { seq: number; hash: string }, events: PendingEvent[]) {
  let { seq, hash } = base;
  const rows: string[] = new Array(events.length);
  for (let i = 0; i < events.length; i++) {
    seq += 1;
    const content = canonicalContent(events[i] as PendingEvent, seq);
    const h = hashAfter(hash, content);
    rows[i] = `${content.slice(0, -1)},"prev_hash":"${hash}","hash":"${h}"}`;
    hash = h;
  }
  return { rows, head: { seq, hash } };
}

/** What a block says of its events besides the events themselves: their time range and search keys. */
function blockOf(events: PendingEvent[]): {
  firstAt: string;
  lastAt: string;
  keys: string;
  keyCounts: string;
} {
  let firstAt = (events[0] as PendingEvent).occurred_at;
  let lastAt = firstAt;
  const counts = new Map<string, number>();
  for (const e of events) {
    if (e.occurred_at < firstAt) firstAt = e.occurred_at;
    if (e.occurred_at > lastAt) lastAt = e.occurred_at;
    for (const k of searchKeys(e)) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return {
    firstAt,
    lastAt,
    keys: arrayLiteral(counts.keys()),
    keyCounts: JSON.stringify(Object.fromEntries(counts)),
  };
}

interface Waiter {
  event: PendingEvent | null;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export function toPending(input: AuditInput, now = new Date()): PendingEvent {
  return {
    id: newId(),
    occurred_at: now.toISOString(),
    actor_user_id: input.actor.userId ?? null,
    actor_username: input.actor.username ?? null,
    actor_org_id: input.actor.orgId ?? null,
    actor_system_id: input.actor.systemId ?? null,
    action: input.action,
    object_type: input.objectType,
    object_id: input.objectId ?? null,
    outcome: input.outcome ?? 'ok',
    detail: input.detail ?? {},
    request_id: input.requestId ?? null,
    ip: input.ip ?? null,
  };
}

const str = JSON.stringify;

/**
 * The content that is hashed: every stored field but the hashes themselves, as canonical JSON (keys
 * sorted, as canonicalJson would write it; written out by hand because this runs once per event on the
 * exchange hot path — audit.test.ts checks it against canonicalJson).
 */
export function canonicalContent(e: PendingEvent, seq: number): string {
  return (
    `{"action":${str(e.action)},"actor_org_id":${str(e.actor_org_id)},` +
    `"actor_system_id":${str(e.actor_system_id)},"actor_user_id":${str(e.actor_user_id)},` +
    `"actor_username":${str(e.actor_username)},"detail":${canonicalJson(e.detail)},"id":${str(e.id)},` +
    `"ip":${str(e.ip)},"object_id":${str(e.object_id)},"object_type":${str(e.object_type)},` +
    `"occurred_at":${str(e.occurred_at)},"outcome":${str(e.outcome)},"request_id":${str(e.request_id)},` +
    `"seq":${seq}}`
  );
}

/** The chain's one formula: hash = SM3(prev_hash ‖ "\n" ‖ canonical content). */
function hashAfter(prevHash: string, content: string): string {
  return sm3Hex(`${prevHash}\n${content}`);
}

export function chainHash(prevHash: string, e: PendingEvent, seq: number): string {
  return hashAfter(prevHash, canonicalContent(e, seq));
}

export class AuditLog {
  private readonly db: Kysely<Database>;
  private readonly groupCommit: boolean;
  private readonly maxBatch: number;
  private queue: Waiter[] = [];
  private inflight = 0;
  private exclusive = false;
  private batches = 0;
  private retry: { no: number; waiters: Waiter[] }[] = [];
  /** The head the last flush in flight will leave; null when it must be read from the database. */
  private tentative: { seq: number; hash: string } | null = null;
  private readonly maxInflight: number;
  private lastMoved: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private readonly sweepMs: number;
  private readonly run: StatementRunner | null;
  /**
   * Whether this node may have staged events to chain. Queued-only flushes (the exchange hot path) then
   * skip the outbox; the periodic sweep and drain() always look, for other nodes and crashes.
   */
  private staged = true;

  constructor(db: Kysely<Database>, options: AuditLogOptions = {}) {
    this.db = db;
    this.groupCommit = options.groupCommit ?? true;
    this.maxBatch = options.maxBatch ?? 2000;
    this.sweepMs = options.sweepMs ?? 0;
    this.maxInflight = options.pipeline ?? 3;
    this.run = options.run ?? null;
  }

  /** Starts the sweep that chains events staged by crashed or other nodes. */
  start(): void {
    if (this.sweepMs > 0 && !this.timer) {
      this.timer = setInterval(() => {
        this.drain().catch(() => undefined);
      }, this.sweepMs);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.drain();
  }

  /** Appends one event; resolves when it is durable in the chain. */
  record(input: AuditInput): Promise<void> {
    const event = toPending(input);
    if (!this.groupCommit) return this.writeBatch([event], false).then(() => undefined);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      this.kick();
    });
  }

  /** Stages an event inside the caller's transaction; chained after commit by transaction()/drain(). */
  async stage(tx: Executor, input: AuditInput): Promise<void> {
    this.staged = true;
    await repo.stage(tx, toPending(input) as unknown as JsonObject);
  }

  /** Stages many events inside the caller's transaction, in one statement per chunk. */
  async stageMany(tx: Executor, inputs: AuditInput[]): Promise<void> {
    this.staged = true;
    const now = new Date();
    await repo.stageMany(
      tx,
      inputs.map((i) => toPending(i, now) as unknown as JsonObject),
    );
  }

  /** Runs fn in a transaction and, once it commits, chains what it staged before returning. */
  async transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
    const result = await this.db.transaction().execute(fn);
    await this.drain();
    return result;
  }

  /** Chains every event staged or queued before this call. */
  drain(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ event: null, resolve, reject });
      this.kick();
    });
  }

  /**
   * Starts flushes. Appends are pipelined: up to `maxInflight` flush transactions are in flight, each
   * chaining from the head the previous one will leave, and each first moves the head row from that
   * expected value to its own (UPDATE … WHERE seq = expected). The row lock makes them commit in order
   * while PostgreSQL merges their commits; if one fails, the ones after it find the head not as expected,
   * roll back and are chained again. Drains and staged events take the exclusive path (lock, outbox).
   */
  private kick(): void {
    if (this.inflight === 0 && this.retry.length > 0) {
      this.retry.sort((a, b) => a.no - b.no);
      this.queue.unshift(...this.retry.flatMap((r) => r.waiters));
      this.retry = [];
    }
    while (this.queue.length > 0 && !this.exclusive) {
      const next = this.queue.slice(0, this.maxBatch);
      if (this.staged || next.some((w) => w.event === null)) {
        if (this.inflight > 0) return; // the pipeline empties first; its end kicks again
        this.exclusive = true;
        const waiters = this.queue.splice(0, this.maxBatch);
        this.staged = false;
        void this.runExclusive(waiters).finally(() => {
          this.exclusive = false;
          this.kick();
        });
        return;
      }
      if (this.inflight >= this.maxInflight || (this.tentative === null && this.inflight > 0)) return;
      // A second flush in flight pays off only for a real batch; small ones wait for the next turn.
      if (this.inflight > 0 && next.length < PIPELINE_MIN_BATCH) return;
      const waiters = this.queue.splice(0, this.maxBatch);
      this.inflight++;
      const no = ++this.batches;
      void this.runPipelined(no, waiters).finally(() => {
        this.inflight--;
        this.kick();
      });
    }
  }

  private async runExclusive(waiters: Waiter[]): Promise<void> {
    const events = waiters.flatMap((w) => (w.event ? [w.event] : []));
    try {
      // A full claim means more staged events may be waiting (a large import): keep chaining.
      let claimed = await this.writeBatch(events, true);
      while (claimed === this.outboxClaim) claimed = await this.writeBatch([], true);
      for (const w of waiters) w.resolve();
    } catch (e) {
      for (const w of waiters) w.reject(e);
    } finally {
      this.tentative = null;
    }
  }

  private async runPipelined(no: number, waiters: Waiter[]): Promise<void> {
    const events = waiters.map((w) => w.event as PendingEvent);
    // Each flush moves the head only after the flush before it has moved it (then its UPDATE waits on
    // that row lock until the earlier one commits, and finds the head where it expects it).
    const before = this.lastMoved;
    let moved: () => void = () => undefined;
    this.lastMoved = new Promise<void>((r) => {
      moved = r;
    });
    try {
      const base = this.tentative ?? (await repo.head(this.db));
      const { rows, head } = chainFrom(base, events);
      this.tentative = head;
      if (this.run) {
        // One statement: it cannot be ordered behind the flush before it from here, so it may find the
        // head not yet moved; then it wrote nothing and is chained again once the pipeline empties.
        await before;
        const sent = repo.append(this.run, base, head, { rows, ...blockOf(events) });
        moved();
        if (!(await sent)) throw new StaleHead();
        for (const w of waiters) w.resolve();
        return;
      }
      await this.db.transaction().execute(async (tx) => {
        await before;
        const ok = await repo.moveHead(tx, base, head);
        moved();
        if (!ok) throw new StaleHead();
        await repo.insertBlock(tx, base.seq + 1, head.seq, { rows, ...blockOf(events) });
      });
      for (const w of waiters) w.resolve();
    } catch (e) {
      this.tentative = null;
      if (e instanceof StaleHead) this.retry.push({ no, waiters });
      else for (const w of waiters) w.reject(e);
    } finally {
      moved();
    }
  }

  private get outboxClaim(): number {
    return this.maxBatch * 5;
  }

  /** One transaction: lock the head, chain staged then queued events, move the head. Returns how many staged events it claimed. */
  private async writeBatch(events: PendingEvent[], includeOutbox: boolean): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      const head = await repo.lockHead(tx);
      const staged = includeOutbox ? await repo.claimOutbox(tx, this.outboxClaim) : [];
      const all: PendingEvent[] = [...staged.map((s) => s.event as unknown as PendingEvent), ...events];
      if (all.length === 0) return 0;
      const { rows, head: next } = chainFrom(head, all);
      await repo.insertChained(tx, rows);
      await repo.deleteOutbox(
        tx,
        staged.map((s) => s.id),
      );
      await repo.setHead(tx, next.seq, next.hash);
      return staged.length;
    });
  }
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  headSeq: number;
  pending: number;
  /** The first event that does not verify, and why. */
  broken: { seq: number; id: string; reason: string } | null;
}

/** Walks the whole chain in order and recomputes every hash: one segment after the other. */
export async function verifyChain(db: Executor, pageSize = 5000): Promise<VerifyResult> {
  let after = 0;
  let checked = 0;
  for (;;) {
    const s = await verifyChainSegment(db, after, pageSize);
    checked += s.checked;
    if (!s.ok || s.done) {
      return { ok: s.ok, checked, headSeq: s.headSeq, pending: s.pending, broken: s.broken };
    }
    after = s.lastSeq;
  }
}

export interface VerifySegmentResult extends VerifyResult {
  /** The last event this segment verified (afterSeq when none); the next segment starts after it. */
  lastSeq: number;
  /** true when the segment reached the head: the whole chain up to it has been verified. */
  done: boolean;
}

/**
 * Verifies one segment of the chain: up to `limit` events after `afterSeq`, starting from the stored
 * hash of event `afterSeq` (which the previous segment verified). A console runs the segments one after
 * the other to show progress; the last segment also checks the head. Same checks as verifyChain.
 */
export async function verifyChainSegment(
  db: Executor,
  afterSeq: number,
  limit: number,
): Promise<VerifySegmentResult> {
  let prev = GENESIS_HASH;
  if (afterSeq > 0) {
    const start = await repo.bySeq(db, afterSeq);
    if (!start) {
      const head = await repo.head(db);
      return {
        ok: false,
        checked: 0,
        headSeq: head.seq,
        pending: await repo.countOutbox(db),
        broken: { seq: afterSeq, id: '', reason: `event ${afterSeq} is missing` },
        lastSeq: afterSeq,
        done: true,
      };
    }
    prev = start.hash;
  }
  const page = await repo.chainPage(db, afterSeq, limit);
  let expectedSeq = afterSeq + 1;
  let checked = 0;
  for (const e of page) {
    const pending: PendingEvent = { ...e, occurred_at: e.occurred_at.toISOString() };
    let reason: string | null = null;
    if (e.seq !== expectedSeq) reason = `sequence gap: expected ${expectedSeq}, found ${e.seq}`;
    else if (e.prev_hash !== prev) reason = 'prev_hash does not match the previous event';
    else if (chainHash(prev, pending, e.seq) !== e.hash) reason = 'content does not match its hash';
    if (reason) {
      const head = await repo.head(db);
      return {
        ok: false,
        checked,
        headSeq: head.seq,
        pending: await repo.countOutbox(db),
        broken: { seq: e.seq, id: e.id, reason },
        lastSeq: expectedSeq - 1,
        done: true,
      };
    }
    prev = e.hash;
    expectedSeq += 1;
    checked += 1;
  }
  const lastSeq = expectedSeq - 1;
  const head = await repo.head(db);
  const pending = await repo.countOutbox(db);
  // More events than the segment held, or the chain grew while it was read: not at the end yet. A head
  // beyond the last event with nothing after it (read again, in case events were chained meanwhile)
  // is a chain cut short, checked below.
  const grew = head.seq > lastSeq && (page.length > 0 || (await repo.chainPage(db, lastSeq, 1)).length > 0);
  if (page.length === limit || grew) {
    return { ok: true, checked, headSeq: head.seq, pending, broken: null, lastSeq, done: false };
  }
  if (head.seq !== lastSeq || (lastSeq > 0 && head.hash !== prev)) {
    return {
      ok: false,
      checked,
      headSeq: head.seq,
      pending,
      broken: { seq: lastSeq + 1, id: '', reason: `chain ends at ${lastSeq} but the head says ${head.seq}` },
      lastSeq,
      done: true,
    };
  }
  return { ok: true, checked, headSeq: head.seq, pending, broken: null, lastSeq, done: true };
}

/** One event with everything the chain hashes: its canonical content and both hashes. */
export interface AuditEventDetail extends AuditEventView {
  prevHash: string;
  canonical: string;
  /** Whether SM3(prevHash ‖ "\n" ‖ canonical) equals the stored hash. */
  hashMatches: boolean;
}

export async function auditEvent(db: Executor, seq: number): Promise<AuditEventDetail> {
  const e = await repo.bySeq(db, seq);
  if (!e) throw DomainError.notFound({ zh: `审计事件 ${seq}`, en: `Audit event ${seq}` });
  const pending: PendingEvent = { ...e, occurred_at: e.occurred_at.toISOString() };
  return {
    ...viewOf(e),
    prevHash: e.prev_hash,
    canonical: canonicalContent(pending, e.seq),
    hashMatches: chainHash(e.prev_hash, pending, e.seq) === e.hash,
  };
}

function viewOf(e: ChainedEvent): AuditEventView {
  return {
    seq: e.seq,
    id: e.id,
    occurredAt: e.occurred_at.toISOString(),
    actorUserId: e.actor_user_id,
    actorUsername: e.actor_username,
    actorOrgId: e.actor_org_id,
    actorSystemId: e.actor_system_id,
    action: e.action,
    objectType: e.object_type,
    objectId: e.object_id,
    outcome: e.outcome,
    detail: e.detail,
    requestId: e.request_id,
    ip: e.ip,
    hash: e.hash,
  };
}

export interface AuditEventView {
  seq: number;
  id: string;
  occurredAt: string;
  actorUserId: string | null;
  actorUsername: string | null;
  actorOrgId: string | null;
  actorSystemId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  outcome: AuditOutcome;
  detail: Json;
  requestId: string | null;
  ip: string | null;
  hash: string;
}

export async function searchAudit(
  db: Executor,
  filter: AuditFilter,
  page: PageRequest,
): Promise<Page<AuditEventView>> {
  if (filter.from && filter.to && filter.from > filter.to) {
    throw DomainError.validation([
      { field: 'to', rule: 'after_from', zh: '结束时间不能早于开始时间', en: 'to must not be before from' },
    ]);
  }
  const { rows, total } = await repo.search(db, filter, page);
  return {
    items: rows.map(viewOf),
    total,
    page: page.page,
    pageSize: page.pageSize,
  };
}
