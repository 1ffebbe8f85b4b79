/**
 * File exchange with integrity checks: a provider uploads files of an unmounted file resource with the
 * SM3 it computed; a consuming system with a grant downloads them through the gate with the digest.
 */
import { randomBytes } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, type Session, type TestApp, testApp } from '../../../test/helpers.js';
import { installProblemHandler } from '../../http/problem.js';
import { sm3Hex } from '../../kernel/sm3.js';
import type { Services } from '../../services.js';
import { installAuthentication } from '../auth/auth.routes.js';
import { feedFor } from './exchange.feed.js';
import { feedConsoleRoutes, feedGateRoutes } from './exchange.feed.routes.js';
import { MAX_EXCHANGE_FILE_BYTES } from './exchange.files.js';

/** The app as app.ts builds it, with the feed routes registered (until app.ts wires them). */
async function feedApp(services: Services): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: 10 * 1024 * 1024,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  installProblemHandler(app, services.audit);
  await app.register(cookie);
  installAuthentication(app, services);
  await app.register(feedConsoleRoutes, { prefix: '/api/v1', services });
  await app.register(feedGateRoutes, { prefix: '/exchange/v1', services });
  await app.ready();
  return app;
}

interface FileOut {
  id: string;
  entryId: string;
  resource: string;
  name: string;
  contentType: string;
  size: number;
  sm3: string;
}

describe('file exchange', () => {
  let t: TestApp;
  let app: FastifyInstance;
  let gaAdmin: Session;
  let gaTech: Session;
  let mz: Session;
  let mzAdmin: Session;
  let rs: Session;
  let admin: Session;
  let token = '';
  let otherToken = '';
  let entryId = '';
  let code = '';
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(300_000)]);
  const jsonDoc = Buffer.from('{"名单":[{"姓名":"张三"}],"n":1}\n', 'utf8');
  let pdfFile: FileOut;
  let jsonFile: FileOut;

  const mainPost = (s: Session, url: string, payload?: object) =>
    t.app.inject({ method: 'POST', url, headers: s.headers, ...(payload ? { payload } : {}) });
  const upload = (s: Session, body: Buffer, headers: Record<string, string>, entry = entryId) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/exchange/files?entryId=${entry}`,
      headers: { ...s.headers, ...headers },
      payload: body,
    });
  const gate = (path: string, headers: Record<string, string>) =>
    app.inject({ url: `/exchange/v1/resources/${code.replace('/', '-')}${path}`, headers });
  const bearer = (tok: string) => ({ authorization: `Bearer ${tok}`, 'x-purpose': 'business_collaboration' });

  beforeAll(async () => {
    t = await testApp();
    app = await feedApp(t.services);
    gaAdmin = await login(t.app, 'ga_admin');
    gaTech = await login(t.app, 'ga_tech');
    mz = await login(t.app, 'mz_officer');
    mzAdmin = await login(t.app, 'mz_admin');
    rs = await login(t.app, 'rs_officer');
    admin = await login(t.app, 'admin');
    const gaOrg = json<{ activeOrgId: string }>(
      await t.app.inject({ url: '/api/v1/auth/me', headers: gaAdmin.headers }),
    ).activeOrgId;

    // A file resource: published, never mounted.
    const created = await mainPost(gaAdmin, '/api/v1/catalog/entries', {
      classCode: '301901',
      className: '部门信息资源/公安/文件交换测试',
      name: '户籍变动月报（文件）',
      providerOrgId: gaOrg,
      summary: '每月户籍变动情况报告，文件交换测试',
      formatCategory: 'electronic_file',
      formatType: 'pdf',
      shareType: 'conditional',
      shareConditionScope: '政务部门',
      shareConditionUse: '业务协同',
      shareModes: ['file'],
      openType: 'not_open',
      updateCycle: 'monthly',
      dataGrade: 'general',
      items: [],
    });
    expect(created.statusCode, created.body).toBe(201);
    const entry = json<{ id: string; code: string }>(created);
    entryId = entry.id;
    code = entry.code;
    await mainPost(gaAdmin, `/api/v1/catalog/entries/${entryId}/assessments`, {
      confidentiality: '不涉密',
      personalInformation: '不含个人信息',
    });
    await mainPost(gaAdmin, `/api/v1/catalog/entries/${entryId}/approve`);
    await mainPost(gaAdmin, `/api/v1/catalog/entries/${entryId}/submit`);
    const published = await mainPost(admin, `/api/v1/catalog/entries/${entryId}/publish`);
    expect(published.statusCode, published.body).toBe(200);

    const sys = json<{ id: string }>(
      await mainPost(mzAdmin, '/api/v1/systems', { code: 'mz-files', name: '民政文件接收' }),
    );
    token = json<{ token: string }>(
      await mainPost(mzAdmin, `/api/v1/systems/${sys.id}/tokens`, { name: 't', expiresInDays: 30 }),
    ).token;
    const other = json<{ id: string }>(
      await mainPost(mzAdmin, '/api/v1/systems', { code: 'mz-files-other', name: '无授权系统' }),
    );
    otherToken = json<{ token: string }>(
      await mainPost(mzAdmin, `/api/v1/systems/${other.id}/tokens`, { name: 't', expiresInDays: 30 }),
    ).token;
    const appRes = await mainPost(mz, '/api/v1/sharing/applications', {
      entryId,
      requestedItems: [],
      basis: '《社会救助暂行办法》第十一条',
      scenario: '按月核对救助对象户籍变动',
      purposeCategory: 'business_collaboration',
      purpose: '救助对象动态管理',
      scope: '社会救助科',
      accessMode: 'file',
      periodFrom: '2026-01-01',
      periodTo: '2027-12-31',
      consumerSystemId: sys.id,
      attested: true,
    });
    expect(appRes.statusCode, appRes.body).toBe(201);
    const application = json<{ id: string }>(appRes);
    const act = (s: Session, a: string, payload: object = {}) =>
      mainPost(s, `/api/v1/sharing/applications/${application.id}/actions/${a}`, payload);
    expect((await act(mz, 'submit')).statusCode).toBe(200);
    expect((await act(mzAdmin, 'internal_approve')).statusCode).toBe(200);
    const approved = await act(gaAdmin, 'approve', { dailyQuota: 100 });
    expect(approved.statusCode, approved.body).toBe(200);
    const supplied = await act(gaAdmin, 'supply', { dailyQuota: 100 });
    expect(supplied.statusCode, supplied.body).toBe(200);
    expect(json<{ grantId: string }>(supplied).grantId).toBeTruthy();
  });

  afterAll(async () => {
    await app?.close();
    if (t) await feedFor(t.services).stop();
    await t?.close();
  });

  it('refuses an upload whose digest does not match, naming x-content-sm3 (audited)', async () => {
    const wrong = sm3Hex(Buffer.from('something else'));
    const res = await upload(gaTech, pdf, {
      'content-type': 'application/pdf',
      'x-file-name': encodeURIComponent('户籍变动月报.pdf'),
      'x-content-sm3': wrong,
    });
    expect(res.statusCode).toBe(400);
    const problem = json<{ code: string; fields: { field: string; rule: string; en: string }[] }>(res);
    expect(problem.code).toBe('VALIDATION');
    expect(problem.fields[0]).toMatchObject({ field: 'x-content-sm3', rule: 'sm3.mismatch' });
    expect(problem.fields[0]?.en).toContain(sm3Hex(pdf));
    const missing = await upload(gaTech, pdf, { 'content-type': 'application/pdf', 'x-file-name': 'a.pdf' });
    expect(missing.statusCode).toBe(400);
    expect(json<{ fields: { field: string }[] }>(missing).fields.map((f) => f.field)).toEqual([
      'x-content-sm3',
    ]);
    const badName = await upload(gaTech, pdf, {
      'content-type': 'application/pdf',
      'x-file-name': '..%2Fetc%2Fpasswd',
      'x-content-sm3': sm3Hex(pdf),
    });
    expect(badName.statusCode).toBe(400);
    expect(json<{ fields: { field: string }[] }>(badName).fields[0]?.field).toBe('x-file-name');
    await t.services.audit.drain();
    const denied = await t.db.kysely
      .selectFrom('audit_event')
      .select('detail')
      .where('action', '=', 'exchange.file.upload')
      .where('outcome', '=', 'denied')
      .execute();
    expect(denied.length).toBe(3);
    expect(
      await t.db.kysely.selectFrom('exchange_file').select('id').where('entry_id', '=', entryId).execute(),
    ).toEqual([]);
  });

  it('lets only the provider upload, and stores the bytes exactly as sent with their SM3', async () => {
    const notProvider = await upload(mzAdmin, pdf, {
      'content-type': 'application/pdf',
      'x-file-name': 'a.pdf',
      'x-content-sm3': sm3Hex(pdf),
    });
    expect(notProvider.statusCode).toBe(403);
    const ok = await upload(gaTech, pdf, {
      'content-type': 'application/pdf',
      'x-file-name': encodeURIComponent('2026年11月户籍变动月报.pdf'),
      'x-content-sm3': sm3Hex(pdf).toUpperCase(),
    });
    expect(ok.statusCode, ok.body).toBe(201);
    pdfFile = json<FileOut>(ok);
    expect(pdfFile).toMatchObject({
      entryId,
      resource: code,
      name: '2026年11月户籍变动月报.pdf',
      contentType: 'application/pdf',
      size: pdf.length,
      sm3: sm3Hex(pdf),
    });
    // A JSON file stays bytes: it is not parsed as a request body.
    const j = await upload(gaAdmin, jsonDoc, {
      'content-type': 'application/json',
      'x-file-name': 'roster.json',
      'x-content-sm3': sm3Hex(jsonDoc),
    });
    expect(j.statusCode, j.body).toBe(201);
    jsonFile = json<FileOut>(j);
    expect(jsonFile.size).toBe(jsonDoc.length);
    await t.services.audit.drain();
    const events = await t.db.kysely
      .selectFrom('audit_event')
      .select(['object_id', 'detail'])
      .where('action', '=', 'exchange.file.upload')
      .where('outcome', '=', 'ok')
      .execute();
    expect(events.map((e) => e.object_id).sort()).toEqual([pdfFile.id, jsonFile.id].sort());
  });

  it('refuses a file over the size limit', async () => {
    const big = Buffer.alloc(MAX_EXCHANGE_FILE_BYTES + 1, 1);
    const res = await upload(gaTech, big, {
      'content-type': 'application/octet-stream',
      'x-file-name': 'big.bin',
      'x-content-sm3': sm3Hex(big),
    });
    expect(res.statusCode).toBe(413);
  });

  it('lists files for the provider and grant holders only', async () => {
    const list = (s: Session) =>
      app.inject({ url: `/api/v1/exchange/files?entryId=${entryId}`, headers: s.headers });
    const mine = await list(gaAdmin);
    expect(mine.statusCode).toBe(200);
    expect(
      json<FileOut[]>(mine)
        .map((f) => f.id)
        .sort(),
    ).toEqual([pdfFile.id, jsonFile.id].sort());
    expect(mine.body).not.toContain('%PDF');
    expect((await list(mzAdmin)).statusCode).toBe(200);
    expect((await list(rs)).statusCode).toBe(403);
    const gateList = await gate('/files', bearer(token));
    expect(gateList.statusCode, gateList.body).toBe(200);
    expect(json<FileOut[]>(gateList)).toHaveLength(2);
  });

  it('hands a granted system the bytes with x-content-sm3, audited', async () => {
    const res = await gate(`/files/${pdfFile.id}`, bearer(token));
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    const bytes = res.rawPayload;
    expect(bytes.equals(pdf)).toBe(true);
    expect(res.headers['x-content-sm3']).toBe(sm3Hex(bytes));
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(String(res.headers['content-disposition'])).toContain(
      `filename*=UTF-8''${encodeURIComponent('2026年11月户籍变动月报.pdf')}`,
    );
    const j = await gate(`/files/${jsonFile.id}`, bearer(token));
    expect(j.rawPayload.equals(jsonDoc)).toBe(true);
    expect(j.headers['x-content-sm3']).toBe(sm3Hex(jsonDoc));
    await t.services.audit.drain();
    const events = await t.db.kysely
      .selectFrom('audit_event')
      .select(['object_id', 'outcome', 'actor_system_id', 'detail'])
      .where('action', '=', 'exchange.file.download')
      .where('outcome', '=', 'ok')
      .execute();
    expect(events.map((e) => e.object_id).sort()).toEqual([pdfFile.id, jsonFile.id].sort());
    expect(events.every((e) => e.actor_system_id)).toBe(true);
  });

  it('refuses a system without a grant (403, audited), a missing purpose, and unknown files', async () => {
    const res = await gate(`/files/${pdfFile.id}`, bearer(otherToken));
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('%PDF');
    expect((await gate(`/files/${pdfFile.id}`, { authorization: `Bearer ${token}` })).statusCode).toBe(400);
    expect((await gate(`/files/${pdfFile.id}`, { 'x-purpose': 'business_collaboration' })).statusCode).toBe(
      401,
    );
    expect((await gate('/files/00000000-0000-4000-8000-000000000000', bearer(token))).statusCode).toBe(404);
    expect((await gate('/files/not-a-uuid', bearer(token))).statusCode).toBe(404);
    await t.services.audit.drain();
    const denied = await t.db.kysely
      .selectFrom('audit_event')
      .select(['outcome', 'detail'])
      .where('action', '=', 'exchange.file.download')
      .where('outcome', '=', 'denied')
      .execute();
    expect(denied.length).toBeGreaterThanOrEqual(2);
    expect(denied.some((e) => (e.detail as { code?: string }).code === 'FORBIDDEN')).toBe(true);
  });

  it('tells subscribers of each new file through the change feed', async () => {
    const res = await gate('/changes?after=0', bearer(token));
    expect(res.statusCode, res.body).toBe(200);
    const page = json<{ changes: { op: string; key: Record<string, string> }[] }>(res);
    expect(page.changes.map((c) => c.key.$file)).toEqual([pdfFile.id, jsonFile.id]);
    expect(page.changes[0]?.key.$name).toBe('2026年11月户籍变动月报.pdf');
  });

  it('refuses a file whose stored bytes no longer match their digest', async () => {
    await t.db.kysely
      .updateTable('exchange_file')
      .set({ data: Buffer.from('tampered') })
      .where('id', '=', jsonFile.id)
      .execute();
    const res = await gate(`/files/${jsonFile.id}`, bearer(token));
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('tampered');
    await t.services.audit.drain();
    const ev = await t.db.kysely
      .selectFrom('audit_event')
      .select('outcome')
      .where('action', '=', 'exchange.file.download')
      .where('object_id', '=', jsonFile.id)
      .where('outcome', '=', 'error')
      .execute();
    expect(ev).toHaveLength(1);
  });
  it('takes a file without a content type as application/octet-stream, and files above the 10 MB body limit', async () => {
    const body = randomBytes(1000);
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/exchange/files?entryId=${entryId}`,
      headers: { ...gaTech.headers, 'x-file-name': 'blob.bin', 'x-content-sm3': sm3Hex(body) },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(json<FileOut>(res)).toMatchObject({ contentType: 'application/octet-stream', size: 1000 });
    // Above the app's 10 MB body limit, within the 50 MB file limit.
    const large = randomBytes(12 * 1024 * 1024);
    const big = await upload(gaTech, large, {
      'content-type': 'application/zip',
      'x-file-name': 'archive.zip',
      'x-content-sm3': sm3Hex(large),
    });
    expect(big.statusCode, big.body).toBe(201);
    const got = await app.inject({
      url: `/exchange/v1/resources/${code.replace('/', '-')}/files/${json<FileOut>(big).id}`,
      headers: bearer(token),
    });
    expect(got.rawPayload.equals(large)).toBe(true);
  });
});
