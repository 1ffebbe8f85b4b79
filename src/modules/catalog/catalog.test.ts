import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, login, type Session, type TestApp, testApp } from '../../../test/helpers.js';
import type { EntryInput, EntryView } from './catalog.model.js';

interface Problem {
  code: string;
  fields: { field: string; rule: string; zh: string; en: string }[];
}
interface SearchResult {
  items: EntryView[];
  total: number;
  facets: Record<string, { value: string; label: string; count: number }[]>;
}

function entry(providerOrgId: string, over: Partial<EntryInput> = {}): EntryInput {
  return {
    classCode: '301001',
    className: '部门信息资源/测试/测试',
    name: '测试资源',
    providerOrgId,
    summary: '用于测试的资源',
    formatCategory: 'database',
    formatType: 'PostgreSQL',
    shareType: 'conditional',
    shareConditionScope: '市直政务部门',
    shareConditionUse: '仅用于业务审批',
    shareModes: ['api'],
    openType: 'not_open',
    updateCycle: 'daily',
    dataGrade: 'general',
    items: [
      { name: '姓名', dataType: 'C', length: 50, sensitivity: 'sensitive', masking: 'partial' },
      { name: '公民身份号码', dataType: 'C', length: 18, sensitivity: 'sensitive', masking: 'partial' },
    ],
    ...over,
  };
}

describe('catalog', () => {
  let t: TestApp;
  let admin: Session;
  let gaAdmin: Session;
  let gaOfficer: Session;
  let mzOfficer: Session;
  let gaOrg = '';
  let mzOrg = '';

  const post = (s: Session, url: string, payload?: object) =>
    t.app.inject({ method: 'POST', url, headers: s.headers, ...(payload ? { payload } : {}) });
  const get = (s: Session, url: string) => t.app.inject({ url, headers: s.headers });

  /** Creates, assesses, approves, submits and publishes an entry; returns it. */
  async function publish(input: EntryInput): Promise<EntryView> {
    const created = await post(
      input.providerOrgId === gaOrg ? gaOfficer : mzOfficer,
      '/api/v1/catalog/entries',
      input,
    );
    expect(created.statusCode, created.body).toBe(201);
    const id = json<EntryView>(created).id;
    return walk(id, input.providerOrgId === gaOrg ? gaAdmin : await login(t.app, 'mz_admin'));
  }

  async function walk(id: string, head: Session): Promise<EntryView> {
    expect(
      (
        await post(head, `/api/v1/catalog/entries/${id}/assessments`, {
          confidentiality: '不涉密',
          personalInformation: '已评估，最小必要',
        })
      ).statusCode,
    ).toBe(200);
    expect((await post(head, `/api/v1/catalog/entries/${id}/approve`)).statusCode).toBe(200);
    const sub = await post(head, `/api/v1/catalog/entries/${id}/submit`);
    expect(sub.statusCode, sub.body).toBe(200);
    const pub = await post(admin, `/api/v1/catalog/entries/${id}/publish`);
    expect(pub.statusCode, pub.body).toBe(200);
    return json<EntryView>(pub);
  }

  beforeAll(async () => {
    t = await testApp();
    admin = await login(t.app, 'admin');
    gaAdmin = await login(t.app, 'ga_admin');
    gaOfficer = await login(t.app, 'ga_officer');
    mzOfficer = await login(t.app, 'mz_officer');
    gaOrg = json<{ activeOrgId: string }>(await get(gaAdmin, '/api/v1/auth/me')).activeOrgId;
    mzOrg = json<{ activeOrgId: string }>(await get(mzOfficer, '/api/v1/auth/me')).activeOrgId;
  });
  afterAll(async () => t.close());

  describe('rules enforced on every write', () => {
    const refused = async (input: EntryInput) => {
      const res = await post(gaOfficer, '/api/v1/catalog/entries', input);
      expect(res.statusCode, res.body).toBe(400);
      return json<Problem>(res).fields;
    };

    it('refuses not shared without a legal basis, naming the fields', async () => {
      const f = await refused(entry(gaOrg, { shareType: 'not_shared', shareModes: [] }));
      expect(f.map((x) => [x.field, x.rule])).toEqual(
        expect.arrayContaining([
          ['notSharedBasisKind', 'share.basis_required'],
          ['notSharedBasis', 'share.basis_required'],
        ]),
      );
    });

    it('refuses, under the national preset, a policy document as the only basis for not sharing', async () => {
      const f = await refused(
        entry(gaOrg, {
          shareType: 'not_shared',
          shareModes: [],
          notSharedBasisKind: 'policy_document',
          notSharedBasis: '某市政府文件',
        }),
      );
      expect(f).toEqual([
        expect.objectContaining({ field: 'notSharedBasisKind', rule: 'share.basis_kind_not_accepted' }),
      ]);
      expect(f[0]?.zh).toContain('法律');
      const ok = await post(
        gaOfficer,
        '/api/v1/catalog/entries',
        entry(gaOrg, {
          name: '不予共享测试',
          shareType: 'not_shared',
          shareModes: [],
          notSharedBasisKind: 'law',
          notSharedBasis: '《中华人民共和国保守国家秘密法》第十三条',
        }),
      );
      expect(ok.statusCode, ok.body).toBe(201);
    });

    it('refuses conditional sharing without its conditions', async () => {
      const f = await refused(entry(gaOrg, { shareConditionScope: '', shareConditionUse: ' ' }));
      expect(f.map((x) => [x.field, x.rule])).toEqual([
        ['shareConditionScope', 'share.condition_required'],
        ['shareConditionUse', 'share.condition_required'],
      ]);
    });

    it('refuses a classified resource outright', async () => {
      const f = await refused(entry(gaOrg, { classified: true }));
      expect(f).toEqual([expect.objectContaining({ field: 'classified', rule: 'classified.refused' })]);
    });

    it('requires data items for database and spreadsheet formats, and share modes that fit the format', async () => {
      const f = await refused(entry(gaOrg, { items: [], shareModes: ['file'] }));
      expect(f.map((x) => x.rule)).toEqual(
        expect.arrayContaining(['items.required', 'share_modes.format_mismatch']),
      );
      const doc = await post(
        gaOfficer,
        '/api/v1/catalog/entries',
        entry(gaOrg, {
          name: '文件资源',
          formatCategory: 'electronic_file',
          formatType: 'pdf',
          shareModes: ['file'],
          items: [],
        }),
      );
      expect(doc.statusCode, doc.body).toBe(201);
    });

    it('names each bad data item by its index', async () => {
      const f = await refused(
        entry(gaOrg, {
          items: [
            { name: '姓名', dataType: 'C', length: 50 },
            { name: '姓名', dataType: 'Q' as 'C' },
            { name: '出生日期', dataType: 'C' },
          ],
        }),
      );
      expect(f.map((x) => `${x.field}:${x.rule}`)).toEqual(
        expect.arrayContaining([
          'items[1].name:items.name_unique',
          'items[1].dataType:enum',
          'items[2].length:length.required',
        ]),
      );
    });

    it('keeps a department to its own catalog', async () => {
      const res = await post(gaOfficer, '/api/v1/catalog/entries', entry(mzOrg));
      expect(res.statusCode).toBe(403);
    });
  });

  describe('workflow and versions', () => {
    it('generates a unique resource code and keeps drafts visible only to their department and the office', async () => {
      const a = json<EntryView>(
        await post(gaOfficer, '/api/v1/catalog/entries', entry(gaOrg, { name: '草稿可见性测试' })),
      );
      const b = json<EntryView>(
        await post(gaOfficer, '/api/v1/catalog/entries', entry(gaOrg, { name: '草稿可见性测试二' })),
      );
      expect(a.code).toMatch(/^301001\/\d{4}$/);
      expect(b.code).not.toBe(a.code);
      expect(a.status).toBe('draft');
      expect((await get(mzOfficer, `/api/v1/catalog/entries/${a.id}`)).statusCode).toBe(404);
      expect((await get(admin, `/api/v1/catalog/entries/${a.id}`)).statusCode).toBe(200);
      const mzSearch = json<SearchResult>(
        await get(mzOfficer, `/api/v1/catalog/entries?q=${encodeURIComponent('草稿可见性')}`),
      );
      expect(mzSearch.total).toBe(0);
      const gaSearch = json<SearchResult>(
        await get(gaOfficer, `/api/v1/catalog/entries?q=${encodeURIComponent('草稿可见性')}`),
      );
      expect(gaSearch.total).toBe(2);
    });

    it('requires assessments and the head’s approval before submitting, and the office to publish', async () => {
      const e = json<EntryView>(
        await post(gaOfficer, '/api/v1/catalog/entries', entry(gaOrg, { name: '审批流程测试' })),
      );
      const early = await post(gaOfficer, `/api/v1/catalog/entries/${e.id}/submit`);
      expect(early.statusCode).toBe(409);
      expect((await post(gaOfficer, `/api/v1/catalog/entries/${e.id}/approve`)).statusCode).toBe(403);
      const noAssess = await post(gaAdmin, `/api/v1/catalog/entries/${e.id}/approve`);
      expect(noAssess.statusCode).toBe(409);
      await post(gaOfficer, `/api/v1/catalog/entries/${e.id}/assessments`, {
        confidentiality: '不涉密',
        personalInformation: '最小必要',
      });
      expect((await post(gaAdmin, `/api/v1/catalog/entries/${e.id}/approve`)).statusCode).toBe(200);
      const sub = json<EntryView>(await post(gaOfficer, `/api/v1/catalog/entries/${e.id}/submit`));
      expect(sub.status).toBe('submitted');
      expect(sub.reviewDue).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect((await post(gaAdmin, `/api/v1/catalog/entries/${e.id}/publish`)).statusCode).toBe(403);
      const returned = await post(admin, `/api/v1/catalog/entries/${e.id}/return`, {
        reason: '摘要过于简略',
      });
      expect(json<EntryView>(returned)).toMatchObject({ status: 'returned', returnedReason: '摘要过于简略' });
      const resub = await post(gaOfficer, `/api/v1/catalog/entries/${e.id}/submit`);
      expect(resub.statusCode).toBe(409); // the return voided the head's approval
      const published = await walk(e.id, gaAdmin);
      expect(published).toMatchObject({ status: 'published', version: 1 });
      expect(published.publishDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const history = json<{ log: { action: string }[] }>(
        await get(gaOfficer, `/api/v1/catalog/entries/${e.id}/history`),
      );
      expect(history.log.map((l) => l.action)).toEqual(
        expect.arrayContaining(['create', 'assess', 'approve', 'submit', 'return', 'publish']),
      );
    });

    it('keeps two versions after publishing twice, and the diff shows exactly the changed fields', async () => {
      const v1 = await publish(entry(gaOrg, { name: '版本比对测试', summary: '第一版摘要' }));
      const rev = await post(gaOfficer, `/api/v1/catalog/entries/${v1.id}/revisions`);
      expect(rev.statusCode, rev.body).toBe(201);
      const revision = json<EntryView>(rev);
      expect(revision).toMatchObject({ revisionOf: v1.id, code: v1.code, status: 'draft' });
      // While the revision is in progress, the published version stays in the city catalog.
      const city = json<SearchResult>(
        await get(mzOfficer, `/api/v1/catalog/city?q=${encodeURIComponent('版本比对测试')}`),
      );
      expect(city.items.map((i) => i.summary)).toEqual(['第一版摘要']);
      const changed = entry(gaOrg, {
        name: '版本比对测试',
        summary: '第二版摘要',
        updateCycle: 'weekly',
        items: [
          { name: '姓名', dataType: 'C', length: 50, sensitivity: 'sensitive', masking: 'hash' },
          { name: '公民身份号码', dataType: 'C', length: 18, sensitivity: 'sensitive', masking: 'partial' },
        ],
      });
      expect(
        (
          await t.app.inject({
            method: 'PUT',
            url: `/api/v1/catalog/entries/${revision.id}`,
            headers: gaOfficer.headers,
            payload: changed,
          })
        ).statusCode,
      ).toBe(200);
      const v2 = await walk(revision.id, gaAdmin);
      expect(v2).toMatchObject({ id: v1.id, version: 2, summary: '第二版摘要', status: 'published' });
      expect((await get(gaOfficer, `/api/v1/catalog/entries/${revision.id}`)).statusCode).toBe(404);
      const history = json<{ versions: { version: number }[] }>(
        await get(gaOfficer, `/api/v1/catalog/entries/${v1.id}/history`),
      );
      expect(history.versions.map((v) => v.version)).toEqual([2, 1]);
      const diff = json<{ field: string; before: unknown; after: unknown }[]>(
        await get(gaOfficer, `/api/v1/catalog/entries/${v1.id}/diff?from=1&to=2`),
      );
      const fields = diff.map((d) => d.field).sort();
      // publishDate is the same day here, so only the three edited fields differ.
      expect(fields).toEqual(['items[姓名].masking', 'summary', 'updateCycle'].sort());
      expect(diff.find((d) => d.field === 'summary')).toEqual({
        field: 'summary',
        before: '第一版摘要',
        after: '第二版摘要',
      });
      const old = json<{ summary: string }>(
        await get(gaOfficer, `/api/v1/catalog/entries/${v1.id}/versions/1`),
      );
      expect(old.summary).toBe('第一版摘要');
    });

    it('keeps nulls as sent (no coercion to 0) and the revision steps in the history', async () => {
      const e = json<EntryView>(
        await post(
          gaOfficer,
          '/api/v1/catalog/entries',
          entry(gaOrg, {
            name: '空值保持测试',
            census: { storageGb: null, recordCount: 12 },
            items: [
              { name: '登记日期', dataType: 'D', length: null },
              { name: '名称', dataType: 'C', length: 20 },
            ],
          }),
        ),
      );
      expect(e.items[0]?.length).toBeNull();
      expect(e.census.storageGb).toBeNull();
      const again = await t.app.inject({
        method: 'PUT',
        url: `/api/v1/catalog/entries/${e.id}`,
        headers: gaOfficer.headers,
        payload: {
          ...entry(gaOrg, {
            name: '空值保持测试',
            census: { storageGb: null, openedGb: null },
            items: [{ name: '登记日期', dataType: 'D', length: null }],
          }),
        },
      });
      expect(again.statusCode, again.body).toBe(200);
      expect(json<EntryView>(again).census.openedGb).toBeNull();
      const published = await walk(e.id, gaAdmin);
      const rev = json<EntryView>(await post(gaOfficer, `/api/v1/catalog/entries/${published.id}/revisions`));
      await walk(rev.id, gaAdmin);
      const history = json<{ log: { action: string }[] }>(
        await get(gaOfficer, `/api/v1/catalog/entries/${published.id}/history`),
      );
      expect(history.log.filter((l) => l.action === 'submit').length).toBe(2);
      expect(history.log.map((l) => l.action)).toContain('revise');
    });

    it('withdraws a published entry with a reason, by its department or the office only', async () => {
      const e = await publish(entry(gaOrg, { name: '撤销测试' }));
      expect(
        (await post(mzOfficer, `/api/v1/catalog/entries/${e.id}/withdraw`, { reason: 'x' })).statusCode,
      ).toBe(403);
      const w = await post(gaAdmin, `/api/v1/catalog/entries/${e.id}/withdraw`, {
        reason: '职能调整，资源停止提供',
      });
      expect(json<EntryView>(w)).toMatchObject({
        status: 'withdrawn',
        withdrawnReason: '职能调整，资源停止提供',
      });
    });

    it('audits every step', async () => {
      await t.services.audit.drain();
      const rows = await t.db.kysely
        .selectFrom('audit_event')
        .select('action')
        .where('action', 'like', 'catalog.entry.%')
        .execute();
      const actions = new Set(rows.map((r) => r.action));
      for (const a of [
        'create',
        'update',
        'assess',
        'approve',
        'submit',
        'return',
        'publish',
        'revise',
        'withdraw',
      ]) {
        expect(actions).toContain(`catalog.entry.${a}`);
      }
    });
  });

  describe('update deadlines after a change of law or function', () => {
    it('starts the policy deadline on working days, lists overdue entries, and closes on republishing', async () => {
      const e = await publish(entry(gaOrg, { name: '法规变化测试' }));
      const res = await post(admin, '/api/v1/catalog/changes', {
        kind: 'law',
        title: '《居民身份证法》修订',
        document: '主席令第x号',
        effectiveOn: '2026-09-30',
        entryIds: [e.id],
      });
      expect(res.statusCode, res.body).toBe(201);
      const { tasks } = json<{ tasks: { id: string; due: string; overdue: boolean }[] }>(res);
      // National preset: 10 working days from 2026-09-30 across the National Day holiday.
      expect(tasks).toEqual([expect.objectContaining({ due: '2026-10-20', overdue: true })]);
      const overdue = json<{ entryId: string }[]>(
        await get(gaOfficer, '/api/v1/catalog/update-tasks?overdue=true'),
      );
      expect(overdue.map((o) => o.entryId)).toContain(e.id);
      expect(json<unknown[]>(await get(mzOfficer, '/api/v1/catalog/update-tasks?overdue=true'))).toEqual([]);
      const ext = await post(admin, `/api/v1/catalog/update-tasks/${tasks[0]?.id}/extend`, {
        reason: '涉及多个系统改造',
      });
      expect(json<{ extendedDue: string }>(ext).extendedDue).toBe('2026-10-27');
      const again = await post(admin, `/api/v1/catalog/update-tasks/${tasks[0]?.id}/extend`, {
        reason: '再延',
      });
      expect(again.statusCode).toBe(409);
      const rev = json<EntryView>(await post(gaOfficer, `/api/v1/catalog/entries/${e.id}/revisions`));
      await walk(rev.id, gaAdmin);
      const after = json<{ entryId: string }[]>(await get(gaOfficer, '/api/v1/catalog/update-tasks'));
      expect(after.map((o) => o.entryId)).not.toContain(e.id);
    });
  });

  describe('search', () => {
    it('finds by Chinese text in name, items and provider, and every facet count equals its filtered total', async () => {
      await publish(
        entry(gaOrg, {
          name: '机动车驾驶人信息',
          classCode: '301002',
          items: [{ name: '准驾车型', dataType: 'C', length: 10 }],
        }),
      );
      await publish(
        entry(mzOrg, {
          name: '婚姻登记信息测试',
          classCode: '301003',
          shareType: 'unconditional',
          openType: 'general',
          items: [{ name: '登记日期', dataType: 'D' }],
        }),
      );
      const byItem = json<SearchResult>(
        await get(mzOfficer, `/api/v1/catalog/entries?q=${encodeURIComponent('准驾车型')}`),
      );
      expect(byItem.items.map((i) => i.name)).toContain('机动车驾驶人信息');
      const byProvider = json<SearchResult>(
        await get(mzOfficer, `/api/v1/catalog/entries?q=${encodeURIComponent('民政')}&publishedOnly=true`),
      );
      expect(byProvider.items.every((i) => i.providerOrgId === mzOrg)).toBe(true);
      expect(byProvider.total).toBeGreaterThan(0);

      const all = json<SearchResult>(
        await get(admin, '/api/v1/catalog/entries?publishedOnly=true&pageSize=1'),
      );
      expect(all.total).toBeGreaterThan(2);
      for (const [facet, values] of Object.entries(all.facets)) {
        for (const v of values) {
          const r = json<SearchResult>(
            await get(
              admin,
              `/api/v1/catalog/entries?publishedOnly=true&pageSize=1&${facet}=${encodeURIComponent(v.value)}`,
            ),
          );
          expect(r.total, `${facet}=${v.value}`).toBe(v.count);
        }
      }
      const filtered = json<SearchResult>(
        await get(
          admin,
          `/api/v1/catalog/entries?publishedOnly=true&provider=${mzOrg}&shareType=unconditional`,
        ),
      );
      expect(filtered.items.every((i) => i.providerOrgId === mzOrg && i.shareType === 'unconditional')).toBe(
        true,
      );
      expect(all.facets.provider?.find((p) => p.value === mzOrg)?.label).toBe('市民政局');
    });

    it('pages on the server with a hard maximum', async () => {
      const big = await get(admin, '/api/v1/catalog/entries?pageSize=500');
      expect(big.statusCode).toBe(400);
      const p1 = json<SearchResult>(await get(admin, '/api/v1/catalog/entries?pageSize=2&page=1&sort=name'));
      const p2 = json<SearchResult>(await get(admin, '/api/v1/catalog/entries?pageSize=2&page=2&sort=name'));
      expect(p1.items.length).toBe(2);
      expect(p1.items.map((i) => i.id)).not.toEqual(p2.items.map((i) => i.id));
    });
  });

  describe('demand list', () => {
    it('records a need, suggests matching entries, and closes when matched or handed over', async () => {
      const target = await publish(
        entry(gaOrg, {
          name: '流动人口居住登记信息',
          classCode: '301004',
          items: [{ name: '居住地址', dataType: 'C', length: 200 }],
        }),
      );
      const d = await post(mzOfficer, '/api/v1/catalog/demands', {
        title: '流动人口居住信息',
        description: '核对低保申请人实际居住地',
        wantedItems: ['居住地址'],
        providerOrgId: gaOrg,
        basis: '《社会救助暂行办法》第十一条',
        purpose: '低保家庭经济状况核对',
      });
      expect(d.statusCode, d.body).toBe(201);
      const demand = json<{ id: string; status: string }>(d);
      expect(demand.status).toBe('open');
      const sugg = json<EntryView[]>(
        await get(mzOfficer, `/api/v1/catalog/demands/${demand.id}/suggestions`),
      );
      expect(sugg[0]?.id).toBe(target.id);
      // The provider sees demands addressed to it; a third department does not.
      expect((await get(gaOfficer, `/api/v1/catalog/demands/${demand.id}`)).statusCode).toBe(200);
      const rs = await login(t.app, 'rs_officer');
      expect((await get(rs, `/api/v1/catalog/demands/${demand.id}`)).statusCode).toBe(404);
      const matched = await post(mzOfficer, `/api/v1/catalog/demands/${demand.id}/match`, {
        entryId: target.id,
      });
      expect(json<{ status: string; matchedEntry: { code: string } }>(matched)).toMatchObject({
        status: 'matched',
        matchedEntry: { code: target.code },
      });
      expect(
        (await post(mzOfficer, `/api/v1/catalog/demands/${demand.id}/cancel`, { reason: 'x' })).statusCode,
      ).toBe(409);

      const d2 = json<{ id: string }>(
        await post(mzOfficer, '/api/v1/catalog/demands', {
          title: '殡葬火化信息',
          basis: '《殡葬管理条例》',
          purpose: '停发待遇',
        }),
      );
      const handed = await post(admin, `/api/v1/catalog/demands/${d2.id}/hand-over`, {
        providerOrgId: gaOrg,
        note: '请公安补充编目',
      });
      expect(json<{ status: string; handedToOrgId: string }>(handed)).toMatchObject({
        status: 'handed_over',
        handedToOrgId: gaOrg,
      });
      const bad = await post(mzOfficer, '/api/v1/catalog/demands', { title: '', basis: '', purpose: '' });
      expect(json<Problem>(bad).fields.map((f) => f.field)).toEqual(['title', 'basis', 'purpose']);
    });
  });
});
