/**
 * The gate against a real PostgreSQL source holding provider data (a database of its own on the local
 * server, whichever database the platform itself runs on).
 */
import fc from 'fast-check';
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
import { idNumberCheckChar } from '../../kernel/validators.js';

const SOURCE_URL = process.env.GOVSHARE_TEST_SOURCE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function idNumber(i: number): string {
  const first17 =
    `421202198${String(i % 10)}0${1 + (i % 9)}1${String(i % 10)}${String(100 + (i % 900)).padStart(3, '0')}`.slice(
      0,
      17,
    );
  return first17 + idNumberCheckChar(first17);
}

const available = await sourceServer('postgres');

describe.runIf(available)('exchange gate on a real PostgreSQL source', () => {
  // The time services read: the real time, moved forward when a test needs another day.
  let shiftMs = 0;
  const clock = { now: () => new Date(Date.now() + shiftMs) };
  let t: TestApp;
  let srcDb = '';
  let gaTech: Session;
  let gaAdmin: Session;
  let mz: Session;
  let mzAdmin: Session;
  let admin: Session;
  let token = '';
  let otherToken = '';
  let grantId = '';
  let code = '';
  const people = Array.from({ length: 30 }, (_, i) => ({
    id: idNumber(i),
    name: `测试${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${i}`,
    phone: `1380000${String(1000 + i)}`,
  }));

  const gate = (path: string, body: object, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/exchange/v1/resources/${code.replace('/', '-')}/${path}`,
      payload: body,
      headers,
    });

  beforeAll(async () => {
    // The provider's own database.
    srcDb = `govshare_src_${process.pid}_${Date.now() % 100000}`;
    const adminPg = new pg.Client({ connectionString: SOURCE_URL });
    await adminPg.connect();
    await adminPg.query(`create database "${srcDb}"`);
    await adminPg.end();
    const url = new URL(SOURCE_URL);
    url.pathname = `/${srcDb}`;
    const src = new pg.Client({ connectionString: url.toString() });
    await src.connect();
    await src.query(
      'create table resident (id_number text primary key, full_name text not null, phone text, updated_at timestamptz not null default now())',
    );
    for (const p of people)
      await src.query('insert into resident (id_number, full_name, phone) values ($1, $2, $3)', [
        p.id,
        p.name,
        p.phone,
      ]);
    await src.end();

    t = await testApp({}, { clock });
    gaTech = await login(t.app, 'ga_tech');
    gaAdmin = await login(t.app, 'ga_admin');
    mz = await login(t.app, 'mz_officer');
    mzAdmin = await login(t.app, 'mz_admin');
    admin = await login(t.app, 'admin');
    const gaOrg = json<{ activeOrgId: string }>(
      await t.app.inject({ url: '/api/v1/auth/me', headers: gaAdmin.headers }),
    ).activeOrgId;

    // The provider catalogues and publishes a resource, registers its source and mounts it.
    const post = (s: Session, u: string, payload?: object) =>
      t.app.inject({ method: 'POST', url: u, headers: s.headers, ...(payload ? { payload } : {}) });
    const entry = await publishEntry(t.app, gaAdmin, admin, {
      classCode: '301900',
      className: '部门信息资源/公安/交换测试',
      name: '常住人口核验测试资源',
      providerOrgId: gaOrg,
      summary: '交换网关集成测试',
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
    code = entry.code;

    const srcUrl = new URL(url.toString());
    const source = await post(gaTech, '/api/v1/exchange/sources', {
      name: '公安人口库（测试前置机）',
      kind: 'postgres',
      config: {
        host: srcUrl.hostname,
        port: Number(srcUrl.port || 5432),
        database: srcDb,
        user: srcUrl.username || 'postgres',
      },
      secret: 'not-needed-with-trust-auth',
    });
    expect(source.statusCode, source.body).toBe(201);
    expect(source.body).not.toContain('not-needed-with-trust-auth');
    const sourceId = json<{ id: string }>(source).id;
    const tested = json<{ ok: boolean }>(await post(gaTech, `/api/v1/exchange/sources/${sourceId}/test`));
    expect(tested.ok).toBe(true);
    const mounted = await post(gaTech, '/api/v1/exchange/mounts', {
      entryId: entry.id,
      sourceId,
      relation: 'public.resident',
      keyColumns: ['id_number'],
      mapping: { 公民身份号码: 'id_number', 姓名: 'full_name', 联系电话: 'phone' },
      watermarkColumn: 'updated_at',
    });
    expect(mounted.statusCode, mounted.body).toBe(201);

    // The consumer applies for two of the three items; the provider approves with a small quota.
    const sys = json<{ id: string }>(
      await post(mzAdmin, '/api/v1/systems', { code: 'mz-verify', name: '救助核验系统' }),
    );
    token = json<{ token: string }>(
      await post(mzAdmin, `/api/v1/systems/${sys.id}/tokens`, { name: 't', expiresInDays: 30 }),
    ).token;
    const other = json<{ id: string }>(
      await post(mzAdmin, '/api/v1/systems', { code: 'mz-other', name: '无授权系统' }),
    );
    otherToken = json<{ token: string }>(
      await post(mzAdmin, `/api/v1/systems/${other.id}/tokens`, { name: 't', expiresInDays: 30 }),
    ).token;
    const app = json<{ id: string }>(
      await post(mz, '/api/v1/sharing/applications', {
        entryId: entry.id,
        requestedItems: ['公民身份号码', '姓名'],
        basis: '《社会救助暂行办法》第十一条',
        scenario: '低保审核身份核验',
        purposeCategory: 'data_verification',
        purpose: '核验申请人身份',
        scope: '社会救助科',
        accessMode: 'api',
        periodFrom: '2026-01-01',
        periodTo: '2027-12-31',
        consumerSystemId: sys.id,
        attested: true,
      }),
    );
    const act = (s: Session, a: string, payload: object = {}) =>
      post(s, `/api/v1/sharing/applications/${app.id}/actions/${a}`, payload);
    await act(mz, 'submit');
    await act(mzAdmin, 'internal_approve');
    expect((await act(gaAdmin, 'approve', { dailyQuota: 40 })).statusCode).toBe(200);
    const supplied = json<{ grantId: string }>(await act(gaAdmin, 'supply', { dailyQuota: 40 }));
    grantId = supplied.grantId;
    expect(grantId).toBeTruthy();
  });

  afterAll(async () => {
    await t?.close();
    const a = new pg.Client({ connectionString: SOURCE_URL });
    await a.connect();
    await a.query(`drop database if exists "${srcDb}" with (force)`);
    await a.end();
  });

  const bearer = (tok: string) => ({ authorization: `Bearer ${tok}`, 'x-purpose': 'data_verification' });

  it('refuses a system without a grant with 403, and audits the refusal', async () => {
    const res = await gate('query', { filters: { 公民身份号码: people[0]?.id } }, bearer(otherToken));
    expect(res.statusCode).toBe(403);
    await t.services.audit.drain();
    const ev = await t.db.kysely
      .selectFrom('audit_event')
      .select(['outcome', 'detail'])
      .where('action', '=', 'exchange.query')
      .where('outcome', '=', 'denied')
      .execute();
    expect(ev.length).toBeGreaterThan(0);
  });

  it('gives a granted system exactly the granted items, masked as granted', async () => {
    const p = people[3];
    const res = await gate('query', { filters: { 公民身份号码: p?.id } }, bearer(token));
    expect(res.statusCode, res.body).toBe(200);
    const body = json<{ items: string[]; records: Record<string, unknown>[] }>(res);
    expect(body.items).toEqual(['公民身份号码', '姓名']);
    expect(body.records).toHaveLength(1);
    const r = body.records[0] as Record<string, string>;
    expect(Object.keys(r).sort()).toEqual(['公民身份号码', '姓名'].sort());
    expect(r.公民身份号码).toBe(`${p?.id.slice(0, 6)}********${p?.id.slice(14)}`);
    expect(r.姓名).toMatch(/^测\*+/);
    expect(r.姓名).not.toBe(p?.name);
    expect(res.body).not.toContain(p?.phone ?? 'x');
    expect(res.body).not.toContain(p?.name ?? 'x');
  });

  it('verifies without disclosing, and refuses items outside the grant', async () => {
    const p = people[5];
    const ok = json<{ found: boolean; match: Record<string, boolean> }>(
      await gate('verify', { values: { 公民身份号码: p?.id, 姓名: p?.name } }, bearer(token)),
    );
    expect(ok).toMatchObject({ found: true, match: { 公民身份号码: true, 姓名: true } });
    const wrong = json<{ match: Record<string, boolean> }>(
      await gate('verify', { values: { 公民身份号码: p?.id, 姓名: '别人' } }, bearer(token)),
    );
    expect(wrong.match.姓名).toBe(false);
    const outside = await gate(
      'verify',
      { values: { 公民身份号码: p?.id, 联系电话: p?.phone } },
      bearer(token),
    );
    expect(outside.statusCode).toBe(400);
  });

  it('checks filters and the stated purpose', async () => {
    const bad = await gate('query', { filters: { 公民身份号码: '421202198001011234' } }, bearer(token));
    expect(bad.statusCode).toBe(400);
    expect(json<{ fields: { field: string; rule: string }[] }>(bad).fields[0]).toMatchObject({
      field: '公民身份号码',
      rule: 'id_number.checksum',
    });
    const notKey = await gate('query', { filters: { 姓名: '张三' } }, bearer(token));
    expect(notKey.statusCode).toBe(400);
    const wrongPurpose = await gate(
      'query',
      { filters: { 公民身份号码: people[0]?.id } },
      { ...bearer(token), 'x-purpose': 'work_reference' },
    );
    expect(wrongPurpose.statusCode).toBe(403);
    const noToken = await gate(
      'query',
      { filters: { 公民身份号码: people[0]?.id } },
      { 'x-purpose': 'data_verification' },
    );
    expect(noToken.statusCode).toBe(401);
  });

  it('never returns data outside the grant, nor a 500, for fuzzed filters and headers', async () => {
    const granted = new Set(['公民身份号码', '姓名']);
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          key: fc.oneof(
            fc.constant('公民身份号码'),
            fc.constant('姓名'),
            fc.constant('联系电话'),
            fc.string({ maxLength: 30 }),
          ),
          value: fc.oneof(
            fc.string({ maxLength: 40 }),
            fc.constant("' or 1=1 --"),
            fc.constant('"; drop table resident; --'),
            fc.constant('x'.repeat(5000)),
            fc.constantFrom(...people.map((p) => p.id)),
          ),
          purpose: fc.oneof(
            fc.constant('data_verification'),
            fc.string({ maxLength: 20 }),
            fc.constant('数据校核'),
          ),
          page: fc.integer({ min: -5, max: 1_000_000 }),
        }),
        async ({ key, value, purpose, page }) => {
          const res = await gate(
            'query',
            { filters: { [key]: value }, page: Math.max(1, page) },
            { authorization: `Bearer ${token}`, 'x-purpose': purpose },
          );
          expect(res.statusCode).toBeLessThan(500);
          if (res.statusCode === 200) {
            const b = json<{ records: Record<string, unknown>[] }>(res);
            for (const r of b.records) for (const k of Object.keys(r)) expect(granted.has(k)).toBe(true);
            expect(res.body).not.toMatch(/1380000\d{4}/);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses the very next call after the grant is revoked, and 429s over the quota', async () => {
    // Use up the daily quota of 40 (earlier tests used some).
    let last = 200;
    for (let i = 0; i < 45 && last !== 429; i++) {
      last = (
        await gate('query', { filters: { 公民身份号码: people[i % people.length]?.id } }, bearer(token))
      ).statusCode;
    }
    expect(last).toBe(429);
    // The quota is per China calendar day: a minute before China's midnight it is still used up, a minute
    // after it the grant has its daily quota again.
    const chinaMidnight = Math.ceil((Date.now() + 8 * 3_600_000) / 86_400_000) * 86_400_000 - 8 * 3_600_000;
    const call = async () =>
      (await gate('query', { filters: { 公民身份号码: people[2]?.id } }, bearer(token))).statusCode;
    shiftMs = chinaMidnight - 60_000 - Date.now();
    expect(await call()).toBe(429);
    shiftMs = chinaMidnight + 60_000 - Date.now();
    expect(await call()).toBe(200);
    shiftMs = 0;
    // Renew capacity by raising the quota, then revoke: the very next call is refused.
    const amend = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sharing/grants/${grantId}/amend`,
      headers: gaAdmin.headers,
      payload: { dailyQuota: 1000, consultation: '已与市民政局电话协商，同意提高限额' },
    });
    expect(amend.statusCode, amend.body).toBe(200);
    const after = await gate('query', { filters: { 公民身份号码: people[1]?.id } }, bearer(token));
    expect(after.statusCode, after.body).toBe(200);
    const revoke = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sharing/grants/${grantId}/revoke`,
      headers: admin.headers,
      payload: { reason: '发现超范围使用' },
    });
    expect(revoke.statusCode, revoke.body).toBe(200);
    expect(
      (await gate('query', { filters: { 公民身份号码: people[1]?.id } }, bearer(token))).statusCode,
    ).toBe(403);
  });
});
