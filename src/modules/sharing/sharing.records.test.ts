import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, type TestDb, testDb } from '../../../test/helpers.js';
import { build } from '../../app.js';
import type { RequestMeta } from '../../http/context.js';
import { installProblemHandler } from '../../http/problem.js';
import { FixedClock } from '../../kernel/clock.js';
import { DomainError } from '../../kernel/errors.js';
import { sm3Hex } from '../../kernel/sm3.js';
import { createServices, type Services } from '../../services.js';
import type { UserActor } from '../auth/auth.policy.js';
import { authRoutes, installAuthentication } from '../auth/auth.routes.js';
import { SEED_PRESET } from '../policy/policy.presets.js';
import { agreementBlocks, agreementText } from './sharing.agreement.js';
import {
  AgreementService,
  addYears,
  NATIONAL_MIN_RETENTION_YEARS,
  type UsageInput,
  UsageService,
} from './sharing.records.js';
import { sharingRecordsRoutes } from './sharing.records.routes.js';

const ENTRY_NAME = '户籍人口基本信息';
const OTHER_DIGEST = 'a'.repeat(64);

/** The DomainError a promise rejects with (fails the test when it resolves or throws something else). */
async function failure(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('sharing records: agreements and usage records', () => {
  const clock = new FixedClock('2026-09-29');
  let t: TestDb;
  let s: Services;
  let agreements: AgreementService;
  let usage: UsageService;
  const actors = new Map<string, UserActor>();

  const actor = (username: string): UserActor => {
    const a = actors.get(username);
    if (!a) throw new Error(`unknown user ${username}`);
    return a;
  };
  const meta = (a: UserActor): RequestMeta => ({
    actor: { userId: a.userId, username: a.username, orgId: a.orgId },
    requestId: 'records-test',
    ip: '127.0.0.1',
  });

  /** Applies (民政局 → 公安局), approves internally and at the provider, supplies: returns the grant id. */
  async function suppliedGrant(): Promise<string> {
    const row = await s.db.kysely
      .selectFrom('catalog_entry')
      .select('id')
      .where('name', '=', ENTRY_NAME)
      .where('status', '=', 'published')
      .where('revision_of', 'is', null)
      .executeTakeFirstOrThrow();
    const [entry] = await s.catalog.views(s.db.kysely, [row.id]);
    if (!entry) throw new Error('no entry');
    const mz = actor('mz_officer');
    const app = await s.sharing.create(meta(mz), mz, {
      entryId: entry.id,
      requestedItems: entry.items.slice(0, 2).map((i) => i.name),
      basis: '《社会救助暂行办法》第十一条',
      scenario: '最低生活保障申请审核',
      purposeCategory: 'data_verification',
      purpose: '核对申请人户籍',
      scope: '市民政局社会救助科',
      accessMode: 'batch_download',
      periodFrom: '2026-10-01',
      periodTo: '2027-09-30',
      attested: true,
    });
    const act = (username: string, action: 'submit' | 'internal_approve' | 'approve' | 'supply') =>
      s.sharing.act(meta(actor(username)), actor(username), app.id, action);
    await act('mz_officer', 'submit');
    await act('mz_admin', 'internal_approve');
    await act('ga_admin', 'approve');
    const supplied = await act('ga_admin', 'supply');
    expect(supplied.status).toBe('supplied');
    if (!supplied.grantId) throw new Error('no grant');
    return supplied.grantId;
  }

  const use = (over: Partial<UsageInput> = {}): UsageInput => ({
    kind: 'use',
    scenario: '最低生活保障申请审核',
    process: '经办人在低保审批系统中逐件核对申请人户籍',
    effect: '核对 12 件，发现户籍不符 1 件',
    storage: '仅存于低保审批系统业务库',
    occurredOn: '2026-10-09',
    ...over,
  });

  beforeAll(async () => {
    t = await testDb({ LOG_LEVEL: 'silent' });
    s = createServices(t.config, t.db, { clock });
    agreements = new AgreementService(s.db.kysely, s.audit, s.clock);
    usage = new UsageService(s.db.kysely, s.audit, s.policy, s.clock);
    const users = await s.db.kysely
      .selectFrom('app_user')
      .select(['id', 'username', 'role', 'org_id'])
      .execute();
    for (const u of users) {
      actors.set(u.username, {
        kind: 'user',
        userId: u.id,
        username: u.username,
        role: u.role,
        homeOrgId: u.org_id,
        orgId: u.org_id,
        sessionId: '',
      });
    }
  });
  afterAll(async () => {
    await s.audit.stop();
    await t.dispose();
  });

  describe('the confidentiality agreement', () => {
    let grantId: string;
    beforeAll(async () => {
      clock.set('2026-09-29');
      grantId = await suppliedGrant();
    });

    it('exists for a supplied grant; its digest is SM3 of its text, and the text is reproducible', async () => {
      const v = await agreements.forGrant(actor('mz_officer'), grantId);
      expect(v.grantId).toBe(grantId);
      expect(v.digest).toBe(sm3Hex(v.text));
      expect(v.digestValid).toBe(true);
      expect(v.status).toBe('pending');
      const orgName = async (username: string) =>
        (
          await s.db.kysely
            .selectFrom('organization')
            .select('name')
            .where('id', '=', actor(username).orgId)
            .executeTakeFirstOrThrow()
        ).name;
      const consumerName = await orgName('mz_admin');
      const providerName = await orgName('ga_admin');
      expect(consumerName).toContain('民政局');
      expect(v.consumerOrgName).toBe(consumerName);
      expect(v.providerOrgName).toBe(providerName);
      expect(v.text).toContain(`甲方（数据提供方）：${providerName}`);
      expect(v.text).toContain(`乙方（数据使用方）：${consumerName}`);
      expect(v.text).toContain(ENTRY_NAME);
      expect(v.canAccept).toBeNull(); // a data officer accepts for nobody

      // Deterministic: the same grant and parties give the same text, hence the stored digest.
      const g = await s.db.kysely
        .selectFrom('share_grant')
        .selectAll()
        .where('id', '=', grantId)
        .executeTakeFirstOrThrow();
      const e = await s.db.kysely
        .selectFrom('catalog_entry')
        .select(['name', 'code'])
        .where('id', '=', g.entry_id ?? '')
        .executeTakeFirstOrThrow();
      const parties = {
        consumerName,
        providerName,
        resourceName: e.name,
        resourceCode: e.code,
      };
      expect(agreementText(g, parties)).toBe(v.text);
      expect(sm3Hex(agreementText(g, parties))).toBe(v.digest);
      for (const item of g.items) expect(v.text).toContain(item.name);

      // Its structure is what the printed document shows.
      const { title, blocks } = agreementBlocks(v.text);
      expect(title).toBe('政务数据共享保密协议');
      expect(blocks.filter((b) => b.kind === 'heading').length).toBeGreaterThanOrEqual(4);
      expect(blocks.filter((b) => b.kind === 'clause').length).toBeGreaterThanOrEqual(10);
    });

    it('prints a blank signature block before anyone accepts', async () => {
      const html = await agreements.print(actor('ga_officer'), grantId);
      expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
      expect(html).toContain('<meta charset="utf-8">');
      expect(html).toContain('授权人员（签字）');
      expect(html).toContain('class="blank"');
      expect(html).not.toContain('确认时间');
    });

    it('refuses a digest that is not the text’s (409), and officers other than the heads (403)', async () => {
      const wrong = await failure(
        agreements.accept(meta(actor('mz_admin')), actor('mz_admin'), grantId, OTHER_DIGEST),
      );
      expect(wrong.status).toBe(409);
      expect(wrong.fields.map((f) => f.field)).toEqual(['digest']);
      const { digest } = await agreements.forGrant(actor('mz_admin'), grantId);
      for (const who of ['mz_officer', 'ga_officer', 'ga_tech', 'admin']) {
        const e = await failure(agreements.accept(meta(actor(who)), actor(who), grantId, digest));
        expect(e.status, who).toBe(403);
      }
      // A platform admin switched to the consumer's organization still cannot accept for it.
      const admin = { ...actor('admin'), orgId: actor('mz_admin').orgId };
      expect((await failure(agreements.accept(meta(admin), admin, grantId, digest))).status).toBe(403);
      expect((await agreements.forGrant(actor('mz_admin'), grantId)).status).toBe('pending');
    });

    it('the consumer’s head and the provider’s head accept, each once; both acceptances are audited', async () => {
      const before = await agreements.forGrant(actor('mz_admin'), grantId);
      expect(before.canAccept).toBe('consumer');
      const first = await agreements.accept(
        meta(actor('mz_admin')),
        actor('mz_admin'),
        grantId,
        before.digest.toUpperCase(), // hex case does not matter
      );
      expect(first.status).toBe('partly_accepted');
      expect(first.consumerAcceptedBy).toBe(actor('mz_admin').userId);
      expect(first.consumerAcceptedByName).toContain('mz_admin');
      expect(first.consumerAcceptedAt).not.toBeNull();
      expect(first.providerAcceptedAt).toBeNull();
      expect(first.canAccept).toBeNull();

      const twice = await failure(
        agreements.accept(meta(actor('mz_admin')), actor('mz_admin'), grantId, before.digest),
      );
      expect(twice.status).toBe(409);

      const second = await agreements.accept(
        meta(actor('ga_admin')),
        actor('ga_admin'),
        grantId,
        before.digest,
      );
      expect(second.status).toBe('accepted');
      expect(second.providerAcceptedBy).toBe(actor('ga_admin').userId);

      const events = await s.db.kysely
        .selectFrom('audit_event')
        .select(['action', 'actor_username', 'detail', 'object_id'])
        .where('action', '=', 'sharing.agreement.accept')
        .where('object_id', '=', before.id)
        .orderBy('seq')
        .execute();
      expect(events.map((e) => [e.actor_username, e.detail.side, e.detail.digest, e.detail.status])).toEqual([
        ['mz_admin', 'consumer', before.digest, 'partly_accepted'],
        ['ga_admin', 'provider', before.digest, 'accepted'],
      ]);
      // The consumer is told the agreement is in force.
      const reminders = await s.sharing.reminders(actor('mz_admin'), false);
      expect(reminders.some((r) => r.kind === 'agreement_accepted' && r.objectId === before.id)).toBe(true);
    });

    it('prints a complete A4 document with both parties, the items, the digest and the acceptances', async () => {
      const v = await agreements.forGrant(actor('auditor'), grantId);
      const g = await s.grants.get(actor('auditor'), grantId);
      const html = await agreements.print(actor('auditor'), grantId);
      expect(html).toMatch(/<title>[^<]*政务数据共享保密协议[^<]*<\/title>/);
      expect(html).toContain('<html lang="zh-CN">');
      expect(html).toContain('@media print');
      expect(html).toContain('size: A4');
      expect(html).toContain('市公安局');
      expect(html).toContain('市民政局');
      for (const item of g.items) expect(html).toContain(item.name);
      expect(html).toContain(v.digest);
      expect(html).toContain('<h2>一、共享事项</h2>');
      expect(html).toContain('第一条');
      expect(html).toContain('确认时间');
      expect(html).toContain('mz_admin');
      expect(html).toContain('ga_admin');
      expect(html).not.toContain('授权人员（签字）');
      expect(html).not.toContain('<script');
    });

    it('is not shown to a third department (404)', async () => {
      const e = await failure(agreements.forGrant(actor('rs_officer'), grantId));
      expect(e.status).toBe(404);
      expect((await failure(agreements.print(actor('rs_officer'), grantId))).status).toBe(404);
      const digest = (await agreements.forGrant(actor('admin'), grantId)).digest;
      expect(
        (await failure(agreements.accept(meta(actor('rs_officer')), actor('rs_officer'), grantId, digest)))
          .status,
      ).toBe(404);
    });
  });

  describe('usage and disposal records', () => {
    let grantId: string;
    beforeAll(async () => {
      clock.set('2026-09-29');
      grantId = await suppliedGrant();
      clock.set('2026-10-12');
    });

    it('needs every one of scenario, process, effect and storage, each named (400)', async () => {
      const e = await failure(
        usage.record(
          meta(actor('mz_officer')),
          actor('mz_officer'),
          grantId,
          use({ process: '', storage: '   ' }),
        ),
      );
      expect(e.status).toBe(400);
      expect(e.fields.map((f) => f.field).sort()).toEqual(['process', 'storage']);
      const all = await failure(
        usage.record(
          meta(actor('mz_officer')),
          actor('mz_officer'),
          grantId,
          use({ scenario: '', process: '', effect: '', storage: '', occurredOn: '2026-13-01' }),
        ),
      );
      expect(all.fields.map((f) => f.field).sort()).toEqual([
        'effect',
        'occurredOn',
        'process',
        'scenario',
        'storage',
      ]);
      const future = await failure(
        usage.record(
          meta(actor('mz_officer')),
          actor('mz_officer'),
          grantId,
          use({ occurredOn: '2026-10-13' }),
        ),
      );
      expect(future.fields[0]?.rule).toBe('not_future');
      const early = await failure(
        usage.record(
          meta(actor('mz_officer')),
          actor('mz_officer'),
          grantId,
          use({ occurredOn: '2026-09-30' }),
        ),
      );
      expect(early.fields[0]?.rule).toBe('within_grant');
    });

    it('is kept by the consumer’s officers only; retain_until = occurredOn + 3 years', async () => {
      for (const who of ['ga_admin', 'ga_officer', 'mz_tech', 'admin']) {
        if (!actors.has(who)) continue;
        const e = await failure(usage.record(meta(actor(who)), actor(who), grantId, use()));
        expect(e.status, who).toBe(403);
      }
      const r = await usage.record(meta(actor('mz_officer')), actor('mz_officer'), grantId, use());
      expect(r.kind).toBe('use');
      expect(r.occurredOn).toBe('2026-10-09');
      expect(r.retainUntil).toBe('2029-10-09');
      expect(r.recordedBy).toBe(actor('mz_officer').userId);
      const stored = await s.db.kysely
        .selectFrom('share_usage_record')
        .select(['retain_until', 'scenario'])
        .where('id', '=', r.id)
        .executeTakeFirstOrThrow();
      expect(stored.retain_until).toBe('2029-10-09');
      const r2 = await usage.record(
        meta(actor('mz_admin')),
        actor('mz_admin'),
        grantId,
        use({ occurredOn: '2026-10-12', effect: '核对 30 件' }),
      );
      expect(r2.retainUntil).toBe('2029-10-12');
      const audited = await s.db.kysely
        .selectFrom('audit_event')
        .select('detail')
        .where('action', '=', 'sharing.usage.record')
        .where('object_id', '=', r.id)
        .executeTakeFirstOrThrow();
      expect(audited.detail.retainUntil).toBe('2029-10-09');
    });

    it('is readable by the provider, the platform office and auditors, not by a third department (404)', async () => {
      for (const who of ['ga_officer', 'ga_tech', 'admin', 'auditor', 'mz_officer']) {
        const list = await usage.list(actor(who), grantId);
        expect(list.items.length, who).toBe(2);
        expect(list.retentionYears).toBe(3);
        expect(list.disposedOn).toBeNull();
      }
      const list = await usage.list(actor('ga_officer'), grantId);
      expect(list.items.map((i) => i.occurredOn)).toEqual(['2026-10-09', '2026-10-12']);
      const e = await failure(usage.list(actor('rs_officer'), grantId));
      expect(e.status).toBe(404);
      const w = await failure(usage.record(meta(actor('rs_officer')), actor('rs_officer'), grantId, use()));
      expect(w.status).toBe(404);
    });

    it('refuses a disposal on an active grant unless the data is declared no longer needed (409); after revoke it is recorded', async () => {
      const d = { disposal: '删除业务库中的共享数据及备份，两人复核', occurredOn: '2026-10-12' };
      const early = await failure(
        usage.recordDisposal(meta(actor('mz_admin')), actor('mz_admin'), grantId, d),
      );
      expect(early.status).toBe(409);
      const missing = await failure(
        usage.recordDisposal(meta(actor('mz_admin')), actor('mz_admin'), grantId, { ...d, disposal: ' ' }),
      );
      expect(missing.fields.map((f) => f.field)).toEqual(['disposal']);

      await s.grants.revoke(meta(actor('admin')), actor('admin'), grantId, '使用部门职能调整');
      const r = await usage.recordDisposal(meta(actor('mz_admin')), actor('mz_admin'), grantId, d);
      expect(r.kind).toBe('disposal');
      expect(r.disposal).toBe(d.disposal);
      expect(r.retainUntil).toBe('2029-10-12');
      const list = await usage.list(actor('ga_admin'), grantId);
      expect(list.disposedOn).toBe('2026-10-12');
      expect(list.items.map((i) => i.kind)).toEqual(['use', 'use', 'disposal']);

      // Disposal is the last record: no second one, no further use.
      expect(
        (await failure(usage.recordDisposal(meta(actor('mz_admin')), actor('mz_admin'), grantId, d))).status,
      ).toBe(409);
      expect(
        (await failure(usage.record(meta(actor('mz_officer')), actor('mz_officer'), grantId, use()))).status,
      ).toBe(409);
      // The provider is told.
      const reminders = await s.sharing.reminders(actor('ga_admin'), false);
      expect(reminders.some((x) => x.kind === 'data_disposed' && x.objectId === grantId)).toBe(true);
      // A revoked grant's agreement can no longer be accepted.
      const v = await agreements.forGrant(actor('ga_admin'), grantId);
      expect(v.canAccept).toBeNull();
      expect(
        (await failure(agreements.accept(meta(actor('ga_admin')), actor('ga_admin'), grantId, v.digest)))
          .status,
      ).toBe(409);
    });

    it('records a disposal on an active grant when the consumer declares it no longer needs the data', async () => {
      clock.set('2026-09-29');
      const other = await suppliedGrant();
      clock.set('2026-10-12');
      const r = await usage.recordDisposal(meta(actor('mz_officer')), actor('mz_officer'), other, {
        disposal: '不再需要，已删除全部数据',
        occurredOn: '2026-10-10',
        noLongerNeeded: true,
      });
      expect(r.retainUntil).toBe('2029-10-10');
      expect((await s.grants.get(actor('ga_admin'), other)).status).toBe('active');
      const ev = await s.db.kysely
        .selectFrom('audit_event')
        .select('detail')
        .where('action', '=', 'sharing.usage.disposal')
        .where('object_id', '=', r.id)
        .executeTakeFirstOrThrow();
      expect(ev.detail.grounds).toBe('no_longer_needed');
      const reminders = await s.sharing.reminders(actor('ga_admin'), false);
      expect(reminders.some((x) => x.kind === 'data_no_longer_needed' && x.objectId === other)).toBe(true);
    });

    it('keeps records at least three years whatever the preset says', async () => {
      expect(addYears('2026-10-09', 3)).toBe('2029-10-09');
      expect(addYears('2028-02-29', 3)).toBe('2031-03-01');
      expect(addYears('2028-02-29', 4)).toBe('2032-02-29');
      expect(await usage.retentionYears()).toBe(3);
      const m: RequestMeta = { actor: { username: 'test' }, requestId: 'records-test', ip: '' };
      await s.policy.setActive(m, SEED_PRESET);
      try {
        expect(await s.policy.quantity('usage_records.retention_years')).toBeNull();
        expect(await usage.retentionYears()).toBe(NATIONAL_MIN_RETENTION_YEARS);
        await s.policy.setOverride(m, 'usage_records.retention_years', 5, '本市从严：保存五年');
        expect(await usage.retentionYears()).toBe(5);
        await s.policy.setOverride(m, 'usage_records.retention_years', 1, '试图缩短');
        expect(await usage.retentionYears()).toBe(3);
      } finally {
        await s.policy.clearOverride(m, 'usage_records.retention_years');
        await s.policy.setActive(m, 'national_2025');
      }
    });
  });

  describe('over HTTP', () => {
    let app: FastifyInstance;
    let grantId: string;
    beforeAll(async () => {
      clock.set('2026-09-29');
      grantId = await suppliedGrant();
      clock.set('2026-10-12');
      // A small app with just what these routes need (the lead wires the plugin into build()).
      const f = Fastify({
        logger: false,
        ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
      }).withTypeProvider<TypeBoxTypeProvider>();
      installProblemHandler(f, s.audit);
      await f.register(cookie);
      await f.register(rateLimit, { global: false });
      installAuthentication(f, s);
      await f.register(authRoutes, { prefix: '/api/v1', services: s });
      await f.register(sharingRecordsRoutes, { prefix: '/api/v1', services: s });
      await f.ready();
      app = f;
    });
    afterAll(async () => app.close());

    it('serves the agreement, its acceptance, its print and the records', async () => {
      const mzAdmin = await login(app, 'mz_admin');
      const mzOfficer = await login(app, 'mz_officer');
      const gaOfficer = await login(app, 'ga_officer');
      const rs = await login(app, 'rs_officer');
      const url = `/api/v1/sharing/grants/${grantId}`;

      const got = await app.inject({ url: `${url}/agreement`, headers: mzAdmin.headers });
      expect(got.statusCode, got.body).toBe(200);
      const v = json<{ digest: string; text: string; status: string; canAccept: string | null }>(got);
      expect(v.digest).toBe(sm3Hex(v.text));
      expect(v.canAccept).toBe('consumer');

      const malformed = await app.inject({
        method: 'POST',
        url: `${url}/agreement/accept`,
        headers: mzAdmin.headers,
        payload: { digest: 'abc' },
      });
      expect(malformed.statusCode).toBe(400);
      expect(json<{ fields: { field: string }[] }>(malformed).fields[0]?.field).toBe('digest');
      const wrong = await app.inject({
        method: 'POST',
        url: `${url}/agreement/accept`,
        headers: mzAdmin.headers,
        payload: { digest: OTHER_DIGEST },
      });
      expect(wrong.statusCode).toBe(409);
      const byOfficer = await app.inject({
        method: 'POST',
        url: `${url}/agreement/accept`,
        headers: mzOfficer.headers,
        payload: { digest: v.digest },
      });
      expect(byOfficer.statusCode).toBe(403);
      const ok = await app.inject({
        method: 'POST',
        url: `${url}/agreement/accept`,
        headers: mzAdmin.headers,
        payload: { digest: v.digest },
      });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(json<{ status: string }>(ok).status).toBe('partly_accepted');

      const printed = await app.inject({ url: `${url}/agreement/print`, headers: gaOfficer.headers });
      expect(printed.statusCode).toBe(200);
      expect(printed.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(printed.body.startsWith('<!DOCTYPE html>')).toBe(true);
      expect(printed.body).toContain(v.digest);
      expect((await app.inject({ url: `${url}/agreement`, headers: rs.headers })).statusCode).toBe(404);

      const missing = await app.inject({
        method: 'POST',
        url: `${url}/usage`,
        headers: mzOfficer.headers,
        payload: { scenario: '低保审核', process: '逐件核对', storage: '业务库', occurredOn: '2026-10-09' },
      });
      expect(missing.statusCode).toBe(400);
      expect(json<{ fields: { field: string }[] }>(missing).fields.map((f) => f.field)).toEqual(['effect']);
      const blank = await app.inject({
        method: 'POST',
        url: `${url}/usage`,
        headers: mzOfficer.headers,
        payload: {
          scenario: '低保审核',
          process: '逐件核对',
          effect: '  ',
          storage: '业务库',
          occurredOn: '2026-10-09',
        },
      });
      expect(blank.statusCode).toBe(400);
      expect(json<{ fields: { field: string }[] }>(blank).fields.map((f) => f.field)).toEqual(['effect']);
      const recorded = await app.inject({
        method: 'POST',
        url: `${url}/usage`,
        headers: mzOfficer.headers,
        payload: {
          scenario: '低保审核',
          process: '逐件核对',
          effect: '核对 5 件',
          storage: '业务库',
          occurredOn: '2026-10-09',
        },
      });
      expect(recorded.statusCode, recorded.body).toBe(201);
      expect(json<{ retainUntil: string }>(recorded).retainUntil).toBe('2029-10-09');

      const disposal = await app.inject({
        method: 'POST',
        url: `${url}/disposal`,
        headers: mzOfficer.headers,
        payload: { disposal: '删除', occurredOn: '2026-10-12' },
      });
      expect(disposal.statusCode).toBe(409);

      const list = await app.inject({ url: `${url}/usage`, headers: gaOfficer.headers });
      expect(list.statusCode, list.body).toBe(200);
      expect(json<{ items: { kind: string }[]; retentionYears: number }>(list).items.length).toBe(1);
      expect((await app.inject({ url: `${url}/usage`, headers: rs.headers })).statusCode).toBe(404);
      // Records are append-only: there is no route to change or delete one.
      const del = await app.inject({ method: 'DELETE', url: `${url}/usage`, headers: mzOfficer.headers });
      expect(del.statusCode).toBe(404);
    });

    it('is wired into the application under /api/v1', async () => {
      const full = await build(s, { logger: false });
      try {
        const session = await login(full, 'ga_admin');
        const res = await full.inject({
          url: `/api/v1/sharing/grants/${grantId}/agreement`,
          headers: session.headers,
        });
        expect(res.statusCode, res.body).toBe(200);
        expect(json<{ status: string }>(res).status).toBe('partly_accepted');
      } finally {
        await full.close();
      }
    });
  });
});
