/**
 * Batch sync into files, on the platform's own database (PGlite or PostgreSQL): a file source mounted
 * with a watermark, a consumer's job delivering CSV parts (full and incremental), each downloaded with
 * its SM3 checked; and a run interrupted after some chunks committed but before its part was published:
 * nothing visible, and the rerun publishes every row exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, publishEntry, type Session, type TestApp, testApp } from '../../../test/helpers.js';
import { sm3Hex } from '../../kernel/sm3.js';
import { idNumberCheckChar } from '../../kernel/validators.js';
import { csvField } from './exchange.filesync.js';
import { syncServiceOf, type TransferJob, transfer } from './exchange.sync.js';

function idNumber(i: number): string {
  const first17 = `42120119${String(60 + (i % 40))}0${1 + (i % 9)}2${i % 10}${String(200 + i).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

interface Part {
  id: string;
  partNo: number;
  pass: number;
  mode: string;
  rows: number;
  size: number;
  sm3: string;
  rangeFrom: string | null;
  rangeTo: string | null;
  fileName: string;
}

interface Person {
  id: string;
  name: string;
  at: string;
}

function csvOf(rows: string[][]): Buffer {
  return Buffer.from(`${rows.map((r) => r.join(',')).join('\n')}\n`, 'utf8');
}

/** RFC 4180 lines without quoted newlines (the test data has none). */
function parseCsvLines(text: string): string[][] {
  return text
    .split('\r\n')
    .filter((l) => l !== '')
    .map((l) => {
      const out: string[] = [];
      let cell = '';
      let q = false;
      for (let i = 0; i < l.length; i++) {
        const c = l[i] as string;
        if (q) {
          if (c === '"' && l[i + 1] === '"') {
            cell += '"';
            i++;
          } else if (c === '"') q = false;
          else cell += c;
        } else if (c === '"') q = true;
        else if (c === ',') {
          out.push(cell);
          cell = '';
        } else cell += c;
      }
      out.push(cell);
      return out;
    });
}

describe('batch sync into CSV files', () => {
  let t: TestApp;
  let tech: Session;
  let gaAdmin: Session;
  let mz: Session;
  let mzAdmin: Session;
  let admin: Session;
  let sourceId = '';
  let relation = '';
  let grantId = '';
  let people: Person[] = [];
  let token = '';
  let otherToken = '';

  const post = (s: Session, url: string, payload?: object) =>
    t.app.inject({ method: 'POST', url, headers: s.headers, ...(payload ? { payload } : {}) });
  const load = async (rows: Person[]) => {
    const body = csvOf([['公民身份号码', '姓名', '更新时间'], ...rows.map((p) => [p.id, p.name, p.at])]);
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/exchange/sources/${sourceId}/file`,
      headers: {
        ...tech.headers,
        'content-type': 'text/csv',
        'x-file-name': encodeURIComponent('低保对象.csv'),
      },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(200);
    return json<{ relation: string }>(res);
  };
  const parts = async (s: Session, jobId: string) =>
    json<{ items: Part[]; total: number }>(
      await t.app.inject({
        url: `/api/v1/exchange/sync-jobs/${jobId}/parts?pageSize=50`,
        headers: s.headers,
      }),
    );
  /** Downloads a part, checks its digest as a receiver does, and returns its rows (header first). */
  const download = async (s: Session, jobId: string, partNo: number) => {
    const res = await t.app.inject({
      url: `/api/v1/exchange/sync-jobs/${jobId}/parts/${partNo}`,
      headers: s.headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['x-content-sm3']).toBe(sm3Hex(res.rawPayload));
    return parseCsvLines(res.rawPayload.toString('utf8'));
  };
  const newJob = async (mode: 'full' | 'incremental', targetTable: string) => {
    const res = await post(mzAdmin, '/api/v1/exchange/sync-jobs', {
      grantId,
      targetKind: 'file',
      targetTable,
      mode,
    });
    expect(res.statusCode, res.body).toBe(201);
    return json<{ id: string; targetKind: string }>(res);
  };

  beforeAll(async () => {
    t = await testApp();
    tech = await login(t.app, 'ga_tech');
    gaAdmin = await login(t.app, 'ga_admin');
    mz = await login(t.app, 'mz_officer');
    mzAdmin = await login(t.app, 'mz_admin');
    admin = await login(t.app, 'admin');
    const gaOrg = json<{ activeOrgId: string }>(
      await t.app.inject({ url: '/api/v1/auth/me', headers: tech.headers }),
    ).activeOrgId;
    sourceId = json<{ id: string }>(
      await post(tech, '/api/v1/exchange/sources', {
        name: '低保对象名单（上传）',
        kind: 'file',
        config: {},
      }),
    ).id;
    people = Array.from({ length: 23 }, (_, i) => ({
      id: idNumber(i),
      name: `对象${i}`,
      at: `2026-12-01 10:${String(i).padStart(2, '0')}:00`,
    }));
    relation = (await load(people)).relation;
    const entry = await publishEntry(t.app, gaAdmin, admin, {
      classCode: '301900',
      className: '部门信息资源/公安/文件同步测试',
      name: '低保对象名单（文件同步测试）',
      providerOrgId: gaOrg,
      summary: '同步到文件测试',
      formatCategory: 'database',
      formatType: 'PostgreSQL',
      shareType: 'conditional',
      shareConditionScope: '政务部门',
      shareConditionUse: '救助审核',
      shareModes: ['api'],
      openType: 'not_open',
      updateCycle: 'daily',
      dataGrade: 'important',
      items: [
        { name: '公民身份号码', dataType: 'C', length: 18, sensitivity: 'sensitive', masking: 'hash' },
        { name: '姓名', dataType: 'C', length: 50, sensitivity: 'sensitive', masking: 'partial' },
        { name: '更新时间', dataType: 'T', length: null },
      ],
    });
    const mounted = await post(tech, '/api/v1/exchange/mounts', {
      entryId: entry.id,
      sourceId,
      relation,
      keyColumns: ['公民身份号码'],
      mapping: { 公民身份号码: '公民身份号码', 姓名: '姓名', 更新时间: '更新时间' },
      watermarkColumn: '更新时间',
    });
    expect(mounted.statusCode, mounted.body).toBe(201);
    const sys = json<{ id: string }>(
      await post(mzAdmin, '/api/v1/systems', { code: 'mz-dibao', name: '救助比对' }),
    );
    token = json<{ token: string }>(
      await post(mzAdmin, `/api/v1/systems/${sys.id}/tokens`, { name: 't', expiresInDays: 30 }),
    ).token;
    const other = json<{ id: string }>(
      await post(mzAdmin, '/api/v1/systems', { code: 'mz-other2', name: '其他系统' }),
    );
    otherToken = json<{ token: string }>(
      await post(mzAdmin, `/api/v1/systems/${other.id}/tokens`, { name: 't', expiresInDays: 30 }),
    ).token;
    const app = json<{ id: string }>(
      await post(mz, '/api/v1/sharing/applications', {
        entryId: entry.id,
        requestedItems: ['公民身份号码', '姓名', '更新时间'],
        basis: '《社会救助暂行办法》第十一条',
        scenario: '低保对象名单比对',
        purposeCategory: 'data_verification',
        purpose: '比对救助对象',
        scope: '社会救助科',
        accessMode: 'api',
        periodFrom: '2026-01-01',
        periodTo: '2027-12-31',
        consumerSystemId: sys.id,
        attested: true,
      }),
    );
    const act = async (s: Session, a: string, payload: object = {}) => {
      const r = await post(s, `/api/v1/sharing/applications/${app.id}/actions/${a}`, payload);
      expect(r.statusCode, `${a}: ${r.body}`).toBe(200);
      return r;
    };
    await act(mz, 'submit');
    await act(mzAdmin, 'internal_approve');
    await act(gaAdmin, 'approve', { dailyQuota: 100 });
    const supplied = await act(gaAdmin, 'supply', { dailyQuota: 100 });
    grantId = json<{ grantId: string }>(supplied).grantId;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('writes CSV fields as RFC 4180 wants them', () => {
    expect(csvField(null)).toBe('');
    expect(csvField('')).toBe('""');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('说"好"')).toBe('"说""好"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField(Buffer.from([1, 255]))).toBe('\\x01ff');
  });

  it('validates a file target: a file name, no database connection', async () => {
    const bad = await post(mzAdmin, '/api/v1/exchange/sync-jobs', {
      grantId,
      targetKind: 'file',
      targetTable: 'a.b',
      targetConfig: { host: 'h', database: 'd', user: 'u' },
      mode: 'full',
    });
    expect(bad.statusCode).toBe(400);
    expect(
      json<{ fields: { field: string }[] }>(bad)
        .fields.map((f) => f.field)
        .sort(),
    ).toEqual(['targetConfig', 'targetTable']);
  });

  it('delivers incremental parts: all rows first, then only what changed, each with its range and SM3', async () => {
    const job = await newJob('incremental', 'dibao_copy');
    expect(job.targetKind).toBe('file');
    const sync = syncServiceOf(t.services);
    const first = await sync.runJob(job.id, 'w1', { chunkRows: 5 });
    expect(first, first.error ?? '').toMatchObject({ status: 'succeeded', rowsThisRun: 23 });
    let list = await parts(mzAdmin, job.id);
    expect(list.total).toBe(1);
    const p1 = list.items[0] as Part;
    expect(p1).toMatchObject({ partNo: 1, pass: 1, mode: 'incremental', rows: 23, rangeFrom: null });
    expect(p1.rangeTo).toBe('2026-12-01 10:22:00');
    expect(p1.fileName).toBe('dibao_copy.part00001.csv');
    const rows1 = await download(mzAdmin, job.id, 1);
    expect(rows1[0]).toEqual(['公民身份号码', '姓名', '更新时间']);
    expect(rows1).toHaveLength(24);
    // Masked as granted: the ID hashed (no raw number anywhere), the name partly hidden.
    const text1 = rows1.flat().join(' ');
    for (const p of people) expect(text1).not.toContain(p.id);
    expect(rows1[1]?.[1]).toMatch(/^对\*+/);
    expect(rows1[1]?.[1]).not.toBe(people[0]?.name);
    expect(new Set(rows1.slice(1).map((r) => r[0])).size).toBe(23);

    // Nothing changed: a run publishes no empty part.
    expect((await sync.runJob(job.id, 'w1')).status).toBe('succeeded');
    expect((await parts(mzAdmin, job.id)).total).toBe(1);

    // The provider uploads a new version: three rows changed, two new.
    const changed = people.map((p, i) =>
      i === 3 || i === 7 || i === 11 ? { ...p, name: `${p.name}改`, at: `2026-12-05 09:0${i % 10}:00` } : p,
    );
    const added = [
      { id: idNumber(40), name: '新增甲', at: '2026-12-05 09:30:00' },
      { id: idNumber(41), name: '新增乙', at: '2026-12-05 09:31:00' },
    ];
    await load([...changed, ...added]);
    const second = await sync.runJob(job.id, 'w1', { chunkRows: 2 });
    expect(second).toMatchObject({ status: 'succeeded', rowsThisRun: 5 });
    list = await parts(mzAdmin, job.id);
    expect(list.items.map((p) => p.partNo)).toEqual([2, 1]);
    const p2 = list.items[0] as Part;
    expect(p2).toMatchObject({ rows: 5, rangeFrom: '2026-12-01 10:22:00', rangeTo: '2026-12-05 09:31:00' });
    const rows2 = await download(mzAdmin, job.id, 2);
    expect(rows2.slice(1).map((r) => r[2])).toEqual(
      [
        '2026-12-05 09:03:00',
        '2026-12-05 09:07:00',
        '2026-12-05 09:01:00',
        '2026-12-05 09:30:00',
        '2026-12-05 09:31:00',
      ].sort(),
    );
    // The same key hashes the same way in both parts (a consumer can apply the change).
    const keysOf = (rows: string[][]) => new Set(rows.slice(1).map((r) => r[0]));
    const k1 = keysOf(rows1);
    expect([...keysOf(rows2)].filter((k) => k1.has(k))).toHaveLength(3);

    // The grant's consuming system fetches the same parts through the gate; another system of 民政局 may not.
    const viaGate = await t.app.inject({
      url: `/exchange/v1/sync-jobs/${job.id}/parts/2`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(viaGate.statusCode, viaGate.body).toBe(200);
    expect(viaGate.headers['x-content-sm3']).toBe(sm3Hex(viaGate.rawPayload));
    expect(parseCsvLines(viaGate.rawPayload.toString('utf8'))).toEqual(rows2);
    const gateList = await t.app.inject({
      url: `/exchange/v1/sync-jobs/${job.id}/parts`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(json<{ total: number }>(gateList).total).toBe(2);
    const stranger = await t.app.inject({
      url: `/exchange/v1/sync-jobs/${job.id}/parts/2`,
      headers: { authorization: `Bearer ${otherToken}` },
    });
    expect(stranger.statusCode).toBe(403);
    const session = await t.app.inject({
      url: `/exchange/v1/sync-jobs/${job.id}/parts/2`,
      headers: mzAdmin.headers,
    });
    expect(session.statusCode).toBe(401);
    // Only the consumer downloads; the provider may not.
    const provider = await t.app.inject({
      url: `/api/v1/exchange/sync-jobs/${job.id}/parts/1`,
      headers: tech.headers,
    });
    expect(provider.statusCode).toBe(403);
    const ev = await t.db.kysely
      .selectFrom('audit_event')
      .select(['action', 'outcome'])
      .where('object_id', '=', job.id)
      .where('action', '=', 'exchange.sync.download')
      .execute();
    expect(ev.length).toBeGreaterThanOrEqual(2);
  });

  it('delivers a complete snapshot on every full run', async () => {
    const job = await newJob('full', 'dibao_full');
    const sync = syncServiceOf(t.services);
    expect((await sync.runJob(job.id, 'w1', { chunkRows: 7 })).status).toBe('succeeded');
    expect((await sync.runJob(job.id, 'w1', { chunkRows: 100 })).status).toBe('succeeded');
    const list = await parts(mzAdmin, job.id);
    expect(list.items.map((p) => [p.partNo, p.mode, p.rows, p.rangeFrom])).toEqual([
      [2, 'full', 25, null],
      [1, 'full', 25, null],
    ]);
    const a = await download(mzAdmin, job.id, 1);
    const b = await download(mzAdmin, job.id, 2);
    expect(b).toEqual(a);
  });

  it('a run stopped before its part is published leaves nothing visible; the rerun publishes each row once', async () => {
    const job = await newJob('incremental', 'dibao_crash');
    const items = [
      { item: '公民身份号码', column: '公民身份号码', masking: 'hash' as const },
      { item: '姓名', column: '姓名', masking: 'partial' as const },
      { item: '更新时间', column: '更新时间', masking: 'none' as const },
    ];
    const transferJob: TransferJob = {
      jobId: job.id,
      grantId,
      mode: 'incremental',
      source: {
        kind: 'postgres',
        config: {},
        password: null,
        relation,
        keyColumns: ['公民身份号码'],
        watermarkColumn: '更新时间',
        platform: t.db.kysely,
      },
      target: { kind: 'file', config: {}, password: null, table: 'dibao_crash', platform: t.db.kysely },
      items,
      box: t.services.secrets(),
    };
    let committed = 0;
    await expect(
      transfer(transferJob, {
        chunkRows: 4,
        onProgress: async (p) => {
          if (p.rowsDone > 0 && ++committed === 3) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    // Three chunks are committed with their position, but no part is visible.
    const staged = await t.db.kysely
      .selectFrom('exchange_sync_file_chunk')
      .select((eb) => eb.fn.sum<number>('rows').as('n'))
      .where('job_id', '=', job.id)
      .executeTakeFirst();
    expect(Number(staged?.n)).toBe(12);
    expect((await parts(mzAdmin, job.id)).total).toBe(0);
    const resumed = await transfer(transferJob, { chunkRows: 4 });
    expect(resumed).toMatchObject({ resumed: true, rowsThisRun: 13, rowsDone: 25, complete: true });
    const list = await parts(mzAdmin, job.id);
    expect(list.total).toBe(1);
    expect(list.items[0]?.rows).toBe(25);
    const rows = await download(mzAdmin, job.id, 1);
    expect(rows).toHaveLength(26);
    expect(new Set(rows.slice(1).map((r) => r[0])).size).toBe(25);
    const times = rows.slice(1).map((r) => r[2] as string);
    expect(times).toEqual([...times].sort());
    const left = await t.db.kysely
      .selectFrom('exchange_sync_file_chunk')
      .select('seq')
      .where('job_id', '=', job.id)
      .execute();
    expect(left).toHaveLength(0);
  });
});
